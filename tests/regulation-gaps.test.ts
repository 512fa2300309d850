// The last gaps of the four regulations (issue 9): what the policy cases cannot say — facts
// refused with their pointer, and the engine's side of each new policy key.
import { describe, expect, it } from 'vitest';
import { buildOpenApi } from '../api/openapi.ts';
import { overlaps } from '../engine/analysis/index.ts';
import { decide } from '../engine/decision/index.ts';
import { diffPolicies } from '../engine/diff/index.ts';
import { compilePolicy, type CompiledPolicy } from '../engine/version/index.ts';
import { checkReferences, validatePolicy, type Question } from '../engine/policy/index.ts';
import { parseInstant } from '../engine/time/index.ts';
import { factProblems } from './fixtures/facts.ts';
import { loadShipped } from './fixtures/shipped.ts';

const shipped = loadShipped().versions;
const policy = (institution: string, version: string): CompiledPolicy => shipped.find((p) => p.institution === institution && p.version === version)!;
const sum = policy('sum', '139/2013');
const uwm = policy('uwm', '27/2022');
const t = (s: string) => parseInstant(s);

const problems = (p: CompiledPolicy, question: Question, facts: unknown, at: string) => factProblems(p, question, facts, t(at));

describe('reminders carry their channel (SUM § 17 ust. 6: only registered letters count)', () => {
  const loan = { loan_type: 'deposit', due: '2026-11-23T23:59:59+01:00' };

  it('refuses a reminder without its channel where only some channels count, naming each one', () => {
    const facts = { deposit: 'copy', amount: 8000, loan, reminders: ['2026-12-01T10:00:00+01:00', { sent: '2026-12-05T10:00:00+01:00', channel: 'email' }, '2026-12-15T10:00:00+01:00'] };
    expect(problems(sum, 'deposit', facts, '2026-12-20T10:00:00+01:00')).toEqual([0, 2].map((i) => ({
      pointer: `/reminders/${i}`,
      message: 'the channel is needed: § 17 ust. 6, § 17 ust. 8 counts only reminders sent by registered-letter — send {"sent": <instant>, "channel": "email" | "letter" | "registered-letter"}',
    })));
  });

  it('refuses an unknown channel and a reminder of the wrong shape, by pointer', () => {
    const facts = { deposit: 'copy', loan, reminders: [{ sent: '2026-12-01T10:00:00+01:00', channel: 'fax' }, { sent: '2026-12-02T10:00:00+01:00' }, 5] };
    expect(problems(sum, 'deposit', facts, '2026-12-20T10:00:00+01:00')).toEqual([
      { pointer: '/reminders/0/channel', message: 'unknown channel "fax" — expected one of email, letter, registered-letter' },
      { pointer: '/reminders/1', message: 'missing required key "channel"' },
      { pointer: '/reminders/2', message: 'must be an instant, or {"sent": <instant>, "channel": "email" | "letter" | "registered-letter"} (got 5)' },
    ]);
  });

  it('still takes bare instants where every reminder counts (UWM § 10 ust. 12)', () => {
    const facts = { deposit: 'deposit', amount: 10000, loan: { loan_type: 'thirty-day', due: '2022-04-30T23:59:59+02:00' }, reminders: ['2022-05-10T10:00:00+02:00'] };
    const d = decide(uwm, 'deposit', facts as never, t('2022-11-10T10:00:00+01:00'));
    expect(d.values).toMatchObject({ forfeits_at: '2022-11-10T10:00:00+01:00', forfeited: true });
    const withChannel = { ...facts, reminders: [{ sent: '2022-05-10T10:00:00+02:00', channel: 'letter' }] };
    expect(decide(uwm, 'deposit', withChannel as never, t('2022-11-10T10:00:00+01:00')).values).toEqual(d.values);
  });
});

