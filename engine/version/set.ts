// Turns every parsed version of every institution into compiled, consolidated versions,
// ordered by the instant each takes effect.
import { inForceAt } from './select.ts';
import { compilePolicy, type CompiledPolicy } from './compiled.ts';
import { consolidate } from '../amendment/consolidate.ts';
import { checkReferences, validatePolicy, type Locate, type PolicyError } from '../policy/load.ts';
import type { Id, PolicyDocument } from '../policy/types.ts';
import { formatInstant } from '../time/index.ts';

export interface ParsedVersion {
  doc: PolicyDocument;
  file: string;
  /** Maps a JSON pointer to its line and column in `file`. */
  locate?: Locate;
}

export interface Institution {
  id: Id;
  name: string;
  versions: CompiledPolicy[];
  /** Version labels consolidated into each version, oldest first. */
  chains: Map<string, string[]>;
  files: Map<string, string>;
}

export function inForce(inst: Institution, at: number): CompiledPolicy | undefined {
  return inForceAt(inst.versions, at);
}

export function versionOf(inst: Institution, label: string): CompiledPolicy | undefined {
  return inst.versions.find((v) => v.version === label);
}

/** No version decides: the one named does not exist (`version`), or none is in force (`at`). */
export class NoVersion extends Error {
  readonly missing: 'version' | 'at';
  constructor(missing: 'version' | 'at', message: string) {
    super(message);
    this.missing = missing;
    this.name = 'NoVersion';
  }
}

/**
 * The version that decides a question about `at`: the one `label` names, else the published
 * version in force then. The one rule of the service, the CLI and a policy's test cases; what is
 * missing is thrown, with the versions there are.
 */
export function decidingVersion(inst: Institution, at: number, label?: string): CompiledPolicy {
  const policy = label === undefined ? inForce(inst, at) : versionOf(inst, label);
  if (policy) return policy;
  const versions = inst.versions.map((v) => `${v.version} (${v.doc.status}, from ${v.doc.effective_from})`).join(', ') || 'none';
  throw label === undefined
    ? new NoVersion('at', `no published version of ${inst.id} is in force at ${formatInstant(at)} — versions: ${versions}`)
    : new NoVersion('version', `${inst.id} has no version "${label}" — versions: ${versions}`);
}

export function buildInstitutions(parsed: ParsedVersion[]): { institutions: Map<Id, Institution>; errors: PolicyError[] } {
  const errors: PolicyError[] = [];
  const byInstitution = new Map<Id, ParsedVersion[]>();
  for (const p of parsed) byInstitution.set(p.doc.institution, [...(byInstitution.get(p.doc.institution) ?? []), p]);
  const institutions = new Map<Id, Institution>();
  for (const [id, list] of byInstitution) {
    const byLabel = new Map<string, ParsedVersion>();
    for (const p of list) {
      const dup = byLabel.get(p.doc.version);
      if (dup) errors.push({ file: p.file, line: 1, column: 1, pointer: '/version', message: `version "${p.doc.version}" of ${id} is also in ${dup.file}` });
      byLabel.set(p.doc.version, p);
    }
    const inst: Institution = { id, name: id, versions: [], chains: new Map(), files: new Map() };
    for (const p of list) {
      try {
        const { doc, chain } = consolidate(p.doc, (label) => byLabel.get(label)?.doc);
        // The consolidated text must stand as a complete version; errors point into this file.
        // An amendment can be valid alone and still leave its consolidation incomplete.
        const found = validatePolicy(doc, p.file, p.locate);
        if (!found.length) found.push(...checkReferences(doc, p.file, p.locate));
        if (found.length) {
          errors.push(...(p.doc.amends ? found.map((e) => ({ ...e, message: `consolidated ${doc.version}: ${e.message}` })) : found));
          continue;
        }
        inst.versions.push(compilePolicy(doc));
        inst.chains.set(doc.version, chain);
        inst.files.set(doc.version, p.file);
        if (doc.name) inst.name = doc.name;
      } catch (e) {
        errors.push({ file: p.file, line: 1, column: 1, pointer: '', message: (e as Error).message });
      }
    }
    inst.versions.sort((a, b) => a.effectiveFrom - b.effectiveFrom);
    institutions.set(id, inst);
  }
  return { institutions, errors };
}
