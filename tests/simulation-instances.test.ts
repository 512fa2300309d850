// Two instances on one PostgreSQL database share a simulation's chunks through the job queue
// (pg-boss): both decide some, the run adds them up once, and a cancel through either stops both.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../api/app.ts';
import { PolicyCache } from '../api/policies.ts';
import { SimulationRunner } from '../api/simulations.ts';
import type { Store } from '../api/store/index.ts';
import { call, makeHarness, silent, type Harness } from './support/api.ts';

const SLOW = 120_000;

describe.skipIf(!process.env.DATABASE_URL)('simulations across two instances on PostgreSQL', () => {
  let h: Harness;
  let other: Store;
  let second: SimulationRunner;
  let secondApp: ReturnType<typeof createApp>;

  beforeAll(async () => {
    h = await makeHarness('postgres');
    other = await h.opened.another!();
    second = new SimulationRunner(other, silent, { instance: 'second' });
    await second.work(); // takes chunks of runs it never started
    secondApp = createApp({ store: other, policies: new PolicyCache(other, silent), config: h.config, simulations: second, log: silent });
  }, SLOW);

  afterAll(async () => {
    await second?.close();
    await h?.close();
  }, SLOW);

  const read = async (app: ReturnType<typeof createApp>, id: string) => (await call(app, 'GET', `/api/v1/simulations/${id}?limit=0`, { key: h.keys.compliance })).json;

  it('splits a run into chunks that both instances take, and counts each once', async () => {
    const started = await call(h.app, 'POST', '/api/v1/institutions/sum/simulations', { key: h.keys.compliance, body: { baseline: '139/2013', candidate: '139/2013', generate: { n: 150_000, seed: 11 } } });
    expect(started.status, started.text).toBe(202);
    const id = started.json.id as string;
    await second.settled(id);
    const done = await read(secondApp, id);
    expect(done).toMatchObject({ status: 'done', done: 150_000, total: 150_000, error: null });
    expect(done.result).toMatchObject({ cases: 150_000, differing: 0, undecided: 0 });
    const by = await h.store.simulations.chunksBy(id);
    expect(Object.values(by).reduce((a, b) => a + b, 0)).toBe(15);
    expect(by.second, JSON.stringify(by)).toBeGreaterThan(0);
    expect(by[h.simulations.instance], JSON.stringify(by)).toBeGreaterThan(0);
  }, SLOW);

  it('stops on both instances when cancelled through either', async () => {
    const started = await call(secondApp, 'POST', '/api/v1/institutions/sum/simulations', { key: h.keys.compliance, body: { baseline: '139/2013', candidate: '139/2013', generate: { n: 2_000_000, seed: 12 } } });
    expect(started.status, started.text).toBe(202);
    const id = started.json.id as string;
    for (let t0 = Date.now(); (await read(h.app, id)).done === 0 && Date.now() - t0 < 60_000; ) await new Promise((r) => setTimeout(r, 50));
    const cancelled = await call(h.app, 'DELETE', `/api/v1/simulations/${id}`, { key: h.keys.compliance });
    expect(cancelled.status, cancelled.text).toBe(200);
    await Promise.all([second.stop(id), h.simulations.stop(id)]);
    const after = await read(secondApp, id);
    expect(after).toMatchObject({ status: 'cancelled', result: null });
    expect(after.done).toBeLessThan(2_000_000);
    // Chunks still queued are taken and put aside; nothing more is counted.
    await new Promise((r) => setTimeout(r, 1500));
    expect((await read(h.app, id)).done).toBe(after.done);
  }, SLOW);
});