describe('the price list (charges): reminder postage (SUM § 9 ust. 4) and a duplicate card (UMK)', () => {
  const loan = { loan_type: 'long-term', due: '2026-11-23T23:59:59+01:00' };

  it('refuses a reminder without its channel where postage depends on it', () => {
    expect(problems(sum, 'return', { loan, reminders: [{ sent: '2026-12-01T10:00:00+01:00', channel: 'letter' }, '2026-12-02T10:00:00+01:00'] }, '2026-12-20T10:00:00+01:00')).toEqual([
      { pointer: '/reminders/1', message: 'the channel is needed: § 9 ust. 4, § 3 ust. 3 charges the postage of each reminder by how it was sent — send {"sent": <instant>, "channel": "email" | "letter" | "registered-letter"}' },
    ]);
  });

  it('charges no postage where the policy prices none, and takes bare instants there', () => {
    const pb = policy('pb', '2008');
    const d = decide(pb, 'return', { loan: { loan_type: 'seven-day', due: '2026-12-01T23:59:59+01:00' }, reminders: ['2026-12-03T10:00:00+01:00'] }, t('2026-12-04T10:00:00+01:00'));
    expect(d.values).toMatchObject({ fee: 3000, postage: 0, charges: [], total: 3000 });
    expect(d.reasons.map((r) => r.code)).not.toContain('TOTAL_CHARGED');
  });

  it('answers a charge by id, times a count; an unknown id by pointer', () => {
    const umk = policy('umk', '2022');
    const d = decide(umk, 'charge', { charge: 'card-duplicate', count: 2 }, t('2026-11-23T10:00:00+01:00'));
    expect(d.values).toEqual({ charge: 'card-duplicate', amount: 1000, count: 2, total: 2000 });
    expect(d.reasons.map((r) => [r.code, r.message.pl, r.cite])).toEqual([['CHARGES', expect.stringMatching(/^duplikat Karty Absolwenta UMK .*: 2 × 10,00 zł = 20,00 zł\.$/), 'Karta biblioteczna']]);
    expect(problems(umk, 'charge', { charge: 'card' }, '2026-11-23T10:00:00+01:00')).toEqual([{ pointer: '/charge', message: 'unknown charge "card" — this policy has card-duplicate' }]);
    expect(problems(umk, 'charge', { charge: 'card-duplicate', count: 0 }, '2026-11-23T10:00:00+01:00')).toEqual([{ pointer: '/count', message: 'must be a whole number from 1 to 1 000 000 (got 0)' }]);
  });

  it('refuses two charges for the postage of one channel, at the second', () => {
    const doc = structuredClone(sum.doc);
    doc.charges!['reminder-letter-again'] = { label: { en: 'again', pl: 'znowu' }, amount: 700, per_reminder: 'letter' };
    expect(checkReferences(doc, 'x.yaml').map((e) => [e.pointer, e.message])).toEqual([
      ['/charges/reminder-letter-again/per_reminder', 'charges.reminder-letter-again.per_reminder: the postage of a reminder by letter is already charges.reminder-letter — one charge per channel'],
    ]);
  });

  it('is a question of the API, its facts spelt out in the OpenAPI document', () => {
    const api = buildOpenApi() as { paths: Record<string, unknown>; components: { schemas: Record<string, { properties?: Record<string, unknown> }> } };
    expect(api.paths['/api/v1/decisions/charge']).toBeDefined();
    expect(Object.keys(api.components.schemas.FactsCharge!.properties!)).toEqual(['charge', 'count']);
    expect(api.components.schemas.FactsReturn!.properties!.reminders).toEqual(expect.objectContaining({ items: { $ref: '#/components/schemas/FactsReminder' } }));
  });
});

describe('the price list in diffs', () => {
  it('says a changed price in words', () => {
    const umk = policy('umk', '2022');
    const next = structuredClone(umk.doc);
    next.charges!['card-duplicate']!.amount = 1500;
    expect(diffPolicies(umk.doc, next).map((c) => c.text.en)).toEqual([expect.stringMatching(/^Duplicate of the Graduate Card .*: price 10,00 zł → 15,00 zł$/)]);
  });
});

describe('hold pick-up in calendar days (SUM § 6 ust. 5: 1- and 2-day copies "na 1 dzień")', () => {
  it('counts the day after the hold is ready, open or not; the 7 working days stay open days', () => {
    const ready = '2026-11-27T10:00:00+01:00'; // a Friday
    const deadline = (loan_type: string) => decide(sum, 'hold-pickup', { hold: { ready, loan_type } }, t(ready)).values.deadline;
    expect(deadline('two-day')).toBe('2026-11-28T23:59:59+01:00');
    expect(deadline('long-term')).toBe('2026-12-08T23:59:59+01:00');
  });

  it('takes calendar days for all holds too, and refuses both forms at once', () => {
    const doc = structuredClone(sum.doc);
    doc.holds = { ...doc.holds!, pickup_days: 3 };
    delete doc.holds.pickup_open_days;
    const p = compilePolicy(doc);
    expect(decide(p, 'hold-pickup', { hold: { ready: '2026-11-27T10:00:00+01:00' } }, t('2026-11-27T10:00:00+01:00')).values.deadline).toBe('2026-11-30T23:59:59+01:00');
    expect(diffPolicies(sum.doc, doc).map((c) => c.text.en)).toEqual(['Holds: pick up within 7 open days → 3 days']);
    const both = structuredClone(doc);
    both.loan_types!['one-day']!.hold_pickup_open_days = 1;
    both.holds!.pickup_open_days = 7;
    expect(validatePolicy(both, 'x.yaml').map((e) => [e.pointer, e.message])).toEqual([
      ['/loan_types/one-day', 'loan_types.one-day must give hold_pickup_open_days or hold_pickup_days, not both'],
      ['/holds', 'holds must give pickup_open_days or pickup_days, not both'],
    ]);
  });
});

