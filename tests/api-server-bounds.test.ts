// The service as it runs (`node api/server.ts`, on each store), held to a V8 heap of 256 MB: the
// worst batches a client may send — a thousand and ten thousand returns a century late, a body
// full of payments with the most loans a payment takes — are answered within their bounds, and
// the process stays up and answers health after them. (Before the breakdown was summarised, the
// thousand returns alone made a 2.25 GB answer and the process died.)
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BATCH_ANSWER_BYTES } from '../contract/api/index.ts';
import { BACKENDS, dropTestSchema, testSchema } from './support/api.ts';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const ROOT = resolve(import.meta.dirname, '..');
const KEY = 'bounds-admin-key-0123456789abcdef';
const HEAP_MB = 256;

const CENTURY_LATE = { question: 'return', institution: 'sum', at: '2100-12-30T10:00:00+01:00', facts: { loan: { loan_type: 'long-term', due: '1996-01-02T10:00:00+01:00' } } };
/** UWM moves the due dates of overdue loans paid online: 200 loans (the most a payment takes), each moved. */
const PAYMENT = {
  question: 'payment',
  institution: 'uwm',
  at: '2026-02-01T10:00:00+01:00',
  facts: { payment: { amount: 100, channel: 'online' }, loans: Array.from({ length: 200 }, (_, i) => ({ id: `loan-${String(i).padStart(95, '0')}`, loan_type: 'thirty-day', due: '2026-01-01T10:00:00+01:00' })) },
};

describe.each(BACKENDS)('node api/server.ts with a %s store and a 256 MB heap', (backend) => {
  let child: ChildProcess;
  let url: string;
  let dir: string;
  const schema = testSchema();
  let stderr = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'regula-bounds-'));
    child = spawn(process.execPath, [`--max-old-space-size=${HEAP_MB}`, 'api/server.ts'], {
      cwd: ROOT,
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', REGULA_DATA_DIR: dir, REGULA_ADMIN_KEY: KEY, REGULA_DECISION_LOG: 'true', ...(backend === 'postgres' ? { DATABASE_SCHEMA: schema } : { DATABASE_URL: '' }) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    while (!/Ready in/.test(out)) {
      if (child.exitCode !== null) throw new Error(`exited ${child.exitCode}: ${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    url = /API: +(http:\/\/[^/]+)\/api\/v1/.exec(out)![1]!;
  });
  afterAll(async () => {
    child?.kill('SIGTERM');
    if (child && child.exitCode === null) await new Promise((r) => child.on('exit', r));
    rmSync(dir, { recursive: true, force: true });
    if (backend === 'postgres') await dropTestSchema(schema);
  });

  const batch = async (requests: unknown[]) => {
    const res = await fetch(`${url}/api/v1/decisions/batch`, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: JSON.stringify({ requests }) });
    return { status: res.status, text: await res.text() };
  };
  const alive = async () => {
    expect(child.exitCode, stderr).toBeNull();
    expect((await fetch(`${url}/api/v1/health`)).status).toBe(200);
  };

  it('a thousand returns a century late: one breakdown row each, 1.5 MB in all', async () => {
    const { status, text } = await batch(Array(1000).fill(CENTURY_LATE));
    expect(status).toBe(200);
    expect(text.length).toBeLessThan(2_000_000);
    const { results } = JSON.parse(text) as { results: Array<{ values: { fee: number; breakdown: unknown[] } }> };
    expect(results).toHaveLength(1000);
    expect(results.every((r) => r.values.fee === 1_917_400 && r.values.breakdown.length === 1)).toBe(true);
    await alive();
  });

  it('ten thousand of them (the most a batch takes)', async () => {
    const { status, text } = await batch(Array(10_000).fill(CENTURY_LATE));
    expect(status).toBe(200);
    expect(Buffer.byteLength(text)).toBeLessThan(16_000_000);
    await alive();
  });

  it('a 20 MB body of the largest payments: answered up to the 32 MB bound, the rest told to come again', async () => {
    const requests = Array(580).fill(PAYMENT);
    expect(JSON.stringify({ requests }).length).toBeLessThan(20 * 1024 * 1024);
    const { status, text } = await batch(requests);
    expect(status).toBe(200);
    const { results } = JSON.parse(text) as { results: Array<{ outcome?: string; status?: number; type?: string; detail?: string }> };
    const decided = results.filter((r) => r.outcome === 'allow').length;
    expect(decided).toBeGreaterThan(300);
    expect(decided).toBeLessThan(580);
    expect(results.slice(decided).every((r) => r.type === '/api/problems/answer-too-large' && r.status === 413)).toBe(true);
    expect(results[decided]!.detail).toBe(`/requests/${decided}: not decided — the answers before it reached the batch's bound of 32 MB; send this request and the ones after it again in another batch`);
    // The bound, and at most one decision beyond it (the one that crossed it), plus the problems.
    expect(Buffer.byteLength(text)).toBeLessThan(BATCH_ANSWER_BYTES + 200_000 + 300 * (580 - decided));
    await alive();
  });
});
