// Orderings of an institution's versions that several views share.
import type { VersionMeta } from './types.ts';

/** The versions, oldest effective date first (a copy; ties keep their order). */
export function byEffective(versions: readonly VersionMeta[]): VersionMeta[] {
  return [...versions].sort((a, b) => Date.parse(a.effective_from) - Date.parse(b.effective_from));
}

/** The published version in force at `now`, from versions sorted by `byEffective`. */
export function inForceAt(sorted: readonly VersionMeta[], now = Date.now()): VersionMeta | undefined {
  return [...sorted].reverse().find((v) => v.status === 'published' && Date.parse(v.effective_from) <= now);
}
