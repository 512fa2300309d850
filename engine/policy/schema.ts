// The JSON Schemas, compiled once, and ajv's errors turned into one plain sentence per place.
import { Ajv2020, type AnySchemaObject, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { closest, label, NOWHERE, pointerOf, pointerSegments, sortErrors, type Locate, type PolicyError } from '../errors/place.ts';
import { quote } from '../errors/quote.ts';
import { missingKeyWords, ruleWords, unknownKeyWords } from '../errors/rule.ts';
import policySchema from './policy.schema.json' with { type: 'json' };
import testsSchema from './tests.schema.json' with { type: 'json' };

const ajv = new Ajv2020({
  allErrors: true,
  verbose: true, // errors carry the data and the schema object, which the messages need
  strictTypes: false, // the schema's union types (…, "null") are deliberate
  strictRequired: false, // `required` inside if/then names keys declared elsewhere
});
// The plain-words expectation (also shown by VS Code); an annotation for ajv.
ajv.addKeyword({ keyword: 'errorMessage', schemaType: 'string' });
// The TypeScript type a schema stands for where the generator cannot read it off (contract/generate.ts).
ajv.addKeyword({ keyword: 'tsType', schemaType: 'string' });

const POLICY_DEFS = (policySchema as { $defs: Record<string, unknown> }).$defs;
const validatePolicySchema = ajv.compile(policySchema as AnySchemaObject);
export const validateTestsSchema = ajv.compile(testsSchema as AnySchemaObject);

/** Each subschema's parent and the keyword it hangs under, to find an enclosing errorMessage. */
const parents = new WeakMap<object, { parent: object; via: string }>();
function indexSchema(node: unknown): void {
  if (node === null || typeof node !== 'object') return;
  for (const [k, v] of Object.entries(node)) {
    const children = Array.isArray(v) ? v : ['properties', 'patternProperties', '$defs', 'dependentSchemas'].includes(k) && v && typeof v === 'object' ? Object.values(v) : [v];
    for (const c of children) {
      if (c !== null && typeof c === 'object' && !Array.isArray(c)) {
        parents.set(c, { parent: node, via: k });
        indexSchema(c);
      }
    }
  }
}
indexSchema(policySchema);
indexSchema(testsSchema);

/** A validator for `$defs/<def>` of another schema (by its $id), with the same plain-words errors. */
export function defValidator(schema: { $id: string }, def: string): ValidateFunction {
  if (!ajv.getSchema(schema.$id)) {
    ajv.addSchema(schema as AnySchemaObject);
    indexSchema(schema);
  }
  const v = ajv.getSchema(`${schema.$id}#/$defs/${def}`);
  if (!v) throw new Error(`no $defs/${def} in ${schema.$id}`);
  return v;
}

/** Keywords whose failure means "not the kind of value expected here": errorMessage says it best. */
const SHAPE_KEYWORDS = new Set(['type', 'pattern', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'const', 'anyOf', 'oneOf', 'not', 'minLength', 'minProperties', 'maxProperties', 'multipleOf']);
/** Keywords that stay at the same place in the data, so an enclosing errorMessage still applies. */
const SAME_PLACE = new Set(['then', 'else', 'if', 'not', 'allOf', 'anyOf', 'oneOf', 'dependentSchemas']);

function errorMessageFor(schema: unknown): string | undefined {
  let node = schema;
  while (node && typeof node === 'object') {
    const m = (node as { errorMessage?: unknown }).errorMessage;
    if (typeof m === 'string') return m;
    const up = parents.get(node);
    if (!up || !SAME_PLACE.has(up.via)) return undefined;
    node = up.parent;
  }
  return undefined;
}

function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  return quote(v);
}

interface Described {
  pointer: string;
  at: 'value' | 'key' | 'entry';
  message: string;
}

