// Is the patron blocked, and what is left of each limit?
import type { PatronCategory } from '../../policy/types.ts';
import type { Handler } from '../handler.ts';
import { object } from '../input.ts';
import { limitCounts, patronCategory, standingFacts } from '../patron.ts';
import type { StandingFacts } from '../types.ts';

interface Ctx {
  cat: PatronCategory;
  counts: Record<string, number>;
  validUntil: string | null;
}

export const standing: Handler<StandingFacts, Ctx> = {
  prepare(p, input, at) {
    object(input, '');
    object(input.patron, '/patron');
    const facts = standingFacts(p, input.patron, at);
    return { facts, ctx: { cat: patronCategory(p, input.patron), counts: limitCounts(p, input.patron, undefined, 0), validUntil: facts.rights_valid_until } };
  },
  finish(p, ctx, fired, b) {
    b.use(ctx.cat);
    b.fired(fired);
    const limits: Record<string, { max: number; used: number; left: number }> = {};
    for (const [id, used] of Object.entries(ctx.counts)) {
      const lim = p.doc.limits![id]!;
      b.use(lim);
      limits[id] = { max: lim.max, used, left: Math.max(0, lim.max - used) };
    }
    const blocked = b.refused;
    return { outcome: blocked ? 'refuse' : 'allow', values: { blocked, limits, rights_valid_until: ctx.validUntil } };
  },
};
