// npm run bench:simulate — a large simulation through the HTTP API, end to end. One run:
//   1. starts the real server (startServer from api/server.ts) in a child process (this file with
//      --serve), on a temporary PGlite data directory, 127.0.0.1, a free port, a known admin key,
//      the decision log off;
//   2. makes a candidate version of SUM through the API: reads the published 139/2013 as YAML and
//      posts it as a draft "bench/2027" — in force a year later, the long-term loan 21 days
//      instead of 30;
//   3. simulates BENCH_SIMULATE_LOANS generated loans (seed 1) of 139/2013 against the draft
//      (POST /api/v1/institutions/sum/simulations), timed from the POST to the run being done;
//   4. polls the simulation every 500 ms (progress on stderr) until it is no longer running;
//   5. reads the server's peak resident memory (VmHWM of the child; where /proc is missing, the
//      child's own samples of its RSS every 100 ms).
// It prints a table and, as the LAST line, one JSON object. Traffic goes only to 127.0.0.1; the
// server is stopped and the data directory removed at the end, also when the run fails.
//   BENCH_SIMULATE_LOANS  loans simulated (default 1,000,000)
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { firstMessage, forkServer, stopServer } from './child.ts';

const ROOT = resolve(import.meta.dirname, '..');
const POLICIES = join(ROOT, 'policies');
const ADMIN_KEY = 'bench-admin-key-0123456789abcdef';
const LOANS = Number(process.env.BENCH_SIMULATE_LOANS ?? 1_000_000);
const BASELINE = '139/2013';
const CANDIDATE = 'bench/2027';
const POLL_MS = 500;

// ---- the server side (this file run with --serve) ---------------------------------------------

async function serve(): Promise<void> {
  const { startServer } = await import('../api/server.ts');
  const { loadConfig } = await import('../api/config.ts');
  const server = await startServer(
    { ...loadConfig({}), port: 0, hostname: '127.0.0.1', dataDir: process.env.BENCH_DATA_DIR!, policiesDir: POLICIES, adminKey: ADMIN_KEY, decisionLog: false, openDecisions: false },
    { log: () => {} },
  );
  let peak = process.memoryUsage().rss;
  setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100).unref();
  process.on('message', async (m: { cmd: string }) => {
    if (m.cmd === 'peak') process.send!({ rssMb: Math.max(peak, process.memoryUsage().rss) / 2 ** 20 });
    else if (m.cmd === 'stop') {
      await server.close();
      process.exit(0);
    }
  });
  process.send!({ url: server.url.replace('localhost', '127.0.0.1') });
}

// ---- the client side ----------------------------------------------------------------------------

async function call(url: string, method: string, path: string, body?: unknown, accept = 'application/json'): Promise<{ status: number; text: string; json: any }> {
  const headers: Record<string, string> = { authorization: `Bearer ${ADMIN_KEY}`, accept, ...(body === undefined ? {} : { 'content-type': 'application/json' }) };
  const res = await fetch(`${url}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json };
}

/** The child's peak resident set in MB: VmHWM from /proc, else what it sampled itself. */
async function peakRssMb(child: ChildProcess): Promise<number> {
  try {
    const kb = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
    if (kb) return Number(kb[1]) / 1024;
  } catch {
    // no /proc here: ask the child
  }
  return new Promise((res) => {
    child.once('message', (m) => res((m as { rssMb: number }).rssMb));
    child.send({ cmd: 'peak' });
  });
}

/** The draft: the published text with another label, status draft, a year later, long-term 21 days. */
function amended(yaml: string): string {
  const edits: Array<[string, string]> = [
    [`version: "${BASELINE}"`, `version: "${CANDIDATE}"`],
    ['status: published', 'status: draft'],
    ['effective_from: "2020-01-22T00:00:00+01:00"', 'effective_from: "2021-01-22T00:00:00+01:00"'],
    ['due: { kind: period, days: 30, closed_day: next-open-day, cite: § 6 ust. 3,', 'due: { kind: period, days: 21, closed_day: next-open-day, cite: § 6 ust. 3,'],
  ];
  for (const [from, to] of edits) {
    const at = yaml.indexOf(from);
    if (at < 0 || yaml.indexOf(from, at + 1) >= 0) throw new Error(`the amendment expects "${from}" exactly once in ${BASELINE}'s YAML`);
    yaml = yaml.replace(from, to);
  }
  return yaml;
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'regula-bench-simulate-'));
  const child = forkServer(import.meta.filename, ['--serve'], { BENCH_DATA_DIR: dataDir });
  try {
    const { url } = await firstMessage<{ url: string }>(child);

    const published = await call(url, 'GET', `/api/v1/institutions/sum/versions/${encodeURIComponent(BASELINE)}?format=yaml`, undefined, 'application/yaml');
    if (published.status !== 200) throw new Error(`could not read sum ${BASELINE}: ${published.status} ${published.text}`);
    const draft = await call(url, 'POST', '/api/v1/institutions/sum/versions', { yaml: amended(published.text) });
    if (draft.status !== 201) throw new Error(`could not make the draft ${CANDIDATE}: ${draft.status} ${draft.text}`);

    const idleMb = await peakRssMb(child); // what starting (PGlite, the seed) took, for comparison
    const t0 = performance.now();
    const started = await call(url, 'POST', '/api/v1/institutions/sum/simulations', { baseline: BASELINE, candidate: CANDIDATE, generate: { n: LOANS, seed: 1 } });
    if (started.status !== 202 || typeof started.json?.id !== 'string') throw new Error(`the simulation did not start: ${started.status} ${started.text}`);
    const id: string = started.json.id;
    let sim: any;
    for (;;) {
      const r = await call(url, 'GET', `/api/v1/simulations/${encodeURIComponent(id)}?limit=0`);
      if (r.status !== 200) throw new Error(`could not read the simulation: ${r.status} ${r.text}`);
      sim = r.json;
      process.stderr.write(`\r  simulating: ${fmt(sim.done)} / ${fmt(sim.total)} loans`);
      if (sim.status !== 'running') break;
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    const seconds = (performance.now() - t0) / 1000;
    process.stderr.write('\n');
    if (sim.status !== 'done') {
      console.error(`the simulation ended ${sim.status}: ${sim.error ?? '(no error given)'}`);
      process.exitCode = 1;
      return;
    }
    const rssMb = await peakRssMb(child);

    const { differing, undecided, totals } = sim.result;
    const loansPerS = LOANS / seconds;
    const rows: Array<[string, string]> = [
      ['loans', fmt(LOANS)],
      ['seconds', seconds.toFixed(1)],
      ['loans/s', fmt(loansPerS)],
      ['server peak RSS MB', fmt(rssMb)],
      ['  before the run', fmt(idleMb)],
      ['differing', fmt(differing)],
      ['undecided', fmt(undecided)],
      ['delta fees (grosze)', fmt(totals.delta.fees)],
    ];
    console.log(`Regula simulation benchmark (node ${process.version}, sum ${BASELINE} → ${CANDIDATE}: long-term loans 21 days instead of 30, server on ${url})`);
    for (const [k, v] of rows) console.log(`  ${k.padEnd(20)} ${v.padStart(12)}`);
    console.log(JSON.stringify({ loans: LOANS, seconds: Number(seconds.toFixed(1)), rss_mb: Math.round(rssMb), differing, undecided, loans_per_s: Math.round(loansPerS) }));
  } finally {
    await stopServer(child, dataDir);
  }
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

if (process.argv[2] === '--serve') await serve();
else await main();
