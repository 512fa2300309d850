import { describe, expect, it } from 'vitest';
import { decide, decideReference, explanation, FactsError, withTexts } from '../engine/decision/index.ts';
import { overlaps } from '../engine/analysis/index.ts';
import { compilePolicy } from '../engine/version/index.ts';
import { type PolicyDocument } from '../engine/policy/index.ts';
import { consolidate } from '../engine/amendment/index.ts';
import { generateLoans } from '../engine/simulation/index.ts';
import { parseInstant } from '../engine/time/index.ts';
import { factProblems } from './fixtures/facts.ts';
import { loadShipped } from './fixtures/shipped.ts';

const t = (s: string) => parseInstant(s);
const text = (en: string) => ({ en, pl: en });

// A small library: weekdays 8–20, Saturday 9–15, Polish holidays.
const doc: PolicyDocument = {
  institution: 'demo',
  name: 'Demo library',
  version: '1/2026',
  effective_from: '2026-01-01T00:00:00+01:00',
  status: 'published',
  source: { title: 'Demo regulation' },
  assumptions: { hours: text('Opening hours assumed.') },
  calendars: { main: { hours: { 'mon-fri': '08:00-20:00', sat: '09:00-15:00' }, assumption: 'hours' } },
  patron_categories: {
    student: { label: text('students'), cite: '§ 1', rights_expire: '10-31' },
    guest: { label: text('guests'), cite: '§ 1', deposit_required: true },
    visitor: { label: text('visitors'), cite: '§ 2', on_site_only: true },
  },
  item_statuses: {
    regular: { label: text('regular'), loan_types: ['long', 'overnight'] },
    reference: { label: text('reference'), on_site_only: true, cite: '§ 3' },
  },
  loan_types: {
    long: { label: text('long-term'), due: { kind: 'period', months: 1, cite: '§ 4' }, renewal: { allowed: true, max: 2, refused_when_requested: true, deadline: 'due-day', cite: '§ 5' } },
    overnight: {
      label: text('overnight'),
      short: true,
      due: { kind: 'time-of-day', time: '09:00', day: 'next-open-day', cite: '§ 6' },
      window: { before_closing: { hours: 1 }, cite: '§ 6' },
    },
  },
  limits: {
    students: { categories: ['student'], loan_types: ['long', 'overnight'], max: 3, cite: '§ 7' },
    'students-overnight': { categories: ['student'], loan_types: ['overnight'], max: 1, cite: '§ 6' },
    guests: { categories: ['guest'], loan_types: ['long'], max: 1, cite: '§ 7' },
  },
  one_copy_per_title: { enabled: true, cite: '§ 8' },
  blocks: { 'overdue-items': { cite: '§ 9' }, 'unpaid-dues': { cite: '§ 9' } },
  fees: {
    long: { loan_types: ['long'], rate: 20, per: { hours: 24 }, cap: 100, cite: '§ 10' },
    overnight: { loan_types: ['overnight'], rate: 100, per: { hours: 1 }, cap: 5000, cite: '§ 10' },
  },
  sanctions: {
    'late-overnight': { on: 'late-return', loan_types: ['overnight'], block_days: 14, revoke: ['overnight'], label: text('late overnight return'), cite: '§ 11' },
    'hold-lapsed': { on: 'hold-not-collected', block_days: 7, label: text('hold not collected'), cite: '§ 12' },
  },
  holds: { pickup_open_days: 3, sanction: 'hold-lapsed', cite: '§ 12' },
  deposits: {
    account: {
      label: text('account deposit'),
      scope: 'account',
      categories: ['guest'],
      amount: 5000,
      forfeiture: { after_reminders: 2, after_due: { months: 2 }, takes: 'owed', return_still_due: true, cite: '§ 13' },
      refund: { requires: ['all-returned', 'dues-settled'], cite: '§ 14' },
    },
  },
  lost_item: { options: ['identical-copy', 'substitute', 'payment'], substitute_max: { market_price_multiple: 2, average_price_multiple: 2 }, payment: { processing_max_percent: 20 }, cite: '§ 15' },
  payments: { online_minimum: 100, installments: false, moves_due: { days_after_booking: 3, except_short: true, except_requested: true }, cite: '§ 16' },
};
const p = compilePolicy(doc);
// Rights lapse each 31 October (rights_expire): a patron without a date to tell by is refused.
const student = { category: 'student', loans: {}, rights_valid_until: '2027-10-31' };

