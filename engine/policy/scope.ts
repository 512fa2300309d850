// Which patrons, loans or units an entry speaks of: its list of ids, where '*' (or no list) is all.
import type { Id } from './types.ts';

/** Whether `ids` — a list, '*' or absent (every one) — covers `id`. */
export function covers(ids: readonly Id[] | '*' | undefined, id: Id): boolean {
  return ids === undefined || ids === '*' || ids.includes(id);
}
