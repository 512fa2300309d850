// The publish gate tests the candidate (issue 9): a draft decides every case that pins no version,
// each case says which version decided it, publishing is refused while one fails, and the
// checklist names the changed entries no case exercises. Engine, API on both stores, and CLI.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parse, stringify } from 'yaml';
import { decide, type Decision } from '../engine/decision/index.ts';
import { compilePolicy, type CompiledPolicy, buildInstitutions, type Institution } from '../engine/version/index.ts';
import { entryObjects, parsePolicy, type PolicyDocument } from '../engine/policy/index.ts';
import { parseTestFile, candidateIn, pickVersion, runCase, uncoveredChanges, type TestCase } from '../engine/testing/index.ts';
import { collect, institutionOf, readPolicies, readTests } from '../io/policy-files.ts';
import { parseInstant } from '../engine/time/index.ts';
import { BACKENDS, call, enc, makeHarness, POLICIES, type Harness } from './support/api.ts';

// A harness opens a store (PGlite, or a PostgreSQL schema) and seeds it: seconds on a busy machine;
// the limits, as in the other API suites, are for hangs.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 120_000 });

const ROOT = resolve(import.meta.dirname, '..');
const SHIPPED_SUM_TESTS = readFileSync(join(POLICIES, 'sum', 'tests', 'cases.yaml'), 'utf8');
const AT_10 = 'PhD student at the limit of 10 is refused the 11th volume';

/** The draft of the issue: SUM's PhD limit 10 → 12 from 2027, amending 139/2013. */
const SUM_DRAFT = (label: string, extra = '') => `institution: sum
version: "${label}"
amends: "139/2013"
effective_from: "2027-01-01T00:00:00+01:00"
status: draft
source: { title: Zarządzenie ${label}, number: Zarządzenie Nr ${label}, date: "2027-01-01" }
limits:
  phd-students:
    max: 12
${extra}`;

interface Case {
  name: string;
  version?: string;
  facts: { patron: { loans?: Record<string, number> } };
  expect: { values?: { limits?: Record<string, { max: number; left: number }> } };
}

/**
 * The shipped tests corrected for the limit of 12: the case at 10 is kept, pinned to 139/2013
 * (where it still holds), and its twin at 12 is added; the cases that count to the limit count
 * to 12. Every other case as shipped.
 */
function correctedTests(): string {
  const doc = parse(SHIPPED_SUM_TESTS) as { cases: Case[] };
  const out: Case[] = [];
  for (const c of doc.cases) {
    if (c.name === AT_10) {
      out.push({ ...c, version: '139/2013' }, { ...structuredClone(c), name: 'PhD student at the limit of 12 is refused the 13th volume', facts: { ...c.facts, patron: { ...c.facts.patron, loans: { 'long-term': 12 } } } });
      continue;
    }
    const loans = c.facts.patron?.loans;
    if (c.name.includes('PhD 8 + 1 + 1 = 10') && loans) loans['long-term'] = 10;
    const phd = c.expect.values?.limits?.['phd-students'];
    if (phd) Object.assign(phd, { max: 12, left: phd.left + 2 });
    out.push(c);
  }
  return stringify({ cases: out }, { aliasDuplicateObjects: false });
}

const CASE = (name: string, category: string, loans: number, outcome: 'allow' | 'refuse', version?: string) => `  - name: ${name}
    question: checkout
    at: 2027-02-01T10:00:00+01:00
${version ? `    version: "${version}"\n` : ''}    facts:
      patron: { category: ${category}, loans: { long-term: ${loans} }, registered: "2026-11-02" }
      item: { status: regular }
    expect:
      outcome: ${outcome}
`;

function institution(...docs: string[]): Institution {
  const versions = [readFileSync(join(POLICIES, 'sum', '139-2013.yaml'), 'utf8'), ...docs].map((text, i) => {
    const parsed = parsePolicy(text, `v${i}`);
    expect(parsed.errors).toEqual([]);
    return { doc: parsed.doc, file: `v${i}` };
  });
  const { institutions, errors } = buildInstitutions(versions);
  expect(errors).toEqual([]);
  return institutions.get('sum')!;
}

const cases = (text: string): TestCase[] => parseTestFile(text, 'tests').doc.cases;

