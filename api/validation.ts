// Request bodies against the schemas in api/schemas (ajv, draft 2020-12). A body that does not
// fit is a 400 whose `errors` name each offending field by JSON pointer, in plain words.
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { parseInstant } from '../engine/time/index.ts';
import { ProblemError, type FieldError } from './problem.ts';
import { ROOT_SCHEMA, SCHEMA_ID, SCHEMAS } from './schemas/index.ts';

const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false });
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

const TYPE_WORDS: Record<string, string> = { integer: 'a whole number', number: 'a number', string: 'text', boolean: 'true or false', object: 'an object', array: 'a list', null: 'null' };

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

function describe(e: ErrorObject, data: unknown): FieldError {
  const p = e.params as Record<string, unknown>;
  const got = () => JSON.stringify(valueAt(data, e.instancePath));
  switch (e.keyword) {
    case 'required':
      return { pointer: `${e.instancePath}/${escape(String(p.missingProperty))}`, message: `${String(p.missingProperty)} is required` };
    case 'additionalProperties':
      return { pointer: `${e.instancePath}/${escape(String(p.additionalProperty))}`, message: `unknown field "${String(p.additionalProperty)}"` };
    case 'type': {
      const types = ([] as string[]).concat(p.type as string | string[]);
      return { pointer: e.instancePath, message: `must be ${types.map((t) => TYPE_WORDS[t] ?? t).join(' or ')}` };
    }
    case 'format':
      return {
        pointer: e.instancePath,
        message: p.format === 'date-time' ? `must be an instant with its offset, e.g. 2026-11-23T10:00:00+01:00 (got ${got()})` : `must be a ${String(p.format)}`,
      };
    case 'enum':
      return { pointer: e.instancePath, message: `must be one of ${(p.allowedValues as unknown[]).map(String).join(', ')} (got ${got()})` };
    case 'maxItems':
      return { pointer: e.instancePath, message: `must have at most ${String(p.limit)} items` };
    case 'minItems':
      return { pointer: e.instancePath, message: `must have at least ${String(p.limit)} item${p.limit === 1 ? '' : 's'}` };
    case 'minLength':
      return { pointer: e.instancePath, message: p.limit === 1 ? 'must not be empty' : `must be at least ${String(p.limit)} characters long` };
    case 'maxLength':
      return { pointer: e.instancePath, message: `must be at most ${String(p.limit)} characters long` };
    case 'pattern':
      return { pointer: e.instancePath, message: `is not in the expected form (${String(p.pattern)})` };
    case 'minimum':
    case 'maximum':
      return { pointer: e.instancePath, message: `must be ${e.keyword === 'minimum' ? 'at least' : 'at most'} ${String(p.limit)}` };
    default:
      return { pointer: e.instancePath, message: e.message ?? 'is not valid' };
  }
}

/** The errors of `data` against schema `name`, one per place ([] = valid). */
export function check(name: string, data: unknown): FieldError[] {
  const v = validator(name);
  if (v(data)) return [];
  const out: FieldError[] = [];
  const seen = new Set<string>();
  // oneOf/anyOf summaries repeat what the branches said.
  for (const e of v.errors ?? []) {
    if (e.keyword === 'oneOf' || e.keyword === 'anyOf' || e.keyword === 'if') continue;
    const d = describe(e, data);
    const id = `${d.pointer}\n${d.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(d);
  }
  return out;
}

/** What is wrong with a text, for PostgreSQL (which keeps no NUL) and for Unicode (no lone surrogates); undefined when nothing. */
export function badText(s: string): string | undefined {
  if (s.isWellFormed() && !s.includes('\0')) return undefined;
  if (s.includes('\0')) return 'contains a NUL character (U+0000), which text may not hold';
  const lone = [...s].find((ch) => ch.length === 1 && ch >= '\ud800' && ch <= '\udfff')!;
  return `contains half of a surrogate pair (U+${lone.charCodeAt(0).toString(16).toUpperCase()}), which is not Unicode text`;
}

/** Top-level fields whose text is checked elsewhere: YAML (its loader names the line and column of a
 * bad character) and a batch's requests (each is checked as it is decided, a problem of its own). */
const TEXT_CHECKED_ELSEWHERE = new Map<string, readonly string[]>([
  ['VersionText', ['yaml', 'tests_yaml']],
  ['ValidateRequest', ['yaml', 'tests_yaml']],
  ['SimulationRequest', ['candidate_yaml']],
  ['BatchEnvelope', ['requests']],
]);

/** Every string in `v`, field names too, that badText refuses, by JSON pointer. */
function textErrors(v: unknown, pointer: string, out: FieldError[], skip: readonly string[] = []): void {
  if (typeof v === 'string') {
    const bad = badText(v);
    if (bad) out.push({ pointer, message: bad });
  } else if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) textErrors(v[i], `${pointer}/${i}`, out);
  } else if (v !== null && typeof v === 'object') {
    for (const k in v) {
      const bad = badText(k);
      if (bad) out.push({ pointer: `${pointer}/${escape(k)}`, message: `the field name ${bad}` });
      else if (!skip.includes(k)) textErrors((v as Record<string, unknown>)[k], `${pointer}/${escape(k)}`, out);
    }
  }
}

/** `data` as T when it fits schema `name` and holds only text the store can keep, else a 400 problem listing every error. */
export function validateBody<T>(name: string, data: unknown, prefix = ''): T {
  const errors: FieldError[] = [];
  textErrors(data, '', errors, TEXT_CHECKED_ELSEWHERE.get(name));
  // The schema's words for a field whose text is bad would only repeat it.
  const bad = new Set(errors.map((e) => e.pointer));
  errors.push(...check(name, data).filter((e) => !bad.has(e.pointer)));
  if (errors.length) throw invalidBody(errors.map((e) => ({ ...e, pointer: `${prefix}${e.pointer ?? ''}` })));
  return data as T;
}

export function invalidBody(errors: FieldError[]): ProblemError {
  const first = errors[0];
  const detail = errors.length === 1 && first ? `${first.pointer || 'the body'}: ${first.message}` : `${errors.length} fields are not valid: ${errors.map((e) => `${e.pointer || 'the body'} ${e.message}`).join('; ')}`;
  return new ProblemError('invalid-body', detail, { errors });
}
