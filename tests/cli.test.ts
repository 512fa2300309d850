// The regula command end to end: spawned as a user runs it, on small policies in a temp folder.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';

const BIN = resolve(import.meta.dirname, '../bin/regula.js');
const SHIPPED = resolve(import.meta.dirname, '../policies');

// Every test starts node processes (about half a second each, more when the suite runs in parallel).
vi.setConfig({ testTimeout: 30_000 });

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

let root: string;

function regula(args: string[], input?: string): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: root, encoding: 'utf8', input, env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function write(path: string, text: string): string {
  const file = join(root, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

const POLICY = `institution: demo
name: Demo Library
version: "1"
effective_from: "2025-10-01T00:00:00+02:00"
status: published
source: { title: Regulamin }
calendars:
  main:
    hours: { mon-fri: "08:00-20:00" }
patron_categories:
  phd: { label: { en: PhD students, pl: Doktoranci }, cite: § 4 }
  staff: { label: { en: Staff, pl: Pracownicy }, cite: § 4 }
item_statuses:
  regular: { label: { en: Regular, pl: Zwykły }, loan_types: [long-term] }
loan_types:
  long-term:
    label: { en: long-term, pl: długoterminowe }
    due: { kind: period, days: 30, cite: § 6 }
limits:
  phd-long: { categories: [phd], loan_types: [long-term], max: 10, cite: § 7 }
`;

// Amends version 1: the PhD limit goes up from 2026-10-01.
const AMENDMENT = `institution: demo
version: "2"
amends: "1"
effective_from: "2026-10-01T00:00:00+02:00"
status: published
source: { title: Zmiana regulaminu }
limits:
  phd-long: { max: 12 }
`;

const CASES = `cases:
  - name: PhD student under the limit borrows for 30 days
    cite: § 7
    question: checkout
    at: "2025-11-24T10:00:00+01:00"
    facts:
      patron: { category: phd, loans: { long-term: 3 } }
      item: { status: regular }
    expect:
      outcome: allow
      values: { due: "2025-12-24T23:59:59+01:00" }
  - name: The 11th volume is refused under version 1
    cite: § 7
    question: checkout
    at: "2025-11-24T10:00:00+01:00"
    facts:
      patron: { category: phd, loans: { long-term: 10 } }
      item: { status: regular }
    expect:
      outcome: refuse
      reasons: [LIMIT_REACHED]
`;

const FACTS = JSON.stringify({ patron: { category: 'phd', loans: { 'long-term': 3 } }, item: { status: 'regular' } });

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'regula-cli-'));
  write('policies/demo/1.yaml', POLICY);
  write('policies/demo/2.yaml', AMENDMENT);
  write('policies/demo/tests/cases.yaml', CASES);
  write('facts.json', FACTS);
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('regula', () => {
  it('prints help and exits 0 with --help, on the command and on each verb', () => {
    const top = regula(['--help']);
    expect(top.status).toBe(0);
    expect(top.stdout).toContain('Usage: regula <command>');
    for (const verb of ['validate', 'test', 'decide', 'consolidate', 'diff', 'simulate']) {
      const r = regula([verb, '--help']);
      expect(r.status, verb).toBe(0);
      expect(r.stdout, verb).toContain(`Usage: regula ${verb}`);
    }
  });

  it('exits 2 on an unknown verb or flag', () => {
    const verb = regula(['frobnicate']);
    expect(verb.status).toBe(2);
    expect(verb.stderr).toContain('unknown command "frobnicate"');
    const flag = regula(['validate', '--frob', 'policies']);
    expect(flag.status).toBe(2);
    expect(flag.stderr).toContain('--frob');
  });

  it('exits 2 when a path does not exist', () => {
    const r = regula(['validate', 'nowhere']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('nowhere: no such file or folder');
  });
});

describe('regula validate', () => {
  it('passes valid policies and test files with exit 0, and warns about gaps', () => {
    const r = regula(['validate', 'policies']);
    expect(r.stdout).toContain('3 files checked: no errors');
    // Staff have no limit for long-term loans: a gap, reported but not an error.
    expect(r.stdout).toContain('warning: Staff × long-term (staff × long-term): no limit covers it');
    expect(r.status).toBe(0);
  });

  it('warns about a limit an overall cap makes unreachable: the amendment raising it changes nothing', () => {
    write('capped/demo/1.yaml', POLICY.replace('limits:\n', 'limits:\n  all: { categories: "*", loan_types: "*", max: 8, cite: § 8 }\n'));
    write('capped/demo/2.yaml', AMENDMENT);
    const r = regula(['validate', 'capped']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('capped/demo/1.yaml: warning: limit phd-long (§ 7) never refuses on its own: all (§ 8) covers every loan it covers (all categories × all loan types) with max 8 ≤ 10');
    expect(r.stdout).toContain('capped/demo/2.yaml: warning: limit phd-long (§ 7) never refuses on its own: all (§ 8) covers every loan it covers (all categories × all loan types) with max 8 ≤ 12, so it refuses first — raising phd-long changes nothing');
  });

  it('reports a broken policy as file:line:column with exit 1', () => {
    write('broken/demo/1.yaml', POLICY.replace('max: 10', 'max: ten'));
    const r = regula(['validate', 'broken']);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^broken\/demo\/1\.yaml:\d+:\d+: .*limits\.phd-long\.max/m);
  });

  it('reports a YAML syntax error with its position', () => {
    write('syntax/demo/1.yaml', 'institution: demo\nname: [unclosed\n');
    const r = regula(['validate', 'syntax/demo/1.yaml']);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^syntax\/demo\/1\.yaml:\d+:\d+: YAML syntax/m);
  });
});

