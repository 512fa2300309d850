// The API's store on both backends: PGlite in a temporary folder always; a PostgreSQL server when
// DATABASE_URL is set (each run in a schema of its own, dropped afterwards).
import { formatInstant } from '../engine/time/index.ts';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConflictError, DuplicateError, NotFoundError, openStore, type NewVersion, type Store } from '../api/store/index.ts';
import type { PolicyDocument } from '../engine/policy/types.ts';
import { contentHash } from '../engine/policy/hash.ts';
import { syntheticPolicy } from './fixtures/synthetic-policy.ts';

const DATABASE_URL = process.env.DATABASE_URL;
const SLOW = 60_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs SQL through the store's own connection (not part of the Store interface: tests only). */
function raw(store: Store, sql: string, params: unknown[] = []): Promise<unknown> {
  const internal = store as unknown as { em(): { getConnection(): { execute(sql: string, params: unknown[]): Promise<unknown> } } };
  return internal.em().getConnection().execute(sql, params);
}

/** Collects notifications; waitFor resolves once `want` has been seen `times` times. */
function collector() {
  const seen: string[] = [];
  let wake: (() => void) | undefined;
  const listener = (institution: string) => {
    seen.push(institution);
    wake?.();
  };
  async function waitFor(want: string, times = 1, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (seen.filter((s) => s === want).length < times) {
      if (Date.now() > deadline) throw new Error(`no notification "${want}" (seen: ${seen.join(', ') || 'nothing'})`);
      await new Promise<void>((r) => {
        wake = r;
        setTimeout(r, 50);
      });
    }
  }
  return { seen, listener, waitFor };
}

function doc(version: string, change: Partial<PolicyDocument> = {}): PolicyDocument {
  return syntheticPolicy({ institution: 'sum', version, ...change });
}

function newVersion(label: string, extra: Partial<NewVersion> = {}): NewVersion {
  const consolidated = doc(label);
  return {
    institution: 'sum',
    label,
    status: 'draft',
    yaml: `# draft ${label}\ninstitution: sum\nversion: "${label}"\n`,
    consolidated,
    hash: contentHash(consolidated),
    effectiveFrom: '2027-01-01T00:00:00+01:00',
    testsYaml: 'cases: []\n',
    author: 'ewa',
    ...extra,
  };
}

interface Backend {
  store: () => Store;
  /** How a table is named in raw SQL (schema-qualified on PostgreSQL). */
  table: (name: string) => string;
}

