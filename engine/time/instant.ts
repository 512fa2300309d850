// ISO-8601 instants in and out. Input must carry its offset; output is Warsaw local time.
import { daysFromCivil, daysInMonth, MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE } from './civil.ts';
import { toLocal } from './local.ts';
import { warsawOffsetMinutes } from './offset.ts';
import { isSupportedYear, SUPPORTED_YEARS } from '../../contract/range.ts';
import { quote } from '../errors/quote.ts';

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?([Zz]|[+-]\d{2}:?\d{2})?$/;

/**
 * Epoch ms of an instant given as input: parseInstant's, and its year (as written) one of the
 * supported years (range.ts).
 */
export function parseSupportedInstant(s: string): number {
  const ms = parseInstant(s);
  if (!isSupportedYear(Number(s.trim().slice(0, 4)))) throw new RangeError(`${quote(s)} is outside the supported years ${SUPPORTED_YEARS}`);
  return ms;
}

/**
 * Epoch ms of an ISO-8601 instant with an explicit offset or Z, e.g. '2026-03-29T01:30:00+01:00'
 * (seconds and fraction optional). A local time without offset is refused: around the
 * autumn change it names two instants, and elsewhere it would silently depend on a zone.
 */
export function parseInstant(s: string): number {
  const m = typeof s === 'string' ? INSTANT.exec(s.trim()) : null;
  if (!m) {
    if (typeof s === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(s.trim())) {
      throw new Error(`${quote(s)} is a date, not an instant; give a time and offset, e.g. ${s.trim()}T00:00:00+01:00`);
    }
    throw new Error(
      `${quote(s)} is not an ISO-8601 instant (expected e.g. 2026-03-29T01:30:00+01:00 or …Z)`,
    );
  }
  const [, ys, mos, ds, hs, mins, ss, frac, zone] = m;
  if (zone === undefined) {
    throw new Error(
      `${quote(s)} has no UTC offset, so the instant is ambiguous; add Z or an offset such as +01:00`,
    );
  }
  const year = Number(ys);
  const month = Number(mos);
  const day = Number(ds);
  const hour = Number(hs);
  const minute = Number(mins);
  const second = ss === undefined ? 0 : Number(ss);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) throw new Error(`${quote(s)} is not a valid date and time`);
  if (day > daysInMonth(year, month)) throw new Error(`${quote(s)} is not a date that exists: ${ys}-${mos} has ${daysInMonth(year, month)} days`);
  let offsetMin = 0;
  if (zone !== 'Z' && zone !== 'z') {
    const digits = zone.replace(':', '');
    const oh = Number(digits.slice(1, 3));
    const om = Number(digits.slice(3, 5));
    if (oh > 23 || om > 59) throw new Error(`${quote(s)} has an invalid UTC offset ${zone}`);
    offsetMin = (zone[0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  // Only milliseconds are kept; further fraction digits are truncated.
  const ms = frac === undefined ? 0 : Number(frac.slice(0, 3).padEnd(3, '0'));
  return (
    daysFromCivil(year, month, day) * MS_PER_DAY +
    hour * MS_PER_HOUR +
    minute * MS_PER_MINUTE +
    second * 1000 +
    ms -
    offsetMin * MS_PER_MINUTE
  );
}

function pad2(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

/** ISO-8601 in Warsaw local time with its offset, whole seconds: '2026-03-29T03:00:00+02:00'. */
export function formatInstant(epochMs: number): string {
  const { date, minutes, seconds } = toLocal(epochMs);
  const offset = warsawOffsetMinutes(epochMs) === 120 ? '+02:00' : '+01:00';
  return `${date}T${pad2(Math.floor(minutes / 60))}:${pad2(minutes % 60)}:${pad2(seconds)}${offset}`;
}
