// Which version decides: the published one in force at the instant asked about.
import type { CompiledPolicy } from './compiled.ts';

export function inForceAt<P extends Pick<CompiledPolicy, 'effectiveFrom' | 'doc'>>(versions: readonly P[], at: number): P | undefined {
  let best: P | undefined;
  for (const v of versions)
    if (v.doc.status === 'published' && v.effectiveFrom <= at && (!best || v.effectiveFrom > best.effectiveFrom)) best = v;
  return best;
}
