// Values crossing the store's edge: ids and instants from outside checked before the database sees
// them, instants going out shown as the rest of Regula shows them, list sizes.
import { createHash } from 'node:crypto';
import { raw } from '@mikro-orm/core';
import { formatInstant, parseInstant } from '../../engine/time/index.ts';

/** Default page size of a list (audit trail, decision log, simulations) when no limit is given. */
export const DEFAULT_LIST_LIMIT = 1000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An id from outside (a URL) that is not even a uuid names nothing; the database would throw. */
export function isUuid(id: string): boolean {
  return typeof id === 'string' && UUID.test(id);
}

/** An instant from outside, checked as the engine checks them (an offset is required). */
export function instant(value: string, what: string): Date {
  try {
    return new Date(parseInstant(value));
  } catch (e) {
    throw new Error(`${what}: ${(e as Error).message}`);
  }
}

/** Instants leave the store as the rest of Regula shows them: Warsaw time with its offset. */
export function iso(d: Date | string): string {
  return formatInstant((d instanceof Date ? d : new Date(d)).getTime());
}

export function isoOrNull(d: Date | string | null | undefined): string | null {
  return d == null ? null : iso(d);
}

/** The database's clock: heartbeats are written and judged by it, never by an instance's. */
export const dbNow = () => raw<Date>('now()');

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function limitOf(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_LIST_LIMIT;
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`limit must be a positive integer, got ${limit}`);
  return limit;
}
