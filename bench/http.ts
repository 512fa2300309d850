// npm run bench:http — the HTTP API under load, end to end. One run:
//   1. starts the real server (startServer from api/server.ts) in a child process — so the load
//      generator and the server do not share an event loop — on a temporary PGlite data
//      directory, 127.0.0.1, a free port, a known admin key, the decision log off;
//   2. makes a circulation key through the API: decisions are asked WITH that key (the auth path
//      is part of what is measured; decisions are not opened);
//   3. warms up, then with autocannon (50 connections, BENCH_HTTP_SECONDS = 10 s each):
//      bare GET /api/v1/health, and POST /api/v1/decisions/checkout rotating a few dozen realistic
//      checkout bodies for the four seeded institutions (each connection its own shuffled order);
//   4. batch decisions: POST /api/v1/decisions/batch of 1000 mixed checkouts per call → decisions/s;
//   5. the floor: a Node server that does nothing (node:http, no framework) answering the same
//      GET with the same health bytes and the same POST bodies with as many bytes as the mean
//      decision, 5 s each — the best ratio any POST handler could reach on this machine;
//   6. the engine in this process over the batch's requests (version in force + decide()): the
//      rate the batch is compared with.
// It prints a table and, as the LAST line, one JSON object.
// `npm run bench:keys` (this file with --keys) starts the same server and measures checkouts with
// the valid key alone, then beside a flood of made-up keys (a new one each request, from the same
// address, 10 connections): at BENCH_KEYS_FLOOD_RATE requests/s (500), then as fast as answered. Traffic goes only to 127.0.0.1; the
// server is stopped and the data directory removed at the end.
//   BENCH_HTTP_SECONDS   seconds per autocannon run (default 10)
//   BENCH_HTTP_LANG      en or pl: decisions asked with that Accept-Language (default: none, both languages)
//   BENCH_KEYS_FLOOD_RATE  bench:keys: made-up keys per second in the paced flood (default 500)
//   BENCH_HTTP_PROFILE   a directory: the server writes a V8 CPU profile of each measured run
//                        there (health.cpuprofile, checkout.cpuprofile, batch.cpuprofile)
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import { firstMessage, forkServer, stopServer } from './child.ts';
import { parsePolicy } from '../engine/policy/index.ts';
import { decide } from '../engine/decision/index.ts';
import { buildInstitutions, inForce, type Institution, type ParsedVersion } from '../engine/version/index.ts';
import { parseInstant } from '../engine/time/index.ts';
import { generateLoans } from '../engine/simulation/index.ts';

const ROOT = resolve(import.meta.dirname, '..');
const POLICIES = join(ROOT, 'policies');
const ADMIN_KEY = 'bench-admin-key-0123456789abcdef';
const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 10);
const FLOOR_SECONDS = 5;
const LANG = process.env.BENCH_HTTP_LANG;
const CONNECTIONS = 50;
const BODIES_PER_INSTITUTION = 12;
const BATCH_SIZE = 1000;
const SEED = 20261123;
const FLOOD_CONNECTIONS = 10;
const FLOOD_RATE = Number(process.env.BENCH_KEYS_FLOOD_RATE ?? 500);

interface Started {
  url: string;
}

// ---- the server side (this file run with --serve) ---------------------------------------------

async function serve(): Promise<void> {
  const { startServer } = await import('../api/server.ts');
  const { loadConfig } = await import('../api/config.ts');
  const dataDir = process.env.BENCH_DATA_DIR!;
  const server = await startServer(
    { ...loadConfig({}), port: 0, hostname: '127.0.0.1', dataDir, policiesDir: POLICIES, adminKey: ADMIN_KEY, decisionLog: false, openDecisions: false },
    { log: () => {} },
  );
  // Profiling only when asked: an idle inspector session is not free.
  const profileDir = process.env.BENCH_HTTP_PROFILE;
  const session = profileDir ? new (await import('node:inspector/promises')).Session() : undefined;
  if (session) {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 250 });
  }
  let cpu = process.cpuUsage();
  process.on('message', async (m: { cmd: string; name?: string }) => {
    if (m.cmd === 'stop') {
      await server.close();
      process.exit(0);
    } else if (m.cmd === 'start') {
      if (session) await session.post('Profiler.start');
      cpu = process.cpuUsage();
      process.send!({});
    } else if (m.cmd === 'end') {
      const used = process.cpuUsage(cpu);
      if (session) {
        const { profile } = await session.post('Profiler.stop');
        writeFileSync(join(profileDir!, `${m.name}.cpuprofile`), JSON.stringify(profile));
      }
      process.send!({ cpuMs: (used.user + used.system) / 1000, sysMs: used.system / 1000 });
    }
  });
  process.send!({ url: server.url.replace('localhost', '127.0.0.1') } satisfies Started);
}