/** What both backends must do alike. */
function storeContract(backend: Backend): void {
  const store = () => backend.store();

  it('migrates twice without doing anything the second time', async () => {
    await store().migrate();
    await store().upsertInstitution('keep', 'Kept across a migrate');
    await store().migrate();
    expect((await store().listInstitutions()).map((i) => i.id)).toContain('keep');
  });

  it('upserts and lists institutions', async () => {
    await store().upsertInstitution('sum', 'Śląski Uniwersytet Medyczny');
    await store().upsertInstitution('umk', 'UMK');
    const before = (await store().listInstitutions()).find((i) => i.id === 'sum')!;
    await store().upsertInstitution('sum', 'SUM Library');
    const list = await store().listInstitutions();
    const sum = list.find((i) => i.id === 'sum')!;
    expect(sum.name).toBe('SUM Library');
    expect(sum.createdAt).toBe(before.createdAt); // the upsert keeps the first creation time
    expect(list.map((i) => i.id)).toEqual([...list.map((i) => i.id)].sort());
    expect(sum.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/);
  });

  it('creates, gets and lists versions; refuses a duplicate label and an unknown institution', async () => {
    const v1 = await store().createVersion(newVersion('2026', { status: 'published', effectiveFrom: '2026-01-01T00:00:00+01:00' }));
    const v2 = await store().createVersion(newVersion('2027'));
    expect(v1.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(v1).toMatchObject({ institution: 'sum', label: '2026', status: 'published', revision: 1, publishedBy: 'ewa' });
    expect(v1.publishedAt).not.toBeNull();
    expect(v2).toMatchObject({ status: 'draft', revision: 1, publishedAt: null, publishedBy: null });
    // The same instant, shown in UTC.
    expect(new Date(v2.effectiveFrom).getTime()).toBe(new Date('2027-01-01T00:00:00+01:00').getTime());

    const got = await store().getVersion('sum', '2027');
    expect(got).toEqual(v2);
    expect(got!.consolidated).toEqual(doc('2027'));
    expect(got!.yaml).toBe(newVersion('2027').yaml);
    expect(await store().getVersion('sum', 'nope')).toBeNull();
    expect(await store().getVersion('umk', '2027')).toBeNull();

    const list = await store().listVersions('sum');
    expect(list.map((v) => v.label)).toEqual(['2026', '2027']);
    expect(await store().listVersions('umk')).toEqual([]);

    const dup = store().createVersion(newVersion('2027', { yaml: 'other' }));
    await expect(dup).rejects.toThrow(DuplicateError);
    await expect(dup).rejects.toThrow(/already exists/);
    expect((await store().getVersion('sum', '2027'))!.yaml).toBe(v2.yaml);
    // The same label elsewhere is fine.
    await expect(store().createVersion(newVersion('2027', { institution: 'umk' }))).resolves.toMatchObject({ institution: 'umk' });
    await expect(store().createVersion(newVersion('x', { institution: 'nowhere' }))).rejects.toThrow(NotFoundError);
    // An instant without an offset is ambiguous: refused.
    await expect(store().createVersion(newVersion('y', { effectiveFrom: '2027-01-01T00:00:00' }))).rejects.toThrow(/effectiveFrom: .*no UTC offset/);
  });

  it('updates a draft at the right revision and refuses a stale one with the current row', async () => {
    const v = (await store().getVersion('sum', '2027'))!;
    const changed = doc('2027', { name: 'Changed' });
    const change = {
      label: '2027',
      yaml: '# changed\n',
      consolidated: changed,
      hash: contentHash(changed),
      effectiveFrom: '2027-02-01T00:00:00+01:00',
      testsYaml: 'cases: [] # changed\n',
    };
    const updated = await store().updateDraft(v.id, v.revision, change);
    expect(updated).toMatchObject({ id: v.id, revision: v.revision + 1, yaml: '# changed\n', hash: contentHash(changed), status: 'draft' });
    expect(updated.consolidated.name).toBe('Changed');
    expect(updated.createdAt).toBe(v.createdAt);
    expect(updated.updatedAt >= v.updatedAt).toBe(true);

    const stale = { ...change, yaml: '# lost update\n' };
    const error = await store().updateDraft(v.id, v.revision, stale).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).current).toEqual(updated);
    expect(await store().getVersion('sum', '2027')).toEqual(updated);

    await expect(store().updateDraft(randomUUID(), 1, change)).rejects.toThrow(NotFoundError);
    await expect(store().updateDraft('not-a-uuid', 1, change)).rejects.toThrow(NotFoundError);
    await expect(store().updateDraft(v.id, 1.5, change)).rejects.toThrow(ConflictError);
  });

  it('lets exactly one of two concurrent writers with the same revision win', async () => {
    const v = (await store().getVersion('sum', '2027'))!;
    const write = (yaml: string) =>
      store().updateDraft(v.id, v.revision, { label: v.label, yaml, consolidated: v.consolidated, hash: v.hash, effectiveFrom: v.effectiveFrom, testsYaml: v.testsYaml });
    const results = await Promise.allSettled([write('# a\n'), write('# b\n'), write('# c\n')]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r) => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(2);
    for (const r of lost) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError);
    const now = (await store().getVersion('sum', '2027'))!;
    expect(now.revision).toBe(v.revision + 1);
    expect(now.yaml).toBe((won[0] as PromiseFulfilledResult<{ yaml: string }>).value.yaml);
  });

  it('refuses to rename a draft onto a taken label', async () => {
    const v = (await store().getVersion('sum', '2027'))!;
    const rename = store().updateDraft(v.id, v.revision, { label: '2026', yaml: v.yaml, consolidated: v.consolidated, hash: v.hash, effectiveFrom: v.effectiveFrom, testsYaml: v.testsYaml });
    await expect(rename).rejects.toThrow(DuplicateError);
    expect(await store().getVersion('sum', '2027')).toEqual(v);
  });

  it('publishes and retires, and never changes a published version', async () => {
    const draft = (await store().getVersion('sum', '2027'))!;
    await expect(store().setStatus(draft.id, draft.revision - 1, 'published', 'kasia')).rejects.toThrow(ConflictError);
    await expect(store().setStatus(draft.id, draft.revision, 'retired', 'kasia')).rejects.toThrow(/is draft/);

    const published = await store().setStatus(draft.id, draft.revision, 'published', 'kasia', '2027-03-01T00:00:00+01:00');
    expect(published).toMatchObject({ status: 'published', publishedBy: 'kasia', revision: draft.revision + 1, yaml: draft.yaml, hash: draft.hash });
    expect(published.publishedAt).not.toBeNull();
    expect(new Date(published.effectiveFrom).toISOString()).toBe('2027-02-28T23:00:00.000Z');

    const change = { label: '2027', yaml: '# sneaky\n', consolidated: draft.consolidated, hash: 'sha256:x', effectiveFrom: published.effectiveFrom, testsYaml: '' };
    const refused = await store().updateDraft(published.id, published.revision, change).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Error);
    expect(refused).not.toBeInstanceOf(ConflictError);
    expect((refused as Error).message).toMatch(/published/);
    // A stale revision on a published version still says why: it is not a draft.
    await expect(store().updateDraft(published.id, 1, change)).rejects.toThrow(/published/);
    await expect(store().setStatus(published.id, published.revision, 'published', 'kasia')).rejects.toThrow(/published/);
    expect(await store().getVersion('sum', '2027')).toEqual(published);

    // The database refuses it too, whoever asks.
    await expect(raw(store(), `update ${backend.table('policy_versions')} set yaml = 'x' where id = ?`, [published.id])).rejects.toThrow(/never changes/);
    await expect(raw(store(), `update ${backend.table('policy_versions')} set status = 'draft' where id = ?`, [published.id])).rejects.toThrow(/cannot go from published to draft/);

    await expect(store().setStatus(published.id, published.revision - 1, 'retired', 'kasia')).rejects.toThrow(ConflictError);
    const retired = await store().setStatus(published.id, published.revision, 'retired', 'kasia');
    expect(retired).toMatchObject({ status: 'retired', revision: published.revision + 1, yaml: published.yaml, hash: published.hash, effectiveFrom: published.effectiveFrom, publishedBy: 'kasia' });
    await expect(store().setStatus(retired.id, retired.revision, 'retired', 'kasia')).rejects.toThrow(/retired/);
    await expect(store().setStatus(retired.id, retired.revision, 'published', 'kasia')).rejects.toThrow(/retired/);
    await expect(store().updateDraft(retired.id, retired.revision, change)).rejects.toThrow(/retired/);
    await expect(store().setStatus(randomUUID(), 1, 'published', 'kasia')).rejects.toThrow(NotFoundError);
  });

  it('appends audit events and filters them by institution, actor and time', async () => {
    const base = { version: '2027', hashBefore: null, hashAfter: 'sha256:1', detail: null };
    const e1 = await store().appendAudit({ ...base, actor: 'ewa', action: 'version.create', institution: 'sum', detail: { note: 'first' } });
    await sleep(15);
    const middle = new Date().toISOString();
    await sleep(15);
    const e2 = await store().appendAudit({ ...base, actor: 'kasia', action: 'version.publish', institution: 'sum' });
    const e3 = await store().appendAudit({ ...base, actor: 'ewa', action: 'key.create', institution: null, version: null, hashAfter: null });
    expect(e1).toMatchObject({ actor: 'ewa', action: 'version.create', institution: 'sum', detail: { note: 'first' } });
    expect(e1.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0[12]:00$/); // Warsaw time with its offset

    const all = await store().listAudit({});
    expect(all.map((e) => e.id)).toEqual([e3.id, e2.id, e1.id]); // newest first, stable within a millisecond
    expect(all[2]).toEqual(e1);
    expect((await store().listAudit({ institution: 'sum' })).map((e) => e.id)).toEqual([e2.id, e1.id]);
    expect((await store().listAudit({ actor: 'ewa' })).map((e) => e.id)).toEqual([e3.id, e1.id]);
    expect((await store().listAudit({ actor: 'ewa', institution: 'sum' })).map((e) => e.id)).toEqual([e1.id]);
    expect((await store().listAudit({ from: middle })).map((e) => e.id)).toEqual([e3.id, e2.id]);
    expect((await store().listAudit({ to: middle })).map((e) => e.id)).toEqual([e1.id]);
    expect((await store().listAudit({ from: e2.at, to: e3.at })).map((e) => e.id)).toEqual(e2.at === e3.at ? [] : [e2.id]);
    expect((await store().listAudit({ limit: 1 })).map((e) => e.id)).toEqual([e3.id]);
    await expect(store().listAudit({ from: 'yesterday' })).rejects.toThrow(/from: .*not an ISO-8601 instant/);

    // Append-only: the store has no way to change them, and the database refuses.
    await expect(raw(store(), `update ${backend.table('audit_events')} set actor = 'mallory'`)).rejects.toThrow(/append-only/);
    await expect(raw(store(), `delete from ${backend.table('audit_events')}`)).rejects.toThrow(/append-only/);
    expect(await store().listAudit({})).toHaveLength(3);
  });

  it('creates, verifies and revokes API keys, storing only a hash', async () => {
    expect(await store().countKeys()).toBe(0);
    const { key, row } = await store().createKey('admin', 'admin');
    expect(key).toMatch(/^rk_[A-Za-z0-9_-]{43}$/);
    expect(row).toMatchObject({ name: 'admin', role: 'admin', prefix: key.slice(0, 8), revokedAt: null });
    const given = await store().createKey('desk', 'circulation', 'rk_given-by-the-operator');
    expect(given.key).toBe('rk_given-by-the-operator');
    expect(given.row.prefix).toBe('rk_given');
    await expect(store().createKey('again', 'editor', 'rk_given-by-the-operator')).rejects.toThrow(DuplicateError);

    expect(await store().verifyKey(key)).toEqual(row);
    expect(await store().verifyKey(key + 'x')).toBeNull();
    expect(await store().verifyKey('')).toBeNull();
    expect((await store().verifyKey('rk_given-by-the-operator'))!.role).toBe('circulation');

    const stored = (await raw(store(), `select key_hash from ${backend.table('api_keys')}`)) as { key_hash: string }[];
    expect(stored.map((r) => r.key_hash)).toContain((await import('node:crypto')).createHash('sha256').update(key).digest('hex'));
    expect(JSON.stringify(stored)).not.toContain(key);

    expect((await store().listKeys()).map((k) => k.name)).toEqual(['admin', 'desk']);
    expect(await store().countKeys()).toBe(2);
    await store().revokeKey(given.row.id);
    await store().revokeKey(given.row.id); // again: nothing changes
    expect(await store().verifyKey('rk_given-by-the-operator')).toBeNull();
    const listed = await store().listKeys();
    expect(listed.find((k) => k.id === given.row.id)!.revokedAt).not.toBeNull();
    expect(listed.find((k) => k.id === row.id)!.revokedAt).toBeNull();
    expect(await store().countKeys()).toBe(2);
    await expect(store().revokeKey(randomUUID())).rejects.toThrow(NotFoundError);
    await expect(store().revokeKey('not-a-uuid')).rejects.toThrow(NotFoundError);
  });

  it('creates, updates and gets simulation runs', async () => {
    const sim = await store().createSimulation({ institution: 'sum', baseline: '2026', candidate: 'yaml:sha256:abc', total: 5000, actor: 'ewa' });
    expect(sim).toMatchObject({ status: 'running', done: 0, total: 5000, result: null, error: null, finishedAt: null, candidate: 'yaml:sha256:abc' });
    await store().updateSimulation(sim.id, { done: 2500 });
    expect(await store().getSimulation(sim.id)).toEqual({ ...sim, done: 2500 });
    const result = { totals: { cases: 5000, changed: 12 }, differences: [{ id: 'student-1', before: 'allow', after: 'deny' }], errors: [] };
    const finishedAt = formatInstant(Date.now());
    await store().updateSimulation(sim.id, { status: 'done', done: 5000, result, finishedAt });
    expect(await store().getSimulation(sim.id)).toEqual({ ...sim, status: 'done', done: 5000, result, finishedAt });

    const failed = await store().createSimulation({ institution: 'sum', baseline: '2026', candidate: '2027', total: 10, actor: 'ewa' });
    await store().updateSimulation(failed.id, { status: 'failed', error: 'boom', finishedAt });
    expect(await store().getSimulation(failed.id)).toMatchObject({ status: 'failed', error: 'boom', result: null });

    expect(await store().getSimulation(randomUUID())).toBeNull();
    expect(await store().getSimulation('not-a-uuid')).toBeNull();
    await expect(store().updateSimulation(randomUUID(), { done: 1 })).rejects.toThrow(NotFoundError);
  });

  it('appends, lists and purges the decision log', async () => {
    const row = (at: string, institution: string, n: number) => ({
      at,
      institution,
      question: 'checkout',
      version: '2026',
      hash: 'sha256:1',
      facts: { patron: { category: 'students', loans: { 'long-term': n } } },
      decidedFor: '2026-11-23T10:00:00+01:00',
      decision: { allowed: n < 10, reasons: [{ code: 'limit', n }] },
    });
    await store().logDecisions([]);
    await store().logDecisions([row('2026-11-20T10:00:00Z', 'sum', 1), row('2026-11-21T10:00:00+01:00', 'umk', 2)]);
    await store().logDecisions([row('2026-11-22T10:00:00Z', 'sum', 3)]);

    const all = await store().listDecisions({});
    expect(all.map((d) => (d.facts as { patron: { loans: Record<string, number> } }).patron.loans['long-term'])).toEqual([3, 2, 1]);
    expect(all[1]).toMatchObject({ at: '2026-11-21T10:00:00+01:00', institution: 'umk', decidedFor: '2026-11-23T10:00:00+01:00', decision: { allowed: true, reasons: [{ code: 'limit', n: 2 }] } });
    expect((await store().listDecisions({ institution: 'sum' })).map((d) => d.at)).toEqual(['2026-11-22T11:00:00+01:00', '2026-11-20T11:00:00+01:00']);
    expect((await store().listDecisions({ from: '2026-11-21T00:00:00Z', to: '2026-11-22T10:00:00Z' })).map((d) => d.institution)).toEqual(['umk']);
    expect(await store().listDecisions({ limit: 2 })).toHaveLength(2);

    expect(await store().purgeDecisions('2026-11-21T09:00:00Z')).toBe(1);
    expect(await store().purgeDecisions('2026-11-21T09:00:00Z')).toBe(0);
    expect((await store().listDecisions({})).map((d) => d.institution)).toEqual(['sum', 'umk']);
  });
}

