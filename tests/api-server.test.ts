// The service as it runs: startServer() on a free port, fetched over HTTP; and `node api/server.ts`
// (npm start) as a process: first start seeds and prints where things are, SIGTERM closes it.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
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

  it('says where the data, the API and the docs are, and how long the start took', () => {
    const text = lines.join('\n');
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
      const key = /Admin key \(shown this once, store it now\): (\S+)/.exec(out)![1]!;
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
