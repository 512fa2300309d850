// npx node bench/hono-pieces.ts — what Hono's own body-limit and validator middleware cost a
// checkout-sized POST on @hono/node-server, against the app's hand-written way (api/body.ts: the
// declared length, then c.req.text() and JSON.parse, in the route's one handler). Each variant is a server of its own in a child process answering 800 bytes;
// autocannon (50 connections) posts a 400-byte body, BENCH_PIECES_SECONDS (5) s a run, the variants
// interleaved twice. Prints the server's CPU time per request and req/s of each run; last line JSON.
import { fork } from 'node:child_process';
import autocannon from 'autocannon';

const VARIANTS = ['hand', 'hono-body-limit', 'hono-validator'] as const;
const SECONDS = Number(process.env.BENCH_PIECES_SECONDS ?? 5);
const LIMIT = 20 * 1024 * 1024;

async function serve(variant: string): Promise<void> {
  const { Hono } = await import('hono');
  const { bodyLimit } = await import('hono/body-limit');
  const { validator } = await import('hono/validator');
  const { serve: listen } = await import('@hono/node-server');
  const { declaredTooLarge } = await import('../api/body.ts');
  const answer = JSON.stringify({ x: 'a'.repeat(790) });
  const app = new Hono();
  const handler = async (c: import('hono').Context) => {
    JSON.parse(await c.req.text());
    return c.body(answer, 200, { 'content-type': 'application/json' });
  };
  if (variant === 'hand') app.post('/d', (c) => (declaredTooLarge(c, LIMIT) ? c.body(null, 413) : handler(c)));
  else if (variant === 'hono-body-limit') app.post('/d', bodyLimit({ maxSize: LIMIT }), handler);
  // The parsed JSON handed on by Hono's validator (the check itself left out: ajv's is the same either way).
  else app.post('/d', validator('json', (v) => v), (c) => c.body(c.req.valid('json' as never) ? answer : '', 200, { 'content-type': 'application/json' }));
  const server = listen({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => process.send!({ url: `http://127.0.0.1:${info.port}` }));
  let cpu = process.cpuUsage();
  process.on('message', (m: string) => {
    if (m === 'start') cpu = process.cpuUsage();
    else if (m === 'end') {
      const u = process.cpuUsage(cpu);
      return void process.send!({ cpuMs: (u.user + u.system) / 1000 });
    } else server.close(() => process.exit(0));
    process.send!({});
  });
}

async function main(): Promise<void> {
  const body = JSON.stringify({ institution: 'sum', at: '2026-11-23T10:00:00+01:00', facts: { patron: { category: 'staff', rights_valid_until: '2027-10-31', loans: { 'long-term': 3 } }, item: { status: 'regular' } }, pad: 'x'.repeat(200) });
  const runs: Array<{ variant: string; rps: number; cpu_us: number }> = [];
  for (let round = 0; round < 2; round++) {
    for (const variant of VARIANTS) {
      const child = fork(import.meta.filename, ['--serve', variant], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      const ask = (m: string) => new Promise<{ url?: string; cpuMs?: number }>((res) => (child.once('message', res as never), child.send(m)));
      const { url } = await new Promise<{ url: string }>((res) => child.once('message', res as never));
      const opts = { url: `${url}/d`, connections: 50, method: 'POST' as const, headers: { 'content-type': 'application/json' }, body };
      await new Promise((r) => autocannon({ ...opts, duration: 2 }, r)); // warm-up
      await ask('start');
      const result = await new Promise<autocannon.Result>((res, rej) => autocannon({ ...opts, duration: SECONDS }, (e, r) => (e ? rej(e) : res(r))));
      const { cpuMs } = await ask('end');
      child.send('stop');
      const run = { variant, rps: Math.round(result.requests.average), cpu_us: Number(((cpuMs! * 1000) / result.requests.total).toFixed(1)) };
      console.log(`  ${variant.padEnd(16)} ${String(run.rps).padStart(6)} req/s  server cpu ${run.cpu_us} µs/request`);
      runs.push(run);
    }
  }
  console.log(JSON.stringify({ runs, seconds: SECONDS, node: process.version }));
}

if (process.argv[2] === '--serve') await serve(process.argv[3]!);
else await main();