/** What MikroORM's schema diff would change in a migrated database: nothing, if the entities mirror
 * the migrations (the guard triggers aside, which only the migrations declare). Tests only. */
async function entityDrift(config: { databaseUrl?: string; schema?: string; dataDir?: string }): Promise<string> {
  const { entities } = await import('../api/store/entities.ts');
  const common = { entities, debug: false, schemaGenerator: { ignoreTriggers: true } };
  const orm = config.databaseUrl
    ? await (await import('@mikro-orm/postgresql')).MikroORM.init({ ...common, clientUrl: config.databaseUrl, schema: config.schema })
    : await (await import('@mikro-orm/pglite')).MikroORM.init({ ...common, dbName: config.dataDir });
  try {
    return (await orm.schema.getUpdateSchemaSQL({ wrap: false, ...(config.schema ? { schema: config.schema } : {}) })).trim();
  } finally {
    await orm.close(true);
  }
}

describe('store on PGlite', () => {
  let dir: string;
  let store: Store | undefined;
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'regula-store-'));
    const t0 = performance.now();
    store = await openStore({ dataDir: join(dir, 'data') }); // a folder that does not exist yet
    await store.migrate();
    timings.fresh = performance.now() - t0;
  }, SLOW);

  afterAll(async () => {
    await store?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  }, SLOW);

  it('lives in the folder it was given', () => {
    expect(store!.location).toBe(join(dir, 'data'));
  });

  storeContract({ store: () => store!, table: (name) => name });

  it('tells its own listeners about changes, in process', async () => {
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const a = collector();
    const b = collector();
    await store!.onChanged(a.listener);
    await store!.onChanged(b.listener);
    await store!.onChanged(() => {
      throw new Error('a broken listener does not stop the others');
    });
    await store!.notifyChanged('sum');
    await store!.notifyChanged('umk');
    await a.waitFor('sum');
    await a.waitFor('umk');
    await b.waitFor('umk');
    expect(a.seen).toEqual(['sum', 'umk']);
    expect(quiet).toHaveBeenCalledWith(expect.stringMatching(/listener failed/), expect.any(Error));
    quiet.mockRestore();
  });

  it('refuses a second store on a folder that is in use', async () => {
    await expect(openStore({ dataDir: join(dir, 'data') })).rejects.toThrow(/already open in this process/);
    // Another live process holding the lock (our parent will do): refused before PGlite starts.
    const other = join(dir, 'other');
    await mkdir(other);
    await writeFile(join(other, 'regula.lock'), `${process.ppid}\n`);
    await expect(openStore({ dataDir: other })).rejects.toThrow(new RegExp(`in use by process ${process.ppid}`));
  });

  it('keeps the data when reopened on the same folder', async () => {
    const before = await store!.listVersions('sum');
    await store!.close();
    await store!.close(); // twice is fine
    await expect(store!.listInstitutions()).rejects.toThrow(/closed/);
    expect(existsSync(join(dir, 'data', 'regula.lock'))).toBe(false);
    // A lock left behind by a process that died is taken over.
    await writeFile(join(dir, 'data', 'regula.lock'), '2147483646\n');

    const t0 = performance.now();
    store = await openStore({ dataDir: join(dir, 'data') });
    await store.migrate();
    timings.existing = performance.now() - t0;

    expect(await store.listVersions('sum')).toEqual(before);
    expect((await store.listInstitutions()).map((i) => i.id)).toEqual(['keep', 'sum', 'umk']);
    expect(await store.countKeys()).toBe(2);
    expect(await store.listAudit({})).toHaveLength(3);
    // Starting on an existing folder must be quick (the service answers within seconds).
    expect(timings.existing).toBeLessThan(5_000);
    console.info(`PGlite openStore+migrate: fresh folder ${timings.fresh!.toFixed(0)} ms, existing ${timings.existing.toFixed(0)} ms`);
  }, SLOW);

  it('has entities that match its migrations', async () => {
    await store!.close(); // one PGlite per folder
    store = undefined;
    expect(await entityDrift({ dataDir: join(dir, 'data') })).toBe('');
  }, SLOW);
});

