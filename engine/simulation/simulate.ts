// What would change if the candidate version replaced the baseline: every case is decided under
// both (fast path), the differences are told in words and the effects summed up.
import { decide } from '../decision/decide.ts';
import { FactsError } from '../decision/input.ts';
import type { Decision } from '../decision/types.ts';
import type { CompiledPolicy } from '../version/compiled.ts';
import { formatMoney } from '../money/money.ts';
import type { Question, Text } from '../policy/types.ts';
import { parseInstant, parseSupportedInstant } from '../time/index.ts';
import { plPlural, type Lang } from '../words/index.ts';
import type { CaseSummary, SimulationDifference, SimulationError, SimulationResult as Answer, Totals } from '../../contract/types/api.ts';

export interface SimulationCase {
  id?: string;
  question: Question;
  /** ISO-8601 instant with offset. */
  at: string;
  facts: object;
}

// What a comparison answers is the API's (contract/api/simulations.ts): the engine's result is
// that body but for the counts the service adds when it lists only the first differences.
export type { CaseSummary, DeltaTotals, SimulationDifference, SimulationError, Totals } from '../../contract/types/api.ts';
export type SimulationResult = Omit<Answer, 'differences_total' | 'errors_total'>;

/** Progress is reported after every this many cases (and once at the end). */
export const PROGRESS_EVERY = 1000;

const emptyTotals = (): Totals => ({ refusals: 0, fees: 0, blocks: 0, deposits_forfeited: 0 });

