// Request bodies against the schemas in contract/api (ajv, draft 2020-12). A body that does not
// fit is a 400 whose `errors` name each offending field by JSON pointer, in plain words.
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { INSTANT_PATTERN, isLocalDate, parseInstant, parseSupportedInstant } from '../engine/time/index.ts';
import { shownPointer, listed, missingKeyWords, quote, ruleWords, unknownKeyWords, unstorable } from '../engine/errors/index.ts';
import { ProblemError, type FieldError } from './problem.ts';
import { ROOT_SCHEMA, SCHEMA_ID, SCHEMAS } from '../contract/api/index.ts';

// verbose: errors carry their schema, whose keys an unknown key's message offers (engine/errors/rule.ts).
const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false, verbose: true });
ajv.addFormat('date-time', {
  type: 'string',
  validate: (s: string) => {
    try {
      parseInstant(s);
      return true;
    } catch {
      return false;
    }
  },
});
ajv.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
ajv.addSchema(ROOT_SCHEMA);

const compiled = new Map<string, ValidateFunction>();

function validator(name: string): ValidateFunction {
  let v = compiled.get(name);
  if (!v) {
    if (!(name in SCHEMAS)) throw new Error(`no schema named ${name}`);
    v = ajv.compile({ $ref: `${SCHEMA_ID}#/$defs/${name}` });
    compiled.set(name, v);
  }
  return v;
}

/** Compiles every schema now (at start-up), so a broken schema fails the start, not a request. */
export function compileAll(): void {
  for (const name of Object.keys(SCHEMAS)) validator(name);
}

function escape(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The value at a JSON pointer in `data` (ajv keeps it on its errors only in verbose mode). */
function valueAt(data: unknown, pointer: string): unknown {
  let v = data;
  for (const part of pointer.split('/').slice(1)) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return v;
}

/** A field's error; `outOfRange`: an instant that exists but lies outside the supported years. */
type Described = FieldError & { outOfRange?: true };

/** What is wrong with an instant, in the engine's words ("… is outside the supported years 1996–2100"). */
function instantError(pointer: string, v: unknown): Described {
  const shaped = `must be an instant with its offset, e.g. 2026-11-23T10:00:00+01:00 (got ${quote(v)})`;
  if (typeof v !== 'string') return { pointer, message: shaped };
  try {
    parseInstant(v);
  } catch (e) {
    // A day that does not exist (2026-02-30) is said so; anything else by the expected shape.
    const day = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])/.exec(v.trim())?.[0];
    return { pointer, message: day && !isLocalDate(day) ? (e as Error).message : shaped };
  }
  try {
    parseSupportedInstant(v);
  } catch (e) {
    return { pointer, message: (e as Error).message, outOfRange: true };
  }
  return { pointer, message: shaped };
}

function describe(e: ErrorObject, data: unknown): Described {
  const p = e.params as Record<string, unknown>;
  const got = () => quote(valueAt(data, e.instancePath));
  switch (e.keyword) {
    // Said as a policy's keys are (engine/errors/rule.ts); the pointer names the key itself.
    case 'required':
      return { pointer: `${e.instancePath}/${escape(String(p.missingProperty))}`, message: missingKeyWords(String(p.missingProperty)) };
    case 'additionalProperties':
      return { pointer: `${e.instancePath}/${escape(String(p.additionalProperty))}`, message: unknownKeyWords(String(p.additionalProperty), Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {})) };
    case 'format':
      return p.format === 'date-time' ? instantError(e.instancePath, valueAt(data, e.instancePath)) : { pointer: e.instancePath, message: `must be a ${String(p.format)}` };
    case 'enum':
      return { pointer: e.instancePath, message: `must be one of ${(p.allowedValues as unknown[]).map(String).join(', ')} (got ${got()})` };
    case 'pattern':
      if (p.pattern === INSTANT_PATTERN) return instantError(e.instancePath, valueAt(data, e.instancePath));
      return { pointer: e.instancePath, message: `is not in the expected form (${String(p.pattern)})` };
    default:
      // The rule in the words every schema here uses (engine/errors/rule.ts).
      return { pointer: e.instancePath, message: ruleWords(e) ?? e.message ?? 'is not valid' };
  }
}

/** The errors of `data` against schema `name`, one per place ([] = valid). */
export function check(name: string, data: unknown): Described[] {
  const v = validator(name);
  if (v(data)) return [];
  const out: Described[] = [];
  const seen = new Set<string>();
  // oneOf/anyOf summaries repeat what the branches said.
  for (const e of v.errors ?? []) {
    if (e.keyword === 'oneOf' || e.keyword === 'anyOf' || e.keyword === 'if') continue;
    const d = describe(e, data);
    if (d.pointer !== undefined) d.pointer = shownPointer(d.pointer);
    const id = `${d.pointer}\n${d.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(d);
  }
  return out;
}

/** What is wrong with a parameter's text, for PostgreSQL (which keeps no NUL) and for Unicode (no lone surrogates); undefined when nothing. */
export function badText(s: string): string | undefined {
  const ch = unstorable(s);
  if (ch === undefined) return undefined;
  return ch === 'U+0000' ? 'contains a NUL character (U+0000), which text may not hold' : `contains half of a surrogate pair (${ch}), which is not Unicode text`;
}

/**
 * `data` as T when it fits schema `name`, else a 400 problem listing every error — or a 422
 * when the only thing wrong is an instant outside the supported years: well-formed, and real,
 * but not one Regula decides about.
 */
export function validateBody<T>(name: string, data: unknown, prefix = ''): T {
  const found = check(name, data);
  if (!found.length) return data as T;
  const errors = found.map(({ outOfRange: _, ...e }) => ({ ...e, pointer: `${prefix}${e.pointer ?? ''}` }));
  if (found.every((e) => e.outOfRange)) throw new ProblemError('unprocessable', detailOf(errors), { errors });
  throw invalidBody(errors);
}

function detailOf(errors: FieldError[]): string {
  const first = errors[0];
  return errors.length === 1 && first ? `${first.pointer || 'the body'}: ${first.message}` : `${errors.length} fields are not valid: ${listed(errors.map((e) => `${e.pointer || 'the body'} ${e.message}`))}`;
}

export function invalidBody(errors: FieldError[]): ProblemError {
  return new ProblemError('invalid-body', detailOf(errors), { errors });
}
