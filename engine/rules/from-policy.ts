// Compiles a consolidated policy's tables into rules. Each rule is one sentence of the
// regulation: its conditions say when it applies, its event what follows and where it is written.
import { CODES, render, type Code } from './codes.ts';
import type { AssumptionRef, BlockKind, CategoryTerms, Cited, Condition, Id, LoanType, PolicyDocument, Question, Sanction, Text } from '../policy/types.ts';
import { ownTerms } from '../policy/terms.ts';
import { depositAt } from '../policy/deposits.ts';
import { covers } from '../policy/scope.ts';
import { formatMoney } from '../money/money.ts';
import type { Rule, RuleEvent } from './types.ts';
import { both, dayOfYear, duration, quote } from '../words/index.ts';

const eq = (fact: string, value: unknown): Condition => ({ fact, operator: 'equal', value });
const isIn = (fact: string, value: unknown[]): Condition => ({ fact, operator: 'in', value });

export function assumptionIds(ref: AssumptionRef | undefined): Id[] {
  return ref === undefined ? [] : Array.isArray(ref) ? ref : [ref];
}

function event(type: RuleEvent['type'], code: Code, src: Cited, params: Record<string, unknown> = {}, data?: Record<string, unknown>): RuleEvent {
  return {
    type,
    params: {
      code,
      message: render(CODES[code], params),
      ...(src.cite ? { cite: src.cite } : {}),
      assumptions: assumptionIds(src.assumption),
      ...(data ? { data } : {}),
    },
  };
}

/** `'*'` or a list → a condition on `fact`, or none when it admits everything. */
function among(fact: string, ids: Id[] | '*' | undefined): Condition[] {
  if (ids === undefined || ids === '*') return [];
  return [ids.length === 1 ? eq(fact, ids[0]) : isIn(fact, ids)];
}

/**
 * Who a loan type's `key` rules speak of: the loan type's own terms for every category without
 * terms of its own (scope: category not in them), then each category that has them ("@<id>" in
 * the rule's name).
 */
function variants(lt: LoanType, key: 'due' | 'renewal'): Array<[CategoryTerms | undefined, Condition[], string]> {
  const own = ownTerms(lt, key);
  const base: [undefined, Condition[], string] = [undefined, own.length ? [{ fact: 'category', operator: 'notIn', value: own.map(([c]) => c) }] : [], ''];
  return [base, ...own.map(([c, t]): [CategoryTerms, Condition[], string] => [t, [eq('category', c)], `@${c}`])];
}

