// A decision as UTF-8 JSON bytes, cheaply. Most of a decision's bytes are texts that never change
// within a policy version — every assumption's text and every rule's message, in English and
// Polish — and Polish text is costly to serialize and to encode on every request (JSON escaping,
// then UTF-16 → UTF-8). So each compiled version keeps, once, the UTF-8 JSON of each of its
// texts, and a decision is written with those bytes spliced in where its reasons and assumptions
// point at the very same text objects.
//
// The output is byte for byte Buffer.from(JSON.stringify(decision)) — or, for a desk that asked
// for one language, of inLanguage(decision, lang) — (tests/decision-json.test.ts checks it over
// every question and institution): same keys, same order, same escaping; nothing is shortened or
// left out. Texts made for one decision (messages rendered with its numbers) are not in the cache
// and are serialized as usual.
//
// The cache is keyed by the compiled version (a WeakMap: it goes when the version is dropped from
// the PolicyCache, e.g. on a publish) and the language, and inside it by the identity of each text
// object —
// compiled versions are read-only, so an object's JSON cannot change while it is cached. Memory
// is bounded by the texts of the versions in memory (about their size again, as UTF-8).
import { textIn, type Decision } from '../engine/decision/index.ts';
import type { CompiledPolicy } from '../engine/version/index.ts';
import type { Text } from '../engine/policy/index.ts';
import type { Lang } from '../engine/words/index.ts';

interface Statics {
  /** The one language asked for; undefined: all. */
  lang: Lang | undefined;
  /** The UTF-8 JSON of each text-like object of the version (in `lang`), by identity. */
  texts: Map<object, Buffer>;
  /** The version's assumptions by id: the text object, and `{"id":…,"text":…}` as UTF-8 JSON. */
  assumptions: Map<string, { text: object; json: Buffer }>;
  /** The decision's `policy` part for this version, and its JSON. */
  policy: { institution: string; version: string; hash: string; json: Buffer };
}

const byPolicy = new WeakMap<CompiledPolicy, Map<Lang | undefined, Statics>>();

/** A text-like object: a record whose every value is a string ({ en, pl }). */
function isText(o: object): boolean {
  let n = 0;
  for (const k in o) {
    if (typeof (o as Record<string, unknown>)[k] !== 'string') return false;
    n++;
  }
  return n > 0;
}

/** Every text-like object reachable from the version's document and rules, with its UTF-8 JSON. */
function collect(p: CompiledPolicy, lang: Lang | undefined): Statics {
  const narrow = (t: object): object => (lang ? textIn(t as Text, lang) : t);
  const texts = new Map<object, Buffer>();
  const seen = new Set<object>();
  const walk = (v: unknown): void => {
    if (v === null || typeof v !== 'object' || seen.has(v)) return;
    seen.add(v);
    if (Array.isArray(v)) {
      for (const x of v) walk(x);
      return;
    }
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return; // plain data only
    if (isText(v)) {
      texts.set(v, Buffer.from(JSON.stringify(narrow(v))));
      return;
    }
    for (const k in v) walk((v as Record<string, unknown>)[k]);
  };
  walk(p.doc);
  for (const r of p.rules) walk(r.event);
  const assumptions = new Map<string, { text: object; json: Buffer }>();
  for (const [id, text] of Object.entries(p.doc.assumptions ?? {})) {
    if (text && typeof text === 'object') assumptions.set(id, { text, json: Buffer.from(JSON.stringify({ id, text: narrow(text) })) });
  }
  const policy = { institution: p.institution, version: p.version, hash: p.hash };
  return { lang, texts, assumptions, policy: { ...policy, json: Buffer.from(JSON.stringify(policy)) } };
}

function staticsOf(p: CompiledPolicy, lang: Lang | undefined): Statics {
  let byLang = byPolicy.get(p);
  if (!byLang) byPolicy.set(p, (byLang = new Map()));
  let s = byLang.get(lang);
  if (!s) byLang.set(lang, (s = collect(p, lang)));
  return s;
}

/** A text-like value in the statics' language (as inLanguage narrows it). */
function narrowed(v: unknown, statics: Statics): unknown {
  return statics.lang && v !== null && typeof v === 'object' ? textIn(v as Text, statics.lang) : v;
}

/** Writes UTF-8 into one growing scratch buffer; `take()` copies the result out. */
class Writer {
  private buf = Buffer.allocUnsafe(64 * 1024);
  private pos = 0;