function num(v: unknown): number | undefined {
  return typeof v === 'number' ? v : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function summarize(d: Decision): CaseSummary {
  const codes: string[] = [];
  for (const r of d.reasons) if (r.kind !== 'note') codes.push(r.code);
  if (codes.length > 1) codes.sort();
  const v = d.values;
  const s: CaseSummary = { outcome: d.outcome, codes };
  const due = str(v.due);
  if (due !== undefined) s.due = due;
  const fee = num(v.fee);
  if (fee !== undefined) s.fee = fee;
  const blocked = str(v.blocked_until);
  if (blocked !== undefined) s.blocked_until = blocked;
  const forfeited = num(v.forfeited_amount);
  if (forfeited !== undefined) s.forfeited_amount = forfeited;
  const refund = num(v.refund);
  if (refund !== undefined) s.refund = refund;
  return s;
}

function sameCodes(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function sameSummary(a: CaseSummary, b: CaseSummary): boolean {
  return (
    a.outcome === b.outcome &&
    a.due === b.due &&
    a.fee === b.fee &&
    a.blocked_until === b.blocked_until &&
    a.forfeited_amount === b.forfeited_amount &&
    a.refund === b.refund &&
    sameCodes(a.codes, b.codes)
  );
}

function add(t: Totals, s: CaseSummary) {
  if (s.outcome === 'refuse') t.refusals++;
  if (s.fee !== undefined) t.fees += s.fee;
  if (s.blocked_until !== undefined) t.blocks++;
  if (s.forfeited_amount !== undefined) t.deposits_forfeited += s.forfeited_amount;
}

const OUTCOME_WORD: Record<Decision['outcome'], Text> = { allow: { en: 'allowed', pl: 'dozwolone' }, refuse: { en: 'refused', pl: 'odmowa' }, info: { en: 'info', pl: 'informacja' } };

/** The words of a change, by language. */
const W = {
  en: { gone: (c: string) => `${c} gone`, added: (c: string) => `${c} new`, reasons: 'reasons', due: 'due', none: 'none', fee: 'fee', noBlock: 'no block', blockedUntil: 'blocked until', forfeited: 'deposit forfeited', refund: 'refund' },
  pl: { gone: (c: string) => `znika ${c}`, added: (c: string) => `nowy ${c}`, reasons: 'powody', due: 'termin zwrotu', none: 'brak', fee: 'opłata', noBlock: 'bez blokady', blockedUntil: 'blokada do', forfeited: 'przepadek kaucji', refund: 'zwrot kaucji' },
} as const satisfies Record<Lang, unknown>;

/** Codes in `a` and not in `b`, counting repeats. */
function minus(a: string[], b: string[]): string[] {
  const left = [...b];
  const out: string[] = [];
  for (const c of a) {
    const i = left.indexOf(c);
    if (i >= 0) left.splice(i, 1);
    else out.push(c);
  }
  return out;
}

/** A signed span in days, hours, minutes and seconds: "+7 days", "−1 h 30 min", "+1 day 2 h" ("+7 dni" in Polish). */
export function describeShift(ms: number, lang: Lang = 'en'): string {
  const sign = ms < 0 ? '−' : '+';
  let rest = Math.round(Math.abs(ms) / 1000);
  const days = Math.floor(rest / 86400);
  rest -= days * 86400;
  const hours = Math.floor(rest / 3600);
  rest -= hours * 3600;
  const minutes = Math.floor(rest / 60);
  const seconds = rest - minutes * 60;
  const parts: string[] = [];
  if (days) parts.push(`${days} ${lang === 'en' ? (days === 1 ? 'day' : 'days') : plPlural(days, 'dzień', 'dni', 'dni')}`);
  if (hours) parts.push(`${hours} h`);
  if (minutes) parts.push(`${minutes} min`);
  if (seconds) parts.push(`${seconds} s`);
  return parts.length ? sign + parts.join(' ') : '±0';
}

/** The differences between two summaries in words, in English and Polish. */
export function describeChanges(a: CaseSummary, b: CaseSummary): Text[] {
  const gone = minus(a.codes, b.codes);
  const added = minus(b.codes, a.codes);
  const lines = (lang: Lang): string[] => {
    const w = W[lang];
    const money = (v: number | undefined) => (v === undefined ? w.none : formatMoney(v, 'pl'));
    const out: string[] = [];
    if (a.outcome !== b.outcome) {
      const codes = [...gone.map(w.gone), ...added];
      out.push(`${OUTCOME_WORD[a.outcome][lang]} → ${OUTCOME_WORD[b.outcome][lang]}${codes.length ? ` (${codes.join(', ')})` : ''}`);
    } else if (gone.length || added.length) {
      out.push(`${w.reasons}: ${[...gone.map(w.gone), ...added.map(w.added)].join(', ')}`);
    }
    if (a.due !== b.due) {
      let line = `${w.due} ${a.due ?? w.none} → ${b.due ?? w.none}`;
      if (a.due !== undefined && b.due !== undefined) line += ` (${describeShift(parseInstant(b.due) - parseInstant(a.due), lang)})`;
      out.push(line);
    }
    if (a.fee !== b.fee) out.push(`${w.fee} ${money(a.fee)} → ${money(b.fee)}`);
    if (a.blocked_until !== b.blocked_until) {
      const block = (until: string | undefined) => (until === undefined ? w.noBlock : `${w.blockedUntil} ${until}`);
      out.push(a.blocked_until !== undefined && b.blocked_until !== undefined ? `${block(a.blocked_until)} → ${b.blocked_until}` : `${block(a.blocked_until)} → ${block(b.blocked_until)}`);
    }
    if (a.forfeited_amount !== b.forfeited_amount) out.push(`${w.forfeited} ${money(a.forfeited_amount)} → ${money(b.forfeited_amount)}`);
    if (a.refund !== b.refund) out.push(`${w.refund} ${money(a.refund)} → ${money(b.refund)}`);
    return out;
  };
  const en = lines('en');
  const pl = lines('pl');
  return en.map((line, i) => ({ en: line, pl: pl[i]! }));
}

function message(e: unknown): string {
  if (e instanceof FactsError) return e.message;
  if (e instanceof Error) return e.name === 'Error' ? e.message : `${e.name}: ${e.message}`;
  return String(e);
}

type Outcome = { ok: true; summary: CaseSummary } | { ok: false; message: string };

function run(p: CompiledPolicy, question: Question, facts: object, at: number): Outcome {
  try {
    return { ok: true, summary: summarize(decide(p, question, facts as never, at)) };
  } catch (e) {
    return { ok: false, message: message(e) };
  }
}

/**
 * What a comparison counts, as plain data: the tallies of parts of one run (chunks decided apart,
 * on any instance) add up with addTally to the tally of the whole.
 */
export interface Tally {
  cases: number;
  differing: number;
  undecided: number;
  baseline: Totals;
  candidate: Totals;
  /** Candidate due − baseline due, in seconds (exact: instants are whole seconds), over the cases allowed under both. */
  due_shift_s: number;
  due_shifted: number;
}

export function emptyTally(): Tally {
  return { cases: 0, differing: 0, undecided: 0, baseline: emptyTotals(), candidate: emptyTotals(), due_shift_s: 0, due_shifted: 0 };
}

function addTotals(into: Totals, t: Totals): void {
  into.refusals += t.refusals;
  into.fees += t.fees;
  into.blocks += t.blocks;
  into.deposits_forfeited += t.deposits_forfeited;
}

/** Adds `t` into `into` (and returns it). */
export function addTally(into: Tally, t: Tally): Tally {
  into.cases += t.cases;
  into.differing += t.differing;
  into.undecided += t.undecided;
  addTotals(into.baseline, t.baseline);
  addTotals(into.candidate, t.candidate);
  into.due_shift_s += t.due_shift_s;
  into.due_shifted += t.due_shifted;
  return into;
}

/** One case as compared: decided alike, decided differently (both summaries), or not decided by either. */
export type Compared = { kind: 'same' } | { kind: 'difference'; baseline: CaseSummary; candidate: CaseSummary } | { kind: 'error'; message: string };

const SAME: Compared = { kind: 'same' };

/** Decides cases under both versions one at a time, counting as it goes; holds no case. */
export class Comparison {
  readonly tally: Tally = emptyTally();
  readonly #baseline: CompiledPolicy;
  readonly #candidate: CompiledPolicy;

  constructor(baseline: CompiledPolicy, candidate: CompiledPolicy) {
    this.#baseline = baseline;
    this.#candidate = candidate;
  }

  /** A case either version cannot decide (bad facts, a question the policy does not answer) counts in no total. */
  compare(c: SimulationCase): Compared {
    const t = this.tally;
    t.cases++;
    let at: number;
    try {
      at = parseSupportedInstant(c.at);
    } catch (e) {
      t.undecided++;
      return { kind: 'error', message: new FactsError('/at', (e as Error).message).message };
    }
    const a = run(this.#baseline, c.question, c.facts, at);
    const b = run(this.#candidate, c.question, c.facts, at);
    if (!a.ok || !b.ok) {
      t.undecided++;
      const msg =
        !a.ok && !b.ok ? (a.message === b.message ? a.message : `baseline: ${a.message}; candidate: ${b.message}`) : !a.ok ? `baseline: ${a.message}` : `candidate: ${(b as { message: string }).message}`;
      return { kind: 'error', message: msg };
    }
    const sa = a.summary;
    const sb = b.summary;
    add(t.baseline, sa);
    add(t.candidate, sb);
    if (sa.outcome === 'allow' && sb.outcome === 'allow' && sa.due !== undefined && sb.due !== undefined && sa.due !== sb.due) {
      t.due_shift_s += Math.round((parseInstant(sb.due) - parseInstant(sa.due)) / 1000);
      t.due_shifted++;
    }
    if (sameSummary(sa, sb)) return SAME;
    t.differing++;
    return { kind: 'difference', baseline: sa, candidate: sb };
  }
}

/** The answer's counts and totals from a run's tally (the listed cases added by the caller). */
export function totalsOf(t: Tally): Omit<SimulationResult, 'differences' | 'errors'> {
  const { baseline: tb, candidate: tc } = t;
  return {
    cases: t.cases,
    differing: t.differing,
    undecided: t.undecided,
    totals: {
      baseline: { ...tb },
      candidate: { ...tc },
      delta: {
        refusals: tc.refusals - tb.refusals,
        fees: tc.fees - tb.fees,
        blocks: tc.blocks - tb.blocks,
        deposits_forfeited: tc.deposits_forfeited - tb.deposits_forfeited,
        due_shift_minutes: Math.round(t.due_shift_s / 60),
        due_shifted: t.due_shifted,
      },
    },
  };
}

/** A differing case as the answer lists it: both summaries and the changes in words. */
export function difference(id: string, question: Question, baseline: CaseSummary, candidate: CaseSummary): SimulationDifference {
  return { id, question, baseline, candidate, changes: describeChanges(baseline, candidate) };
}

/** Decides every case under both versions (see Comparison) and lists what differs and what could not be decided. */
export function simulate(
  baseline: CompiledPolicy,
  candidate: CompiledPolicy,
  cases: Iterable<SimulationCase>,
  onProgress?: (done: number, total: number) => void,
  /** List at most this many differences and errors (the counts and totals stay whole). */
  listed = Infinity,
): SimulationResult {
  const total = Array.isArray(cases) ? cases.length : NaN;
  const comparison = new Comparison(baseline, candidate);
  const differences: SimulationDifference[] = [];
  const errors: SimulationError[] = [];
  let i = 0;
  for (const c of cases) {
    const id = c.id ?? String(i + 1);
    const r = comparison.compare(c);
    if (r.kind === 'difference') {
      if (differences.length < listed) differences.push(difference(id, c.question, r.baseline, r.candidate));
    } else if (r.kind === 'error' && errors.length < listed) errors.push({ id, message: r.message });
    i++;
    if (onProgress && i % PROGRESS_EVERY === 0) onProgress(i, Number.isNaN(total) ? i : total);
  }
  if (onProgress && i % PROGRESS_EVERY !== 0) onProgress(i, i);
  return { ...totalsOf(comparison.tally), differences, errors };
}