// ---- the floor (this file run with --bare) ----------------------------------------------------

async function bare(): Promise<void> {
  const { createServer } = await import('node:http');
  const health = Buffer.from(process.env.BENCH_BARE_HEALTH!);
  const size = Number(process.env.BENCH_BARE_BYTES);
  const answer = Buffer.from(JSON.stringify({ x: 'a'.repeat(Math.max(0, size - 8)) }));
  const server = createServer((req, res) => {
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(health);
      return;
    }
    req.on('data', () => {});
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(answer));
  });
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as { port: number };
    process.send!({ url: `http://127.0.0.1:${port}` } satisfies Started);
  });
  let cpu = process.cpuUsage();
  process.on('message', (m: { cmd: string }) => {
    if (m.cmd === 'start') {
      cpu = process.cpuUsage();
      process.send!({});
    } else if (m.cmd === 'end') {
      const used = process.cpuUsage(cpu);
      process.send!({ cpuMs: (used.user + used.system) / 1000 });
    } else server.close(() => process.exit(0));
  });
}

// ---- the load side ----------------------------------------------------------------------------

/** Checkout requests for every institution: generated loans of each one's latest version. */
function checkoutBodies(): Array<{ institution: string; at?: string; facts: unknown }> {
  return checkouts().bodies;
}

/** The bench's checkout bodies, and the institutions they were generated from. */
function checkouts(): { bodies: Array<{ institution: string; at?: string; facts: unknown }>; institutions: Map<string, Institution> } {
  const parsed: ParsedVersion[] = [];
  for (const inst of readdirSync(POLICIES, { withFileTypes: true })) {
    if (!inst.isDirectory()) continue;
    for (const f of readdirSync(join(POLICIES, inst.name)).sort()) {
      if (!/\.ya?ml$/.test(f)) continue;
      const { doc, errors } = parsePolicy(readFileSync(join(POLICIES, inst.name, f), 'utf8'), f);
      if (!errors.length) parsed.push({ doc, file: f });
    }
  }
  const out: Array<{ institution: string; at?: string; facts: unknown }> = [];
  const { institutions } = buildInstitutions(parsed);
  for (const inst of institutions.values()) {
    const latest = inst.versions[inst.versions.length - 1];
    if (!latest) continue;
    const cases = generateLoans(latest, 400, SEED).filter((c) => c.question === 'checkout');
    // Spread over the generated year: different patrons, items, units and instants.
    const step = Math.max(1, Math.floor(cases.length / BODIES_PER_INSTITUTION));
    for (let i = 0; i < BODIES_PER_INSTITUTION && i * step < cases.length; i++) {
      const c = cases[i * step]!;
      // Most at a given instant of the generated year; every third "now", as a desk asks.
      out.push(i % 3 === 2 ? { institution: inst.id, facts: c.facts } : { institution: inst.id, at: c.at, facts: c.facts });
    }
  }
  return { bodies: out, institutions };
}

/**
 * The engine's own rate over the batch's requests, in this process: for each, the version in
 * force and decide() — what a batch does besides HTTP, JSON and the key. Decisions per second,
 * best of three runs of about a second (the load generator is idle meanwhile).
 */
function inProcessRate(items: Array<{ institution: string; at?: string; facts: unknown }>): number {
  const { institutions } = checkouts();
  const once = () => {
    for (const it of items) {
      const at = it.at === undefined ? Date.now() : parseInstant(it.at);
      decide(inForce(institutions.get(it.institution)!, at)!, 'checkout', it.facts as never, at);
    }
  };
  for (let i = 0; i < 3; i++) once(); // warm-up: JIT
  let best = 0;
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    let n = 0;
    while (performance.now() - t0 < 1000) {
      once();
      n += items.length;
    }
    best = Math.max(best, n / ((performance.now() - t0) / 1000));
  }
  return best;
}