  /** A string as UTF-8. Short ones are encoded here: a native call costs more than the loop. */
  str(s: string): void {
    const n = s.length;
    this.ensure(n * 3);
    const b = this.buf;
    if (n > 256) {
      this.pos += b.write(s, this.pos);
      return;
    }
    let p = this.pos;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x80) b[p++] = c;
      else if (c < 0xd800 || c >= 0xe000) p = putMultiByte(b, p, c);
      else {
        // A surrogate pair: the rest natively.
        p += b.write(s.slice(i), p);
        break;
      }
    }
    this.pos = p;
  }

  /** A string as JSON (JSON.stringify(s)), written here when short and with nothing to escape. */
  json(s: string): void {
    const n = s.length;
    if (n > 256) return this.str(JSON.stringify(s));
    this.ensure(n * 3 + 2);
    const b = this.buf;
    let p = this.pos;
    b[p++] = 0x22;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x80) {
        if (c < 0x20 || c === 0x22 || c === 0x5c) return this.str(JSON.stringify(s)); // to escape: as JSON.stringify does
        b[p++] = c;
      } else if (c < 0xd800 || c >= 0xe000) p = putMultiByte(b, p, c);
      else return this.str(JSON.stringify(s)); // surrogates (a lone one is escaped)
    }
    b[p++] = 0x22;
    this.pos = p;
  }

  bytes(src: Buffer): void {
    this.ensure(src.length);
    this.buf.set(src, this.pos);
    this.pos += src.length;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
  }

  /** Starts a new output (what a call that threw left behind is dropped). */
  begin(): void {
    this.pos = 0;
  }

  take(): Buffer<ArrayBuffer> {
    const out = Buffer.allocUnsafe(this.pos);
    this.buf.copy(out, 0, 0, this.pos);
    this.pos = 0;
    // A huge batch should not keep its scratch space for ever.
    if (this.buf.length > 4 * 1024 * 1024) this.buf = Buffer.allocUnsafe(64 * 1024);
    return out;
  }
}

// One scratch buffer for the process: encoding is synchronous, so it is never shared by two calls.
const writer = new Writer();

const keyJson = new Map<string, string>();
/** `"key":` as JSON (cached: the same few keys over and over). */
function key(k: string): string {
  let j = keyJson.get(k);
  if (j === undefined) {
    j = `${JSON.stringify(k)}:`;
    if (keyJson.size < 1000) keyJson.set(k, j);
  }
  return j;
}

function skipped(x: unknown): boolean {
  return x === undefined || typeof x === 'function' || typeof x === 'symbol';
}

/** Plain data JSON.stringify writes as it stands: an array, or an object of no class, without toJSON. */
function isPlain(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return (proto === Array.prototype || proto === Object.prototype || proto === null) && !('toJSON' in v);
}

/** An assumption `{ id, text }` whose text is the version's own: its cached JSON, else undefined. */
function cachedAssumption(a: object, statics: Statics): Buffer | undefined {
  const id = (a as { id?: unknown }).id;
  if (typeof id !== 'string') return undefined;
  const hit = statics.assumptions.get(id);
  if (!hit || (a as { text?: unknown }).text !== hit.text) return undefined;
  let n = 0;
  for (const k in a) {
    if (k !== (n === 0 ? 'id' : 'text')) return undefined;
    n++;
  }
  return n === 2 ? hit.json : undefined;
}

/** A value as JSON.stringify writes it inside an object (callers skip what it leaves out). */
function plain(w: Writer, v: unknown): void {
  if (typeof v === 'string') w.json(v);
  else if (Array.isArray(v) && isPlain(v)) {
    // Lists of strings (citations) without a native call per list.
    w.str('[');
    for (let i = 0; i < v.length; i++) {
      if (i > 0) w.str(',');
      const x: unknown = v[i];
      if (typeof x === 'string') w.json(x);
      else if (skipped(x)) w.str('null');
      else w.str(JSON.stringify(x));
    }
    w.str(']');
  } else w.str(JSON.stringify(v)); // objects: the native serializer is faster than a walk here
}

/** A text: its cached JSON when it is one of the version's own, else as usual. */
function text(w: Writer, v: unknown, statics: Statics): void {
  const hit = v !== null && typeof v === 'object' ? statics.texts.get(v) : undefined;
  if (hit) w.bytes(hit);
  else plain(w, narrowed(v, statics));
}

/** A list of assumptions: the cached `{"id":…,"text":…}` of each that is the version's own. */
function assumptions(w: Writer, v: unknown, statics: Statics): void {
  if (!Array.isArray(v) || !isPlain(v)) return plain(w, v);
  w.str('[');
  for (let i = 0; i < v.length; i++) {
    if (i > 0) w.str(',');
    const a: unknown = v[i];
    const hit = a !== null && typeof a === 'object' && isPlain(a) ? cachedAssumption(a, statics) : undefined;
    if (hit) w.bytes(hit);
    else if (skipped(a)) w.str('null');
    else if (statics.lang && a !== null && typeof a === 'object' && 'text' in a) plain(w, { ...a, text: narrowed(a.text, statics) });
    else plain(w, a);
  }
  w.str(']');
}

