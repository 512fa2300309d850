// npm run bench — decisions per second on the fast path and under json-rules-engine, and a
// baseline-vs-candidate simulation, on the shipped policies. The last line is one JSON object.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decide, decideReference } from '../engine/decision/index.ts';
import { compilePolicy, type CompiledPolicy, buildInstitutions, type ParsedVersion } from '../engine/version/index.ts';
import { parsePolicy, type PolicyDocument } from '../engine/policy/index.ts';
import { generateLoans, simulate } from '../engine/simulation/index.ts';
import { parseInstant } from '../engine/time/index.ts';
import { syntheticPolicy } from '../tests/fixtures/synthetic-policy.ts';

const SEED = 20261123;
const CHECKOUTS_PER_POLICY = 5_000;
const SIMULATED_LOANS = Number(process.env.BENCH_SIM_LOANS ?? 200_000);
const MIN_MS = Number(process.env.BENCH_MIN_MS ?? 2_000);
const ROOT = join(import.meta.dirname, '..');

function loadPolicies(): { versions: CompiledPolicy[][]; note: string } {
  const dir = join(ROOT, 'policies');
  const parsed: ParsedVersion[] = [];
  const problems: string[] = [];
  if (existsSync(dir))
    for (const inst of readdirSync(dir, { withFileTypes: true })) {
      if (!inst.isDirectory()) continue;
      for (const f of readdirSync(join(dir, inst.name)).sort()) {
        if (!/\.ya?ml$/.test(f)) continue;
        const file = join('policies', inst.name, f);
        const { doc, errors } = parsePolicy(readFileSync(join(dir, inst.name, f), 'utf8'), file);
        if (errors.length) problems.push(`${file}: ${errors.length} error(s)`);
        else parsed.push({ doc, file });
      }
    }
  const { institutions, errors } = buildInstitutions(parsed);
  for (const e of errors) problems.push(`${e.file}: ${e.message}`);
  const versions = [...institutions.values()].map((i) => i.versions).filter((v) => v.length > 0);
  if (problems.length) console.error(`skipped: ${problems.join('; ')}`);
  if (versions.length === 0) return { versions: [[compilePolicy(syntheticPolicy())]], note: 'no shipped policy loaded: synthetic policy' };
  return { versions, note: `${versions.length} institution(s), ${versions.flat().length} version(s)` };
}

/** A candidate for a policy with a single version: limits up by 2, fee rates up by a quarter. */
function variant(doc: PolicyDocument): CompiledPolicy {
  const d = structuredClone(doc);
  d.version = `${doc.version}-candidate`;
  for (const lim of Object.values(d.limits ?? {})) if (lim.max > 0) lim.max += 2;
  for (const fee of Object.values(d.fees ?? {})) fee.rate = Math.round(fee.rate * 1.25);
  return compilePolicy(d);
}

interface Case {
  p: CompiledPolicy;
  facts: object;
  at: number;
}

/** Runs `pass` over and over for at least MIN_MS; returns passes × cases per second. */
function timeSync(cases: Case[], pass: (cases: Case[]) => number): { perSecond: number; runs: number; sink: number } {
  let sink = 0;
  for (let i = 0; i < 5; i++) sink += pass(cases); // warm up: let the JIT settle
  let runs = 0;
  const t0 = performance.now();
  let elapsed = 0;
  do {
    sink += pass(cases);
    runs += cases.length;
    elapsed = performance.now() - t0;
  } while (elapsed < MIN_MS);
  return { perSecond: (runs / elapsed) * 1000, runs, sink };
}

