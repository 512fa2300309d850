// Form views write back into the YAML as written, keeping comments, order and layout. Each edit
// is made with the yaml Document API (parseDocument + setIn/deleteIn/addIn) to know what the
// document must become; the text is then changed only where the value is (a splice at the
// node's source range, or new lines after the last sibling), and the splice is checked against
// the Document API's result. When a splice cannot be made or does not check out, the Document
// API's own toString() is used: comments and order are kept either way.
import { Document, isMap, isPair, isScalar, isSeq, parseDocument, Scalar, stringify, visit, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';

export type Path = Array<string | number>;

export interface Edit {
  path: Path;
  /** undefined deletes the key. */
  value: unknown;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao);
  return ak.length === Object.keys(bo).length && ak.every((k) => k in bo && deepEqual(ao[k], bo[k]));
}

function keyOf(p: Pair): unknown {
  return isScalar(p.key) ? p.key.value : p.key;
}

function lineStart(text: string, pos: number): number {
  return text.lastIndexOf('\n', pos - 1) + 1;
}

/** The position just after the line holding `pos - 1` (its newline included). */
function afterLine(text: string, end: number): number {
  if (end > 0 && text[end - 1] === '\n') return end;
  const nl = text.indexOf('\n', end);
  return nl === -1 ? text.length : nl + 1;
}

function scalarText(value: unknown, like?: Scalar): string {
  if (typeof value === 'string') {
    if (like?.type === Scalar.QUOTE_DOUBLE) return JSON.stringify(value);
    if (like?.type === Scalar.QUOTE_SINGLE) return `'${value.replace(/'/g, "''")}'`;
  }
  return stringify(value, { lineWidth: 0 }).replace(/\n$/, '');
}

function flowText(value: unknown): string {
  const d = new Document(value);
  visit(d, {
    Map: (_k, n) => {
      n.flow = true;
    },
    Seq: (_k, n) => {
      n.flow = true;
    },
  });
  return d.toString({ lineWidth: 0 }).replace(/\n$/, '');
}

function blockText(value: unknown, indent: number): string {
  const s = stringify(value, { lineWidth: 0 }).replace(/\n$/, '');
  return s
    .split('\n')
    .map((l) => ' '.repeat(indent) + l)
    .join('\n');
}

/** `key: value` lines for a new key in a block map at column `indent`. */
function newPairText(key: string, value: unknown, indent: number): string {
  const pad = ' '.repeat(indent);
  if (value !== null && typeof value === 'object' && (Array.isArray(value) ? value.length > 0 : Object.keys(value).length > 0)) {
    return `${pad}${scalarText(key)}:\n${blockText(value, indent + 2)}\n`;
  }
  return `${pad}${scalarText(key)}: ${value !== null && typeof value === 'object' ? flowText(value) : scalarText(value)}\n`;
}

function nest(keys: Path, value: unknown): unknown {
  let v = value;
  for (let i = keys.length - 1; i >= 0; i--) v = typeof keys[i] === 'number' ? [v] : { [keys[i] as string]: v };
  return v;
}

/** A minimal text change for one edit, or null when none can be worked out. */
function splice(text: string, doc: Document, path: Path, value: unknown): string | null {
  let node: unknown = doc.contents;
  let parentPair: Pair | null = null;
  for (let i = 0; i < path.length; i++) {
    const k = path[i]!;
    if (isMap(node)) {
      const pair = (node as YAMLMap).items.find((p) => keyOf(p) === k);
      if (!pair) return insertInto(text, node as YAMLMap, path.slice(i), value);
      parentPair = pair;
      node = pair.value;
      if (node === null || node === undefined) {
        // "key:" with no value, or a value we cannot see: let the Document API do it.
        return null;
      }
    } else if (isSeq(node) && typeof k === 'number') {
      node = (node as YAMLSeq).items[k];
      parentPair = null;
      if (node === undefined) return null;
    } else return null;
  }
  const target = node as Node;
  if (value === undefined) {
    // Delete a key from a block map: its lines go.
    if (!parentPair || !isMap(doc.getIn(path.slice(0, -1), true))) return null;
    const parent = doc.getIn(path.slice(0, -1), true) as YAMLMap;
    if (parent.flow) return null;
    const key = parentPair.key as Node;
    if (!key.range || !target.range) return null;
    const from = lineStart(text, key.range[0]);
    const to = afterLine(text, target.range[1]);
    return text.slice(0, from) + text.slice(to);
  }
  if (!target.range) return null;
  if (isScalar(target) && (value === null || typeof value !== 'object')) {
    return text.slice(0, target.range[0]) + scalarText(value, target) + text.slice(target.range[1]);
  }
  if ((isMap(target) || isSeq(target)) && target.flow && value !== null && typeof value === 'object') {
    return text.slice(0, target.range[0]) + flowText(value) + text.slice(target.range[1]);
  }
  return null;
}

