// Policy and test-case files from YAML text to checked objects. Pure: text in, objects and
// errors out (no fs), so the CLI, tests and an editor integration share it. Every error
// carries file:line:column and says in plain words which key is wrong and what was expected.
import { Ajv2020, type AnySchemaObject, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import type { TestCase } from '../testing/cases.ts';
import { parseMoney } from './money.ts';
import policySchema from './policy.schema.json' with { type: 'json' };
import testsSchema from './tests.schema.json' with { type: 'json' };
import type { Id, PolicyDocument } from './types.ts';

export interface PolicyError {
  file: string;
  line: number;
  column: number;
  /** JSON pointer to the offending value ('' = the whole document). */
  pointer: string;
  message: string;
}

export interface Position {
  line: number;
  column: number;
}

/**
 * Where a JSON pointer is in the source. `at`: the value itself (default), the key that
 * holds it ('key': an unknown key), or the entry as a whole ('entry': a key missing from it).
 */
export type Locate = (pointer: string, at?: 'value' | 'key' | 'entry') => Position;

export interface TestFile {
  cases: TestCase[];
}

export interface Parsed<T> {
  /** Meaningful only when `errors` is empty. */
  doc: T;
  errors: PolicyError[];
  /** Positions in this file, e.g. for checkReferences on a consolidated document. */
  locate: Locate;
}

/** Without a source (a consolidated document) errors point at the top of the file. */
const NOWHERE: Locate = () => ({ line: 1, column: 1 });

export function formatError(e: PolicyError): string {
  return `${e.file}:${e.line}:${e.column}: ${e.message}`;
}

// ---- schemas: compiled once ------------------------------------------------------------

const ajv = new Ajv2020({
  allErrors: true,
  verbose: true, // errors carry the data and the schema object, which the messages need
  strictTypes: false, // the schema's union types (…, "null") are deliberate
  strictRequired: false, // `required` inside if/then names keys declared elsewhere
});
// The plain-words expectation (also shown by VS Code); an annotation for ajv.
ajv.addKeyword({ keyword: 'errorMessage', schemaType: 'string' });

const POLICY_DEFS = (policySchema as { $defs: Record<string, unknown> }).$defs;
const validatePolicySchema = ajv.compile(policySchema as AnySchemaObject);
const validateTestsSchema = ajv.compile(testsSchema as AnySchemaObject);

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

// ---- YAML ------------------------------------------------------------------------------

function pointerSegments(pointer: string): string[] {
  return pointer === '' ? [] : pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function pointerOf(segments: Array<string | number>): string {
  return segments.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/** "loan_types.long-term.due", "limits.x.loan_types[1]" — how messages name a place. */
function label(pointer: string): string {
  return pointerSegments(pointer).reduce((out, s) => (/^\d+$/.test(s) ? `${out}[${s}]` : out ? `${out}.${s}` : s), '');
}

function yamlLocator(doc: Document, lc: LineCounter): Locate {
  const posOf = (node: unknown): Position | undefined => {
    const range = (node as { range?: [number, number, number] } | null)?.range;
    if (!range) return undefined;
    const { line, col } = lc.linePos(range[0]);
    return { line, column: col };
  };
  return (pointer, at = 'value') => {
    let node: unknown = doc.contents;
    let key: unknown = null;
    let found = true;
    for (const seg of pointerSegments(pointer)) {
      if (isMap(node)) {
        const pair = node.items.find((p) => String(isScalar(p.key) ? p.key.value : p.key) === seg);
        if (!pair) {
          found = false;
          break;
        }
        key = pair.key;
        node = pair.value;
      } else if (isSeq(node) && node.items[Number(seg)] !== undefined) {
        key = null;
        node = node.items[Number(seg)];
      } else {
        found = false;
        break;
      }
    }
    // `key:` with nothing after it has an empty value node; the key is the better place.
    const empty = !node || (isScalar(node) && node.value === null && !node.source);
    const pos = at === 'key' || at === 'entry' || !found || empty ? (posOf(key) ?? posOf(node)) : (posOf(node) ?? posOf(key));
    return pos ?? { line: 1, column: 1 };
  };
}

interface Loaded {
  value: unknown;
  errors: PolicyError[];
  locate: Locate;
}

function loadYaml(text: string, file: string): Loaded {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  const locate = yamlLocator(doc, lc);
  const errors = doc.errors.map((e): PolicyError => {
    const { line, col } = lc.linePos(e.pos[0]);
    return { file, line, column: col, pointer: '', message: `YAML syntax: ${e.message}` };
  });
  if (errors.length) return { value: undefined, errors, locate };
  try {
    return { value: doc.toJS(), errors, locate };
  } catch (e) {
    return { value: undefined, errors: [{ file, line: 1, column: 1, pointer: '', message: `YAML: ${(e as Error).message}` }], locate };
  }
}

// ---- ajv errors in plain words ----------------------------------------------------------

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

const TYPE_WORDS: Record<string, string> = { integer: 'a whole number', number: 'a number', string: 'text', boolean: 'true or false', object: 'a map of keys', array: 'a list' };

function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length] as number;
}

/** The closest candidate, when close enough to be a typo. */
function closest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestD = Math.max(2, Math.round(word.length * 0.4)) + 1;
  for (const c of candidates) {
    const d = distance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) [best, bestD] = [c, d];
  }
  return best;
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
      return { pointer: e.instancePath, at: 'entry', message: `${where(place)}missing required key "${key}"${why}` };
    }
    case 'additionalProperties': {
      const key = (e.params as { additionalProperty: string }).additionalProperty;
      const allowed = Object.keys(schema?.properties ?? {});
      const guess = closest(key, allowed);
      const hint = guess ? ` — did you mean ${guess}?` : allowed.length ? ` — expected one of ${allowed.join(', ')}` : '';
      return { pointer: `${e.instancePath}${pointerOf([key])}`, at: 'key', message: `${where(place)}unknown key "${key}"${hint}` };
    }
    case 'false schema': {
      const segs = pointerSegments(e.instancePath);
      const key = segs.pop() ?? '';
      return { pointer: e.instancePath, at: 'key', message: `${where(label(pointerOf(segs)))}"${key}" cannot be used here` };
    }
    case 'propertyNames': {
      const name = (e.params as { propertyName: string }).propertyName;
      const rule = errorMessageFor((e.schema as object) ?? {}) ?? errorMessageFor(refTarget(e.schema)) ?? 'is not allowed';
      return { pointer: `${e.instancePath}${pointerOf([name])}`, at: 'key', message: `${where(place)}key "${name}" ${rule}` };
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
    case 'minItems':
      return { pointer: e.instancePath, at: 'value', message: `${place} must not be an empty list` };
  }
  const custom = SHAPE_KEYWORDS.has(e.keyword) ? errorMessageFor(e.parentSchema) : undefined;
  let rule = custom;
  if (!rule) {
    const p = e.params as Record<string, unknown>;
    if (e.keyword === 'type') {
      const types = ([] as string[]).concat(p.type as string | string[]).filter((t) => t !== 'null');
      rule = `must be ${types.map((t) => TYPE_WORDS[t] ?? t).join(' or ')}`;
    } else if (e.keyword === 'minLength') rule = 'must not be empty';
    else if (e.keyword === 'const') rule = `must be ${JSON.stringify(p.allowedValue)}`;
    else rule = `${e.message ?? 'is not valid'}`;
  }
  const subject = place || 'the document';
  if (!rule.startsWith('must')) return { pointer: e.instancePath, at: 'value', message: `${subject}: ${rule}` };
  const got = e.keyword === 'not' || e.data === undefined ? '' : ` (got ${describeValue(e.data)})`;
  // A bare 2024 or true where text is wanted is YAML reading it as a number or a boolean.
  const quote = e.keyword === 'type' && (typeof e.data === 'number' || typeof e.data === 'boolean') && ([] as unknown[]).concat((e.params as { type: unknown }).type).includes('string') ? ' — put it in quotes' : '';
  return { pointer: e.instancePath, at: 'value', message: `${subject} ${rule}${got}${quote}` };
}

