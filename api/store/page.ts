// A page of a list kept newest first (the audit trail, the decision log, simulations): a keyset,
// not an offset, so entries written meanwhile neither repeat nor shift the next page.
import type { AuditEventEntity, DecisionLog, SimulationRun } from './entities.ts';
import type { Db } from './db.ts';
import { NotFoundError } from './errors.ts';
import type { PageFilter } from './types.ts';
import { instant, isUuid } from './values.ts';

function timeRange(from: string | undefined, to: string | undefined): Record<string, Date> | undefined {
  if (from === undefined && to === undefined) return undefined;
  const range: Record<string, Date> = {};
  if (from !== undefined) range.$gte = instant(from, 'from');
  if (to !== undefined) range.$lt = instant(to, 'to');
  return range;
}

/**
 * The conditions of a page of `entity` listed newest first (by `at`, then `tie`, descending): the
 * time range (`from` inclusive, `to` exclusive), and after `before` in that order.
 */
export async function pageWhere(db: Db, entity: typeof AuditEventEntity | typeof DecisionLog | typeof SimulationRun, what: string, filter: PageFilter, at = 'at', tie = 'seq'): Promise<Record<string, unknown>> {
  const where: Record<string, unknown> = {};
  const range = timeRange(filter.from, filter.to);
  if (range) where[at] = range;
  if (filter.before !== undefined) {
    const last = isUuid(filter.before) ? ((await db.em().findOne(entity as typeof DecisionLog, { id: filter.before }, { fields: [at, tie] as never })) as Record<string, unknown> | null) : null;
    if (!last) throw new NotFoundError(`no ${what} with id "${filter.before}"`);
    where.$or = [{ [at]: { $lt: last[at] } }, { [at]: last[at], [tie]: { $lt: last[tie] } }];
  }
  return where;
}
