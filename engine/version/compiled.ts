// A consolidated version, compiled once: calendars parsed, tables turned into rules,
// rules into closures. Decisions only read it.
import { compileCalendar, type Calendar } from '../calendar/index.ts';
import { FastRules } from '../rules/fast.ts';
import { compileRules } from '../rules/from-policy.ts';
import { ReferenceRules } from '../rules/reference.ts';
import type { Rule } from '../rules/types.ts';
import { parseInstant } from '../time/index.ts';
import { contentHash } from '../policy/hash.ts';
import type { Id, PolicyDocument } from '../policy/types.ts';

export interface CompiledPolicy {
  readonly doc: PolicyDocument;
  readonly institution: Id;
  readonly version: string;
  readonly hash: string;
  readonly effectiveFrom: number;
  readonly calendars: ReadonlyMap<Id, Calendar>;
  readonly defaultUnit: Id;
  readonly rules: readonly Rule[];
  readonly fast: FastRules;
  /** json-rules-engine over the same rules, built on first use (tests, explanations). */
  reference(): ReferenceRules;
}

export function compilePolicy(doc: PolicyDocument): CompiledPolicy {
  const calendars = new Map<Id, Calendar>();
  for (const [id, spec] of Object.entries(doc.calendars ?? {})) {
    try {
      calendars.set(id, compileCalendar(spec));
    } catch (e) {
      throw new Error(`calendars.${id}: ${(e as Error).message}`);
    }
  }
  const defaultUnit = calendars.keys().next().value;
  if (defaultUnit === undefined) throw new Error(`${doc.institution} ${doc.version}: no calendar — at least one library unit is needed`);
  const rules = compileRules(doc);
  let reference: ReferenceRules | undefined;
  return {
    doc,
    institution: doc.institution,
    version: doc.version,
    hash: contentHash(doc),
    effectiveFrom: parseInstant(doc.effective_from),
    calendars,
    defaultUnit,
    rules,
    fast: new FastRules(rules),
    reference: () => (reference ??= new ReferenceRules(rules)),
  };
}