function shuffled<T>(xs: T[], seed: number): T[] {
  const a = [...xs];
  let s = seed >>> 0 || 1;
  for (let i = a.length - 1; i > 0; i--) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    const j = (s >>> 0) % (i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

async function post(url: string, path: string, key: string, body: unknown, lang?: string): Promise<{ status: number; json: any; bytes: number }> {
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...(lang ? { 'accept-language': lang } : {}) };
  const res = await fetch(`${url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, json: JSON.parse(text), bytes: Buffer.byteLength(text) };
}

type Result = autocannon.Result;
type Measured = Result & { serverCpuMs: number; serverSysMs: number; clientCpuMs: number; othersMs: number };

/** CPU time the whole machine has spent busy (ms, all cores; /proc/stat), NaN where there is none. */
function machineCpu(): number {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
    return ((total - idle) * 1000) / 100; // USER_HZ = 100
  } catch {
    return NaN;
  }
}

function run(opts: autocannon.Options): Promise<Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

/** What a scenario is given: the server (in a child process) with a circulation key, the checkout
 * bodies (each decided once), and runs measured with the server's CPU time. */
interface Bench {
  url: string;
  /** The circulation key the decisions are asked with. */
  key: string;
  headers: Record<string, string>;
  bodies: Array<{ institution: string; at?: string; facts: unknown }>;
  requests: autocannon.Request[];
  outcomes: Record<string, number>;
  responseBytes: number;
  /** The checkout run: 50 connections over the bodies, each in an order of its own. */
  checkoutOpts: (duration: number) => autocannon.Options;
  measured: (name: string, opts: autocannon.Options) => Promise<Measured>;
}

/** Starts the server, makes the key, checks the bodies, runs the scenario, stops the server. */
async function withServer(scenario: (b: Bench) => Promise<void>): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'regula-bench-http-'));
  const profileDir = process.env.BENCH_HTTP_PROFILE ? resolve(process.env.BENCH_HTTP_PROFILE) : undefined;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  const child = forkServer(import.meta.filename, ['--serve'], { BENCH_DATA_DIR: dataDir, ...(profileDir ? { BENCH_HTTP_PROFILE: profileDir } : {}) });
  const ask = (msg: object) =>
    new Promise<{ cpuMs?: number; sysMs?: number }>((res) => {
      child.once('message', (m) => res(m as { cpuMs?: number; sysMs?: number }));
      child.send(msg);
    });
  /** One measured run, with the server's CPU time over it (and its profile when BENCH_HTTP_PROFILE is set). */
  const measured = async (name: string, opts: autocannon.Options): Promise<Measured> => {
    await ask({ cmd: 'start' });
    const mine = process.cpuUsage();
    const machine = machineCpu();
    const r = await run(opts);
    const busyMs = machineCpu() - machine;
    const client = process.cpuUsage(mine);
    const { cpuMs, sysMs } = await ask({ cmd: 'end', name });
    const clientCpuMs = (client.user + client.system) / 1000;
    // CPU the rest of the machine used meanwhile (other processes, interrupts): a noisy neighbour shows here.
    const othersMs = Number.isNaN(busyMs) ? NaN : Math.max(0, busyMs - cpuMs! - clientCpuMs);
    return Object.assign(r, { serverCpuMs: cpuMs!, serverSysMs: sysMs!, clientCpuMs, othersMs });
  };
  const stop = () => stopServer(child, dataDir);
  try {
    const started = await firstMessage<Started>(child);
    const url = started.url;

    // A circulation key, as a desk would use.
    const made = await post(url, '/api/v1/keys', ADMIN_KEY, { name: 'bench desk', role: 'circulation' });
    if (made.status !== 201) throw new Error(`could not make a circulation key: ${made.status} ${JSON.stringify(made.json)}`);
    const key: string = made.json.key;
    const headers: Record<string, string> = { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...(LANG ? { 'accept-language': LANG } : {}) };

    // The bodies, each checked once: all must be decided (allow or refuse).
    const bodies = checkoutBodies();
    const outcomes: Record<string, number> = {};
    let responseBytes = 0;
    for (const b of bodies) {
      const r = await post(url, '/api/v1/decisions/checkout', key, b, LANG);
      if (r.status !== 200) throw new Error(`a bench body was not decided (${r.status}): ${JSON.stringify(r.json)}\n${JSON.stringify(b)}`);
      outcomes[r.json.outcome] = (outcomes[r.json.outcome] ?? 0) + 1;
      responseBytes += r.bytes;
    }
    const requests = bodies.map((b) => ({ method: 'POST' as const, path: '/api/v1/decisions/checkout', headers, body: JSON.stringify(b) }));

    const checkoutOpts = (duration: number): autocannon.Options => ({
      url,
      connections: CONNECTIONS,
      duration,
      requests,
      // Each connection walks the bodies in an order of its own.
      setupClient: (client) => {
        client.setRequests(shuffled(requests, Math.floor(Math.random() * 2 ** 31)));
      },
    });

    await scenario({ url, key, headers, bodies, requests, outcomes, responseBytes, checkoutOpts, measured });
  } finally {
    await stop();
  }
}

async function main(): Promise<void> {
  await withServer(async ({ url, key, headers, bodies, requests, outcomes, responseBytes, checkoutOpts, measured }) => {
    const base = { url, connections: CONNECTIONS };
    const institutions = [...new Set(bodies.map((b) => b.institution))];
    // Warm up both routes (JIT, caches, connections).
    await run({ ...base, url: `${url}/api/v1/health`, duration: 3 });
    await run(checkoutOpts(3));

    const health = await measured('health', { ...base, url: `${url}/api/v1/health`, duration: SECONDS });
    const checkout = await measured('checkout', checkoutOpts(SECONDS));

    // Batches: 1000 mixed checkouts per call, the bodies repeated in turn.
    const batchItems = Array.from({ length: BATCH_SIZE }, (_, i) => ({ question: 'checkout', ...bodies[i % bodies.length]! }));
    const batchCheck = await post(url, '/api/v1/decisions/batch', key, { requests: batchItems });
    const decided = (batchCheck.json.results as Array<{ outcome?: string }>).filter((r) => r.outcome === 'allow' || r.outcome === 'refuse').length;
    if (batchCheck.status !== 200 || decided !== BATCH_SIZE) throw new Error(`the batch was not decided in full (${batchCheck.status}, ${decided}/${BATCH_SIZE})`);
    const batchBody = JSON.stringify({ requests: batchItems });
    // Two calls in flight: the server decides one while the other's answer (~3.5 MB) travels.
    const batch = await measured('batch', { ...base, url: `${url}/api/v1/decisions/batch`, connections: 2, duration: SECONDS, method: 'POST', headers, body: batchBody });

    const floor = await measureFloor(requests, Math.round(responseBytes / bodies.length), await (await fetch(`${url}/api/v1/health`)).text());
    const engineRate = inProcessRate(batchItems);

    const errors = (r: Result) => r.errors + r.timeouts + r.non2xx;
    const batchPerS = (batch.requests.total / batch.duration) * BATCH_SIZE;
    // CPU time per request (user + system, µs), of the server process and of the load generator.
    const per = (r: Measured, n = 1) => [
      `${((r.serverCpuMs * 1000) / r.requests.total / n).toFixed(1)} (sys ${((r.serverSysMs * 1000) / r.requests.total / n).toFixed(1)})`,
      ((r.clientCpuMs * 1000) / r.requests.total / n).toFixed(1),
      Number.isNaN(r.othersMs) ? '–' : (r.othersMs / (r.duration * 1000)).toFixed(2),
    ];
    const rows: string[][] = [
      ['', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'errors', 'server cpu µs', 'client cpu µs', 'others (cores)'],
      ['GET /api/v1/health', fmt(health.requests.average), String(health.latency.p50), String(health.latency.p99), String(health.latency.max), String(errors(health)), ...per(health)],
      ['POST /api/v1/decisions/checkout', fmt(checkout.requests.average), String(checkout.latency.p50), String(checkout.latency.p99), String(checkout.latency.max), String(errors(checkout)), ...per(checkout)],
      [
        `POST /api/v1/decisions/batch ×${BATCH_SIZE}`,
        fmt(batch.requests.total / batch.duration),
        String(batch.latency.p50),
        String(batch.latency.p99),
        String(batch.latency.max),
        String(errors(batch)),
        ...per(batch, BATCH_SIZE).map((v, i) => (i < 2 ? `${v}/decision` : v)),
      ],
    ];
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    console.log(`Regula HTTP benchmark (node ${process.version}, ${CONNECTIONS} connections, ${SECONDS} s per run, server on ${url}, decisions with a circulation key)`);
    console.log(`  checkout bodies: ${bodies.length} (${institutions.join(', ')}), outcomes ${JSON.stringify(outcomes)}, mean response ${fmt(responseBytes / bodies.length)} B`);
    for (const r of rows) console.log(`  ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')}`);
    const ratio = checkout.requests.average / health.requests.average;
    const floorRatio = floor.post.requests.average / floor.get.requests.average;
    const failed = errors(health) + errors(checkout) + errors(batch) + errors(floor.get) + errors(floor.post);
    if (failed) {
      console.log(`  WARNING: ${failed} requests failed or were not answered 2xx — the numbers above do not count`);
      process.exitCode = 1;
    }
    console.log(
      `  floor (node:http doing nothing, same requests, ${fmt(responseBytes / bodies.length)} B answers): GET ${fmt(floor.get.requests.average)} req/s (server cpu ${floor.getCpuUs.toFixed(1)} µs), POST ${fmt(floor.post.requests.average)} req/s (${floor.postCpuUs.toFixed(1)} µs), ratio ${floorRatio.toFixed(2)}`,
    );
    const ofFloor = checkout.requests.average / floor.post.requests.average;
    console.log(
      `  checkout of the floor's POST ${ofFloor.toFixed(2)} (goal ≥ 0.7), checkout p99 ${checkout.latency.p99} ms (goal ≤ 10), batch ${fmt(batchPerS)} decisions/s = ${(batchPerS / engineRate).toFixed(2)} of the engine in process, ${fmt(engineRate)}/s (goal ≥ 0.6); checkout/health ${ratio.toFixed(2)}`,
    );
    console.log(
      JSON.stringify({
        health_rps: Math.round(health.requests.average),
        checkout_rps: Math.round(checkout.requests.average),
        checkout_p50_ms: checkout.latency.p50,
        checkout_p99_ms: checkout.latency.p99,
        health_p99_ms: health.latency.p99,
        ratio: Number(ratio.toFixed(3)),
        batch_decisions_per_s: Math.round(batchPerS),
        batch_server_cpu_us_per_decision: Number(((batch.serverCpuMs * 1000) / batch.requests.total / BATCH_SIZE).toFixed(1)),
        health_server_cpu_us: Number(((health.serverCpuMs * 1000) / health.requests.total).toFixed(1)),
        checkout_server_cpu_us: Number(((checkout.serverCpuMs * 1000) / checkout.requests.total).toFixed(1)),
        checkout_server_sys_us: Number(((checkout.serverSysMs * 1000) / checkout.requests.total).toFixed(1)),
        checkout_client_cpu_us: Number(per(checkout)[1]),
        // Cores other processes kept busy during the health and checkout runs (null: not measurable here).
        others_cores: Number.isNaN(health.othersMs) ? null : Number((Math.max(health.othersMs / health.duration, checkout.othersMs / checkout.duration) / 1000).toFixed(2)),
        checkout_response_bytes: Math.round(responseBytes / bodies.length),
        floor_get_rps: Math.round(floor.get.requests.average),
        floor_post_rps: Math.round(floor.post.requests.average),
        floor_ratio: Number(floorRatio.toFixed(3)),
        // How close a checkout comes to a POST answered by a server that does nothing.
        checkout_of_floor_post: Number(ofFloor.toFixed(3)),
        floor_get_server_cpu_us: Number(floor.getCpuUs.toFixed(1)),
        floor_post_server_cpu_us: Number(floor.postCpuUs.toFixed(1)),
        engine_decisions_per_s: Math.round(engineRate),
        batch_of_engine: Number((batchPerS / engineRate).toFixed(3)),
        lang: LANG ?? null,
        checkout_bodies: bodies.length,
        errors: failed,
        connections: CONNECTIONS,
        seconds: SECONDS,
        node: process.version,
      }),
    );
  });
}

