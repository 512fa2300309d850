// Policy files from YAML text to checked objects. Pure: text in, objects and errors out (no fs),
// so the CLI, tests and an editor integration share it. Every error carries file:line:column and
// says in plain words which key is wrong and what was expected.
import { sortErrors, type Locate, type PolicyError } from '../errors/place.ts';
import { checkReferences, normaliseMoney, type Json } from './references.ts';
import { validatePolicy } from './schema.ts';
import type { PolicyDocument } from './types.ts';
import { loadYaml } from './yaml.ts';

export { formatError, type Locate, type PolicyError, type Position } from '../errors/place.ts';
export { checkReferences } from './references.ts';
export { validatePolicy } from './schema.ts';

export interface Parsed<T> {
  /** Meaningful only when `errors` is empty. */
  doc: T;
  errors: PolicyError[];
  /** Positions in this file, e.g. for checkReferences on a consolidated document. */
  locate: Locate;
}

/**
 * A policy version from YAML text. Money is normalised to grosze; references are checked for
 * a complete version (an amendment's need its base: run checkReferences on the consolidation).
 */
export function parsePolicy(text: string, file: string): Parsed<PolicyDocument> {
  const { value, errors, locate } = loadYaml(text, file);
  const doc = (value ?? {}) as PolicyDocument;
  if (errors.length) return { doc, errors, locate };
  const schema = validatePolicy(value, file, locate);
  if (schema.length) return { doc, errors: schema, locate };
  const money = normaliseMoney(doc as unknown as Json, file, locate);
  if (money.length) return { doc, errors: sortErrors(money), locate };
  return { doc, errors: doc.amends ? [] : checkReferences(doc, file, locate), locate };
}