describe.skipIf(!DATABASE_URL)('store on PostgreSQL', () => {
  const schema = `regula_test_${process.pid}_${randomUUID().slice(0, 8)}`;
  let first: Store | undefined;
  let second: Store | undefined;

  beforeAll(async () => {
    // Two instances on one schema, as two API processes would be.
    first = await openStore({ databaseUrl: DATABASE_URL!, schema });
    second = await openStore({ databaseUrl: DATABASE_URL!, schema });
  }, SLOW);

  afterAll(async () => {
    await first?.close();
    await second?.close();
    const { default: pg } = await import('pg' as string);
    const client = new pg.Client({ connectionString: DATABASE_URL });
    await client.connect();
    await client.query(`drop schema if exists "${schema}" cascade`);
    await client.end();
  }, SLOW);

  it('does not show the password where it lives', () => {
    expect(first!.location).toContain(schema);
    expect(first!.location).toMatch(/^postgresql:\/\//);
    const withPassword = new URL(DATABASE_URL!);
    if (withPassword.password) expect(first!.location).not.toContain(withPassword.password);
  });

  it('migrates from two instances at once', async () => {
    await Promise.all([first!.migrate(), second!.migrate()]);
    const done = (await raw(first!, `select name from "${schema}".mikro_orm_migrations`)) as { name: string }[];
    expect(done.map((r) => r.name)).toEqual(['Migration20261122000000']);
    const tables = (await raw(first!, `select table_name from information_schema.tables where table_schema = ? order by 1`, [schema])) as { table_name: string }[];
    expect(tables.map((t) => t.table_name)).toEqual(['api_keys', 'audit_events', 'decision_log', 'institutions', 'mikro_orm_migrations', 'policy_versions', 'simulation_runs']);
  }, SLOW);

  storeContract({ store: () => first!, table: (name) => `"${schema}".${name}` });

  it('has entities that match its migrations', async () => {
    expect(await entityDrift({ databaseUrl: DATABASE_URL!, schema })).toBe('');
  }, SLOW);

  it('sees what the other instance wrote', async () => {
    expect((await second!.getVersion('sum', '2027'))!.status).toBe('retired');
    await second!.upsertInstitution('pb', 'Politechnika Białostocka');
    expect((await first!.listInstitutions()).map((i) => i.id)).toContain('pb');
  });

  it('tells the other instance about changes (NOTIFY / LISTEN), and recovers a dropped LISTEN', async () => {
    const there = collector();
    const here = collector();
    await second!.onChanged(there.listener);
    await first!.onChanged(here.listener);
    await first!.notifyChanged('sum');
    await there.waitFor('sum');
    await here.waitFor('sum'); // the sender's own listeners hear it too
    await second!.notifyChanged('umk');
    await here.waitFor('umk');

    // Kill the LISTEN connections: they come back, and report every institution as changed
    // (what was notified meanwhile is lost).
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const killed = (await raw(first!, `select pg_terminate_backend(pid) as ok from pg_stat_activity where application_name = ?`, [`regula-listen:${schema}`])) as { ok: boolean }[];
    expect(killed.length).toBe(2);
    await there.waitFor('pb');
    await here.waitFor('pb');
    await first!.notifyChanged('sum');
    await there.waitFor('sum', 2);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/LISTEN connection lost/));
    warn.mockRestore();
  }, SLOW);
});
