// Reminders sent about a loan, as a circulation system reports them: a bare instant (how it was
// sent not said) or {sent, channel}. A policy that counts or charges only some channels cannot
// read a reminder without its channel: it is refused with the reason, never counted or left out
// at a guess.
import type { Charge, Cited, Id, PolicyDocument, ReminderChannel } from '../policy/types.ts';
import { assumptionIds } from '../rules/from-policy.ts';
import { FactsError, instant, type FactProblem } from './input.ts';
import type { ReminderFacts } from './types.ts';

export interface Reminder {
  sent: number;
  channel?: ReminderChannel;
}

/**
 * The reminders in the order they were sent. `channelNeeded` says why this policy must know how
 * each one was sent; every reminder without its channel is then reported, with its pointer.
 */
export function readReminders(list: ReminderFacts[] | undefined, pointer: string, channelNeeded?: string): Reminder[] {
  const missing: FactProblem[] = [];
  const out = (list ?? []).map((r, i): Reminder => {
    if (typeof r !== 'string') return { sent: instant(r.sent, `${pointer}/${i}/sent`), channel: r.channel };
    if (channelNeeded) missing.push({ pointer: `${pointer}/${i}`, message: `the channel is needed: ${channelNeeded} — send {"sent": <instant>, "channel": "email" | "letter" | "registered-letter"}` });
    return { sent: instant(r, `${pointer}/${i}`) };
  });
  if (missing.length) throw new FactsError(missing);
  return out.sort((a, b) => a.sent - b.sent);
}

type Priced = Pick<PolicyDocument, 'charges'>;

/** The price list's reminder postage, by channel (one charge per channel: the policy check says so). */
function postageCharges(doc: Priced): Array<[Id, Charge]> {
  return Object.entries(doc.charges ?? {}).filter(([, c]) => c.per_reminder !== undefined);
}

/** Why the policy must know how each reminder was sent to price it; undefined when it charges none. */
export function postageNeedsChannel(doc: Priced): string | undefined {
  const priced = postageCharges(doc);
  if (!priced.length) return undefined;
  const cites = [...new Set(priced.map(([, c]) => c.cite ?? 'the price list'))].join('; ');
  return `${cites} charges the postage of each reminder by how it was sent`;
}

export interface Postage {
  /** Grosze, all reminders together. */
  total: number;
  /** Per charge of the price list: how many reminders, and what they cost together. */
  charges: Array<{ charge: Id; count: number; amount: number }>;
  /** The charges used, in the order of `charges`. */
  used: Charge[];
  /** Their citations and assumptions together. */
  cited: Cited;
}

/** The postage of `reminders` charged to the reader; channels the price list does not name cost nothing. */
export function reminderPostage(doc: Priced, reminders: Reminder[]): Postage {
  const out: Postage = { total: 0, charges: [], used: [], cited: {} };
  for (const [id, c] of postageCharges(doc)) {
    const count = reminders.filter((r) => r.channel === c.per_reminder).length;
    if (!count) continue;
    out.charges.push({ charge: id, count, amount: count * c.amount });
    out.used.push(c);
    out.total += count * c.amount;
  }
  const cites = [...new Set(out.used.flatMap((c) => (c.cite ? [c.cite] : [])))];
  const assumed = [...new Set(out.used.flatMap((c) => assumptionIds(c.assumption)))];
  out.cited = { ...(cites.length ? { cite: cites.join(', ') } : {}), ...(assumed.length ? { assumption: assumed } : {}) };
  return out;
}
