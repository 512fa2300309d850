// Fees without a cap: what they charge grows with every started period, without end. That may be
// what the regulation means (SUM's § 9 ust. 4 names no cap, and the policy says so in an
// assumption), so it is a warning that says what a year late would cost — never an error.
import { formatMoney } from '../money/money.ts';
import { assumptionIds } from '../rules/from-policy.ts';
import type { PolicyDocument } from '../policy/types.ts';
import { durationMs, MS_PER_DAY } from '../time/index.ts';
import { both, perStarted } from '../words/index.ts';
import type { Finding } from './finding.ts';

export function uncappedFees(doc: PolicyDocument): Finding[] {
  const out: Finding[] = [];
  for (const [id, fee] of Object.entries(doc.fees ?? {})) {
    if (fee.cap !== undefined || !(fee.rate > 0)) continue;
    const period = durationMs(fee.per);
    if (!(period > 0)) continue; // the schema refuses it; nothing to add here
    const year = formatMoney(Math.ceil((365 * MS_PER_DAY) / period) * fee.rate, 'pl');
    const cite = fee.cite ? ` (${fee.cite})` : '';
    const assumed = assumptionIds(fee.assumption);
    out.push({
      kind: 'uncapped',
      entries: [`fees.${id}`],
      message: both((lang) =>
        lang === 'en'
          ? `fee ${id}${cite} has no cap: ${formatMoney(fee.rate, 'pl')} ${perStarted(fee.per, lang)} without end (a year late: ${year}). ${assumed.length ? `It rests on the assumption${assumed.length === 1 ? '' : 's'} ${assumed.join(', ')}: if the regulation sets no cap, this is as meant.` : 'Give it cap: when the regulation sets one.'}`
          : `opłata ${id}${cite} nie ma górnej granicy: ${formatMoney(fee.rate, 'pl')} ${perStarted(fee.per, lang)} bez końca (rok zwłoki: ${year}). ${assumed.length ? `Opiera się na ${assumed.length === 1 ? 'założeniu' : 'założeniach'} ${assumed.join(', ')}: jeśli regulamin nie przewiduje granicy, tak ma być.` : 'Dodaj cap:, jeśli regulamin ją określa.'}`,
      ),
    });
  }
  return out;
}