describe('regula test', () => {
  it('passes the cases and ends with the tally', () => {
    const r = regula(['test', 'policies']);
    expect(r.status).toBe(0);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('2 passed, 0 failed');
  });

  it('lists passing cases with -v', () => {
    const r = regula(['test', '-v', 'policies/demo/tests/cases.yaml']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('ok    policies/demo/tests/cases.yaml: PhD student under the limit borrows for 30 days');
  });

  it('prints the failing case with its failures and cite, and exits 1', () => {
    write('failing/demo/1.yaml', POLICY);
    write('failing/demo/tests/cases.yaml', CASES.replace('outcome: refuse', 'outcome: allow'));
    const r = regula(['test', 'failing']);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('FAIL  failing/demo/tests/cases.yaml: The 11th volume is refused under version 1 [§ 7]');
    expect(r.stdout).toContain('outcome: expected allow, got refuse');
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('1 passed, 1 failed');
  });
});

describe('regula decide', () => {
  it('prints the Decision object with --json', () => {
    const r = regula(['decide', 'demo', 'checkout', '--at', '2025-11-24T10:00:00+01:00', '--facts', 'facts.json', '--json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(d).toMatchObject({
      question: 'checkout',
      outcome: 'allow',
      values: { loan_type: 'long-term', due: '2025-12-24T23:59:59+01:00' },
      at: '2025-11-24T10:00:00+01:00',
      policy: { institution: 'demo', version: '1' },
    });
    expect(d.policy.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(Array.isArray(d.reasons)).toBe(true);
    expect(d.citations).toContain('§ 6');
    expect(Object.keys(d.reasons[0].message)).toEqual(['en', 'pl']);
    // As the API with Accept-Language: --lang narrows the JSON's texts to one language.
    const pl = JSON.parse(regula(['decide', 'demo', 'checkout', '--at', '2025-11-24T10:00:00+01:00', '--facts', 'facts.json', '--json', '--lang', 'pl']).stdout);
    expect(pl.reasons.map((r: { message: object }) => r.message)).toEqual(d.reasons.map((r: { message: { pl: string } }) => ({ pl: r.message.pl })));
    expect({ ...pl, reasons: d.reasons, assumption_texts: d.assumption_texts }).toEqual(d);
  });

  it('names the assumptions by id and gives their texts, from the version (--json: assumption_texts)', () => {
    const args = ['decide', 'sum', 'checkout', '--policies', SHIPPED, '--at', '2026-11-23T10:00:00+01:00', '--facts', resolve(import.meta.dirname, '../examples/sum-checkout.json')];
    const d = JSON.parse(regula([...args, '--json']).stdout);
    const doc = parse(readFileSync(join(SHIPPED, 'sum/139-2013.yaml'), 'utf8')) as { assumptions: Record<string, object> };
    expect(d.assumptions.length).toBeGreaterThan(0);
    expect(Object.keys(d.assumption_texts)).toEqual(d.assumptions);
    for (const id of d.assumptions) expect(d.assumption_texts[id], id).toEqual(doc.assumptions[id]);
    const text = regula([...args, '--lang', 'pl']).stdout;
    for (const id of d.assumptions) expect(text).toContain(`  ${id}: ${d.assumption_texts[id].pl}`);
  });

  it('follows the version in force: the amendment raises the limit', () => {
    const facts = JSON.stringify({ patron: { category: 'phd', loans: { 'long-term': 10 } }, item: { status: 'regular' } });
    const before = regula(['decide', 'demo', 'checkout', '--at', '2026-09-30T10:00:00+02:00', '--facts', '-', '--json'], facts);
    const after = regula(['decide', 'demo', 'checkout', '--at', '2026-10-01T10:00:00+02:00', '--facts', '-', '--json'], facts);
    expect(JSON.parse(before.stdout).outcome).toBe('refuse');
    expect(JSON.parse(after.stdout)).toMatchObject({ outcome: 'allow', policy: { version: '2' } });
  });

  it('prints a decision for people, in Polish on request', () => {
    const r = regula(['decide', 'demo', 'checkout', '--at', '2025-11-24T10:00:00+01:00', '--facts', 'facts.json', '--lang', 'pl']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('DOZWOLONE');
    expect(r.stdout).toMatch(/Regulamin: demo 1 \(sha256:/);
  });

  it('exits 2 with the JSON pointer when the facts name something unknown', () => {
    write('bad-facts.json', JSON.stringify({ patron: { category: 'nobody' }, item: { status: 'regular' } }));
    const r = regula(['decide', 'demo', 'checkout', '--at', '2025-11-24T10:00:00+01:00', '--facts', 'bad-facts.json']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('bad-facts.json: /patron/category: unknown patron category "nobody"');
  });

  it('exits 2 when the facts cannot be parsed, naming the place', () => {
    write('broken.json', '{ "patron": { "category": "phd" }, }');
    const r = regula(['decide', 'demo', 'checkout', '--facts', 'broken.json']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/broken\.json:1:\d+: invalid JSON/);
  });

  it('exits 2 on an unknown institution or question', () => {
    expect(regula(['decide', 'nope', 'checkout', '--facts', 'facts.json']).status).toBe(2);
    const q = regula(['decide', 'demo', 'borrow', '--facts', 'facts.json']);
    expect(q.status).toBe(2);
    expect(q.stderr).toContain('unknown question "borrow"');
  });
});

describe('regula consolidate and diff', () => {
  it('consolidates an amendment over its base', () => {
    const r = regula(['consolidate', 'policies/demo/2.yaml', '--json']);
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ version: '2', name: 'Demo Library', limits: { 'phd-long': { max: 12, categories: ['phd'] } } });
    expect(doc.amends).toBeUndefined();
  });

  it('prints the changes in words', () => {
    const r = regula(['diff', 'policies/demo/1.yaml', 'policies/demo/2.yaml']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('PhD students, long-term: limit 10 → 12');
    expect(r.stdout).toContain('Effective from 2025-10-01 → 2026-10-01');
    const pl = regula(['diff', '--lang', 'pl', 'policies/demo/1.yaml', 'policies/demo/2.yaml']);
    expect(pl.stdout).toContain('Doktoranci, długoterminowe: limit 10 → 12');
    const json = JSON.parse(regula(['diff', '--json', 'policies/demo/1.yaml', 'policies/demo/2.yaml']).stdout);
    expect(json).toContainEqual(expect.objectContaining({ path: 'limits.phd-long.max', kind: 'changed', before: 10, after: 12 }));
  });
});

describe('regula simulate', () => {
  it('prints totals and the differing cases', () => {
    const at = '2026-11-23T10:00:00+01:00';
    const cases = [10, 12].map((n) => ({ id: `phd-${n}`, question: 'checkout', at, facts: { patron: { category: 'phd', loans: { 'long-term': n } }, item: { status: 'regular' } } }));
    write('cases.json', JSON.stringify(cases));
    const r = regula(['simulate', 'policies/demo/1.yaml', 'policies/demo/2.yaml', '--cases', 'cases.json']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('2 cases, 1 differ');
    expect(r.stdout).toContain('phd-10 (checkout): refused → allowed');
    const json = JSON.parse(regula(['simulate', 'policies/demo/1.yaml', 'policies/demo/2.yaml', '--cases', 'cases.json', '--json']).stdout);
    expect(json).toMatchObject({ cases: 2, differing: 1, totals: { delta: { refusals: -1 } } });
  });
});

describe('the README’s examples, as written', () => {
  const ROOT = resolve(import.meta.dirname, '..');
  const inRoot = (args: string[]) => {
    const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  it('diff and simulate a draft kept under examples/ against the version it amends', () => {
    const diff = inRoot(['diff', 'policies/sum/139-2013.yaml', 'examples/sum-candidate.yaml']);
    expect(diff.status, diff.stdout + diff.stderr).toBe(0);
    expect(diff.stdout).toMatch(/SUM doctoral students, .*: limit 10 → 12/);
    const sim = inRoot(['simulate', 'policies/sum/139-2013.yaml', 'examples/sum-candidate.yaml', '--cases', 'examples/sum-loans.json']);
    expect(sim.status, sim.stdout + sim.stderr).toBe(0);
    expect(sim.stdout).toContain('6 cases, 3 differ');
    expect(sim.stdout).toContain('phd-holding-10 (checkout): refused → allowed (LIMIT_REACHED gone)');
    // The publish gate's view: the draft fails the cases that test the old limit, and says which.
    const gate = inRoot(['test', '--candidate', 'examples/sum-candidate.yaml', 'policies/sum/tests']);
    expect(gate.status).toBe(1);
    expect(gate.stdout).toMatch(/\d+ passed, 3 failed\n$/);
  });
});
