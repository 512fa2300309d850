// What an analysis reports about a version's entries (its own module: caps.ts and overlaps.ts both make them).
import type { Text } from '../policy/types.ts';

export interface Finding {
  kind: 'overlap' | 'unreachable' | 'uncapped';
  /** The entries concerned, as paths in the document: `limits.phd-long`, `fees.overdue`. */
  entries: string[];
  message: Text;
}
