// YAML text to a value, with a locator from JSON pointers back to lines and columns.
import { isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Document } from 'yaml';
import { codePoint, unstorable } from '../errors/quote.ts';
import { pointerSegments, type Locate, type PolicyError, type Position } from '../errors/place.ts';

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

// What YAML itself does not allow in a stream (its c-printable set): control characters but tab,
// line feed and carriage return; DEL and the C1 controls but NEL; U+FFFE, U+FFFF; a surrogate
// that is not half of a pair.
const NOT_PRINTABLE = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * YAML text to a value, refusing with line and column what a policy or test file never needs and
 * what no store can keep: characters YAML does not allow, escapes to U+0000 or a lone surrogate,
 * and aliases (`*name`). A policy states every entry where it stands, with its own citation: an
 * alias would make one entry silently say what another says (and change with it), a
 * self-referencing one (`&r [ *r ]`) has no value at all, and a few nested ones expand a small
 * text into millions of nodes. So they are refused, not resolved within a bound.
 */
export function loadYaml(text: string, file: string): Loaded {
  const lc = new LineCounter();
  const at = (offset: number, pointer: string, message: string): PolicyError => {
    const { line, col } = lc.linePos(offset);
    return { file, line, column: col, pointer, message };
  };
  const bad = NOT_PRINTABLE.exec(text);
  if (bad) {
    // The line counter learns the text as it is parsed; count here instead.
    const before = text.slice(0, bad.index).split('\n');
    const position = { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
    return { value: undefined, errors: [{ file, ...position, pointer: '', message: `YAML: the character ${codePoint(bad[0])} is not allowed in YAML text` }], locate: () => position };
  }
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  const locate = yamlLocator(doc, lc);
  const errors = doc.errors.map((e) => at(e.pos[0], '', `YAML syntax: ${e.message}`));
  if (errors.length) return { value: undefined, errors, locate };
  visit(doc, {
    Alias(_, node) {
      errors.push(at(node.range?.[0] ?? 0, '', `YAML: the alias *${node.source} is not allowed: write the value out where it is used (a policy states each entry in full)`));
    },
    Scalar(_, node) {
      // What an escape may still make ("\0", "\ud800").
      const bad = typeof node.value === 'string' ? unstorable(node.value) : undefined;
      if (bad) errors.push(at(node.range?.[0] ?? 0, '', `YAML: this text holds ${bad}, which no stored text can (an escape such as "\\0" or "\\ud800"?)`));
    },
  });
  if (errors.length) return { value: undefined, errors, locate };
  try {
    return { value: doc.toJS(), errors, locate };
  } catch (e) {
    return { value: undefined, errors: [{ file, line: 1, column: 1, pointer: '', message: `YAML: ${(e as Error).message}` }], locate };
  }
}