/** An object key by key, each value by `part(key)` — the way JSON.stringify orders and skips them. */
function object(w: Writer, o: object, statics: Statics, part: (k: string) => Part | undefined): void {
  w.str('{');
  let first = true;
  for (const k in o) {
    const x = (o as Record<string, unknown>)[k];
    if (skipped(x)) continue;
    if (!first) w.str(',');
    first = false;
    w.str(key(k));
    const how = part(k);
    if (how === undefined) plain(w, x);
    else how(w, x, statics);
  }
  w.str('}');
}

type Part = (w: Writer, v: unknown, statics: Statics) => void;

// Maps, not object literals: a key such as "constructor" must not find Object.prototype's.
const REASON_PARTS = new Map<string, Part>([['message', text]]);
const reasonPart = (k: string): Part | undefined => REASON_PARTS.get(k);

function reasons(w: Writer, v: unknown, statics: Statics): void {
  if (!Array.isArray(v) || !isPlain(v)) return plain(w, v);
  w.str('[');
  for (let i = 0; i < v.length; i++) {
    if (i > 0) w.str(',');
    const r: unknown = v[i];
    if (r !== null && typeof r === 'object' && !Array.isArray(r) && isPlain(r)) object(w, r, statics, reasonPart);
    else if (skipped(r)) w.str('null');
    else plain(w, r);
  }
  w.str(']');
}

/** The version a decision names: cached when it is `{ institution, version, hash }` of the version. */
function policy(w: Writer, v: unknown, statics: Statics): void {
  const p = statics.policy;
  if (v !== null && typeof v === 'object' && isPlain(v) && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    if (o.institution === p.institution && o.version === p.version && o.hash === p.hash) {
      let n = 0;
      for (const k in o) {
        if (k !== (n === 0 ? 'institution' : n === 1 ? 'version' : 'hash')) return plain(w, v);
        n++;
      }
      if (n === 3) return w.bytes(p.json);
    }
  }
  plain(w, v);
}

const DECISION_PARTS = new Map<string, Part>([
  ['reasons', reasons],
  ['assumptions', assumptions],
  ['policy', policy],
]);
const decisionPart = (k: string): Part | undefined => DECISION_PARTS.get(k);

function writeDecision(w: Writer, d: Decision, statics: Statics): void {
  object(w, d, statics, decisionPart);
}

/** The decision's JSON as UTF-8 bytes: exactly Buffer.from(JSON.stringify(lang ? inLanguage(decision, lang) : decision)). */
export function encodeDecision(d: Decision, p: CompiledPolicy, lang?: Lang): Buffer<ArrayBuffer> {
  writer.begin();
  writeDecision(writer, d, staticsOf(p, lang));
  return writer.take();
}

/** One result of a batch — a decision (with the version it was decided under) or a problem — as UTF-8 JSON. */
export function encodeResult(r: { decision: Decision; policy: CompiledPolicy } | { problem: object }, lang?: Lang): Buffer<ArrayBuffer> {
  return 'decision' in r ? encodeDecision(r.decision, r.policy, lang) : Buffer.from(JSON.stringify(r.problem));
}

const OPEN = Buffer.from('{"results":[');
const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']}');

/**
 * Results encoded one by one (encodeResult) as `{"results":[…]}`. A batch encodes each result as
 * it is decided, so it holds bytes, never the decisions themselves, and can yield in between (the
 * scratch writer is then free for other requests).
 */
export function encodeResults(parts: readonly Buffer[]): Buffer<ArrayBuffer> {
  const list: Buffer[] = [OPEN];
  parts.forEach((p, i) => list.push(...(i > 0 ? [COMMA, p] : [p])));
  list.push(CLOSE);
  return Buffer.concat(list) as Buffer<ArrayBuffer>;
}

/** UTF-8 of a code unit from U+0080 to U+FFFF outside the surrogates; the next write position. */
function putMultiByte(b: Buffer, p: number, c: number): number {
  if (c < 0x800) {
    b[p++] = 0xc0 | (c >> 6);
  } else {
    b[p++] = 0xe0 | (c >> 12);
    b[p++] = 0x80 | ((c >> 6) & 0x3f);
  }
  b[p++] = 0x80 | (c & 0x3f);
  return p;
}
