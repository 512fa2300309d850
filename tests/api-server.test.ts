// The service as it runs: startServer() on a free port, fetched over HTTP; and `node api/server.ts`
// (npm start) as a process: first start seeds and prints where things are, SIGTERM closes it.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../api/config.ts';
import { startServer, type RunningServer } from '../api/server.ts';
import { POLICIES } from './support/api.ts';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 120_000 });

const ROOT = resolve(import.meta.dirname, '..');
const FACTS = { patron: { category: 'phd-students', loans: { 'long-term': 3 }, rights_valid_until: '2027-09-30' }, item: { status: 'regular' } };

describe('startServer', () => {
  let dir: string;
  let server: RunningServer;
  const lines: string[] = [];
  const KEY = 'test-admin-key-0123456789abcdef';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'regula-server-'));
    server = await startServer({ ...loadConfig({}), port: 0, hostname: '127.0.0.1', dataDir: dir, policiesDir: POLICIES, adminKey: KEY }, { log: (m) => lines.push(m) });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('says where the data, the API and the docs are, and how long the start took', async () => {
    const text = lines.join('\n');
    // The admin key by its id, as the keys list names it: nothing of the key itself.
    expect(text).toContain(`Admin key ${(await server.store.keys.list())[0]!.id}: the one in REGULA_ADMIN_KEY.`);
    expect(text).not.toContain(KEY.slice(0, 8));
    expect(text).toContain(`Data: ${dir}`);
    expect(text).toContain(`API:  ${server.url}/api/v1`);
    expect(text).toContain(`Docs: ${server.url}/api/docs`);
    expect(text).toMatch(/Seeded pb, sum, umk, uwm/);
    expect(text).toMatch(/Ready in \d+ ms/);
    expect(server.adminKey).toBe(KEY);
    expect(text).not.toContain(KEY);
    console.log(`startServer: first start (PGlite created, seeded) in ${server.startupMs} ms`);
  });

  it('answers over HTTP: health, a decision, the docs', async () => {
    const health = await fetch(`${server.url}/api/v1/health`);
    expect(health.status).toBe(200);
    expect(((await health.json()) as { status: string }).status).toBe('ok');
    const ready = await fetch(`${server.url}/api/v1/ready`);
    expect(ready.status).toBe(200);
    const decision = await fetch(`${server.url}/api/v1/decisions/checkout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ institution: 'sum', at: '2026-11-23T10:00:00+01:00', facts: FACTS }),
    });
    expect(decision.status).toBe(200);
    expect(await decision.json()).toMatchObject({ outcome: 'allow', policy: { institution: 'sum', version: '139/2013' }, values: { due: '2026-12-23T23:59:59+01:00' } });
    const denied = await fetch(`${server.url}/api/v1/institutions`);
    expect(denied.status).toBe(401);
    expect(denied.headers.get('content-type')).toBe('application/problem+json');
    const docs = await fetch(`${server.url}/api/docs`);
    expect(docs.status).toBe(200);
    const bundle = await fetch(`${server.url}/api/docs/swagger-ui-bundle.js`);
    expect(bundle.headers.get('content-type')).toMatch(/javascript/);
    expect((await bundle.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
    const spec = await fetch(`${server.url}/api/openapi.json`);
    expect(((await spec.json()) as { openapi: string }).openapi).toMatch(/^3\.1/);
  });

  it('starts again on the same data without seeding or a new key', async () => {
    await server.close();
    const again: string[] = [];
    server = await startServer({ ...loadConfig({}), port: 0, hostname: '127.0.0.1', dataDir: dir, policiesDir: POLICIES }, { log: (m) => again.push(m) });
    expect(again.join('\n')).not.toMatch(/Seeded|Admin key/);
    expect(server.adminKey).toBeUndefined();
    const res = await fetch(`${server.url}/api/v1/institutions`, { headers: { 'x-api-key': KEY } });
    expect(((await res.json()) as { institutions: unknown[] }).institutions).toHaveLength(4);
    console.log(`startServer: restart in ${server.startupMs} ms`);
  });

  it('says so when its port is taken, and leaves the data folder free', async () => {
    const port = Number(new URL(server.url).port);
    const other = mkdtempSync(join(tmpdir(), 'regula-port-'));
    try {
      await expect(startServer({ ...loadConfig({}), port, hostname: '127.0.0.1', dataDir: other, policiesDir: POLICIES, adminKey: KEY }, { log: () => {} })).rejects.toThrow(
        `port ${port} is already in use (another Regula, or another program): set PORT to a free one`,
      );
      // The failed start closed its store: the folder opens again.
      const next = await startServer({ ...loadConfig({}), port: 0, hostname: '127.0.0.1', dataDir: other, policiesDir: POLICIES }, { log: () => {} });
      await next.close();
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});

describe('node api/server.ts', () => {
  it('starts, prints a new admin key once, answers within seconds, and closes on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'regula-start-'));
    try {
      const t0 = performance.now();
      const child = spawn(process.execPath, ['api/server.ts'], {
        cwd: ROOT,
        env: { ...process.env, PORT: '0', HOST: '127.0.0.1', REGULA_DATA_DIR: dir, REGULA_ADMIN_KEY: '', DATABASE_URL: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
      while (!/Ready in/.test(out)) {
        if (child.exitCode !== null) throw new Error(`exited ${child.exitCode}: ${err}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      const url = /API: +(http:\/\/[^/]+)\/api\/v1/.exec(out)![1];
      const key = /Admin key [0-9a-f-]{36} \(shown this once, store it now\): (\S+)/.exec(out)![1]!;
      const res = await fetch(`${url}/api/v1/decisions/checkout`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ institution: 'sum', at: '2026-11-23T10:00:00+01:00', facts: FACTS }),
      });
      expect(res.status).toBe(200);
      const firstAnswerMs = Math.round(performance.now() - t0);
      console.log(`node api/server.ts: process start to first decision ${firstAnswerMs} ms (first start: database created and seeded)`);
      expect(firstAnswerMs).toBeLessThan(30_000);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(out).toMatch(/SIGTERM: closing/);
      expect(out.match(new RegExp(key, 'g'))).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('bodies and decisions over a socket', () => {
  let dir: string;
  let server: RunningServer;
  const KEY = 'test-admin-key-0123456789abcdef';
  const LIMIT = 4096;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'regula-bodies-'));
    server = await startServer({ ...loadConfig({}), port: 0, hostname: '127.0.0.1', dataDir: dir, policiesDir: POLICIES, adminKey: KEY, bodyLimitBytes: LIMIT }, { log: () => {} });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A POST over node:http: with a Content-Length, or chunked (none) in pieces of 500 bytes. */
  function post(path: string, body: string, chunked: boolean): Promise<{ status: number; headers: Record<string, unknown>; bytes: Buffer }> {
    const { port } = new URL(server.url);
    return new Promise((resolve, reject) => {
      const data = Buffer.from(body);
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          path,
          method: 'POST',
          headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', ...(chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': data.length }) },
        },
        (res) => {
          const parts: Buffer[] = [];
          res.on('data', (d: Buffer) => parts.push(d));
          res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, bytes: Buffer.concat(parts) }));
        },
      );
      // The server may answer (413) and close before the whole body is sent.
      req.on('error', (e: NodeJS.ErrnoException) => (e.code === 'EPIPE' || e.code === 'ECONNRESET' ? undefined : reject(e)));
      if (chunked) for (let i = 0; i < data.length; i += 500) req.write(data.subarray(i, i + 500));
      else req.write(data);
      req.end();
    });
  }

  it('answers a decision with its exact bytes and their length, from a body sent whole or in chunks', async () => {
    const body = JSON.stringify({ institution: 'uwm', at: '2026-03-27T08:08:15+01:00', facts: { patron: { category: 'pkt-3', loans: { 'in-building': 5 } }, item: { status: 'regular' }, volumes: 6 } });
    for (const chunked of [false, true]) {
      const res = await post('/api/v1/decisions/checkout', body, chunked);
      expect(res.status, res.bytes.toString()).toBe(200);
      expect(res.headers['content-type']).toBe('application/json');
      expect(Number(res.headers['content-length'])).toBe(res.bytes.length);
      const text = res.bytes.toString('utf8');
      const decision = JSON.parse(text);
      expect(text).toBe(JSON.stringify(decision));
      expect(decision.assumptions.length).toBeGreaterThan(0);
      expect(decision.reasons.map((r: { message: { pl: string } }) => r.message.pl).join(' ')).toMatch(/[ąćęłńóśźż]/);
    }
  });

  it('refuses a body over the limit with 413, whether its length is declared or it comes in chunks', async () => {
    const big = JSON.stringify({ institution: 'sum', facts: { ...FACTS, padding: 'x'.repeat(LIMIT) } });
    for (const chunked of [false, true]) {
      const res = await post('/api/v1/decisions/checkout', big, chunked);
      expect(res.status).toBe(413);
      expect(res.headers['content-type']).toBe('application/problem+json');
    }
    // The server still answers afterwards.
    const ok = await post('/api/v1/decisions/checkout', JSON.stringify({ institution: 'sum', at: '2026-11-23T10:00:00+01:00', facts: FACTS }), true);
    expect(ok.status).toBe(200);
  });
});