// ---- npm run bench:keys: the valid key beside a flood of made-up ones ---------------------------

/** Checkouts asked with made-up keys, a new one each request, `rate` a second (0: as fast as answered). */
function floodOpts(url: string, body: string, rate: number): autocannon.Options {
  const request: autocannon.Request = { method: 'POST', path: '/api/v1/decisions/checkout', headers: { 'content-type': 'application/json' }, body };
  return {
    url,
    connections: FLOOD_CONNECTIONS,
    duration: SECONDS,
    ...(rate ? { overallRate: rate } : {}),
    requests: [{ ...request, setupRequest: (r) => ({ ...r, headers: { ...r.headers, authorization: `Bearer rk_${randomBytes(32).toString('base64url')}` } }) }],
  };
}

async function keys(): Promise<void> {
  await withServer(async ({ url, bodies, checkoutOpts, measured }) => {
    await run(checkoutOpts(3));
    const alone = await measured('keys-alone', checkoutOpts(SECONDS));
    const beside = async (name: string, rate: number) => {
      const flood = run(floodOpts(url, JSON.stringify(bodies[0]), rate));
      const valid = await measured(name, checkoutOpts(SECONDS));
      return { valid, flood: await flood };
    };
    const paced = await beside('keys-flood', FLOOD_RATE);
    const full = await beside('keys-flood-full', 0);

    const statuses = (r: Result) => Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([s, { count }]) => [s, count]));
    const errors = [alone, paced.valid, full.valid].reduce((n, r) => n + r.errors + r.timeouts + r.non2xx, 0) + paced.flood.errors + full.flood.errors;
    const cpu = (r: Measured) => ((r.serverCpuMs * 1000) / r.requests.total).toFixed(1);
    console.log(`Regula key-flood benchmark (node ${process.version}, valid key: ${CONNECTIONS} connections; made-up keys: ${FLOOD_CONNECTIONS} connections, a new key each request; ${SECONDS} s per run)`);
    for (const [what, r, f] of [['valid key alone', alone, undefined], [`beside ${FLOOD_RATE} made-up keys/s`, paced.valid, paced.flood], ['beside made-up keys as fast as answered', full.valid, full.flood]] as const) {
      console.log(`  ${what.padEnd(42)} ${fmt(r.requests.average).padStart(6)} req/s  p50 ${r.latency.p50} ms  p99 ${r.latency.p99} ms  server cpu ${cpu(r)} µs/req${f ? `  | made-up: ${fmt(f.requests.average)} req/s ${JSON.stringify(statuses(f))}` : ''}`);
    }
    if (errors) {
      console.log(`  WARNING: ${errors} requests with the valid key failed or were not answered 2xx — the numbers above do not count`);
      process.exitCode = 1;
    }
    console.log(
      JSON.stringify({
        valid_rps: Math.round(alone.requests.average),
        valid_p99_ms: alone.latency.p99,
        flood_rate: FLOOD_RATE,
        flooded_valid_rps: Math.round(paced.valid.requests.average),
        flooded_valid_p99_ms: paced.valid.latency.p99,
        flood_rps: Math.round(paced.flood.requests.average),
        flood_statuses: statuses(paced.flood),
        full_flood_valid_rps: Math.round(full.valid.requests.average),
        full_flood_valid_p99_ms: full.valid.latency.p99,
        full_flood_rps: Math.round(full.flood.requests.average),
        full_flood_statuses: statuses(full.flood),
        errors,
        seconds: SECONDS,
        node: process.version,
      }),
    );
  });
}

