// api/decision-json.ts writes a decision with the cached UTF-8 JSON of its policy's texts spliced
// in. It must be byte for byte Buffer.from(JSON.stringify(decision)) — for every question, every
// shipped version, generated facts, and decisions bent out of their usual shape — and must follow
// a new version's texts, never a cached one's.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeDecision, encodeResult, encodeResults } from '../api/decision-json.ts';
import { decide, inLanguage, LANGS, type Decision } from '../engine/decision/index.ts';
import { compilePolicy, type CompiledPolicy, buildInstitutions } from '../engine/version/index.ts';
import { parsePolicy } from '../engine/policy/index.ts';
import { parseTestFile, pickVersion } from '../engine/testing/index.ts';
import { generateLoans } from '../engine/simulation/index.ts';
import { parseInstant } from '../engine/time/index.ts';
import { loadShipped, POLICIES_DIR } from './fixtures/shipped.ts';

const shipped = loadShipped();

/** The shipped institutions, each with its versions (for their test cases). */
function institutions() {
  const parsed = [];
  for (const inst of readdirSync(POLICIES_DIR, { withFileTypes: true })) {
    if (!inst.isDirectory()) continue;
    for (const f of readdirSync(join(POLICIES_DIR, inst.name)).sort()) {
      if (!/\.ya?ml$/.test(f)) continue;
      parsed.push({ doc: parsePolicy(readFileSync(join(POLICIES_DIR, inst.name, f), 'utf8'), f).doc, file: f });
    }
  }
  return buildInstitutions(parsed).institutions;
}

const same = (d: Decision, p: CompiledPolicy) => expect(encodeDecision(d, p).toString('utf8')).toBe(JSON.stringify(d));
/** Also in each language alone, as a desk that sends Accept-Language reads it. */
const sameInEach = (d: Decision, p: CompiledPolicy) => {
  same(d, p);
  for (const lang of LANGS) expect(encodeDecision(d, p, lang).toString('utf8'), lang).toBe(JSON.stringify(inLanguage(d, lang)));
};