describe('decisions open to the desk network only (REGULA_OPEN_DECISIONS=<networks>)', () => {
  let dir: string;
  let server: RunningServer;
  const lines: string[] = [];
  const KEY = 'test-admin-key-0123456789abcdef';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'regula-desks-'));
    const config = loadConfig({ REGULA_OPEN_DECISIONS: '127.0.0.1, 10.12.0.0/16' });
    server = await startServer({ ...config, port: 0, hostname: '127.0.0.1', dataDir: dir, policiesDir: POLICIES, adminKey: KEY }, { log: (m) => lines.push(m) });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A checkout over a real socket from `from` (all of 127.0.0.0/8 is this machine). */
  function checkout(from: string, key?: string): Promise<{ status: number; body: { detail?: string; outcome?: string } }> {
    const { port } = new URL(server.url);
    const data = JSON.stringify({ institution: 'sum', at: '2026-11-23T10:00:00+01:00', facts: FACTS });
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        { host: '127.0.0.1', port, localAddress: from, path: '/api/v1/decisions/checkout', method: 'POST', headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) } },
        (res) => {
          const parts: Buffer[] = [];
          res.on('data', (d: Buffer) => parts.push(d));
          res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(Buffer.concat(parts).toString()) }));
        },
      );
      req.on('error', reject);
      req.end(data);
    });
  }

  it('decides without a key for a desk in the network, asks any other for its key', async () => {
    expect(lines.some((l) => l.includes('decisions open without a key from 127.0.0.1, 10.12.0.0/16'))).toBe(true);
    const desk = await checkout('127.0.0.1');
    expect(desk.status).toBe(200);
    expect(desk.body.outcome).toBe('allow');
    const other = await checkout('127.0.0.2');
    expect(other.status).toBe(401);
    expect(other.body.detail).toBe('decisions need no key only from the desk network (127.0.0.1, 10.12.0.0/16); from 127.0.0.2, send your API key as "Authorization: Bearer <key>" or "X-API-Key: <key>"');
    expect((await checkout('127.0.0.2', KEY)).status).toBe(200);
  });
});
