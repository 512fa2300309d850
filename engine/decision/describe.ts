// Plain-words renderings used in messages and in the diff of two versions.
import type { Duration } from '../policy/types.ts';

const UNITS = [
  ['months', 'month', 'months'],
  ['days', 'day', 'days'],
  ['hours', 'hour', 'hours'],
  ['minutes', 'minute', 'minutes'],
] as const;

export function describeDuration(d: Duration): string {
  const parts: string[] = [];
  for (const [key, one, many] of UNITS) {
    const n = d[key];
    if (n) parts.push(`${n} ${n === 1 ? one : many}`);
  }
  return parts.join(' ') || '0 minutes';
}
