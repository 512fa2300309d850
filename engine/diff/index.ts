// What changed between two consolidated versions, in sentences a librarian reads
// ("PhD students, long-term: limit 10 → 12"), in English and Polish.
import type { PolicyDocument } from '../policy/types.ts';
import { walk, type Change } from './generic.ts';
import { diffHolds, diffOneCopy, diffSection, SECTIONS } from './sections.ts';
import { both, effective, Labels } from '../words/index.ts';

export type { Change } from './generic.ts';

/** Header fields that name the document rather than the rules; only the effective date is reported. */
const HEADER = new Set(['version', 'status', 'effective_from', 'source', 'amends']);

export function diffPolicies(a: PolicyDocument, b: PolicyDocument): Change[] {
  const L = new Labels(b, a);
  const out: Change[] = [];
  if (a.effective_from !== b.effective_from)
    out.push({
      path: 'effective_from',
      kind: 'changed',
      before: a.effective_from,
      after: b.effective_from,
      text: both((l) => `${l === 'en' ? 'Effective from' : 'Obowiązuje od'} ${effective(a.effective_from)} → ${effective(b.effective_from)}`),
    });
  if (a.name !== b.name)
    out.push({ path: 'name', kind: 'changed', before: a.name, after: b.name, text: both((l) => `${l === 'en' ? 'Name' : 'Nazwa'}: ${a.name ?? '—'} → ${b.name ?? '—'}`) });

  const A = a as unknown as Record<string, unknown>;
  const B = b as unknown as Record<string, unknown>;
  const bySection = new Map(SECTIONS.map((s) => [s.key, s]));
  const special: Record<string, () => Change[]> = {
    holds: () => diffHolds(a.holds, b.holds, L),
    one_copy_per_title: () => diffOneCopy(a.one_copy_per_title, b.one_copy_per_title, L),
  };
  // Sections in the order the format lists them, then anything else the documents hold.
  const order = ['institution', ...SECTIONS.map((s) => s.key), 'one_copy_per_title', 'holds', 'lost_item', 'payments'];
  const keys = [...new Set([...order, ...Object.keys(A), ...Object.keys(B)])].filter((k) => !HEADER.has(k) && k !== 'name');
  for (const k of keys) {
    const sec = bySection.get(k);
    if (sec) out.push(...diffSection(sec, A[k] as Record<string, unknown> | undefined, B[k] as Record<string, unknown> | undefined, L));
    else if (special[k]) out.push(...special[k]());
    else out.push(...walk(k, A[k], B[k]));
  }
  return out;
}
