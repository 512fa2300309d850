// regula consolidate: the complete text of a version, its amendments merged over their base.
import { stringify } from 'yaml';
import { formatError, type PolicyDocument } from '../../engine/policy/index.ts';
import { EXIT, JSON_OPTION, out, UsageError, type Command } from '../common.ts';
import { consolidateFile } from '../../io/policy-files.ts';

export const consolidate: Command = {
  name: 'consolidate',
  summary: 'print the consolidated text of a version (amendments merged over their base)',
  help: `Usage: regula consolidate <file> [--json]

Prints the version in <file> as a complete document: when it says amends: "<version>",
the versions it amends are looked up among the other YAML files in the same folder and
merged (maps key by key, null removes a key, lists and scalars replace).

Options:
  --json   print JSON instead of YAML

Exit status: 0 printed, 1 the file or its base has errors, 2 the file does not exist.`,
  options: { ...JSON_OPTION },
  run(values, positionals) {
    const [file, ...extra] = positionals;
    if (!file) throw new UsageError('give the policy file to consolidate');
    if (extra.length) throw new UsageError(`one file at a time (got also "${extra[0]}")`);
    const c = consolidateFile(file);
    if (!c.doc || c.errors.length) {
      for (const e of c.errors) out(formatError(e));
      return EXIT.FAILED;
    }
    const doc = headerFirst(c.doc);
    if (values.json) out(JSON.stringify(doc, null, 2));
    else out(`# ${doc.institution} ${doc.version}, consolidated from ${(c.chain ?? []).join(' + ')}\n${stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false })}`);
    return EXIT.OK;
  },
};

/** The header first, as in a hand-written version (consolidation appends the amendment's header last). */
function headerFirst(doc: PolicyDocument): PolicyDocument {
  const { institution, name, version, effective_from, status, source, ...rest } = doc;
  return { institution, ...(name !== undefined ? { name } : {}), version, effective_from, status, source, ...rest };
}
