// A decision in one language: what a desk that works in Polish (Accept-Language: pl, or the
// CLI's --lang pl) reads. The engine decides in both languages; only the texts are narrowed —
// every reason, citation and assumption stays.
import type { Id, Text } from '../policy/types.ts';
import type { Lang } from '../words/index.ts';
import type { Explanation } from './explanation.ts';
import type { Decision, Reason } from './types.ts';

export const LANGS: readonly Lang[] = ['en', 'pl'];

/** A text in the languages asked for: one, or both. */
export type Texts = Partial<Text>;

export interface DecisionInLanguage extends Omit<Decision, 'reasons' | 'assumption_texts'> {
  reasons: Array<Omit<Reason, 'message'> & { message: Texts }>;
  assumption_texts?: Record<Id, Texts>;
}

export interface ExplanationInLanguage extends Omit<Explanation, 'assumptions'> {
  assumptions: Record<Id, Texts>;
}

/** `{ [lang]: text[lang] }` — the object as it is when it has no such language. */
export function textIn(text: Text, lang: Lang): Texts {
  const s = text[lang];
  return typeof s === 'string' ? ({ [lang]: s } as Texts) : text;
}

function textsIn(texts: Record<Id, Text>, lang: Lang): Record<Id, Texts> {
  return Object.fromEntries(Object.entries(texts).map(([id, t]) => [id, textIn(t, lang)]));
}

/** The decision with every message (and assumption text, when it has them) in `lang` only (keys keep their order). */
export function inLanguage(d: Decision, lang: Lang): DecisionInLanguage {
  return {
    ...d,
    reasons: d.reasons.map((r) => ({ ...r, message: textIn(r.message, lang) })),
    ...(d.assumption_texts ? { assumption_texts: textsIn(d.assumption_texts, lang) } : {}),
  };
}

/** The explanation with every assumption text in `lang` only. */
export function explanationIn(e: Explanation, lang: Lang): ExplanationInLanguage {
  return { ...e, assumptions: textsIn(e.assumptions, lang) };
}