/** The same GET and POSTs against a Node server that does nothing (a child process of its own). */
async function measureFloor(requests: autocannon.Request[], bytes: number, healthBody: string): Promise<{ get: Result; post: Result; getCpuUs: number; postCpuUs: number }> {
  const child = fork(import.meta.filename, ['--bare'], { env: { ...process.env, BENCH_BARE_BYTES: String(bytes), BENCH_BARE_HEALTH: healthBody }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    const { url } = await new Promise<Started>((res, rej) => {
      child.once('message', (m) => res(m as Started));
      child.once('exit', (code) => rej(new Error(`the floor server exited (${code})`)));
    });
    const base = { url, connections: CONNECTIONS };
    const ask = (cmd: string) =>
      new Promise<{ cpuMs?: number }>((res) => {
        child.once('message', (m) => res(m as { cpuMs?: number }));
        child.send({ cmd });
      });
    /** A run, with the floor server's CPU time per request (µs). */
    const timed = async (opts: autocannon.Options): Promise<[Result, number]> => {
      await ask('start');
      const r = await run(opts);
      const { cpuMs } = await ask('end');
      return [r, (cpuMs! * 1000) / r.requests.total];
    };
    await run({ ...base, duration: 2 });
    const [get, getCpuUs] = await timed({ ...base, duration: FLOOR_SECONDS });
    const [post, postCpuUs] = await timed({ ...base, duration: FLOOR_SECONDS, requests, setupClient: (client) => client.setRequests(shuffled(requests, Math.floor(Math.random() * 2 ** 31))) });
    return { get, post, getCpuUs, postCpuUs };
  } finally {
    child.send({ cmd: 'stop' });
  }
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

if (process.argv[2] === '--serve') await serve();
else if (process.argv[2] === '--bare') await bare();
else if (process.argv[2] === '--keys') await keys();
else await main();
