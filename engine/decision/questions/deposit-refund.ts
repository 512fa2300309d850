// May the deposit be refunded now, and how much?
import { formatMoney } from '../../money/money.ts';
import type { Deposit } from '../../policy/types.ts';
import type { Handler } from '../handler.ts';
import { known, object } from '../input.ts';
import { depositsHeld, patronCategory } from '../patron.ts';
import type { DepositRefundFacts } from '../types.ts';
import { depositAmount } from './deposit.ts';

interface Ctx {
  deposit: Deposit;
  refund: number;
}

export const depositRefund: Handler<DepositRefundFacts, Ctx> = {
  prepare(p, input) {
    object(input, '');
    object(input.patron, '/patron');
    patronCategory(p, input.patron);
    const deposit = known(p.doc.deposits, input.deposit, '/deposit', 'deposit');
    const amount = depositAmount(deposit, input.amount ?? depositsHeld(p, input.patron)[input.deposit]);
    const unpaid = input.patron.unpaid ?? 0;
    return {
      facts: {
        category: input.patron.category,
        deposit: input.deposit,
        items_out: input.items_out ?? Object.values(input.patron.loans ?? {}).reduce((a, n) => a + n, 0),
        unpaid,
        returned_on_time: input.returned_on_time ?? true,
        written_request: input.written_request ?? false,
        account_closed: input.account_closed ?? false,
      },
      ctx: { deposit, refund: Math.max(0, amount - unpaid) },
    };
  },
  finish(_p, ctx, fired, b) {
    b.use(ctx.deposit, ctx.deposit.refund);
    b.fired(fired);
    if (b.refused) return { outcome: 'refuse', values: { refund: 0 } };
    b.note('DEPOSIT_REFUND', { refund: formatMoney(ctx.refund, 'pl') }, ctx.deposit.refund);
    return { outcome: 'allow', values: { refund: ctx.refund } };
  },
};
