// What does the price list charge for this (a duplicate card, the postage of a reminder letter)?
import { formatMoney } from '../../money/money.ts';
import type { Charge } from '../../policy/types.ts';
import type { Handler } from '../handler.ts';
import { known, object } from '../input.ts';
import type { ChargeFacts } from '../types.ts';

interface Ctx {
  charge: Charge;
  values: { charge: string; amount: number; count: number; total: number };
}

export const charge: Handler<ChargeFacts, Ctx> = {
  prepare(p, input) {
    object(input, '');
    const entry = known(p.doc.charges, input.charge, '/charge', 'charge');
    const count = input.count ?? 1;
    return { facts: { charge: input.charge }, ctx: { charge: entry, values: { charge: input.charge, amount: entry.amount, count, total: count * entry.amount } } };
  },
  finish(_p, { charge: c, values }, fired, b) {
    const amount = formatMoney(values.amount, 'pl');
    if (values.count === 1) b.note('CHARGE', { charge: c.label, amount }, c);
    else b.note('CHARGES', { charge: c.label, count: values.count, amount, total: formatMoney(values.total, 'pl') }, c);
    b.fired(fired);
    return { outcome: 'info', values };
  },
};
