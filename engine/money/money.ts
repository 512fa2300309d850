// Money is integer grosze everywhere in the engine; policies may write it the way the
// regulation does ("20 zł", "0,20 zł", "1 000,50 zł"). Integer arithmetic only, so no
// amount is ever off by a floating-point grosz.
import { quote } from '../errors/quote.ts';

/**
 * A written amount: złote (digits, optionally grouped by spaces in threes), an optional
 * ',' or '.' with one or two digits of grosze, then "zł". policy.schema.json's Money
 * pattern is this same expression (a test keeps the two equal).
 * Spaces may be ordinary, no-break (U+00A0) or narrow no-break (U+202F), as Polish text has them.
 */
export const MONEY_PATTERN = /^(\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(?:[,.](\d{1,2}))?[ \u00a0\u202f]?zł$/;

/**
 * The most an amount in a policy may be, grosze (1 000 000 zł; policy.schema.json's Money says
 * the same): a fee's rate times the started minutes of a century then stays a safe integer.
 */
export const MONEY_MAX = 100_000_000;

/** Grosze from an integer (passed through) or a written amount such as "0,20 zł". */
export function parseMoney(v: number | string): number {
  if (typeof v === 'number') {
    if (Number.isSafeInteger(v) && v >= 0) return v;
    throw new Error(`${v} is not an amount: give whole grosze (2000 = 20,00 zł) or a string such as "20 zł"`);
  }
  const m = typeof v === 'string' ? MONEY_PATTERN.exec(v.trim()) : null;
  if (!m) {
    throw new Error(`${quote(v)} is not an amount: give whole grosze (2000) or złote such as "20 zł", "0,20 zł", "1 000,50 zł"`);
  }
  const zloty = Number((m[1] as string).replace(/\D/g, ''));
  const fraction = m[2] ?? '';
  // "0,2 zł" is twenty grosze, as on a price tag.
  const grosze = fraction === '' ? 0 : fraction.length === 1 ? Number(fraction) * 10 : Number(fraction);
  const total = zloty * 100 + grosze;
  if (!(total <= MONEY_MAX)) throw new Error(`${quote(v)} is more than ${formatMoney(MONEY_MAX, 'pl')}, the most an amount in a policy may be`);
  return total;
}

/** Thousands grouped by `sep`: 1000000 → "1 000 000". */
function group(n: number, sep: string): string {
  return String(n).replace(/\B(?=(\d{3})+$)/g, sep);
}

/** "20,00 zł" (pl) or "PLN 20.00" (en); negative amounts get a leading minus. */
export function formatMoney(grosze: number, locale: 'pl' | 'en'): string {
  if (!Number.isSafeInteger(grosze)) throw new Error(`${grosze} is not a whole number of grosze`);
  const sign = grosze < 0 ? '-' : '';
  const abs = Math.abs(grosze);
  const zloty = Math.floor(abs / 100);
  const cents = String(abs % 100).padStart(2, '0');
  return locale === 'pl' ? `${sign}${group(zloty, ' ')},${cents} zł` : `${sign}PLN ${group(zloty, ',')}.${cents}`;
}