describe('deposits per account (UMK: Toruń and the Medical Library in Bydgoszcz)', () => {
  const umk = () => policy('umk', '2022');
  const at = '2026-11-23T10:00:00+01:00';
  const checkout = (patron: object, unit?: string) => ({ patron: { category: 'graduates', ...patron }, item: { status: 'regular' }, ...(unit ? { unit } : {}) });

  it('refuses deposit_paid where a category holds several deposits: it cannot say which', () => {
    expect(problems(umk(), 'checkout', checkout({ deposit_paid: 5000 }, 'bydgoszcz-medical'), at)).toEqual([
      { pointer: '/patron/deposit_paid', message: 'graduates may hold 2 deposits (torun, bydgoszcz-medical), each opening loans at its own units: say which holds what with patron.deposits, e.g. {"torun": 5000}' },
    ]);
    expect(problems(umk(), 'deposit-refund', { patron: { category: 'graduates', deposit_paid: 5000 }, deposit: 'torun' }, at)).toHaveLength(1);
    expect(problems(umk(), 'checkout', checkout({ deposits: { cm: 5000 } }), at)).toEqual([{ pointer: '/patron/deposits/cm', message: 'unknown deposit "cm" — this policy has torun, bydgoszcz-medical' }]);
  });

  it('names the deposit of the lending unit in the refusal', () => {
    const d = decide(umk(), 'checkout', checkout({ deposits: { torun: 5000 } }, 'bydgoszcz-medical') as never, t(at), { trace: true });
    expect(d.reasons.map((r) => [r.code, r.message.en])).toEqual([['DEPOSIT_REQUIRED', expect.stringContaining('Medical Library CM UMK in Bydgoszcz')]]);
    expect(d.trace).toEqual(['category:graduates:deposit:bydgoszcz-medical']);
  });

  it('keeps deposit_paid for a category with one deposit (SUM, PB)', () => {
    const d = decide(policy('pb', '2008'), 'checkout', { patron: { category: 'external', deposit_paid: 10000 }, item: { status: 'regular' } }, t(at));
    expect(d.outcome).toBe('allow');
    expect(decide(policy('pb', '2008'), 'checkout', { patron: { category: 'external', deposits: { external: 9999 } }, item: { status: 'regular' } }, t(at)).reasons.map((r) => r.code)).toEqual(['DEPOSIT_REQUIRED']);
  });

  it('refuses a deposit naming a unit the policy does not have', () => {
    const doc = structuredClone(umk().doc);
    doc.deposits!.torun!.units = ['torun', 'torn'];
    expect(checkReferences(doc, 'x.yaml').map((e) => e.message)).toEqual(['deposits.torun.units: unknown library unit "torn" — did you mean torun? (calendars has torun, bydgoszcz-medical)']);
  });

  it('says where two deposits cover the same unit', () => {
    const doc = structuredClone(umk().doc);
    doc.deposits!['bydgoszcz-medical']!.units = ['bydgoszcz-medical', 'torun'];
    expect(overlaps(doc).map((f) => [f.kind, f.entries])).toEqual([['overlap', ['deposits.bydgoszcz-medical', 'deposits.torun']]]);
  });
});

describe('what these decisions read (the publish checklist)', () => {
  it('names the reminder charges, the lending unit’s deposit and the unit a self-check is refused at', () => {
    const entries = (p: CompiledPolicy, q: Question, facts: object, at: string) => decide(p, q, facts as never, t(at), { entries: true }).entries!;
    const ret = entries(sum, 'return', { loan: { loan_type: 'long-term', due: '2026-11-23T23:59:59+01:00' }, reminders: [{ sent: '2026-12-01T10:00:00+01:00', channel: 'registered-letter' }] }, '2026-12-20T10:00:00+01:00');
    expect(ret).toContain('charges.reminder-registered-letter');
    expect(ret).not.toContain('charges.reminder-letter');
    const umk = policy('umk', '2022');
    const out = entries(umk, 'checkout', { patron: { category: 'graduates', deposits: { torun: 5000 } }, item: { status: 'regular' }, unit: 'bydgoszcz-medical' }, '2026-11-23T10:00:00+01:00');
    expect(out).toContain('deposits.bydgoszcz-medical');
    expect(out).not.toContain('deposits.torun');
    const pb = policy('pb', '2008');
    expect(entries(pb, 'checkout', { patron: { category: 'students' }, item: { status: 'regular' }, unit: 'faculty-libraries', self_check: true }, '2026-11-23T10:00:00+01:00')).toContain('calendars.faculty-libraries');
    expect(entries(umk, 'charge', { charge: 'card-duplicate' }, '2026-11-23T10:00:00+01:00')).toEqual(['charges.card-duplicate']);
  });
});
