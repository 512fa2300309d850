// Reminders sent about a loan, as a circulation system reports them: a bare instant (how it was
// sent not said) or {sent, channel}. A policy that counts or charges only some channels cannot
// read a reminder without its channel: it is refused with the reason, never counted or left out
// at a guess.
import type { ReminderChannel } from '../policy/types.ts';
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
