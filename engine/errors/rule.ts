// The words for a JSON Schema rule a value breaks, one vocabulary for every schema checked here:
// a policy, a test file, a question's facts and an API body. Each caller frames them (a YAML key
// path, or a JSON pointer) but none words a rule its own way.
import type { ErrorObject } from 'ajv';
import { closest } from './place.ts';
import { quote } from './quote.ts';

const TYPE_WORDS: Record<string, string> = { integer: 'a whole number', number: 'a number', string: 'text', boolean: 'true or false', object: 'a map of keys', array: 'a list' };

/** "a whole number or text"; null is left out: it stands for a key left empty, never what is wanted. */
export function typeWords(types: string | string[]): string {
  return ([] as string[])
    .concat(types)
    .filter((t) => t !== 'null')
    .map((t) => TYPE_WORDS[t] ?? t)
    .join(' or ');
}

/** "must …" for the keywords whose rule is its limit or its type; undefined for the others. */
export function ruleWords(e: Pick<ErrorObject, 'keyword' | 'params'>): string | undefined {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'type':
      return `must be ${typeWords(p.type as string | string[])}`;
    case 'const':
      return `must be ${quote(p.allowedValue)}`;
    case 'minLength':
      return p.limit === 1 ? 'must not be empty' : `must be at least ${String(p.limit)} characters long`;
    case 'maxLength':
      return `must be at most ${String(p.limit)} characters long`;
    case 'minItems':
      return p.limit === 1 ? 'must not be an empty list' : `must have at least ${String(p.limit)} items`;
    case 'maxItems':
      return `must have at most ${String(p.limit)} items`;
    case 'minimum':
      return `must be at least ${String(p.limit)}`;
    case 'maximum':
      return `must be at most ${String(p.limit)}`;
    default:
      return undefined;
  }
}

/** A key the rule needs and the value lacks: `missing required key "facts"`. */
export function missingKeyWords(key: string): string {
  return `missing required key ${quote(key)}`;
}

/** A key the rule does not know, with the nearest it does or the ones it does: `unknown key "patorn" — did you mean patron?`. */
export function unknownKeyWords(key: string, allowed: string[]): string {
  const guess = closest(key, allowed);
  return `unknown key ${quote(key)}${guess ? ` — did you mean ${guess}?` : allowed.length ? ` — expected one of ${allowed.join(', ')}` : ''}`;
}
