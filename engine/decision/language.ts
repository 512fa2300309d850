// A decision in one language: what a desk that works in Polish (Accept-Language: pl, or the
// CLI's --lang pl) reads. The engine decides in both languages; only the texts are narrowed —
// every reason, citation and assumption stays, each assumption still with its text.
import type { Id, Text } from '../policy/types.ts';
import type { Lang } from '../words/index.ts';
import type { Decision, Reason } from './types.ts';

export const LANGS: readonly Lang[] = ['en', 'pl'];

/** A text in the languages asked for: one, or both. */
export type Texts = Partial<Text>;

export interface DecisionInLanguage extends Omit<Decision, 'reasons' | 'assumptions'> {
  reasons: Array<Omit<Reason, 'message'> & { message: Texts }>;
  assumptions: Array<{ id: Id; text: Texts }>;
}

/** `{ [lang]: text[lang] }` — the object as it is when it has no such language. */
export function textIn(text: Text, lang: Lang): Texts {
  const s = text[lang];
  return typeof s === 'string' ? ({ [lang]: s } as Texts) : text;
}

/** The decision with every message and assumption text in `lang` only (keys keep their order). */
export function inLanguage(d: Decision, lang: Lang): DecisionInLanguage {
  return {
    ...d,
    reasons: d.reasons.map((r) => ({ ...r, message: textIn(r.message, lang) })),
    assumptions: d.assumptions.map((a) => ({ ...a, text: textIn(a.text, lang) })),
  };
}
