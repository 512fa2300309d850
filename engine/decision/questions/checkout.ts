// May this patron borrow this item, with this loan type, now? If so, until when.
import type { Calendar } from '../../calendar/index.ts';
import { dueInstant } from '../../due/due.ts';
import { depositAt } from '../../policy/deposits.ts';
import { covers } from '../../policy/scope.ts';
import { termsFor, type Terms } from '../../policy/terms.ts';
import type { DueRule, ItemStatus, Limit, LoanType } from '../../policy/types.ts';
import { formatInstant, localDateOf } from '../../time/index.ts';
import type { Handler } from '../handler.ts';
import { unitCalendar } from '../unit.ts';
import { known, object } from '../input.ts';
import { limitCounts, standingFacts } from '../patron.ts';
import type { CheckoutFacts } from '../types.ts';

interface Ctx {
  loanType?: LoanType;
  loanTypeId?: string;
  terms?: Terms;
  unit: string;
  cal: Calendar;
  due: number | null;
  uses: object[];
  /** Entries read without the answer resting on them: the limits that chose the loan type. */
  read: object[];
}

/** The due rule and the calendar matter to a decision only when the loan type consults the calendar. */
export function usesCalendar(lt: LoanType, due: DueRule): boolean {
  return !!lt.window || due.kind !== 'period' || !!due.months || !!due.days;
}

export const checkout: Handler<CheckoutFacts, Ctx> = {
  prepare(p, input, at) {
    object(input, '');
    object(input.patron, '/patron');
    const item = object(input.item, '/item');
    const status = known(p.doc.item_statuses, item.status, '/item/status', 'item status');
    const chosen = input.loan_type === undefined ? defaultLoanType(p, status, input.patron.category) : undefined;
    const loanTypeId = input.loan_type ?? chosen?.loanType;
    const loanType = loanTypeId === undefined ? undefined : known(p.doc.loan_types, loanTypeId, input.loan_type ? '/loan_type' : '/item/status', 'loan type');
    const { unit, cal } = unitCalendar(p, input.unit);
    const standing = standingFacts(p, input.patron, at, loanTypeId, unit);
    const cat = p.doc.patron_categories![input.patron.category]!;
    const open = cal.openIntervalAt(at);
    const terms = loanType ? termsFor(loanType, input.patron.category) : undefined;
    const due = terms ? dueInstant(terms.due, at, cal) : null;
    const needed = depositNeeded(p, input, unit);
    return {
      facts: {
        ...standing,
        loan_type: loanTypeId ?? null,
        item_status: item.status,
        in_building: loanType?.in_building ?? false,
        unit,
        item,
        open_now: open !== null,
        minutes_to_closing: open ? (open[1] - at) / 60000 : -1,
        last_open_day_before_break: cal.isLastOpenDayBeforeBreak(localDateOf(at)),
        // A deposit opens home loans: an item used in the building needs none.
        deposit_missing: !loanType?.in_building && standing.deposit_paid < needed,
        title_on_loan: item.title !== undefined && (input.patron.titles ?? []).includes(item.title),
        volumes: input.volumes ?? 1,
        self_check: input.self_check ?? false,
        count: limitCounts(p, input.patron, loanTypeId, 1),
        due_possible: due !== null,
      },
      ctx: { loanType, loanTypeId, terms, unit, cal, due, uses: [cat, status], read: chosen?.limits ?? [] },
    };
  },
  finish(p, ctx, fired, b) {
    b.use(...(ctx.uses as never[]));
    b.read(ctx.read);
    b.fired(fired);
    // The due instant is worked out before the rules run (a loan it cannot be given is refused);
    // the answer rests on the calendar when the loan is lent (below).
    if (b.used && ctx.loanType && usesCalendar(ctx.loanType, ctx.terms!.due)) b.read([p.doc.calendars?.[ctx.unit]]);
    const allowed = !b.refused && ctx.loanType !== undefined && ctx.due !== null;
    const values: Record<string, unknown> = { loan_type: ctx.loanTypeId ?? null, unit: ctx.unit };
    if (allowed) {
      const lt = ctx.loanType!;
      values.due = formatInstant(ctx.due!);
      b.note('LOAN_PERIOD', { due: values.due, loan_type: lt.label }, ctx.terms!.dueSource);
      if (usesCalendar(lt, ctx.terms!.due)) b.use(p.doc.calendars?.[ctx.unit]);
    }
    return { outcome: allowed ? 'allow' : 'refuse', values };
  },
};

type Chosen = { loanType?: string; limits: Limit[] };
// Worked out once per version, status and category: every checkout without a loan type asks.
// (By the compiled version first: an amendment may share an unchanged status object with its base.)
const chosenMemo = new WeakMap<object, Map<ItemStatus, Map<string, Chosen>>>();

/** The item status's first loan type the category is granted (a limit above 0), else its first; and
 * the limits whose maximum the choice read. */
function defaultLoanType(p: Parameters<typeof checkout.prepare>[0], status: ItemStatus, category: string): Chosen {
  let byStatus = chosenMemo.get(p);
  if (!byStatus) chosenMemo.set(p, (byStatus = new Map()));
  let byCategory = byStatus.get(status);
  if (!byCategory) byStatus.set(status, (byCategory = new Map()));
  let chosen = byCategory.get(category);
  if (!chosen) byCategory.set(category, (chosen = chooseLoanType(p, status.loan_types, category)));
  return chosen;
}

function chooseLoanType(p: Parameters<typeof checkout.prepare>[0], allowed: string[] | undefined, category: string): Chosen {
  const limits = Object.values(p.doc.limits ?? {}).filter((l) => covers(l.categories, category));
  const read: Limit[] = [];
  for (const lt of allowed ?? []) {
    const covering = limits.filter((l) => covers(l.loan_types, lt));
    read.push(...covering);
    if (covering.some((l) => l.max > 0)) return { loanType: lt, limits: read };
  }
  return { ...(allowed?.[0] !== undefined ? { loanType: allowed[0] } : {}), limits: read };
}

/** The deposit a deposit-only category must hold at the unit: the account sum, or per copy its market value (at least the minimum). */
function depositNeeded(p: Parameters<typeof checkout.prepare>[0], input: CheckoutFacts, unit: string): number {
  const deposit = depositAt(p.doc, input.patron.category, unit)?.[1];
  if (!deposit) return 1;
  if (deposit.scope === 'account') return deposit.amount ?? 1;
  return Math.max(deposit.minimum ?? 1, input.item.market_price ?? 0);
}
