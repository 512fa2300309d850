// The ten questions a circulation system asks, answered as pure functions of (version, facts, instant).
export type * from './types.ts';
export { decide, decideReference, isQuestion, QUESTIONS, type DecideOptions } from './decide.ts';
export { FactsError, type FactProblem } from './input.ts';
export { inLanguage, explanationIn, textIn, LANGS, type DecisionInLanguage, type ExplanationInLanguage, type Texts } from './language.ts';
export { explanation, withTexts, type Explanation } from './explanation.ts';