describe('checkout', () => {
  it('allows a long-term loan due at the end of the day a month later, with citations', () => {
    const d = decide(p, 'checkout', { patron: student, item: { status: 'regular' } }, t('2026-11-23T10:00:00+01:00'));
    expect(d.outcome).toBe('allow');
    expect(d.values.due).toBe('2026-12-23T23:59:59+01:00');
    expect(d.citations).toEqual(expect.arrayContaining(['§ 1', '§ 4']));
    expect(d.assumptions).toEqual(['hours']);
    expect(d.policy).toMatchObject({ institution: 'demo', version: '1/2026' });
    expect(d.policy.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('gives every reason at once, each with its paragraph', () => {
    const d = decide(p, 'checkout', { patron: { ...student, loans: { long: 3 }, overdue_items: 1, unpaid: 50, titles: ['t1'] }, item: { status: 'regular', title: 't1' } }, t('2026-11-23T10:00:00+01:00'), { trace: true });
    expect(d.outcome).toBe('refuse');
    expect(d.reasons.filter((r) => r.kind === 'refusal').map((r) => [r.code, r.cite])).toEqual(
      expect.arrayContaining([['LIMIT_REACHED', '§ 7'], ['OVERDUE_ITEMS', '§ 9'], ['UNPAID_DUES', '§ 9'], ['ONE_COPY_PER_TITLE', '§ 8']]),
    );
    expect(d.trace).toContain('limit:students');
    expect(d.values.due).toBeUndefined();
  });

  it('counts the limit after this loan: at the limit minus one is allowed, at the limit refused', () => {
    const at = t('2026-11-23T10:00:00+01:00');
    expect(decide(p, 'checkout', { patron: { ...student, loans: { long: 2 } }, item: { status: 'regular' } }, at).outcome).toBe('allow');
    expect(decide(p, 'checkout', { patron: { ...student, loans: { long: 3 } }, item: { status: 'regular' } }, at).outcome).toBe('refuse');
  });

  it('opens overnight loans only in the last hour before closing, due 9:00 on the next open day', () => {
    const facts = { patron: student, item: { status: 'regular' }, loan_type: 'overnight' };
    const early = decide(p, 'checkout', facts, t('2026-11-20T18:59:00+01:00'));
    expect(early.reasons.map((r) => r.code)).toContain('TOO_EARLY');
    const friday = decide(p, 'checkout', facts, t('2026-11-20T19:00:00+01:00'));
    expect(friday.outcome).toBe('allow');
    expect(friday.values.due).toBe('2026-11-21T09:00:00+01:00'); // Saturday is open
    const closed = decide(p, 'checkout', facts, t('2026-11-22T12:00:00+01:00'));
    expect(closed.reasons.map((r) => r.code)).toContain('UNIT_CLOSED');
    // 10 November 2026: 11 November is a holiday, so the next open day is the 12th.
    expect(decide(p, 'checkout', facts, t('2026-11-10T19:30:00+01:00')).values.due).toBe('2026-11-12T09:00:00+01:00');
  });

  it('refuses on-site-only items and categories, and a category no limit covers', () => {
    const at = t('2026-11-23T10:00:00+01:00');
    expect(decide(p, 'checkout', { patron: student, item: { status: 'reference' } }, at).reasons.map((r) => r.code)).toEqual(['ITEM_ON_SITE_ONLY']);
    const visitor = decide(p, 'checkout', { patron: { category: 'visitor' }, item: { status: 'regular' } }, at);
    expect(visitor.reasons.map((r) => r.code)).toEqual(expect.arrayContaining(['PATRON_ON_SITE_ONLY', 'NOT_ENTITLED']));
  });

  it('asks a deposit of deposit-only categories', () => {
    const at = t('2026-11-23T10:00:00+01:00');
    expect(decide(p, 'checkout', { patron: { category: 'guest', deposit_paid: 4999 }, item: { status: 'regular' } }, at).reasons.map((r) => r.code)).toEqual(['DEPOSIT_REQUIRED']);
    expect(decide(p, 'checkout', { patron: { category: 'guest', deposit_paid: 5000 }, item: { status: 'regular' } }, at).outcome).toBe('allow');
  });

  it('lets rights lapse after the yearly day', () => {
    const patron = { category: 'student', registered: '2025-11-05' };
    expect(decide(p, 'checkout', { patron, item: { status: 'regular' } }, t('2026-10-31T19:00:00+01:00')).outcome).toBe('allow');
    expect(decide(p, 'checkout', { patron, item: { status: 'regular' } }, t('2026-11-02T10:00:00+01:00')).reasons.map((r) => r.code)).toEqual(['RIGHTS_EXPIRED']);
  });

  it('reports bad facts with the JSON pointer', () => {
    expect(() => decide(p, 'checkout', { patron: { category: 'dean' }, item: { status: 'regular' } }, 0)).toThrow(FactsError);
    expect(() => decide(p, 'checkout', { patron: student, item: { status: 'regular' }, loan_type: 'x' }, 0)).toThrow(/\/loan_type: unknown loan type "x"/);
  });

  it('refuses facts outside the contract, every problem at once, before deciding anything', () => {
    const problems = (facts: unknown, question: 'checkout' | 'return' = 'checkout', policy = p) => factProblems(policy, question, facts, 0);
    // A misspelt key would be ignored and the answer wrong: 99 volumes out, an allow.
    expect(problems({ patron: { category: 'student', lons: { long: 99 } }, item: { status: 'regular' } })).toEqual([{ pointer: '/patron/lons', message: 'unknown key "lons" — did you mean loans?' }]);
    expect(
      problems({ patron: { category: 'student', loans: { long: -1 }, unpaid: '12 zł', blocked_until: '2026-12-24', email: 'jan@example.pl' }, item: { status: 'regular' }, volumes: 0, when: 'now' }),
    ).toEqual([
      { pointer: '/when', message: 'unknown key "when" — expected one of patron, item, loan_type, unit, volumes, self_check' },
      { pointer: '/patron/loans/long', message: 'must be a whole number from 0 to 1 000 000 (got -1)' },
      { pointer: '/patron/unpaid', message: 'must be an amount in grosze, a whole number from 0 to 100 000 000 000 (1 000 000 000 zł) (got "12 zł")' },
      { pointer: '/patron/blocked_until', message: 'must be an instant with its offset, on a date that exists in the years 1996–2100, e.g. 2026-11-23T10:00:00+01:00 (got "2026-12-24")' },
      { pointer: '/volumes', message: 'must be a whole number ≥ 1 (got 0)' },
      { pointer: '/patron/email', message: expect.stringMatching(/^unknown key "email" — expected one of category, loans, titles, .*, age$/) },
    ]);
    expect(problems({ loan: { loan_type: 'long', due: '2026-11-02T10:00:00+01:00', renewal: 1 } }, 'return')).toEqual([{ pointer: '/loan/renewal', message: 'unknown key "renewal" — did you mean renewals?' }]);
    expect(problems({ loan: { due: '2026-11-02T10:00:00+01:00' } }, 'return')).toEqual([{ pointer: '/loan', message: 'missing required key "loan_type"' }]);
    expect(problems([], 'return')).toEqual([{ pointer: '', message: 'must be a map of keys (got a list)' }]);
  });

  it('takes the patron and item keys the policy’s own rules read, and only those', () => {
    const withRule = compilePolicy({
      ...doc,
      rules: { 'no-popular-overnight': { question: 'renewal', outcome: 'refuse', code: 'POPULAR', cite: '§ 17', message: text('popular'), when: { all: [{ fact: 'item', path: '$.high_demand', operator: 'equal', value: true }] } } },
    });
    const facts = { patron: student, item: { status: 'regular', high_demand: true } };
    // Read by a renewal rule, taken with every question: a desk sends the same record each time.
    expect(decide(withRule, 'checkout', facts as never, t('2026-11-02T10:00:00+01:00')).outcome).toBe('allow');
    expect(() => decide(p, 'checkout', facts as never, t('2026-11-02T10:00:00+01:00'))).toThrow('/item/high_demand: unknown key "high_demand" — expected one of status, title, requested, market_price, average_price');
  });
});

describe('renewal', () => {
  const loan = { loan_type: 'long', due: '2026-12-01T23:59:59+01:00' };
  it('is possible on the due day and not the day after', () => {
    const ok = decide(p, 'renewal', { patron: student, loan }, t('2026-12-01T15:00:00+01:00'));
    expect(ok.outcome).toBe('allow');
    expect(ok.values.due).toBe('2027-01-01T23:59:59+01:00');
    expect(decide(p, 'renewal', { patron: student, loan }, t('2026-12-02T08:00:00+01:00')).reasons.map((r) => r.code)).toEqual(['RENEWAL_TOO_LATE']);
  });
  it('is refused when requested, at the renewal limit, and for loan types without renewal', () => {
    const at = t('2026-11-25T10:00:00+01:00');
    expect(decide(p, 'renewal', { patron: student, loan: { ...loan, requested: true, renewals: 2 } }, at).reasons.map((r) => r.code).sort()).toEqual(['ITEM_REQUESTED', 'RENEWAL_LIMIT']);
    expect(decide(p, 'renewal', { patron: student, loan: { ...loan, loan_type: 'overnight' } }, at).reasons.map((r) => r.code)).toEqual(['RENEWAL_NOT_ALLOWED']);
  });
});

describe('return', () => {
  const due = '2026-12-01T23:59:59+01:00';
  it('charges nothing at the due instant and one period one second after', () => {
    expect(decide(p, 'return', { loan: { loan_type: 'long', due } }, t(due)).values).toMatchObject({ late: false, fee: 0 });
    expect(decide(p, 'return', { loan: { loan_type: 'long', due } }, t('2026-12-02T00:00:00+01:00')).values).toMatchObject({ late: true, fee: 20, periods: 1 });
  });
  it('counts the started periods in words, with Polish plural forms', () => {
    const message = (returned: string) => decide(p, 'return', { loan: { loan_type: 'long', due } }, t(returned)).reasons.find((r) => r.code === 'LATE_FEE')!.message;
    expect(message('2026-12-02T10:00:00+01:00').en).toMatch(/ for 1 started period of 24 hours\.$/);
    expect(message('2026-12-02T10:00:00+01:00').pl).toMatch(/ za 1 rozpoczęty okres \(okres: 24 godziny\)\.$/);
    expect(message('2026-12-04T10:00:00+01:00').en).toMatch(/ for 3 started periods of 24 hours\.$/);
    expect(message('2026-12-04T10:00:00+01:00').pl).toMatch(/ za 3 rozpoczęte okresy /);
    expect(message('2026-12-06T10:00:00+01:00').pl).toMatch(/ za 5 rozpoczętych okresów /);
  });
  it('stops at the cap and says so', () => {
    const d = decide(p, 'return', { loan: { loan_type: 'long', due } }, t('2026-12-11T12:00:00+01:00'));
    expect(d.values).toMatchObject({ periods: 10, fee: 100, fee_uncapped: 200, capped: true });
    expect(d.reasons.map((r) => r.code)).toEqual(['LATE_FEE', 'FEE_CAPPED']);
    // Five periods charged the rate, then the five over the cap in one row.
    expect(d.values.breakdown).toEqual([
      { n: 1, count: 5, from: '2026-12-01T23:59:59+01:00', to: '2026-12-06T23:59:59+01:00', amount_each: 20, amount: 100 },
      { n: 6, count: 5, from: '2026-12-06T23:59:59+01:00', to: '2026-12-11T23:59:59+01:00', amount_each: 0, amount: 0, note: 'over-cap' },
    ]);
  });
  it('counts real hours across the autumn summer-time night', () => {
    // 25 October 2026: 02:00–03:00 happens twice, so 00:00 → 05:00 local is 6 real hours.
    const d = decide(p, 'return', { loan: { loan_type: 'overnight', due: '2026-10-25T00:00:00+02:00' } }, t('2026-10-25T05:00:00+01:00'));
    expect(d.values).toMatchObject({ periods: 6, fee: 600 });
  });
  it('blocks for 14 days and revokes overnight loans after a late overnight return', () => {
    const d = decide(p, 'return', { loan: { loan_type: 'overnight', due: '2026-11-24T09:00:00+01:00' } }, t('2026-11-24T09:30:00+01:00'));
    expect(d.values).toMatchObject({ blocked_until: '2026-12-08T09:30:00+01:00', revoked: ['overnight'] });
    expect(d.reasons.filter((r) => r.kind === 'sanction').map((r) => r.code)).toEqual(['ACCOUNT_BLOCK', 'PRIVILEGES_LOST']);
    expect(d.reasons.find((r) => r.code === 'ACCOUNT_BLOCK')!.message.pl).toMatch(/^Konto zablokowane na 14 dni /);
    expect(d.reasons.find((r) => r.code === 'ACCOUNT_BLOCK')!.message.en).toMatch(/^Account blocked for 14 days /);
    const next = decide(p, 'checkout', { patron: { ...student, blocked_until: d.values.blocked_until as string, revoked: ['overnight'] }, item: { status: 'regular' }, loan_type: 'overnight' }, t('2026-11-25T19:30:00+01:00'));
    expect(next.reasons.map((r) => r.code)).toEqual(expect.arrayContaining(['ACCOUNT_BLOCKED', 'PRIVILEGE_REVOKED']));
  });
});

describe('other questions', () => {
  it('standing: what is left of each limit', () => {
    const d = decide(p, 'standing', { patron: { ...student, loans: { long: 2 } } }, t('2026-11-23T10:00:00+01:00'));
    expect(d.values).toMatchObject({ blocked: false, limits: { students: { max: 3, used: 2, left: 1 }, 'students-overnight': { max: 1, used: 0, left: 1 } } });
  });
  it('hold pick-up: three open days, then a 7-day block', () => {
    // Ready Friday 20 Nov: Sat 21, Mon 23, Tue 24 are the three open days.
    const hold = { ready: '2026-11-20T12:00:00+01:00' };
    expect(decide(p, 'hold-pickup', { hold }, t('2026-11-20T12:00:00+01:00')).values).toMatchObject({ deadline: '2026-11-24T23:59:59+01:00', collected: false });
    const lapsed = decide(p, 'hold-pickup', { hold }, t('2026-11-25T10:00:00+01:00'));
    expect(lapsed.values).toMatchObject({ blocked_until: '2026-12-01T23:59:59+01:00' });
  });
  it('deposit: forfeited at the earlier of two reminders and two months past due', () => {
    const loan = { loan_type: 'long', due: '2026-01-10T23:59:59+01:00' };
    const byReminders = decide(p, 'deposit', { deposit: 'account', loan, reminders: ['2026-01-20T10:00:00+01:00', '2026-02-20T10:00:00+01:00'] }, t('2026-03-01T10:00:00+01:00'));
    expect(byReminders.values).toMatchObject({ forfeits_at: '2026-02-20T10:00:00+01:00', forfeited: true, forfeited_amount: 100, return_still_due: true });
    const byTime = decide(p, 'deposit', { deposit: 'account', loan, reminders: ['2026-01-20T10:00:00+01:00'] }, t('2026-03-01T10:00:00+01:00'));
    expect(byTime.values).toMatchObject({ forfeits_at: '2026-03-10T23:59:59+01:00', forfeited: false });
  });
  it('deposit refund needs everything returned and settled', () => {
    const at = t('2026-11-23T10:00:00+01:00');
    expect(decide(p, 'deposit-refund', { patron: { category: 'guest', deposit_paid: 5000 }, deposit: 'account' }, at).values).toEqual({ refund: 5000 });
    const refused = decide(p, 'deposit-refund', { patron: { category: 'guest', unpaid: 300, loans: { long: 1 } }, deposit: 'account' }, at);
    expect(refused.reasons.map((r) => r.code).sort()).toEqual(['ITEMS_OUT', 'UNPAID_DUES']);
  });
  it('lost item: the substitute and payment bounds', () => {
    const d = decide(p, 'lost-item', { item: { status: 'regular', market_price: 10000, average_price: 4000 } }, t('2026-11-23T10:00:00+01:00'));
    expect(d.values).toMatchObject({ substitute_max_price: 8000, payment_min: 10000, payment_max: 12000 });
  });
  it('payment: minimum, and overdue due dates moved except short and requested loans', () => {
    const at = t('2026-11-23T10:00:00+01:00');
    expect(decide(p, 'payment', { payment: { amount: 99, channel: 'online' } }, at).reasons.map((r) => r.code)).toEqual(['PAYMENT_BELOW_MINIMUM']);
    const d = decide(p, 'payment', {
      payment: { amount: 500, channel: 'online' },
      loans: [
        { id: 'a', loan_type: 'long', due: '2026-11-01T23:59:59+01:00' },
        { id: 'b', loan_type: 'overnight', due: '2026-11-20T09:00:00+01:00' },
        { id: 'c', loan_type: 'long', due: '2026-11-02T23:59:59+01:00', requested: true },
        { id: 'd', loan_type: 'long', due: '2026-12-02T23:59:59+01:00' },
      ],
    }, at);
    expect(d.values).toEqual({
      moved: [{ id: 'a', due: '2026-11-26T23:59:59+01:00' }],
      unchanged: [{ id: 'b', reason: 'DUE_NOT_MOVED_SHORT' }, { id: 'c', reason: 'DUE_NOT_MOVED_REQUESTED' }],
    });
  });
});

describe('the reference interpreter', () => {
  it('json-rules-engine reaches the same decision', async () => {
    const facts = { patron: { ...student, loans: { long: 3 }, overdue_items: 1 }, item: { status: 'regular' }, loan_type: 'overnight' };
    const at = t('2026-11-20T18:00:00+01:00');
    expect(await decideReference(p, 'checkout', facts, at)).toEqual(decide(p, 'checkout', facts, at));
  });
});

describe('amendments', () => {
  it('merge maps over the base, delete with null and keep the amendment header', () => {
    const amendment = {
      institution: 'demo',
      version: '2/2026',
      amends: '1/2026',
      effective_from: '2026-06-01T00:00:00+02:00',
      status: 'published',
      source: { title: 'Amending order' },
      limits: { students: { max: 5 }, guests: null },
    } as unknown as PolicyDocument;
    const { doc: merged, chain } = consolidate(amendment, (l) => (l === '1/2026' ? doc : undefined));
    expect(chain).toEqual(['1/2026', '2/2026']);
    expect(merged.limits?.students).toEqual({ ...doc.limits!.students, max: 5 });
    expect(merged.limits?.guests).toBeUndefined();
    expect(merged.version).toBe('2/2026');
    expect(merged.amends).toBeUndefined();
    expect(merged.source.title).toBe('Amending order');
  });
});

describe('amendments replace due rules whole', () => {
  it('does not leave the old kind\'s keys behind', () => {
    const amendment = {
      institution: 'demo', version: '3/2026', amends: '1/2026', effective_from: '2026-06-01T00:00:00+02:00', status: 'published', source: { title: 'x' },
      loan_types: { long: { due: { kind: 'time-of-day', time: '09:00', day: 'next-day' } } },
    } as unknown as PolicyDocument;
    const { doc: merged } = consolidate(amendment, () => doc);
    expect(merged.loan_types?.long?.due).toEqual({ kind: 'time-of-day', time: '09:00', day: 'next-day' });
    expect(merged.loan_types?.long?.renewal).toEqual(doc.loan_types!.long!.renewal);
  });
});

describe('assumptions in a decision', () => {
  it('are named once by id, each in the version’s explanation with every citation; a reason names the ones it rests on', () => {
    let named = 0;
    for (const p of loadShipped().versions) {
      const e = explanation(p);
      expect(e).toMatchObject({ institution: p.institution, version: p.version, hash: p.hash, source: p.doc.source, assumptions: p.doc.assumptions ?? {} });
      for (const c of generateLoans(p, 300, 7)) {
        const d = decide(p, c.question, c.facts as never, parseInstant(c.at));
        const ids = d.assumptions;
        expect(new Set(ids).size, `${p.institution} ${c.question}`).toBe(ids.length);
        for (const id of ids) expect(Object.keys(e.assumptions), `${p.institution} ${c.question}`).toContain(id);
        for (const cite of d.citations) expect(e.citations, `${p.institution} ${c.question}`).toContain(cite);
        expect(d).not.toHaveProperty('assumption_texts');
        const full = withTexts(d, p.doc);
        expect(Object.keys(full.assumption_texts!)).toEqual(ids);
        for (const id of ids) expect(full.assumption_texts![id], id).toEqual(p.doc.assumptions?.[id]);
        for (const r of d.reasons) {
          for (const id of r.assumptions ?? []) {
            expect(ids, `${p.institution} ${r.code}`).toContain(id);
            named++;
          }
        }
      }
    }
    expect(named).toBeGreaterThan(100);
  });
});

describe('overlaps and unreachable entries', () => {
  const variant = (change: (d: PolicyDocument) => void): PolicyDocument => {
    const d = structuredClone(doc);
    change(d);
    return d;
  };
  const found = (d: PolicyDocument) => overlaps(d).map((f) => [f.kind, f.entries]);

  it('finds none where there are none: the demo policy and every shipped version', () => {
    expect(overlaps(doc)).toEqual([]);
    // SUM's fees have no cap on purpose (its assumption fee-rate): warned of, not overlaps.
    for (const v of loadShipped().versions) expect(overlaps(v.doc).filter((f) => f.kind !== 'uncapped'), `${v.institution} ${v.version}`).toEqual([]);
  });

  it('finds a limit an overall cap makes unreachable — and removing it changes no decision', () => {
    const capped = variant((d) => {
      d.limits = { all: { categories: '*', loan_types: '*', max: 2, cite: '§ 7a' }, ...d.limits };
    });
    // students (max 3, inside the cap of 2) never decides; the tighter overnight and guest limits do.
    expect(found(capped)).toEqual([['unreachable', ['limits.students', 'limits.all']]]);
    const f = overlaps(capped)[0]!;
    expect(f.message.en).toBe('limit students (§ 7) never refuses on its own: all (§ 7a) covers every loan it covers (all categories × all loan types) with max 2 ≤ 3, so it refuses first — raising students changes nothing');
    expect(f.message.pl).toMatch(/^limit students \(§ 7\) nigdy nie rozstrzyga sam: all \(§ 7a\) obejmuje .* podniesienie students niczego nie zmienia$/);
    // The proof on decisions: without the unreachable limit, or with it raised, every outcome stays.
    const withIt = compilePolicy(capped);
    const others = [
      compilePolicy(variant((d) => { d.limits = { all: capped.limits!.all!, ...d.limits }; delete d.limits.students; })),
      compilePolicy(variant((d) => { d.limits = { all: capped.limits!.all!, ...d.limits, students: { ...d.limits!.students!, max: 12 } }; })),
    ];
    let refused = 0;
    for (const c of generateLoans(withIt, 3000, 11)) {
      const at = parseInstant(c.at);
      const outcome = decide(withIt, c.question, c.facts as never, at).outcome;
      if (outcome === 'refuse') refused++;
      for (const o of others) expect(decide(o, c.question, c.facts as never, at).outcome, JSON.stringify(c)).toBe(outcome);
    }
    expect(refused).toBeGreaterThan(100);
  });

  it('reports the later of two identical limits, and never a stricter one inside a looser', () => {
    expect(found(variant((d) => { d.limits!.again = { ...d.limits!.guests! }; }))).toEqual([['unreachable', ['limits.again', 'limits.guests']]]);
    expect(found(variant((d) => { d.limits!.loose = { categories: '*', loan_types: '*', max: 50 }; }))).toEqual([]);
    expect(found(variant((d) => { d.per_checkout = { all: { loan_types: '*', max: 3 }, long: { loan_types: ['long'], max: 5 } }; }))).toEqual([['unreachable', ['per_checkout.long', 'per_checkout.all']]]);
  });

  it('finds a fee or deposit the one written before it shadows, in part or everywhere', () => {
    const fees = variant((d) => {
      const { long, overnight } = d.fees!;
      d.fees = { long: long!, both: { ...overnight!, loan_types: ['long', 'overnight'] }, overnight: overnight! };
    });
    expect(found(fees)).toEqual([
      ['overlap', ['fees.both', 'fees.long']],
      ['unreachable', ['fees.overnight', 'fees.both']],
    ]);
    expect(overlaps(fees)[0]!.message.en).toBe('fee both (§ 10) and long both cover students × long-term; guests × long-term; visitors × long-term: there the one written first applies (long), not both');
    const deposits = variant((d) => {
      d.deposits!.again = { ...d.deposits!.account!, categories: ['guest', 'student'] };
    });
    expect(found(deposits)).toEqual([['overlap', ['deposits.again', 'deposits.account']]]);
  });

  it('finds a loan type no item status lends', () => {
    const weekend = variant((d) => {
      d.loan_types!.weekend = { ...d.loan_types!.long!, label: text('weekend'), cite: '§ 4a' };
    });
    expect(found(weekend)).toEqual([['unreachable', ['loan_types.weekend']]]);
    expect(overlaps(weekend)[0]!.message.en).toBe('loan type weekend (weekend) (§ 4a) is never lent: no item status allows it, so its limits, fees and windows never apply');
  });
});
