// Amounts and periods as the console's forms read and write them: złoty typed with a comma or a
// point, written back in the form the YAML already uses ("0,60 zł" or grosze); a period as one
// count and unit.
import { parseMoney } from '../../../engine/money/index.ts';

export const UNITS = ['minutes', 'hours', 'days', 'months'] as const;
export type Unit = (typeof UNITS)[number];

/** Grosze of an amount as the policy writes it (null when absent or unreadable). */
export function grosze(v: unknown): number | null {
  try {
    return v === undefined || v === null ? null : parseMoney(v as number | string);
  } catch {
    return null;
  }
}

/** "0.50" in an input, from grosze. */
export function zloty(g: number | null): string {
  return g === null ? '' : (g / 100).toFixed(2);
}

/** Grosze from what was typed: "0,5", "0.50", "2 zł"; null when it is not an amount. */
export function readZloty(s: string): number | null {
  const m = /^\s*(\d+)(?:[.,](\d{1,2}))?\s*(?:zł)?\s*$/.exec(s);
  if (!m) return null;
  return Number(m[1]) * 100 + (m[2] ? Number(m[2].padEnd(2, '0')) : 0);
}

/** The written form: "0,60 zł" when the YAML wrote a string, grosze when it wrote a number. */
export function written(g: number, like: unknown): number | string {
  if (typeof like !== 'string') return g;
  return `${Math.floor(g / 100)},${String(g % 100).padStart(2, '0')} zł`;
}

/** A period's count and unit ({days: 30} → 30 days); `fallback` when none is given. */
export function periodOf(d: Record<string, unknown> | undefined, fallback: Unit = 'days'): { n: number; unit: Unit } {
  for (const u of UNITS) if (d && typeof d[u] === 'number') return { n: d[u] as number, unit: u };
  return { n: 1, unit: fallback };
}

/** A fee schedule as the forms read it from a draft: amounts may still be written in złoty. */
export interface FeeEntry {
  loan_types: string[] | '*';
  categories?: string[] | '*';
  rate: number | string;
  per?: Record<string, number>;
  cap?: number | string;
  grace?: Record<string, number>;
  cite?: string;
}