function insertInto(text: string, map: YAMLMap, rest: Path, value: unknown): string | null {
  const [key, ...deeper] = rest;
  if (typeof key !== 'string') return null;
  const v = nest(deeper, value);
  if (v === undefined) return text; // deleting what is not there
  const last = map.items[map.items.length - 1];
  if (map.flow) {
    if (!map.range) return null;
    if (!last) {
      // {} → { key: v }
      return text.slice(0, map.range[0]) + flowText({ [key]: v }) + text.slice(map.range[1]);
    }
    const end = ((last.value as Node | null)?.range ?? (last.key as Node).range)?.[1];
    if (end === undefined) return null;
    return text.slice(0, end) + `, ${scalarText(key)}: ${v !== null && typeof v === 'object' ? flowText(v) : scalarText(v)}` + text.slice(end);
  }
  if (!last) {
    if (map.range && map.range[0] === map.range[1] && text.trim() === '') return newPairText(key, v, 0);
    return null;
  }
  const keyNode = last.key as Node;
  if (!keyNode.range) return null;
  const indent = keyNode.range[0] - lineStart(text, keyNode.range[0]);
  const end = ((last.value as Node | null)?.range ?? keyNode.range)[1];
  let at = afterLine(text, end);
  let prefix = '';
  if (at === text.length && !text.endsWith('\n')) prefix = '\n';
  // Keep blank lines and comments that follow the last entry where they are? They belong to what
  // comes next (a following section's heading comment), so the new key goes before them only
  // when they are indented deeper than this map.
  return text.slice(0, at) + prefix + newPairText(key, v, indent) + text.slice(at);
}

function viaDocument(text: string, edit: Edit): Document {
  const doc = parseDocument(text);
  if (edit.value === undefined) doc.deleteIn(edit.path);
  else doc.setIn(edit.path, edit.value);
  return doc;
}

export class YamlSyntaxError extends Error {}

/** Applies one edit; the result keeps comments and order, and changes as little text as it can. */
export function applyEdit(text: string, edit: Edit): string {
  const doc = parseDocument(text);
  if (doc.errors.length) throw new YamlSyntaxError(doc.errors[0]!.message);
  const expected = viaDocument(text, edit);
  const want = expected.toJS();
  const spliced = splice(text, doc, edit.path, edit.value);
  if (spliced !== null) {
    const check = parseDocument(spliced);
    if (!check.errors.length && deepEqual(check.toJS(), want)) return spliced;
  }
  return expected.toString();
}

export function applyEdits(text: string, edits: Edit[]): string {
  return edits.reduce(applyEdit, text);
}

/** The value at `path` in the YAML text (undefined when absent or the text does not parse). */
export function readPath(text: string, path: Path): unknown {
  const doc = parseDocument(text);
  if (doc.errors.length) return undefined;
  const n = doc.getIn(path, false);
  return n && typeof n === 'object' && 'toJSON' in (n as object) ? (n as { toJSON(): unknown }).toJSON() : n;
}

/** A test case written the way the shipped tests are: block at the top, flow maps for facts. */
function caseText(item: Record<string, unknown>, indent: number): string {
  const d = new Document(item);
  visit(d, {
    Pair: (_k, pair, path) => {
      const depth = path.filter((p) => isPair(p)).length;
      const key = isScalar(pair.key) ? pair.key.value : null;
      const v = pair.value;
      if ((isMap(v) || isSeq(v)) && (depth >= 1 || key === 'reasons')) v.flow = true;
    },
  });
  const lines = d.toString({ lineWidth: 0 }).replace(/\n$/, '').split('\n');
  const pad = ' '.repeat(indent);
  return lines.map((l, i) => (i === 0 ? `${pad}- ${l}` : `${pad}  ${l}`)).join('\n') + '\n';
}

/** Appends a test case to the `cases:` list of a tests YAML text (creating it when empty). */
export function appendCase(text: string, item: Record<string, unknown>): string {
  const source = text.trim() === '' ? 'cases: []\n' : text;
  const doc = parseDocument(source);
  if (doc.errors.length) throw new YamlSyntaxError(doc.errors[0]!.message);
  const expected = parseDocument(source);
  if (!expected.hasIn(['cases'])) expected.setIn(['cases'], []);
  expected.addIn(['cases'], item);
  const want = expected.toJS();
  const seq = doc.getIn(['cases'], true);
  let spliced: string | null = null;
  if (isSeq(seq) && !seq.flow && seq.items.length > 0) {
    const first = seq.items[0] as Node;
    const last = seq.items[seq.items.length - 1] as Node;
    if (first.range && last.range) {
      const dash = text.lastIndexOf('-', first.range[0]);
      const indent = dash - lineStart(text, dash);
      const at = afterLine(text, last.range[1]);
      const prefix = at === text.length && !text.endsWith('\n') ? '\n' : '';
      spliced = text.slice(0, at) + prefix + caseText(item, indent) + text.slice(at);
    }
  } else if (isSeq(seq) && seq.flow && seq.items.length === 0 && seq.range) {
    const at = afterLine(source, seq.range[1]);
    spliced = source.slice(0, seq.range[0]).replace(/[ \t]*$/, '') + '\n' + caseText(item, 2) + source.slice(at);
  }
  if (spliced !== null) {
    const check = parseDocument(spliced);
    if (!check.errors.length && deepEqual(check.toJS(), want)) return spliced;
  }
  return expected.toString();
}