export function compileRules(doc: PolicyDocument): Rule[] {
  const rules: Rule[] = [];
  const add = (question: Question, name: string, all: Condition[], ev: RuleEvent, entries: string[]) =>
    rules.push({ name, question, conditions: { all }, event: ev, entries });
  const label = (map: Record<string, { label?: Text }> | undefined, id: Id): Text => map?.[id]?.label ?? { en: id, pl: id };
  const categories = Object.keys(doc.patron_categories ?? {});
  const loanTypes = Object.keys(doc.loan_types ?? {});
  const limits = Object.entries(doc.limits ?? {});
  const units = Object.keys(doc.calendars ?? {});

  for (const [id, cat] of Object.entries(doc.patron_categories ?? {})) {
    const entry = `patron_categories.${id}`;
    if (cat.on_site_only) add('checkout', `category:${id}:on-site-only`, [eq('category', id), eq('in_building', false)], event('refuse', 'PATRON_ON_SITE_ONLY', cat), [entry]);
    if (cat.min_age !== undefined)
      add('checkout', `category:${id}:min-age`, [eq('category', id), { fact: 'age', operator: 'lessThan', value: cat.min_age }], event('refuse', 'UNDER_AGE', cat, { min_age: cat.min_age }), [entry]);
    if (cat.deposit_required) {
      // One rule per deposit that opens loans somewhere, on the units where it does (UMK: Toruń, Bydgoszcz).
      const byDeposit = new Map<Id | undefined, Id[]>();
      for (const unit of units) {
        const dep = depositAt(doc, id, unit)?.[0];
        byDeposit.set(dep, [...(byDeposit.get(dep) ?? []), unit]);
      }
      for (const [depId, where] of byDeposit) {
        const dep = depId === undefined ? undefined : doc.deposits![depId]!;
        const src = dep ? { cite: dep.cite ?? cat.cite, assumption: [...new Set([...assumptionIds(cat.assumption), ...assumptionIds(dep.assumption)])] } : cat;
        const name = byDeposit.size > 1 ? `category:${id}:deposit:${depId ?? 'none'}` : `category:${id}:deposit`;
        add('checkout', name, [eq('category', id), ...(byDeposit.size > 1 ? among('unit', where) : []), eq('deposit_missing', true)], event('refuse', 'DEPOSIT_REQUIRED', src, { deposit: dep ? dep.label : { en: 'deposit', pl: 'kaucja' } }), dep ? [entry, `deposits.${depId}`] : [entry]);
      }
    }
    if (cat.rights_expire) {
      const block = doc.blocks?.['rights-expired'];
      const entries = block ? [entry, 'blocks.rights-expired'] : [entry];
      const unknown = { category: both((lang) => quote(cat.label[lang], lang)), day: both((lang) => dayOfYear(cat.rights_expire, lang)) };
      for (const q of ['checkout', 'renewal', 'standing'] as const) {
        add(q, `category:${id}:rights-expired`, [eq('category', id), eq('rights_expired', true)], event('refuse', 'RIGHTS_EXPIRED', block ?? cat), entries);
        add(q, `category:${id}:rights-unknown`, [eq('category', id), eq('rights_unknown', true)], event('refuse', 'RIGHTS_UNKNOWN', block ?? cat, unknown), entries);
      }
    }
  }

  for (const [id, u] of Object.entries(doc.calendars ?? {}))
    if (u.self_check?.allowed === false)
      add('checkout', `unit:${id}:self-check`, [eq('unit', id), eq('self_check', true)], event('refuse', 'SELF_CHECK_NOT_ALLOWED', u.self_check, { unit: u.label ?? { en: id, pl: id } }), [`calendars.${id}`]);

  for (const [id, st] of Object.entries(doc.item_statuses ?? {})) {
    const entry = `item_statuses.${id}`;
    if (st.on_site_only) add('checkout', `status:${id}:on-site-only`, [eq('item_status', id), eq('in_building', false)], event('refuse', 'ITEM_ON_SITE_ONLY', st, { status: st.label }), [entry]);
    // An on-site status has refused every other use above; its list narrows the in-building ones.
    if (st.loan_types || st.on_site_only)
      add('checkout', `status:${id}:loan-types`, [eq('item_status', id), ...(st.on_site_only ? [eq('in_building', true)] : []), { fact: 'loan_type', operator: 'notIn', value: st.loan_types ?? [] }], event('refuse', 'LOAN_TYPE_NOT_FOR_ITEM', st, { status: st.label, loan_type: { en: 'this loan type', pl: 'tego rodzaju' } }), [entry]);
  }

  // A category × loan type no limit covers has no right to it: the regulation grants, it does not forbid.
  for (const c of categories)
    for (const l of loanTypes)
      if (!limits.some(([, lim]) => covers(lim.categories, c) && covers(lim.loan_types, l)))
        add('checkout', `entitlement:${c}:${l}`, [eq('category', c), eq('loan_type', l)], event('refuse', 'NOT_ENTITLED', {}, { category: label(doc.patron_categories, c), loan_type: label(doc.loan_types, l) }), []);

  for (const [id, lim] of limits) {
    const scope = [...among('category', lim.categories), ...among('loan_type', lim.loan_types)];
    const names = (map: Record<string, { label?: Text }> | undefined, ids: Id[] | '*', all: Text) =>
      ids === '*' ? all : both((lang) => ids.map((i) => label(map, i)[lang]).join(', '));
    if (lim.max === 0)
      add('checkout', `limit:${id}:none`, scope, event('refuse', 'NOT_ENTITLED', lim, { category: names(doc.patron_categories, lim.categories, { en: 'all categories', pl: 'wszystkie kategorie' }), loan_type: names(doc.loan_types, lim.loan_types, { en: 'any', pl: 'żadne' }) }), [`limits.${id}`]);
    else add('checkout', `limit:${id}`, [...scope, { fact: 'count', path: `$.${id}`, operator: 'greaterThan', value: lim.max }], event('refuse', 'LIMIT_REACHED', lim, { max: lim.max, limit: id }), [`limits.${id}`]);
  }
  for (const [id, lim] of Object.entries(doc.per_checkout ?? {}))
    add('checkout', `per-checkout:${id}`, [...among('category', lim.categories), ...among('loan_type', lim.loan_types), { fact: 'volumes', operator: 'greaterThan', value: lim.max }], event('refuse', 'PER_CHECKOUT_LIMIT', lim, { max: lim.max, limit: id }), [`per_checkout.${id}`]);

  for (const [id, lt] of Object.entries(doc.loan_types ?? {})) {
    const name = lt.label;
    const w = lt.window;
    const entry = [`loan_types.${id}`];
    if (w && w.while_open !== false) add('checkout', `window:${id}:open`, [eq('loan_type', id), eq('open_now', false)], event('refuse', 'UNIT_CLOSED', w, { loan_type: name }), entry);
    if (w?.before_closing) {
      const minutes = (w.before_closing.hours ?? 0) * 60 + (w.before_closing.minutes ?? 0);
      add('checkout', `window:${id}:before-closing`, [eq('loan_type', id), { fact: 'minutes_to_closing', operator: 'greaterThan', value: minutes }], event('refuse', 'TOO_EARLY', w, { loan_type: name, before: both((lang) => duration(w.before_closing!, lang, true)) }), entry);
    }
    if (w?.last_open_day_before_break)
      add('checkout', `window:${id}:before-break`, [eq('loan_type', id), eq('last_open_day_before_break', false)], event('refuse', 'NOT_BEFORE_BREAK', w, { loan_type: name }), entry);
    // A category with its own terms (by_category) gets its own rules; the loan type's rules skip it.
    for (const [own, scope, src] of variants(lt, 'due')) {
      const due = own ? own.due! : lt.due;
      add('checkout', `due:${id}${src}:possible`, [eq('loan_type', id), ...scope, eq('due_possible', false)], event('refuse', 'TOO_LATE', due, { loan_type: name }), entry);
    }
    for (const [own, scope, src] of variants(lt, 'renewal')) {
      const r = own ? own.renewal : lt.renewal;
      const at = [eq('loan_type', id), ...scope];
      if (!r || !r.allowed)
        add('renewal', `renewal:${id}${src}:not-allowed`, at, event('refuse', 'RENEWAL_NOT_ALLOWED', { cite: r?.cite ?? own?.cite ?? lt.cite, assumption: r ? r.assumption : (own?.assumption ?? lt.assumption) }, { loan_type: name }), entry);
      else {
        if (r.max !== undefined) add('renewal', `renewal:${id}${src}:max`, [...at, { fact: 'renewals', operator: 'greaterThanInclusive', value: r.max }], event('refuse', 'RENEWAL_LIMIT', r, { max: r.max }), entry);
        if (r.refused_when_requested) add('renewal', `renewal:${id}${src}:requested`, [...at, eq('requested', true)], event('refuse', 'ITEM_REQUESTED', r), entry);
        if (r.deadline) add('renewal', `renewal:${id}${src}:deadline`, [...at, eq(r.deadline === 'due' ? 'past_due' : 'past_due_day', true)], event('refuse', 'RENEWAL_TOO_LATE', r), entry);
      }
    }
  }

  const blockQuestions = (kind: keyof NonNullable<PolicyDocument['blocks']>): Question[] => [...(doc.blocks?.[kind]?.questions ?? ['checkout', 'renewal']), 'standing'];
  // A block as written, or else the first sanction that implies it (a sanction that blocks or
  // revokes implies the matching refusal, cited where the sanction is): what it cites, and its entry.
  const blockOrSanction = (kind: BlockKind, implies?: (s: Sanction) => unknown): { src: Cited; entries: string[] } | undefined => {
    const block = doc.blocks?.[kind];
    if (block) return { src: block, entries: [`blocks.${kind}`] };
    const found = implies && Object.entries(doc.sanctions ?? {}).find(([, s]) => implies(s));
    return found ? { src: found[1], entries: [`sanctions.${found[0]}`] } : undefined;
  };
  const blockRule = (kind: BlockKind, all: Condition[], code: Code, implies?: (s: Sanction) => unknown) => {
    const b = blockOrSanction(kind, implies);
    if (b) for (const q of new Set(blockQuestions(kind))) add(q, `block:${kind}`, all, event('refuse', code, b.src), b.entries);
  };
  blockRule('overdue-items', [{ fact: 'overdue_items', operator: 'greaterThan', value: 0 }], 'OVERDUE_ITEMS');
  blockRule('unpaid-dues', [{ fact: 'unpaid', operator: 'greaterThan', value: 0 }], 'UNPAID_DUES');
  blockRule('blocked-until', [eq('blocked', true)], 'ACCOUNT_BLOCKED', (s) => s.block_days);
  const revoking = blockOrSanction('revoked', (s) => s.revoke?.length);
  if (revoking) add('checkout', 'block:revoked', [eq('revoked', true)], event('refuse', 'PRIVILEGE_REVOKED', revoking.src, { loan_type: { en: 'this loan type', pl: 'tego rodzaju' } }), revoking.entries);

  if (doc.one_copy_per_title?.enabled) add('checkout', 'one-copy-per-title', [eq('title_on_loan', true)], event('refuse', 'ONE_COPY_PER_TITLE', doc.one_copy_per_title), ['one_copy_per_title']);

  for (const [id, s] of Object.entries(doc.sanctions ?? {})) {
    const scope = [...among('loan_type', s.loan_types), ...among('category', s.categories)];
    const data = { sanction: id, block_days: s.block_days, revoke: s.revoke };
    const trigger = s.on === 'late-return' ? eq('late', true) : eq('not_collected', true);
    add(
      s.on === 'late-return' ? 'return' : 'hold-pickup',
      `sanction:${id}`,
      [...scope, trigger],
      { type: 'sanction', params: { code: 'SANCTION', message: s.label, ...(s.cite ? { cite: s.cite } : {}), assumptions: assumptionIds(s.assumption), data } },
      [`sanctions.${id}`],
    );
  }

  const pay = doc.payments;
  if (pay?.online_minimum !== undefined)
    add('payment', 'payment:minimum', [eq('channel', 'online'), { fact: 'amount', operator: 'lessThan', value: pay.online_minimum }], event('refuse', 'PAYMENT_BELOW_MINIMUM', pay, { minimum: formatMoney(pay.online_minimum, 'pl') }), ['payments']);
  if (pay?.installments === false) add('payment', 'payment:instalments', [eq('channel', 'online'), eq('partial', true)], event('refuse', 'NO_INSTALMENTS', pay), ['payments']);

  const refundChecks = {
    'all-returned': [{ fact: 'items_out', operator: 'greaterThan', value: 0 }, 'ITEMS_OUT'],
    'dues-settled': [{ fact: 'unpaid', operator: 'greaterThan', value: 0 }, 'UNPAID_DUES'],
    'returned-on-time': [eq('returned_on_time', false), 'RETURNED_LATE'],
    'written-request': [eq('written_request', false), 'NO_WRITTEN_REQUEST'],
    'account-closed': [eq('account_closed', false), 'ACCOUNT_OPEN'],
  } as const satisfies Record<string, readonly [Condition, Code]>;
  for (const [id, d] of Object.entries(doc.deposits ?? {}))
    for (const req of d.refund?.requires ?? []) {
      const [cond, code] = refundChecks[req];
      add('deposit-refund', `refund:${id}:${req}`, [eq('deposit', id), cond], event('refuse', code, d.refund ?? d), [`deposits.${id}`]);
    }

  for (const [id, r] of Object.entries(doc.rules ?? {}))
    rules.push({
      name: `custom:${id}`,
      question: r.question,
      conditions: 'all' in r.when || 'any' in r.when ? (r.when as Rule['conditions']) : { all: [r.when] },
      event: { type: r.outcome === 'refuse' ? 'refuse' : 'note', params: { code: r.code, message: r.message, ...(r.cite ? { cite: r.cite } : {}), assumptions: assumptionIds(r.assumption) } },
      entries: [`rules.${id}`],
    });
  return rules;
}
