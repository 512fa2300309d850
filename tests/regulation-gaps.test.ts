// The last gaps of the four regulations (issue 9): what the policy cases cannot say — facts
// refused with their pointer, and the engine's side of each new policy key.
import { describe, expect, it } from 'vitest';
import { decide } from '../engine/decision/decide.ts';
import { FactsError } from '../engine/decision/input.ts';
import type { CompiledPolicy } from '../engine/policy/compiled.ts';
import type { Question } from '../engine/policy/types.ts';
import { parseInstant } from '../engine/time/index.ts';
import { loadShipped } from './fixtures/shipped.ts';

const shipped = loadShipped().versions;
const policy = (institution: string, version: string): CompiledPolicy => shipped.find((p) => p.institution === institution && p.version === version)!;
const sum = policy('sum', '139/2013');
const uwm = policy('uwm', '27/2022');
const t = (s: string) => parseInstant(s);

function problems(p: CompiledPolicy, question: Question, facts: unknown, at: string) {
  try {
    decide(p, question, facts as never, t(at));
  } catch (e) {
    if (e instanceof FactsError) return e.problems;
    throw e;
  }
  return [];
}

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