async function timeAsync(cases: Case[], one: (c: Case) => Promise<number>): Promise<{ perSecond: number; runs: number; sink: number }> {
  let sink = 0;
  for (const c of cases.slice(0, 500)) sink += await one(c); // warm up
  let runs = 0;
  const t0 = performance.now();
  let elapsed = 0;
  let i = 0;
  do {
    sink += await one(cases[i]!);
    i = (i + 1) % cases.length;
    runs++;
    if ((runs & 63) === 0) elapsed = performance.now() - t0;
  } while (elapsed < MIN_MS);
  elapsed = performance.now() - t0;
  return { perSecond: (runs / elapsed) * 1000, runs, sink };
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

async function main() {
  const { versions, note } = loadPolicies();
  const latest = versions.map((v) => v[v.length - 1]!);

  // Checkout cases: the same for every run (fixed seed), from each institution's latest version.
  const cases: Case[] = [];
  for (const p of latest)
    for (const c of generateLoans(p, Math.ceil(CHECKOUTS_PER_POLICY / 0.7), SEED))
      if (c.question === 'checkout') cases.push({ p, facts: c.facts, at: parseInstant(c.at) });

  const fast = timeSync(cases, (cs) => {
    let allowed = 0;
    for (const c of cs) if (decide(c.p, 'checkout', c.facts as never, c.at).outcome === 'allow') allowed++;
    return allowed;
  });
  const reference = await timeAsync(cases, async (c) => ((await decideReference(c.p, 'checkout', c.facts as never, c.at)).outcome === 'allow' ? 1 : 0));

  // Simulation: the latest version with the most rules against a what-if candidate (limits + 2,
  // fee rates + 25 %), so that many cases differ and the differences are written out too.
  const baseline = [...latest].sort((a, b) => b.rules.length - a.rules.length)[0]!;
  const candidate = variant(baseline.doc);
  let t = performance.now();
  const loans = generateLoans(baseline, SIMULATED_LOANS, SEED);
  const generateMs = performance.now() - t;
  let progressCalls = 0;
  t = performance.now();
  const sim = simulate(baseline, candidate, loans, () => progressCalls++);
  const simulateMs = performance.now() - t;
  const heap = process.memoryUsage();
  const simulatePerSecond = (loans.length / simulateMs) * 1000;

  const rows: Array<[string, string, string]> = [
    ['policies', note, latest.map((p) => `${p.institution} ${p.version}`).join(', ')],
    ['checkout cases', fmt(cases.length), `allowed ${((fast.sink / (fast.runs + 5 * cases.length)) * 100).toFixed(1)} %`],
    ['fast path (decide)', `${fmt(fast.perSecond)} /s`, `${fmt(fast.runs)} decisions, ${(1e6 / fast.perSecond).toFixed(2)} µs each`],
    ['json-rules-engine (decideReference)', `${fmt(reference.perSecond)} /s`, `${fmt(reference.runs)} decisions, ${(1e6 / reference.perSecond).toFixed(1)} µs each`],
    ['speedup', `${(fast.perSecond / reference.perSecond).toFixed(1)} ×`, ''],
    ['generateLoans', `${fmt((loans.length / generateMs) * 1000)} /s`, `${fmt(loans.length)} loans in ${(generateMs / 1000).toFixed(2)} s`],
    [
      'simulate',
      `${fmt(simulatePerSecond)} loans/s`,
      `${baseline.institution} ${baseline.version} → limits +2, fees +25 %: ${fmt(loans.length)} loans in ${(simulateMs / 1000).toFixed(2)} s, ${fmt(sim.differing)} differ, ${sim.errors.length} errors`,
    ],
    ['heap used', `${(heap.heapUsed / 2 ** 20).toFixed(1)} MB`, `rss ${(heap.rss / 2 ** 20).toFixed(1)} MB`],
  ];
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  console.log(`Regula engine benchmark (node ${process.version}, ≥ ${MIN_MS / 1000} s per measurement)`);
  for (const [a, b, c] of rows) console.log(`  ${a.padEnd(w0)}  ${b.padStart(w1)}  ${c}`);
  console.log(
    JSON.stringify({
      checkout_per_s: Math.round(fast.perSecond),
      reference_per_s: Math.round(reference.perSecond),
      speedup: Number((fast.perSecond / reference.perSecond).toFixed(1)),
      simulate_loans_per_s: Math.round(simulatePerSecond),
      simulated_loans: loans.length,
      simulate_differing: sim.differing,
      checkout_cases: cases.length,
      policies: latest.map((p) => `${p.institution}@${p.version}`),
      heap_mb: Number((heap.heapUsed / 2 ** 20).toFixed(1)),
      node: process.version,
    }),
  );
}

await main();