describe('encodeDecision', () => {
  it('writes every shipped test case’s decision exactly as JSON.stringify, traced or not', () => {
    let n = 0;
    for (const inst of institutions().values()) {
      const file = join(POLICIES_DIR, inst.id, 'tests', 'cases.yaml');
      if (!existsSync(file)) continue;
      for (const c of parseTestFile(readFileSync(file, 'utf8'), file).doc.cases) {
        const at = parseInstant(c.at);
        let p: CompiledPolicy;
        try {
          p = pickVersion(inst, at, c.version);
        } catch {
          continue;
        }
        for (const trace of [false, true]) {
          let d: Decision;
          try {
            d = decide(p, c.question, c.facts as never, at, { trace });
          } catch {
            continue; // facts the engine refuses: no decision to write
          }
          const bytes = encodeDecision(d, p);
          expect(bytes.equals(Buffer.from(JSON.stringify(d))), `${inst.id}: ${c.name}`).toBe(true);
          for (const lang of LANGS) expect(encodeDecision(d, p, lang).equals(Buffer.from(JSON.stringify(inLanguage(d, lang)))), `${inst.id}: ${c.name} (${lang})`).toBe(true);
          n++;
        }
      }
    }
    expect(n).toBeGreaterThan(100);
  });

  it('writes generated checkouts and returns of every shipped version exactly as JSON.stringify', () => {
    let withAssumptions = 0;
    for (const p of shipped.versions) {
      for (const c of generateLoans(p, 300, 7)) {
        let d: Decision;
        try {
          d = decide(p, c.question, c.facts as never, parseInstant(c.at));
        } catch {
          continue;
        }
        if (d.assumptions.length) withAssumptions++;
        sameInEach(d, p);
      }
    }
    expect(withAssumptions).toBeGreaterThan(100);
  });

  it('writes decisions bent out of shape exactly as JSON.stringify: texts of its own, escapes, odd values, extra keys', () => {
    const p = shipped.versions.find((v) => Object.keys(v.doc.assumptions ?? {}).length > 1)!;
    const [id1, id2] = Object.keys(p.doc.assumptions!) as [string, string];
    const text1 = p.doc.assumptions![id1]!;
    const base = decide(p, 'checkout', { patron: { category: Object.keys(p.doc.patron_categories!)[0]! }, item: { status: Object.keys(p.doc.item_statuses!)[0]! } } as never, parseInstant('2026-11-23T10:00:00+01:00'));
    const odd = 'quote " backslash \\ newline \n tab \t nul \u0000 del \u007f emoji 📚 lone \ud800 end \udfff zażółć §';
    const variants: Decision[] = [
      base,
      // A reason and assumptions with texts that are not the version's (equal, but other objects).
      {
        ...base,
        reasons: [{ code: 'X', kind: 'note', message: { ...text1 }, cite: odd, assumptions: [id1, odd] }],
        assumptions: [{ id: id1, text: { en: odd, pl: odd } }, { id: 'unknown', text: { en: 'unknown', pl: 'unknown' } }, { id: id2, text: p.doc.assumptions![id2]! }],
      },
      // An assumption with an extra key, or its keys in another order; a reason with an extra key.
      {
        ...base,
        reasons: [{ code: odd, kind: 'refusal', message: text1, extra: [1, undefined, () => 1, null], skip: undefined } as never],
        assumptions: [{ id: id1, text: text1, note: 'x' } as never, { text: text1, id: id1 } as never],
      },
      // Values of every kind; a citation list with odd members; the policy named otherwise.
      {
        ...base,
        values: { n: 1.5, neg: -0, big: 1e21, nan: NaN, inf: -Infinity, t: true, f: false, nil: null, u: undefined, s: odd, date: new Date(0), nested: { a: [1, 'b', { c: odd }] } },
        citations: [odd, '§ 1', undefined as never, 3 as never],
        policy: { ...base.policy, version: 'other' },
      },
      { ...base, policy: { hash: base.policy.hash, version: base.policy.version, institution: base.policy.institution } },
      { ...base, policy: { ...base.policy, extra: 1 } as never },
      // Not the usual containers.
      { ...base, reasons: 'none' as never, assumptions: { 0: text1 } as never },
      { ...base, reasons: [null, 1, 'x', [text1]] as never, assumptions: [null, text1, [1]] as never },
      { trace: ['a', odd], ...base, question: odd as never },
      // Keys that name things on Object.prototype.
      { ...base, reasons: [JSON.parse(`{"constructor":1,"toString":"x","__proto__":{"a":1},"message":${JSON.stringify(text1)}}`)], ...JSON.parse('{"hasOwnProperty":2}') },
    ];
    for (const d of variants) same(d, p);
    // Texts of its own and escapes, in one language too.
    for (const d of variants.slice(0, 2)) sameInEach(d, p);
  });

  it('follows a new version’s texts: the cache belongs to each compiled version', () => {
    const p = shipped.versions.find((v) => Object.keys(v.doc.assumptions ?? {}).length > 0)!;
    const [id] = Object.keys(p.doc.assumptions!) as [string];
    const changed = compilePolicy({ ...p.doc, assumptions: { ...p.doc.assumptions, [id]: { en: 'Changed.', pl: 'Zmienione.' } } });
    const d1: Decision = { ...decide(p, 'standing', { patron: { category: Object.keys(p.doc.patron_categories!)[0]! } } as never, Date.now()), assumptions: [{ id, text: p.doc.assumptions![id]! }] };
    const d2: Decision = { ...d1, assumptions: [{ id, text: changed.doc.assumptions![id]! }] };
    same(d1, p);
    same(d2, changed);
    expect(encodeDecision(d2, changed).toString()).toContain('Zmienione.');
    // Under the old version's cache, the new text is not the cached one: it is written as it is.
    same(d2, p);
  });

  it('writes a batch of decisions and problems as JSON.stringify({ results })', () => {
    const p = shipped.versions[0]!;
    const cases = generateLoans(p, 50, 3);
    const results: Array<{ decision: Decision; policy: CompiledPolicy } | { problem: object }> = [];
    const plain: unknown[] = [];
    for (const c of cases) {
      try {
        const decision = decide(p, c.question, c.facts as never, parseInstant(c.at));
        results.push({ decision, policy: p });
        plain.push(decision);
      } catch (e) {
        const problem = { type: '/api/problems/invalid-facts', title: 'x', status: 422, detail: (e as Error).message };
        results.push({ problem });
        plain.push(problem);
      }
    }
    results.push({ problem: { type: '/api/problems/no-version', detail: 'zażółć "q"' } });
    plain.push({ type: '/api/problems/no-version', detail: 'zażółć "q"' });
    expect(encodeResults(results.map((r) => encodeResult(r))).toString()).toBe(JSON.stringify({ results: plain }));
    expect(encodeResults([]).toString()).toBe('{"results":[]}');
  });

  it('starts afresh after a decision that cannot be written (as JSON.stringify, it throws)', () => {
    const p = shipped.versions[0]!;
    const [a] = generateLoans(p, 1, 5).map((c) => decide(p, c.question, c.facts as never, parseInstant(c.at)));
    expect(() => encodeDecision({ ...a!, values: { n: 1n } }, p)).toThrow(TypeError);
    same(a!, p);
  });

  it('gives each call its own bytes (the scratch space is reused, the result is not)', () => {
    const p = shipped.versions[0]!;
    const [a, b] = generateLoans(p, 2, 11).map((c) => decide(p, c.question, c.facts as never, parseInstant(c.at)));
    const first = encodeDecision(a!, p);
    const copy = Buffer.from(first);
    encodeDecision(b!, p);
    expect(first.equals(copy)).toBe(true);
  });
});
