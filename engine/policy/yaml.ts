// YAML text to a value, with a locator from JSON pointers back to lines and columns.
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { pointerSegments, type Locate, type PolicyError, type Position } from './errors.ts';

export function yamlLocator(doc: Document, lc: LineCounter): Locate {
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

export interface Loaded {
  value: unknown;
  errors: PolicyError[];
  locate: Locate;
}

export function loadYaml(text: string, file: string): Loaded {
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