function describe(e: ErrorObject): Described | undefined {
  const place = label(e.instancePath);
  const where = (p: string) => (p ? `${p}: ` : '');
  const schema = e.parentSchema as { properties?: Record<string, unknown> } | undefined;
  switch (e.keyword) {
    case 'required': {
      const key = (e.params as { missingProperty: string }).missingProperty;
      const why = e.parentSchema === POLICY_DEFS.CompleteRules ? ` (a complete version needs it; an amendment says amends: "<version>" instead)` : '';
      return { pointer: e.instancePath, at: 'entry', message: `${where(place)}${missingKeyWords(key)}${why}` };
    }
    case 'additionalProperties': {
      const key = (e.params as { additionalProperty: string }).additionalProperty;
      return { pointer: `${e.instancePath}${pointerOf([key])}`, at: 'key', message: `${where(place)}${unknownKeyWords(key, Object.keys(schema?.properties ?? {}))}` };
    }
    case 'false schema': {
      const segs = pointerSegments(e.instancePath);
      const key = segs.pop() ?? '';
      return { pointer: e.instancePath, at: 'key', message: `${where(label(pointerOf(segs)))}${quote(key)} cannot be used here` };
    }
    case 'propertyNames': {
      const name = (e.params as { propertyName: string }).propertyName;
      const rule = errorMessageFor((e.schema as object) ?? {}) ?? errorMessageFor(refTarget(e.schema)) ?? 'is not allowed';
      return { pointer: `${e.instancePath}${pointerOf([name])}`, at: 'key', message: `${where(place)}key ${quote(name)} ${rule}` };
    }
    case 'enum': {
      const allowed = ((e.params as { allowedValues: unknown[] }).allowedValues ?? []).filter((v) => v !== null).map(String);
      const segs = pointerSegments(e.instancePath);
      const last = segs.pop() ?? '';
      const value = String(e.data);
      const guess = typeof e.data === 'string' ? closest(value, allowed) : undefined;
      const list = guess ? `did you mean ${guess}? (expected one of ${allowed.join(', ')})` : `expected one of ${allowed.join(', ')}`;
      if (/^\d+$/.test(last)) return { pointer: e.instancePath, at: 'value', message: `${place}: unknown value ${describeValue(e.data)} — ${list}` };
      return { pointer: e.instancePath, at: 'value', message: `${where(label(pointerOf(segs)))}unknown ${last} ${describeValue(e.data)} — ${list}` };
    }
    case 'uniqueItems': {
      const { j } = e.params as { i: number; j: number };
      return { pointer: e.instancePath, at: 'value', message: `${place} lists ${describeValue((e.data as unknown[])[j])} twice` };
    }
  }
  const custom = SHAPE_KEYWORDS.has(e.keyword) ? errorMessageFor(e.parentSchema) : undefined;
  const rule = custom ?? ruleWords(e) ?? e.message ?? 'is not valid';
  const subject = place || 'the document';
  if (!rule.startsWith('must')) return { pointer: e.instancePath, at: 'value', message: `${subject}: ${rule}` };
  // A list's length is in the rule; its items are no help.
  const got = e.keyword === 'not' || e.keyword === 'minItems' || e.keyword === 'maxItems' || e.data === undefined ? '' : ` (got ${describeValue(e.data)})`;
  // A bare 2024 or true where text is wanted is YAML reading it as a number or a boolean.
  const inQuotes = e.keyword === 'type' && (typeof e.data === 'number' || typeof e.data === 'boolean') && ([] as unknown[]).concat((e.params as { type: unknown }).type).includes('string') ? ' — put it in quotes' : '';
  return { pointer: e.instancePath, at: 'value', message: `${subject} ${rule}${got}${inQuotes}` };
}

/** The schema a `{$ref}` points at within the policy schema's $defs (for propertyNames). */
function refTarget(schema: unknown): unknown {
  const ref = (schema as { $ref?: string } | undefined)?.$ref;
  const m = ref ? /^#\/\$defs\/(.+)$/.exec(ref) : null;
  return m ? POLICY_DEFS[m[1] as string] : undefined;
}

/** ajv's errors as one plain message per place: branch noise of anyOf/oneOf and if/then dropped. */
export function schemaErrors(validate: ValidateFunction, value: unknown, file: string, locate: Locate): PolicyError[] {
  if (validate(value)) return [];
  const raw = (validate.errors ?? []).filter((e) => e.keyword !== 'if' && !('propertyName' in e));
  const groups = raw.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  const inBranch = (e: ErrorObject) => groups.some((g) => g !== e && e.schemaPath.startsWith(`${g.schemaPath}/`) && e.instancePath.startsWith(g.instancePath));
  // A misspelt key also shows up as the real key missing; the suggestion says both at once.
  const suggested = new Set(raw.filter((e) => e.keyword === 'additionalProperties').map((e) => `${e.instancePath}/${closest((e.params as { additionalProperty: string }).additionalProperty, Object.keys((e.parentSchema as { properties?: object }).properties ?? {}))}`));
  const out: PolicyError[] = [];
  const seen = new Set<string>();
  for (const e of raw) {
    if (inBranch(e)) continue;
    if (e.keyword === 'required' && suggested.has(`${e.instancePath}/${(e.params as { missingProperty: string }).missingProperty}`)) continue;
    const d = describe(e);
    if (!d) continue;
    // One "wrong value" message per place; missing and unknown keys each count on their own.
    const id = d.at === 'value' ? `${d.pointer}` : `${d.pointer}\n${d.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({ file, ...locate(d.pointer, d.at), pointer: d.pointer, message: d.message });
  }
  return out;
}

/** Schema errors of a policy document already in memory (e.g. a consolidated version). */
export function validatePolicy(value: unknown, file: string, locate: Locate = NOWHERE): PolicyError[] {
  return sortErrors(schemaErrors(validatePolicySchema, value, file, locate));
}