describe('what a decision reads', () => {
  const inst = institution();
  const p = inst.versions[0]!;
  const at = parseInstant('2026-11-23T10:00:00+01:00');
  const checkout = (category: string, loans: number) =>
    decide(p, 'checkout', { patron: { category, loans: { 'long-term': loans }, registered: '2026-10-01' }, item: { status: 'regular' } }, at, { entries: true }).entries!;

  it('names the limit whose maximum a checkout compared, fired or not, and the entries its answer rests on', () => {
    for (const n of [3, 10]) expect(checkout('phd-students', n)).toEqual(expect.arrayContaining(['limits.phd-students', 'patron_categories.phd-students', 'item_statuses.regular', 'loan_types.long-term', 'blocks.overdue-items']));
    // The due date is worked out from the calendar before the limit refuses: read by both, though
    // only the loan lent rests on it (names its opening-hours assumption).
    for (const n of [3, 10]) expect(checkout('phd-students', n)).toContain('calendars.library');
    const refused = decide(p, 'checkout', { patron: { category: 'phd-students', loans: { 'long-term': 10 }, registered: '2026-10-01' }, item: { status: 'regular' } }, at);
    expect(refused.assumptions).not.toContain(p.doc.calendars!.library!.assumption);
  });

  it('does not name a limit whose scope the case is outside', () => {
    const staff = checkout('staff', 3);
    expect(staff).toContain('patron_categories.staff');
    expect(staff).not.toContain('limits.phd-students');
    expect(staff).not.toContain('patron_categories.phd-students');
  });

  it('names a fee only when a return is late, and the assumptions the decision names', () => {
    const ret = (returned: string) => decide(p, 'return', { loan: { loan_type: 'long-term', due: '2026-11-20T23:59:59+01:00' } }, parseInstant(returned), { entries: true });
    const late = ret('2026-11-23T10:00:00+01:00');
    expect(late.entries).toContain('fees.overdue');
    for (const id of late.assumptions) expect(late.entries).toContain(`assumptions.${id}`);
    expect(ret('2026-11-19T10:00:00+01:00').entries).not.toContain('fees.overdue');
  });

  it('is left out unless asked for', () => {
    expect(decide(p, 'standing', { patron: { category: 'staff' } }, at).entries).toBeUndefined();
  });
});

/** The entry with every number one more, every yes/no flipped, opening hours an hour shorter, the
 * rights' yearly expiry a day earlier: values a decision that read them would show. */
function perturb(v: unknown, key = ''): unknown {
  if (typeof v === 'number') return v + 1;
  if (typeof v === 'boolean') return !v;
  if (typeof v === 'string') {
    const hours = /^(\d\d:\d\d)-(\d\d):(\d\d)$/.exec(v);
    if (hours) return `${hours[1]}-${String(Number(hours[2]) - 1).padStart(2, '0')}:${hours[3]}`;
    const day = /^(\d\d)-(\d\d)$/.exec(v);
    if (day && key === 'rights_expire') return `${day[1]}-${String(Math.max(1, Number(day[2]) - 1)).padStart(2, '0')}`;
    return v;
  }
  if (Array.isArray(v)) return v.map((x) => perturb(x, key));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, k === 'cite' || k === 'assumption' || k === 'label' ? x : perturb(x, k)]));
  return v;
}

describe('what a decision reads, checked on every shipped case', () => {
  const src = collect([POLICIES]);
  const policies = readPolicies(src.policies);
  const { institutions } = buildInstitutions(policies.versions);
  const tests = readTests(src.tests);
  const answer = (d: Decision) => JSON.stringify({ outcome: d.outcome, values: d.values, reasons: d.reasons.map((r) => r.code).sort() });

  it('leaves out no entry that changes the decision: each one left out, perturbed, gives the same answer', () => {
    const unsound: string[] = [];
    let compared = 0;
    const variants = new Map<CompiledPolicy, Array<[string, CompiledPolicy]>>();
    for (const t of tests.tests) {
      const inst = institutions.get(institutionOf(t.folder, policies.versions))!;
      for (const c of t.cases) {
        const at = parseInstant(c.at);
        const p = pickVersion(inst, at, c.version);
        let d: Decision;
        try {
          d = decide(p, c.question, c.facts as never, at, { entries: true });
        } catch {
          continue; // a case that expects bad facts
        }
        if (!variants.has(p)) {
          const list: Array<[string, CompiledPolicy]> = [];
          for (const entry of new Set(entryObjects(p.doc).values())) {
            const doc = structuredClone(p.doc) as unknown as Record<string, Record<string, unknown>>;
            const [section, id] = entry.split('.') as [string, string | undefined];
            if (id === undefined) (doc as Record<string, unknown>)[section] = perturb(doc[section]);
            else doc[section]![id] = perturb(doc[section]![id]);
            try {
              list.push([entry, compilePolicy(doc as unknown as PolicyDocument)]);
            } catch {
              // A perturbation the policy cannot take (it no longer compiles) tests nothing.
            }
          }
          variants.set(p, list);
        }
        for (const [entry, q] of variants.get(p)!) {
          if (d.entries!.includes(entry)) continue;
          let other: string;
          try {
            other = answer(decide(q, c.question, c.facts as never, at));
          } catch (e) {
            other = `refused to decide: ${(e as Error).message}`;
          }
          compared++;
          if (other !== answer(d)) unsound.push(`${inst.id} ${p.version}, "${c.name}": ${entry} is not named, yet changes the answer`);
        }
      }
    }
    expect(unsound).toEqual([]);
    expect(compared).toBeGreaterThan(10_000);
  });
});

