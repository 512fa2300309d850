// Accept-Language (RFC 9110 § 12.5.4) for decisions: a desk that asks for Polish gets its
// messages and assumptions in Polish only. No header, no language we have, or a wildcard that
// leaves both equal: both languages, as the engine decides them.
import { LANGS } from '../engine/decision/index.ts';
import type { Lang } from '../engine/words/index.ts';

/** The language the header prefers among those we answer in; undefined: all of them. */
export function preferredLanguage(header: string | undefined): Lang | undefined {
  if (!header) return undefined;
  // Per language: the weight of the first range naming it, else of `*`; ties go to the earlier range.
  const best = new Map<Lang, { q: number; pos: number }>();
  let star: { q: number; pos: number } | undefined;
  const ranges = header.split(',');
  for (let pos = 0; pos < ranges.length; pos++) {
    const [range = '', ...params] = ranges[pos]!.split(';');
    const tag = range.trim().toLowerCase();
    let q = 1;
    for (const p of params) {
      const m = /^\s*q\s*=\s*(0(?:\.\d{0,3})?|1(?:\.0{0,3})?)\s*$/i.exec(p);
      if (m) q = Number(m[1]);
    }
    if (tag === '*') star ??= { q, pos };
    else {
      const lang = LANGS.find((l) => tag === l || tag.startsWith(`${l}-`));
      if (lang && !best.has(lang)) best.set(lang, { q, pos });
    }
  }
  let chosen: Lang | undefined;
  let top = { q: 0, pos: Infinity };
  let tie = false;
  for (const l of LANGS) {
    const w = best.get(l) ?? star;
    if (!w || w.q <= 0) continue;
    if (w.q > top.q || (w.q === top.q && w.pos < top.pos)) {
      chosen = l;
      top = w;
      tie = false;
    } else if (w.q === top.q && w.pos === top.pos) tie = true; // both from the same `*`
  }
  return tie ? undefined : chosen;
}