/** The schema a `{$ref}` points at within the policy schema's $defs (for propertyNames). */
function refTarget(schema: unknown): unknown {
  const ref = (schema as { $ref?: string } | undefined)?.$ref;
  const m = ref ? /^#\/\$defs\/(.+)$/.exec(ref) : null;
  return m ? POLICY_DEFS[m[1] as string] : undefined;
}

/** ajv's errors as one plain message per place: branch noise of anyOf/oneOf and if/then dropped. */
function schemaErrors(validate: ValidateFunction, value: unknown, file: string, locate: Locate): PolicyError[] {
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

function sortErrors(errors: PolicyError[]): PolicyError[] {
  return errors.sort((a, b) => a.line - b.line || a.column - b.column);
}

// ---- after the schema: money and references ----------------------------------------------

type Json = Record<string, unknown>;
const entries = (m: unknown): Array<[string, Json]> => (m && typeof m === 'object' ? (Object.entries(m).filter(([, v]) => v && typeof v === 'object') as Array<[string, Json]>) : []);

/** Money written as "20 zł" becomes grosze in place; the schema has already vetted the form. */
function normaliseMoney(doc: Json, file: string, locate: Locate): PolicyError[] {
  const errors: PolicyError[] = [];
  const fix = (obj: Json | undefined, key: string, path: Array<string | number>) => {
    const v = obj?.[key];
    if (typeof v !== 'number' && typeof v !== 'string') return;
    try {
      (obj as Json)[key] = parseMoney(v);
    } catch (e) {
      const pointer = pointerOf([...path, key]);
      errors.push({ file, ...locate(pointer), pointer, message: `${label(pointer)}: ${(e as Error).message}` });
    }
  };
  for (const [id, fee] of entries(doc.fees)) for (const k of ['rate', 'cap']) fix(fee, k, ['fees', id]);
  for (const [id, dep] of entries(doc.deposits)) for (const k of ['amount', 'minimum']) fix(dep, k, ['deposits', id]);
  fix(doc.payments as Json | undefined, 'online_minimum', ['payments']);
  const lost = doc.lost_item as Json | undefined;
  fix(lost?.payment as Json | undefined, 'fixed_fee', ['lost_item', 'payment']);
  return errors;
}

interface Kind {
  noun: string;
  section: string;
  ids: Id[];
}

/**
 * Ids that name something the document does not define: categories and loan types in limits,
 * per_checkout, fees, sanctions and deposits, item statuses' loan types, sanctions' revoke,
 * holds' sanction, and every `assumption:`. Run it on a complete (or consolidated) version.
 */
export function checkReferences(doc: PolicyDocument, file: string, locate: Locate = NOWHERE): PolicyError[] {
  const errors: PolicyError[] = [];
  const kind = (noun: string, section: keyof PolicyDocument): Kind => ({ noun, section, ids: Object.keys((doc[section] as object | null | undefined) ?? {}) });
  const category = kind('patron category', 'patron_categories');
  const loanType = kind('loan type', 'loan_types');
  const sanction = kind('sanction', 'sanctions');
  const assumption = kind('assumption', 'assumptions');

  const check = (path: Array<string | number>, value: unknown, k: Kind) => {
    if (typeof value !== 'string' || value === '*' || k.ids.includes(value)) return;
    const pointer = pointerOf(path);
    const list = pointerSegments(pointer);
    if (/^\d+$/.test(list[list.length - 1] ?? '')) list.pop(); // name the list, point at the item
    const guess = closest(value, k.ids);
    const has = k.ids.length ? `${k.section} has ${k.ids.join(', ')}` : `${k.section} is empty`;
    const message = `${label(pointerOf(list))}: unknown ${k.noun} "${value}" — ${guess ? `did you mean ${guess}? (${has})` : has}`;
    errors.push({ file, ...locate(pointer), pointer, message });
  };
  const checkAll = (path: Array<string | number>, value: unknown, k: Kind) => {
    if (Array.isArray(value)) value.forEach((v, i) => check([...path, i], v, k));
    else check(path, value, k);
  };

  for (const section of ['limits', 'per_checkout', 'fees', 'sanctions', 'deposits'] as const) {
    for (const [id, entry] of entries(doc[section])) {
      checkAll([section, id, 'categories'], entry.categories, category);
      checkAll([section, id, 'loan_types'], entry.loan_types, loanType);
    }
  }
  for (const [id, status] of entries(doc.item_statuses)) checkAll(['item_statuses', id, 'loan_types'], status.loan_types, loanType);
  for (const [id, s] of entries(doc.sanctions)) checkAll(['sanctions', id, 'revoke'], s.revoke, loanType);
  if (doc.holds) check(['holds', 'sanction'], doc.holds.sanction, sanction);

  // `assumption:` may sit on any entry at any depth; rule conditions are data, not entries.
  const walk = (v: unknown, path: Array<string | number>) => {
    if (Array.isArray(v)) return v.forEach((x, i) => walk(x, [...path, i]));
    if (!v || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v)) {
      if (k === 'assumption') checkAll([...path, k], x, assumption);
      else if (!(path.length === 0 && k === 'assumptions') && !(path.length === 2 && path[0] === 'rules' && k === 'when')) walk(x, [...path, k]);
    }
  };
  walk(doc, []);
  return sortErrors(errors);
}

// ---- entry points ------------------------------------------------------------------------

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

/** A file of test cases from YAML text. */
export function parseTestFile(text: string, file: string): Parsed<TestFile> {
  const { value, errors, locate } = loadYaml(text, file);
  const doc = (value ?? { cases: [] }) as TestFile;
  if (errors.length) return { doc, errors, locate };
  return { doc, errors: sortErrors(schemaErrors(validateTestsSchema, value, file, locate)), locate };
}
