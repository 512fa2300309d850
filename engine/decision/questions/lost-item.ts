// What may be asked for a lost or damaged item, within which bounds?
import { Undecidable } from '../../errors/undecidable.ts';
import { formatMoney } from '../../money/money.ts';
import type { LostItem } from '../../policy/types.ts';
import type { Handler } from '../handler.ts';
import { FactsError, object } from '../input.ts';
import type { LostItemFacts } from '../types.ts';

interface Ctx {
  rule: LostItem;
  values: Record<string, unknown>;
}

export const lostItem: Handler<LostItemFacts, Ctx> = {
  prepare(p, input) {
    object(input, '');
    const item = object(input.item, '/item');
    const rule = p.doc.lost_item;
    if (!rule) throw new Undecidable(`${p.institution} ${p.version} states no rule for lost or damaged items`);
    const values: Record<string, unknown> = { options: rule.options };
    const needsPrice = rule.substitute_max?.market_price_multiple !== undefined || rule.payment;
    if (needsPrice && typeof item.market_price !== 'number') throw new FactsError('/item/market_price', 'the market price (grosze) is required');
    const market = item.market_price ?? 0;
    const caps: number[] = [];
    if (rule.substitute_max?.market_price_multiple !== undefined) caps.push(market * rule.substitute_max.market_price_multiple);
    if (rule.substitute_max?.average_price_multiple !== undefined) {
      if (typeof item.average_price !== 'number') throw new FactsError('/item/average_price', "last year's average purchase price per volume (grosze) is required");
      caps.push(item.average_price * rule.substitute_max.average_price_multiple);
    }
    if (caps.length) values.substitute_max_price = Math.min(...caps);
    if (rule.payment) {
      values.payment_min = market + (rule.payment.fixed_fee ?? 0);
      values.payment_max = market + (rule.payment.fixed_fee ?? 0) + Math.floor((market * (rule.payment.processing_max_percent ?? 0)) / 100);
    }
    return { facts: {}, ctx: { rule, values } };
  },
  finish(_p, { rule, values }, fired, b) {
    b.note('LOST_ITEM_OPTIONS', { options: rule.options.join(', ') }, rule);
    if (values.substitute_max_price !== undefined) b.note('SUBSTITUTE_MAX', { substitute_max_price: formatMoney(values.substitute_max_price as number, 'pl') }, rule.substitute_max);
    if (values.payment_max !== undefined)
      b.note('PAYMENT_RANGE', { payment_min: formatMoney(values.payment_min as number, 'pl'), payment_max: formatMoney(values.payment_max as number, 'pl') }, rule.payment);
    b.fired(fired);
    return { outcome: 'info', values };
  },
};
