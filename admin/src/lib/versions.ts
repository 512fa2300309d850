// Orderings of an institution's versions, and words about them, that several views share.
import type { MessageKey } from './messages.ts';
import type { CaseResult, VersionMeta } from './types.ts';

/** The versions, oldest effective date first (a copy; ties keep their order). */
export function byEffective(versions: readonly VersionMeta[]): VersionMeta[] {
  return [...versions].sort((a, b) => Date.parse(a.effective_from) - Date.parse(b.effective_from));
}

/** The published version in force at `now`, from versions sorted by `byEffective`. */
export function inForceAt(sorted: readonly VersionMeta[], now = Date.now()): VersionMeta | undefined {
  return [...sorted].reverse().find((v) => v.status === 'published' && Date.parse(v.effective_from) <= now);
}

/** How the version that decided a test case was chosen, as a message key. */
export function chosenKey(c: Pick<CaseResult, 'candidate' | 'chosen_by'>): MessageKey {
  return `tests.chosen.${c.candidate ? 'candidate' : (c.chosen_by ?? 'instant')}`;
}