describe('a candidate run in the engine', () => {
  it('decides the shipped cases under the draft: the limit-of-10 case fails, decided under the candidate', () => {
    const inst = institution(SUM_DRAFT('1/2027'));
    const cand = candidateIn(inst, '1/2027')!;
    expect(cand.replaces?.version).toBe('139/2013');
    const results = cases(SHIPPED_SUM_TESTS).map((c) => runCase(inst, c, 'tests', cand));
    const at10 = results.find((r) => r.name === AT_10)!;
    expect(at10).toMatchObject({ passed: false, under: { version: '1/2027', candidate: true, chosenBy: 'candidate' } });
    expect(at10.failures).toContain('outcome: expected refuse, got allow');
    // Without a candidate the same case is decided as published, under 139/2013, and passes.
    expect(runCase(inst, cases(SHIPPED_SUM_TESTS).find((c) => c.name === AT_10)!, 'tests')).toMatchObject({ passed: true, under: { version: '139/2013', candidate: false, chosenBy: 'instant' } });
  });

  it('runs a pinned case under its version, and a case from before the replaced version took effect as published', () => {
    const inst = institution(SUM_DRAFT('1/2027'));
    const cand = candidateIn(inst, '1/2027')!;
    const pinned = runCase(inst, cases(`cases:\n${CASE('pinned', 'phd-students', 10, 'refuse', '139/2013')}`)[0]!, 'tests', cand);
    expect(pinned).toMatchObject({ passed: true, under: { version: '139/2013', candidate: false, chosenBy: 'case' } });
    expect(pinned.exercises).toBeUndefined();
    const early = runCase(inst, { ...cases(`cases:\n${CASE('early', 'phd-students', 10, 'refuse')}`)[0]!, at: '2019-06-03T10:00:00+02:00' }, 'tests', cand);
    // 139/2013 took effect on 2020-01-22: nothing was in force in 2019.
    expect(early).toMatchObject({ passed: false, failures: [expect.stringMatching(/^no published version of sum is in force at 2019-06-03T10:00:00\+02:00 — versions: 139\/2013 \(published, from 2020-01-22/)] });
    expect(early.under).toBeUndefined();
  });

  it('decides every unpinned case under a candidate that replaces no version', () => {
    const inst = institution(SUM_DRAFT('1/2019').replace('2027-01-01T00:00:00+01:00', '2019-01-01T00:00:00+01:00'));
    const cand = candidateIn(inst, '1/2019')!;
    expect(cand.replaces).toBeUndefined();
    const early = runCase(inst, { ...cases(`cases:\n${CASE('early', 'phd-students', 10, 'allow')}`)[0]!, at: '2018-06-04T10:00:00+02:00' }, 'tests', cand);
    expect(early).toMatchObject({ passed: true, under: { version: '1/2019', candidate: true, chosenBy: 'candidate' } });
    // Every entry is new: those no case reads are listed.
    expect(uncoveredChanges(cand, [early]).map((u) => u.entry)).toEqual(expect.arrayContaining(['limits.staff-students', 'fees.overdue']));
  });

  it('counts a removed entry as exercised by a case it decided under the replaced version', () => {
    const inst = institution(SUM_DRAFT('1/2027').replace('  phd-students:\n    max: 12\n', '  phd-students: null\n'));
    const cand = candidateIn(inst, '1/2027')!;
    const staff = runCase(inst, cases(`cases:\n${CASE('staff', 'staff', 3, 'allow')}`)[0]!, 'tests', cand);
    expect(uncoveredChanges(cand, [staff]).map((u) => u.entry)).toEqual(['limits.phd-students']);
    const phd = runCase(inst, cases(`cases:\n${CASE('phd', 'phd-students', 3, 'refuse')}`)[0]!, 'tests', cand);
    expect(phd.exercises).toContain('limits.phd-students');
    expect(uncoveredChanges(cand, [staff, phd])).toEqual([]);
  });
});

describe.each(BACKENDS)('the publish gate on %s', (backend) => {
  let h: Harness;
  let shippedTests: string;
  const admin = () => h.keys.admin;
  const path = (label: string) => `/api/v1/institutions/sum/versions/${enc(label)}`;
  const create = async (label: string, tests: string, extra = '') => {
    const res = await call(h.app, 'POST', '/api/v1/institutions/sum/versions', { key: h.keys.editor, body: { yaml: SUM_DRAFT(label, extra), tests_yaml: tests } });
    expect(res.status, res.text).toBe(201);
    return res;
  };

  beforeAll(async () => {
    h = await makeHarness(backend);
    shippedTests = (await call(h.app, 'GET', path('139/2013'), { key: admin() })).json.tests_yaml;
    expect(parse(shippedTests).cases.some((c: { name: string }) => c.name === AT_10)).toBe(true);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('fails the draft of the issue on its own limit-of-10 case and refuses to publish it', async () => {
    await create('1/2027', shippedTests);
    const run = await call(h.app, 'POST', `${path('1/2027')}/test`, { key: h.keys.compliance });
    expect(run.status, run.text).toBe(200);
    expect(run.json).toMatchObject({ version: '1/2027', candidate: true, replaces: '139/2013' });
    expect(run.json.failed).toBeGreaterThan(0);
    const at10 = run.json.cases.find((c: { name: string }) => c.name === AT_10);
    expect(at10).toMatchObject({ passed: false, outcome: 'allow', decided_under: '1/2027', candidate: true, chosen_by: 'candidate' });
    // No shipped case is decided under 139/2013 now: each names the candidate.
    expect(run.json.cases.filter((c: { candidate: boolean }) => !c.candidate)).toEqual([]);

    const refused = await call(h.app, 'POST', `${path('1/2027')}/publish`, { key: admin() });
    expect(refused.status).toBe(422);
    expect(refused.json.type).toBe('/api/problems/tests-failing');
    expect(refused.json.detail).toContain(`"${AT_10}"`);
    expect(refused.json.detail).toContain('under 1/2027');
    expect(refused.json.failing.map((c: { name: string }) => c.name)).toContain(AT_10);
    expect(refused.json.failing.every((c: { passed: boolean; decided_under: string }) => !c.passed && c.decided_under === '1/2027')).toBe(true);
    expect((await call(h.app, 'GET', path('1/2027'), { key: admin() })).json.status).toBe('draft');
    const decided = await call(h.app, 'POST', '/api/v1/decisions/checkout', { key: h.keys.circulation, body: { institution: 'sum', at: '2027-02-01T10:00:00+01:00', facts: { patron: { category: 'phd-students', loans: { 'long-term': 10 }, registered: '2026-10-01' }, item: { status: 'regular' } } } });
    expect(decided.json.policy.version).toBe('139/2013');
  });

  it('passes and publishes the draft once its tests are corrected, the pinned case run under 139/2013', async () => {
    await create('2/2027', correctedTests());
    const run = await call(h.app, 'POST', `${path('2/2027')}/test`, { key: h.keys.compliance });
    expect(run.json.failed, JSON.stringify(run.json.cases.filter((c: { passed: boolean }) => !c.passed))).toBe(0);
    expect(run.json.cases.find((c: { name: string }) => c.name === AT_10)).toMatchObject({ passed: true, decided_under: '139/2013', candidate: false, chosen_by: 'case' });
    expect(run.json.cases.find((c: { name: string }) => c.name.includes('limit of 12'))).toMatchObject({ passed: true, decided_under: '2/2027', candidate: true });
    expect(run.json.uncovered).toEqual([]);
    const published = await call(h.app, 'POST', `${path('2/2027')}/publish`, { key: admin() });
    expect(published.status, published.text).toBe(200);
    expect(published.json.status).toBe('published');
    const audit = await call(h.app, 'GET', '/api/v1/audit', { key: admin() });
    expect(audit.json.events.find((e: { action: string; version: string }) => e.action === 'version.publish' && e.version === '2/2027')?.detail).toMatchObject({ untested: [] });
  });

  it('names limits.phd-students among the changes no case exercises, until a case does', async () => {
    const staffOnly = `cases:\n${CASE('Staff member borrows a 4th volume', 'staff', 3, 'allow')}`;
    await create('3/2027', staffOnly);
    const run = await call(h.app, 'POST', `${path('3/2027')}/test`, { key: h.keys.compliance });
    expect(run.json, JSON.stringify(run.json.cases)).toMatchObject({ passed: 1, failed: 0, replaces: '2/2027' });
    // 3/2027 amends 139/2013 but replaces 2/2027 (in force from the same instant, published above): the limit is 12 in both.
    expect(run.json.uncovered.map((u: { entry: string }) => u.entry)).not.toContain('limits.phd-students');

    const later = await call(h.app, 'POST', `${path('3/2027')}/test`, { key: h.keys.compliance, body: { effective_from: '2026-12-01T00:00:00+01:00' } });
    expect(later.json).toMatchObject({ effective_from: '2026-12-01T00:00:00+01:00', replaces: '139/2013' });
    const phd = later.json.uncovered.find((u: { entry: string }) => u.entry === 'limits.phd-students');
    expect(phd).toMatchObject({ changes: [{ path: 'limits.phd-students.max', kind: 'changed', before: 10, after: 12 }] });
    expect(phd.message.en).toMatch(/^No test case exercises limits\.phd-students: .*limit 10 → 12$/);
    expect(phd.message.pl).toMatch(/^Żaden przypadek testowy nie sprawdza limits\.phd-students: .*limit 10 → 12$/);

    const etag = (await call(h.app, 'GET', path('3/2027'), { key: admin() })).headers.get('etag')!;
    const withPhd = `${staffOnly}${CASE('PhD student with 11 volumes borrows a 12th', 'phd-students', 11, 'allow')}`;
    const put = await call(h.app, 'PUT', path('3/2027'), { key: h.keys.editor, body: { yaml: SUM_DRAFT('3/2027'), tests_yaml: withPhd }, headers: { 'if-match': etag } });
    expect(put.status, put.text).toBe(200);
    const covered = await call(h.app, 'POST', `${path('3/2027')}/test`, { key: h.keys.compliance, body: { effective_from: '2026-12-01T00:00:00+01:00' } });
    expect(covered.json.failed).toBe(0);
    expect(covered.json.uncovered.map((u: { entry: string }) => u.entry)).not.toContain('limits.phd-students');
  });

  it('decides a UWM candidate’s cases from before 27/2022 under 71/2017, as published', async () => {
    const tests = (await call(h.app, 'GET', `/api/v1/institutions/uwm/versions/${enc('27/2022')}`, { key: admin() })).json.tests_yaml;
    const yaml = `institution: uwm\nversion: "1/2027"\namends: "27/2022"\neffective_from: "2027-01-01T00:00:00+01:00"\nstatus: draft\nsource: { title: Zarządzenie 1/2027, number: "1/2027", date: "2027-01-01" }\n`;
    expect((await call(h.app, 'POST', '/api/v1/institutions/uwm/versions', { key: h.keys.editor, body: { yaml, tests_yaml: tests } })).status).toBe(201);
    const run = await call(h.app, 'POST', `/api/v1/institutions/uwm/versions/${enc('1/2027')}/test`, { key: h.keys.compliance });
    expect(run.json).toMatchObject({ failed: 0, candidate: true, replaces: '27/2022' });
    const history = run.json.cases.filter((c: { chosen_by: string }) => c.chosen_by === 'instant');
    expect(history.length).toBeGreaterThan(0);
    for (const c of history) expect(c).toMatchObject({ decided_under: '71/2017', candidate: false });
    expect(run.json.cases.some((c: { decided_under: string }) => c.decided_under === '27/2022')).toBe(false);
  });

  it('tests a published version as published: each case under the version in force at its instant', async () => {
    const run = await call(h.app, 'POST', `/api/v1/institutions/uwm/versions/${enc('71/2017')}/test`, { key: h.keys.compliance });
    expect(run.json).toMatchObject({ failed: 0, candidate: false, replaces: null, uncovered: [] });
    expect(new Set(run.json.cases.map((c: { chosen_by: string }) => c.chosen_by))).toEqual(new Set(['instant', 'case']));
    expect(run.json.cases.every((c: { candidate: boolean }) => !c.candidate)).toBe(true);
  });
});

describe('regula test --candidate', () => {
  let dir: string;
  const regula = (...args: string[]) => {
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/regula.js'), ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'regula-gate-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('fails the draft of the issue on the limit-of-10 case, decided under the candidate', () => {
    writeFileSync(join(dir, 'draft.yaml'), SUM_DRAFT('1/2027'));
    const r = regula('test', '--candidate', join(dir, 'draft.yaml'), 'policies/sum/tests');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`FAIL  policies/sum/tests/cases.yaml: ${AT_10} [§ 7]\n        outcome: expected refuse, got allow\n        reasons: expected [LIMIT_REACHED], got []\n        decided under 1/2027, the candidate\n`);
    expect(r.stdout).toContain('candidate 1/2027: every entry it changes is exercised by a case (against 139/2013, which it replaces)');
    expect(r.stdout.trimEnd().split('\n').at(-1)).toMatch(/^\d+ passed, [1-9]\d* failed$/);
  });

  it('passes it with the corrected tests, and warns of a change no case exercises', () => {
    const folder = join(dir, 'sum');
    mkdirSync(join(folder, 'tests'), { recursive: true });
    writeFileSync(join(folder, '139-2013.yaml'), readFileSync(join(POLICIES, 'sum', '139-2013.yaml')));
    writeFileSync(join(folder, 'tests', 'cases.yaml'), correctedTests());
    writeFileSync(join(dir, 'draft.yaml'), SUM_DRAFT('1/2027', 'loan_types:\n  weekend:\n    label: { en: weekend loan, pl: weekendowe }\nassumptions:\n  unused: { en: Not used by any rule., pl: Nieużywane. }\n'));
    const r = regula('test', '-v', '--candidate', join(dir, 'draft.yaml'), folder);
    expect(r.status, r.stdout).toBe(0);
    expect(r.stdout).toContain(`: ${AT_10} — decided under 139/2013, named by the case`);
    expect(r.stdout).toContain(': PhD student at the limit of 12 is refused the 13th volume — decided under 1/2027, the candidate');
    expect(r.stdout).toContain(`${join(dir, 'draft.yaml')}: warning: No test case exercises assumptions.unused: Assumption added: Not used by any rule.`);
    expect(r.stdout).toContain('candidate 1/2027: 1 changed entry no case exercises (against 139/2013, which it replaces)');
    expect(r.stdout.trimEnd().split('\n').at(-1)).toMatch(/^\d+ passed, 0 failed$/);
  });

  it('uses the tests beside the candidate when given no path, and leaves the other institutions as published', () => {
    writeFileSync(join(dir, 'sum', 'draft.yaml'), SUM_DRAFT('1/2027'));
    const beside = regula('test', '--candidate', join(dir, 'sum', 'draft.yaml'));
    expect(beside.status, beside.stdout).toBe(0);
    const all = regula('test', '--candidate', join(dir, 'draft.yaml'), 'policies');
    expect(all.stdout).not.toMatch(/FAIL {2}policies\/(pb|umk|uwm)\//);
    expect(all.stdout).toMatch(/FAIL {2}policies\/sum\//);
  });

  it('exits 1 on a candidate with errors, and 2 when no test is for its institution', () => {
    writeFileSync(join(dir, 'broken.yaml'), SUM_DRAFT('1/2027').replace('max: 12', 'max: twelve'));
    const broken = regula('test', '--candidate', join(dir, 'broken.yaml'), 'policies/sum/tests');
    expect(broken.status).toBe(1);
    expect(broken.stdout).toMatch(/broken\.yaml:\d+:\d+: .*max/);
    expect(broken.stdout).not.toMatch(/passed, .* failed/);
    const other = regula('test', '--candidate', join(dir, 'draft.yaml'), 'policies/pb/tests');
    expect(other.status).toBe(2);
    expect(other.stderr).toContain('no test file under policies/pb/tests is for sum');
  });
});
