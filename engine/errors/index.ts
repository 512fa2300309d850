// What went wrong and where, said in bounded words: the lowest layer, used by every other.
export { quote, excerpt, clipped, listed, unstorable, codePoint, QUOTE_MAX } from './quote.ts';
export { type PolicyError, type Position, type Locate, NOWHERE, formatError, sortErrors, pointerOf, pointerSegments, shownPointer, label, closest } from './place.ts';
export { Undecidable } from './undecidable.ts';
export { missingKeyWords, ruleWords, typeWords, unknownKeyWords } from './rule.ts';
