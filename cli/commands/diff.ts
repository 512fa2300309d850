// regula diff: what a new version changes, in the words of the regulation's own labels.
import { diffPolicies } from '../../engine/diff/index.ts';
import { plPlural } from '../../engine/words/index.ts';
import { formatError } from '../../engine/policy/index.ts';
import { EXIT, JSON_OPTION, lang, LANG_OPTION, out, UsageError, type Command } from '../common.ts';
import { dirname } from 'node:path';
import { consolidateFile } from '../../io/policy-files.ts';

const MARK = { added: '+', removed: '-', changed: '~' } as const;

export const diff: Command = {
  name: 'diff',
  summary: 'list the changes between two versions in words',
  help: `Usage: regula diff <a> <b> [--lang en|pl] [--json]

Consolidates both policy files (each against the versions in its own folder; <b> also
against those beside <a>, so a draft kept elsewhere may amend <a>) and lists
what changed from <a> to <b>, one change a line, using the labels the documents give:
  ~ PhD students, long-term: limit 10 → 12
  ~ 7-day loans: fee 10,00 zł → 12,00 zł per started 24 hours

Options:
  --lang en|pl   language of the sentences (default en)
  --json         print the changes as JSON (path, kind, before, after, text in both languages)

Exit status: 0 compared (whether or not anything changed), 1 a file has errors, 2 a file does not exist.`,
  options: { ...LANG_OPTION, ...JSON_OPTION },
  run(values, positionals) {
    const [a, b, ...extra] = positionals;
    if (!a || !b) throw new UsageError('give two policy files: regula diff <a> <b>');
    if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"`);
    const l = lang(values.lang);
    const ca = consolidateFile(a);
    const cb = consolidateFile(b, [dirname(a)]); // a draft may amend <a>, wherever it is kept
    const errors = [...ca.errors, ...cb.errors];
    if (!ca.doc || !cb.doc || errors.length) {
      for (const e of errors) out(formatError(e));
      return EXIT.FAILED;
    }
    const changes = diffPolicies(ca.doc, cb.doc);
    if (values.json) {
      out(JSON.stringify(changes, null, 2));
      return EXIT.OK;
    }
    const n = changes.length;
    const head = l === 'en' ? `${n} change${n === 1 ? '' : 's'}` : `${n} ${plPlural(n, 'zmiana', 'zmiany', 'zmian')}`;
    out(`${ca.doc.institution} ${ca.doc.version} → ${cb.doc.institution} ${cb.doc.version}: ${head}`);
    for (const c of changes) out(`  ${MARK[c.kind]} ${c.text[l]}`);
    return EXIT.OK;
  },
};
