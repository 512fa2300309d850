// Lists kept newest first (audit trail, decision log, simulations), a page at a time: the filters
// from the query, and the link to the next page by the last id seen.
import { badParameters, queryInt, queryInstant, type Ctx } from './context.ts';
import type { FieldError } from './problem.ts';
import { NotFoundError } from './store/errors.ts';
import type { PageFilter } from './store/types.ts';

/** A list's filters from the query: institution, from, to, before (the last id seen), limit. */
export function range(c: Ctx): PageFilter & { institution?: string; limit: number } {
  const errors: FieldError[] = [];
  const from = queryInstant(c, 'from', errors);
  const to = queryInstant(c, 'to', errors);
  const limit = queryInt(c, 'limit', 1, 10_000, errors) ?? 100;
  const institution = c.req.query('institution') || undefined;
  const before = c.req.query('before') || undefined;
  badParameters(errors);
  return { ...(institution ? { institution } : {}), ...(from ? { from } : {}), ...(to ? { to } : {}), ...(before ? { before } : {}), limit };
}

/**
 * One page of a list kept newest first. Asks for one entry more than the limit to know whether
 * older ones remain; if so, links the next page (`next`, and a Link header) by the last id.
 */
export async function paged<T extends { id: string }>(c: Ctx, filter: PageFilter & { limit: number }, list: (limit: number) => Promise<T[]>): Promise<{ items: T[]; next: string | null }> {
  let rows: T[];
  try {
    rows = await list(filter.limit + 1);
  } catch (e) {
    if (e instanceof NotFoundError && filter.before !== undefined) badParameters([{ parameter: 'before', message: `${e.message}; give the id of the last entry of the page before` }]);
    throw e;
  }
  const items = rows.slice(0, filter.limit);
  if (rows.length <= filter.limit) return { items, next: null };
  const url = new URL(c.req.url);
  url.searchParams.set('before', items[items.length - 1]!.id);
  const next = `${url.pathname}${url.search}`;
  c.header('link', `<${next}>; rel="next"`);
  return { items, next };
}
