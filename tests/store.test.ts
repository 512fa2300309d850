// The API's store on both backends: PGlite in a temporary folder always; a PostgreSQL server when
// DATABASE_URL is set (each run in a schema of its own, dropped afterwards).
import { formatInstant } from '../engine/time/index.ts';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConflictError, DuplicateError, NotFoundError, openStore, type AuditEvent, type NewVersion, type Store, type VersionAudit } from '../api/store/index.ts';
import { type PolicyDocument, contentHash } from '../engine/policy/index.ts';
import { migrationsList } from '../api/store/migrations/index.ts';
import { setHeader } from '../api/store/header.ts';
import { syntheticPolicy } from './fixtures/synthetic-policy.ts';
import { dropTestSchema, SIM_AUDIT, testSchema } from './support/api.ts';

const DATABASE_URL = process.env.DATABASE_URL;
const SLOW = 60_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs SQL through the store's own connection (no repository does this: tests only). */
function raw(store: Store, sql: string, params: unknown[] = []): Promise<unknown> {
  return store.db.em().getConnection().execute(sql, params);
}

/** Collects notifications; waitFor resolves once `want` has been seen `times` times. */
function collector() {
  const seen: string[] = [];
  /** Who sent each, by name: the sender's tag, or undefined. */
  const senders: Array<[string, string | undefined]> = [];
  let wake: (() => void) | undefined;
  const listener = (institution: string, from: string | undefined) => {
    seen.push(institution);
    senders.push([institution, from]);
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
  return { seen, senders, listener, waitFor };
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

/** The audit event a version write appends with it. */
function by(actor: string, action: string, detail: VersionAudit['detail'] = null): VersionAudit {
  return { actor, action, detail };
}
const createAudit = () => by('ewa', 'version.create');
const updateAudit = () => by('ewa', 'version.update');
const publishAudit = () => by('kasia', 'version.publish');
const retireAudit = () => by('kasia', 'version.retire');

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
    await store().versions.upsertInstitution('keep', 'Kept across a migrate');
    await store().migrate();
    expect((await store().versions.listInstitutions()).map((i) => i.id)).toContain('keep');
  });

  it('upserts and lists institutions', async () => {
    await store().versions.upsertInstitution('sum', 'Śląski Uniwersytet Medyczny');
    await store().versions.upsertInstitution('umk', 'UMK');
    const before = (await store().versions.listInstitutions()).find((i) => i.id === 'sum')!;
    await store().versions.upsertInstitution('sum', 'SUM Library');
    const list = await store().versions.listInstitutions();
    const sum = list.find((i) => i.id === 'sum')!;
    expect(sum.name).toBe('SUM Library');
    expect(sum.createdAt).toBe(before.createdAt); // the upsert keeps the first creation time
    expect(list.map((i) => i.id)).toEqual([...list.map((i) => i.id)].sort());
    expect(sum.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/);
  });

  it('creates, gets and lists versions; refuses a duplicate label and an unknown institution', async () => {
    const v1 = await store().versions.create(newVersion('2026', { status: 'published', effectiveFrom: '2026-01-01T00:00:00+01:00' }), createAudit());
    const v2 = await store().versions.create(newVersion('2027'), createAudit());
    expect(v1.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(v1).toMatchObject({ institution: 'sum', label: '2026', status: 'published', revision: 1, publishedBy: 'ewa' });
    expect(v1.publishedAt).not.toBeNull();
    expect(v2).toMatchObject({ status: 'draft', revision: 1, publishedAt: null, publishedBy: null });
    // The same instant, shown in UTC.
    expect(new Date(v2.effectiveFrom).getTime()).toBe(new Date('2027-01-01T00:00:00+01:00').getTime());

    const got = await store().versions.get('sum', '2027');
    expect(got).toEqual(v2);
    expect(got!.consolidated).toEqual(doc('2027'));
    expect(got!.yaml).toBe(newVersion('2027').yaml);
    expect(await store().versions.get('sum', 'nope')).toBeNull();
    expect(await store().versions.get('umk', '2027')).toBeNull();

    const list = await store().versions.list('sum');
    expect(list.map((v) => v.label)).toEqual(['2026', '2027']);
    expect(await store().versions.list('umk')).toEqual([]);

    const dup = store().versions.create(newVersion('2027', { yaml: 'other' }), createAudit());
    await expect(dup).rejects.toThrow(DuplicateError);
    await expect(dup).rejects.toThrow(/already exists/);
    expect((await store().versions.get('sum', '2027'))!.yaml).toBe(v2.yaml);
    // The same label elsewhere is fine.
    await expect(store().versions.create(newVersion('2027', { institution: 'umk' }), createAudit())).resolves.toMatchObject({ institution: 'umk' });
    await expect(store().versions.create(newVersion('x', { institution: 'nowhere' }), createAudit())).rejects.toThrow(NotFoundError);
    // An instant without an offset is ambiguous: refused.
    await expect(store().versions.create(newVersion('y', { effectiveFrom: '2027-01-01T00:00:00' }), createAudit())).rejects.toThrow(/effectiveFrom: .*no UTC offset/);
  });

  it('updates a draft at the right revision and refuses a stale one with the current row', async () => {
    const v = (await store().versions.get('sum', '2027'))!;
    const changed = doc('2027', { name: 'Changed' });
    const change = {
      label: '2027',
      yaml: '# changed\n',
      consolidated: changed,
      hash: contentHash(changed),
      effectiveFrom: '2027-02-01T00:00:00+01:00',
      testsYaml: 'cases: [] # changed\n',
    };
    const updated = await store().versions.updateDraft(v.id, v.revision, change, updateAudit());
    expect(updated).toMatchObject({ id: v.id, revision: v.revision + 1, yaml: '# changed\n', hash: contentHash(changed), status: 'draft' });
    expect(updated.consolidated.name).toBe('Changed');
    expect(updated.createdAt).toBe(v.createdAt);
    expect(updated.updatedAt >= v.updatedAt).toBe(true);

    const stale = { ...change, yaml: '# lost update\n' };
    const error = await store().versions.updateDraft(v.id, v.revision, stale, updateAudit()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).current).toEqual(updated);
    expect(await store().versions.get('sum', '2027')).toEqual(updated);

    await expect(store().versions.updateDraft(randomUUID(), 1, change, updateAudit())).rejects.toThrow(NotFoundError);
    await expect(store().versions.updateDraft('not-a-uuid', 1, change, updateAudit())).rejects.toThrow(NotFoundError);
    await expect(store().versions.updateDraft(v.id, 1.5, change, updateAudit())).rejects.toThrow(ConflictError);
  });

  it('lets exactly one of two concurrent writers with the same revision win', async () => {
    const v = (await store().versions.get('sum', '2027'))!;
    const write = (yaml: string) =>
      store().versions.updateDraft(v.id, v.revision, { label: v.label, yaml, consolidated: v.consolidated, hash: v.hash, effectiveFrom: v.effectiveFrom, testsYaml: v.testsYaml }, updateAudit());
    const results = await Promise.allSettled([write('# a\n'), write('# b\n'), write('# c\n')]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r) => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(2);
    for (const r of lost) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError);
    const now = (await store().versions.get('sum', '2027'))!;
    expect(now.revision).toBe(v.revision + 1);
    expect(now.yaml).toBe((won[0] as PromiseFulfilledResult<{ yaml: string }>).value.yaml);
    // One write, one event: the losers left none.
    const events = (await store().audit.list({ institution: 'sum' })).filter((e) => e.action === 'version.update' && e.hashBefore === v.hash && e.at >= now.updatedAt);
    expect(events).toHaveLength(1);
  });

  it('refuses to rename a draft onto a taken label', async () => {
    const v = (await store().versions.get('sum', '2027'))!;
    const rename = store().versions.updateDraft(v.id, v.revision, { label: '2026', yaml: v.yaml, consolidated: v.consolidated, hash: v.hash, effectiveFrom: v.effectiveFrom, testsYaml: v.testsYaml }, updateAudit());
    await expect(rename).rejects.toThrow(DuplicateError);
    expect(await store().versions.get('sum', '2027')).toEqual(v);
  });

  it('publishes and retires, and never changes a published version', async () => {
    const draft = (await store().versions.get('sum', '2027'))!;
    await expect(store().versions.setStatus(draft.id, draft.revision - 1, { status: 'published' }, publishAudit())).rejects.toThrow(ConflictError);
    await expect(store().versions.setStatus(draft.id, draft.revision, { status: 'retired' }, retireAudit())).rejects.toThrow(/is draft/);

    const published = await store().versions.setStatus(draft.id, draft.revision, { status: 'published', effectiveFrom: '2027-03-01T00:00:00+01:00' }, publishAudit());
    // The document says it (its one home): the YAML's header lines and the consolidated document.
    expect(published).toMatchObject({ status: 'published', publishedBy: 'kasia', revision: draft.revision + 1, yaml: setHeader(draft.yaml, { status: 'published', effective_from: '2027-03-01T00:00:00+01:00' }), hash: draft.hash });
    expect(published.yaml).toMatch(/^status: published$/m);
    expect(published.consolidated).toEqual({ ...draft.consolidated, status: 'published', effective_from: '2027-03-01T00:00:00+01:00' });
    expect(published.publishedAt).not.toBeNull();
    expect(new Date(published.effectiveFrom).toISOString()).toBe('2027-02-28T23:00:00.000Z');

    const change = { label: '2027', yaml: '# sneaky\n', consolidated: draft.consolidated, hash: 'sha256:x', effectiveFrom: published.effectiveFrom, testsYaml: '' };
    const refused = await store().versions.updateDraft(published.id, published.revision, change, updateAudit()).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Error);
    expect(refused).not.toBeInstanceOf(ConflictError);
    expect((refused as Error).message).toMatch(/published/);
    // A stale revision on a published version still says why: it is not a draft.
    await expect(store().versions.updateDraft(published.id, 1, change, updateAudit())).rejects.toThrow(/published/);
    await expect(store().versions.setStatus(published.id, published.revision, { status: 'published' }, publishAudit())).rejects.toThrow(/published/);
    expect(await store().versions.get('sum', '2027')).toEqual(published);

    // The database refuses it too, whoever asks.
    await expect(raw(store(), `update ${backend.table('policy_versions')} set yaml = 'x' where id = ?`, [published.id])).rejects.toThrow(/never changes/);
    await expect(raw(store(), `update ${backend.table('policy_versions')} set status = 'draft' where id = ?`, [published.id])).rejects.toThrow(/cannot go from published to draft/);
    // Retired, the document must say so, and only that changes.
    await expect(raw(store(), `update ${backend.table('policy_versions')} set status = 'retired' where id = ?`, [published.id])).rejects.toThrow(/never changes/);
    await expect(raw(store(), `update ${backend.table('policy_versions')} set status = 'retired', consolidated = (consolidated::jsonb || '{"status": "retired", "name": "changed"}')::json where id = ?`, [published.id])).rejects.toThrow(/never changes/);

    await expect(store().versions.setStatus(published.id, published.revision - 1, { status: 'retired' }, retireAudit())).rejects.toThrow(ConflictError);
    const retired = await store().versions.setStatus(published.id, published.revision, { status: 'retired' }, retireAudit());
    expect(retired).toMatchObject({ status: 'retired', revision: published.revision + 1, yaml: setHeader(published.yaml, { status: 'retired' }), hash: published.hash, effectiveFrom: published.effectiveFrom, publishedBy: 'kasia' });
    expect(retired.yaml).toMatch(/^status: retired$/m);
    expect(retired.consolidated).toEqual({ ...published.consolidated, status: 'retired' });
    // Retiring may change the document's status and nothing else of it, and a retired text never changes.
    await expect(raw(store(), `update ${backend.table('policy_versions')} set yaml = 'x' where id = ?`, [retired.id])).rejects.toThrow(/never changes/);
    await expect(raw(store(), `update ${backend.table('policy_versions')} set consolidated = (consolidated::jsonb || '{"status": "published"}')::json where id = ?`, [retired.id])).rejects.toThrow(/never changes/);
    await expect(store().versions.setStatus(retired.id, retired.revision, { status: 'retired' }, retireAudit())).rejects.toThrow(/retired/);
    await expect(store().versions.setStatus(retired.id, retired.revision, { status: 'published' }, publishAudit())).rejects.toThrow(/retired/);
    await expect(store().versions.updateDraft(retired.id, retired.revision, change, updateAudit())).rejects.toThrow(/retired/);
    await expect(store().versions.setStatus(randomUUID(), 1, { status: 'published' }, publishAudit())).rejects.toThrow(NotFoundError);
  });

  it('stores each version write together with its audit event, or neither', async () => {
    const events = async (label: string) => (await store().audit.list({ institution: 'sum' })).filter((e) => e.version === label);
    const count = async () => (await store().audit.list({})).length;
    // Writes refused earlier (a taken label, an ambiguous instant) left no event.
    expect(await events('y')).toEqual([]);
    expect((await events('2027')).filter((e) => e.action === 'version.create')).toHaveLength(1);

    // An event the table refuses (no actor: not null) undoes the write it goes with.
    const noActor = (action: string): VersionAudit => ({ actor: null as unknown as string, action, detail: null });
    await expect(store().versions.create(newVersion('2028'), noActor('version.create'))).rejects.toThrow(/actor/);
    expect(await store().versions.get('sum', '2028')).toBeNull();
    expect(await events('2028')).toEqual([]);

    const draft = await store().versions.create(newVersion('2028'), by('ewa', 'version.create', { note: 'made' }));
    const made = await events('2028');
    expect(made).toEqual([{ id: expect.any(String), at: draft.createdAt, actor: 'ewa', action: 'version.create', institution: 'sum', version: '2028', hashBefore: null, hashAfter: draft.hash, detail: { note: 'made' } }]);

    const published = doc('2028', { status: 'published', name: 'Published' });
    const content = { label: '2028', yaml: '# 2028\nstatus: published\n', consolidated: published, hash: contentHash(published), effectiveFrom: '2028-01-01T00:00:00+01:00', testsYaml: draft.testsYaml };
    expect(content.hash).not.toBe(draft.hash);
    const before = await count();
    await expect(store().versions.updateDraft(draft.id, draft.revision, content, noActor('version.update'))).rejects.toThrow(/actor/);
    await expect(store().versions.setStatus(draft.id, draft.revision, { status: 'published', content }, noActor('version.publish'))).rejects.toThrow(/actor/);
    expect(await store().versions.get('sum', '2028')).toEqual(draft);

    // The database refuses the publish event itself (a trigger, after the version's UPDATE ran):
    // the text, the status and the revision stay as they were.
    const fn = backend.table('regula_test_refuse_publish_audit');
    await raw(store(), `create function ${fn}() returns trigger language plpgsql as $$
      begin
        if new.action = 'version.publish' then raise exception 'audit refused for the test'; end if;
        return new;
      end $$`);
    await raw(store(), `create trigger regula_test_refuse_publish_audit before insert on ${backend.table('audit_events')} for each row execute function ${fn}()`);
    try {
      await expect(store().versions.setStatus(draft.id, draft.revision, { status: 'published', content }, publishAudit())).rejects.toThrow(/audit refused for the test/);
    } finally {
      await raw(store(), `drop trigger regula_test_refuse_publish_audit on ${backend.table('audit_events')}`);
      await raw(store(), `drop function ${fn}()`);
    }
    expect(await store().versions.get('sum', '2028')).toEqual(draft);
    // A stale revision stores nothing either.
    await expect(store().versions.setStatus(draft.id, draft.revision + 1, { status: 'published', content }, publishAudit())).rejects.toThrow(ConflictError);
    expect(await store().versions.get('sum', '2028')).toEqual(draft);
    expect(await count()).toBe(before);

    // Published: the text, the status and exactly one event with the hashes, in one write.
    const done = await store().versions.setStatus(draft.id, draft.revision, { status: 'published', content }, by('kasia', 'version.publish', { tests_passed: 2 }));
    expect(done).toMatchObject({ status: 'published', revision: draft.revision + 1, yaml: setHeader(content.yaml, { status: 'published', effective_from: content.effectiveFrom }), hash: content.hash, publishedBy: 'kasia', createdAt: draft.createdAt });
    expect(new Date(done.effectiveFrom).getTime()).toBe(Date.parse(content.effectiveFrom));
    expect(await count()).toBe(before + 1);
    const publishEvents = (await events('2028')).filter((e) => e.action === 'version.publish');
    expect(publishEvents).toEqual([{ id: expect.any(String), at: done.updatedAt, actor: 'kasia', action: 'version.publish', institution: 'sum', version: '2028', hashBefore: draft.hash, hashAfter: content.hash, detail: { tests_passed: 2 } }]);

    await expect(store().versions.setStatus(done.id, done.revision, { status: 'retired' }, noActor('version.retire'))).rejects.toThrow(/actor/);
    expect(await store().versions.get('sum', '2028')).toEqual(done);
    const retired = await store().versions.setStatus(done.id, done.revision, { status: 'retired' }, retireAudit());
    const retireEvents: AuditEvent[] = (await events('2028')).filter((e) => e.action === 'version.retire');
    expect(retireEvents).toEqual([expect.objectContaining({ actor: 'kasia', hashBefore: content.hash, hashAfter: content.hash, at: retired.updatedAt })]);
    expect(await count()).toBe(before + 2);
  });

  it('appends audit events and filters them by institution, actor and time', async () => {
    // The version writes above appended their own events; these go to an institution of their own.
    const earlier = await store().audit.list({});
    await sleep(5);
    const start = new Date().toISOString();
    const base = { version: '2027', hashBefore: null, hashAfter: 'sha256:1', detail: null };
    const e1 = await store().audit.append({ ...base, actor: 'ewa', action: 'version.create', institution: 'aud', detail: { note: 'first' } });
    await sleep(15);
    const middle = new Date().toISOString();
    await sleep(15);
    const e2 = await store().audit.append({ ...base, actor: 'kasia', action: 'version.publish', institution: 'aud' });
    const e3 = await store().audit.append({ ...base, actor: 'ewa', action: 'key.create', institution: null, version: null, hashAfter: null });
    expect(e1).toMatchObject({ actor: 'ewa', action: 'version.create', institution: 'aud', detail: { note: 'first' } });
    expect(e1.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0[12]:00$/); // Warsaw time with its offset

    const all = await store().audit.list({});
    expect(all.map((e) => e.id)).toEqual([e3.id, e2.id, e1.id, ...earlier.map((e) => e.id)]); // newest first, stable within a millisecond
    expect(all[2]).toEqual(e1);
    expect((await store().audit.list({ institution: 'aud' })).map((e) => e.id)).toEqual([e2.id, e1.id]);
    expect((await store().audit.list({ actor: 'ewa', from: start })).map((e) => e.id)).toEqual([e3.id, e1.id]);
    expect((await store().audit.list({ actor: 'ewa', institution: 'aud' })).map((e) => e.id)).toEqual([e1.id]);
    expect((await store().audit.list({ from: middle })).map((e) => e.id)).toEqual([e3.id, e2.id]);
    expect((await store().audit.list({ from: start, to: middle })).map((e) => e.id)).toEqual([e1.id]);
    expect((await store().audit.list({ institution: 'aud', from: e2.at, to: e3.at })).map((e) => e.id)).toEqual(e2.at === e3.at ? [] : [e2.id]);
    expect((await store().audit.list({ limit: 1 })).map((e) => e.id)).toEqual([e3.id]);
    await expect(store().audit.list({ from: 'yesterday' })).rejects.toThrow(/from: .*not an ISO-8601 instant/);

    // Pages by the last id seen: the same order, nothing twice or left out — even where events
    // share a millisecond (e2 and e3 may), and with events appended between two pages.
    const paged: string[] = [];
    let page = await store().audit.list({ limit: 2 });
    const e4 = await store().audit.append({ ...base, actor: 'ewa', action: 'key.revoke', institution: null, version: null, hashAfter: null });
    while (page.length) {
      paged.push(...page.map((e) => e.id));
      page = await store().audit.list({ limit: 2, before: page[page.length - 1]!.id });
    }
    expect(paged).toEqual(all.map((e) => e.id));
    expect((await store().audit.list({ actor: 'ewa', before: e4.id })).map((e) => e.id)).toEqual([e3.id, e1.id, ...earlier.filter((e) => e.actor === 'ewa').map((e) => e.id)]);
    expect((await store().audit.list({ institution: 'aud', before: e2.id })).map((e) => e.id)).toEqual([e1.id]);
    await expect(store().audit.list({ before: '00000000-0000-4000-8000-000000000000' })).rejects.toThrow(NotFoundError);
    await expect(store().audit.list({ before: 'not-an-id' })).rejects.toThrow(/no audit event with id "not-an-id"/);

    // Append-only: the store has no way to change them, and the database refuses.
    await expect(raw(store(), `update ${backend.table('audit_events')} set actor = 'mallory'`)).rejects.toThrow(/append-only/);
    await expect(raw(store(), `delete from ${backend.table('audit_events')}`)).rejects.toThrow(/append-only/);
    expect(await store().audit.list({})).toHaveLength(earlier.length + 4);
  });

  it('creates, verifies and revokes API keys, storing only a hash, each change with its audit event', async () => {
    expect(await store().keys.count()).toBe(0);
    const ops = { actor: 'ops' };
    const { key, row } = await store().keys.create('admin', 'admin', { actor: 'system', detail: { first_start: true } });
    expect(key).toMatch(/^rk_[A-Za-z0-9_-]{43}$/);
    expect(row).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), name: 'admin', role: 'admin', createdAt: expect.any(String), revokedAt: null });
    const given = await store().keys.create('desk', 'circulation', ops, 'rk_given-by-the-operator');
    expect(given.key).toBe('rk_given-by-the-operator');
    await expect(store().keys.create('again', 'editor', ops, 'rk_given-by-the-operator')).rejects.toThrow(DuplicateError);

    expect(await store().keys.verify(key)).toEqual(row);
    expect(await store().keys.verify(key + 'x')).toBeNull();
    expect(await store().keys.verify('')).toBeNull();
    expect((await store().keys.verify('rk_given-by-the-operator'))!.role).toBe('circulation');

    const stored = (await raw(store(), `select key_hash from ${backend.table('api_keys')}`)) as { key_hash: string }[];
    expect(stored.map((r) => r.key_hash)).toContain((await import('node:crypto')).createHash('sha256').update(key).digest('hex'));
    expect(JSON.stringify(stored)).not.toContain(key);

    expect((await store().keys.list()).map((k) => k.name)).toEqual(['admin', 'desk']);
    expect(await store().keys.count()).toBe(2);
    await store().keys.revoke(given.row.id, ops);
    await store().keys.revoke(given.row.id, ops); // again: nothing changes, no second event
    expect(await store().keys.verify('rk_given-by-the-operator')).toBeNull();
    const listed = await store().keys.list();
    expect(listed.find((k) => k.id === given.row.id)!.revokedAt).not.toBeNull();
    expect(listed.find((k) => k.id === row.id)!.revokedAt).toBeNull();
    expect(await store().keys.count()).toBe(2);
    await expect(store().keys.revoke(randomUUID(), ops)).rejects.toThrow(NotFoundError);
    await expect(store().keys.revoke('not-a-uuid', ops)).rejects.toThrow(NotFoundError);
    // The key never in an event, nor any of its characters: its id, name and role; the refused duplicate left none.
    const audit = (await store().audit.list({})).filter((e) => e.action.startsWith('key.') && e.actor !== 'ewa').reverse(); // ewa's: the append test's
    expect(audit.map((e) => [e.action, e.actor, e.detail])).toEqual([
      ['key.create', 'system', { key: row.id, name: 'admin', role: 'admin', first_start: true }],
      ['key.create', 'ops', { key: given.row.id, name: 'desk', role: 'circulation' }],
      ['key.revoke', 'ops', { key: given.row.id, name: 'desk', role: 'circulation' }],
    ]);
    expect(JSON.stringify(audit)).not.toContain(key.slice(0, 8));
    expect(JSON.stringify(audit)).not.toContain('rk_given');
  });

  it('creates, updates and gets simulation runs', async () => {
    const sim = await store().simulations.create({ institution: 'sum', baseline: '2026', candidate: 'yaml:sha256:abc', total: 5000, actor: 'ewa', owner: 'here' }, SIM_AUDIT);
    expect(sim).toMatchObject({ status: 'running', done: 0, total: 5000, result: null, error: null, finishedAt: null, candidate: 'yaml:sha256:abc', owner: 'here' });
    expect(sim.heartbeatAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0[12]:00$/);
    // Its event, stored with it: who, and which run.
    expect((await store().audit.list({ actor: 'ewa', limit: 1 }))[0]).toMatchObject({ action: 'simulation.run', institution: 'sum', detail: { simulation: sim.id, source: 'test' } });
    const beat = { heartbeatAt: expect.any(String) }; // refreshed by every write
    expect(await store().simulations.update(sim.id, { done: 2500 })).toBe(true);
    expect(await store().simulations.get(sim.id)).toEqual({ ...sim, ...beat, done: 2500 });
    const result = { totals: { cases: 5000, changed: 12 }, differences: [{ id: 'student-1', before: 'allow', after: 'deny' }], errors: [] };
    const finishedAt = formatInstant(Date.now());
    expect(await store().simulations.update(sim.id, { status: 'done', done: 5000, result, finishedAt })).toBe(true);
    expect(await store().simulations.get(sim.id)).toEqual({ ...sim, ...beat, status: 'done', done: 5000, result, finishedAt });
    // Finished is final: a late write changes nothing.
    expect(await store().simulations.update(sim.id, { status: 'failed', error: 'late' })).toBe(false);
    expect(await store().simulations.get(sim.id)).toMatchObject({ status: 'done', error: null });

    const failed = await store().simulations.create({ institution: 'sum', baseline: '2026', candidate: '2027', total: 10, actor: 'ewa', owner: 'here' }, SIM_AUDIT);
    await store().simulations.update(failed.id, { status: 'failed', error: 'boom', finishedAt });
    expect(await store().simulations.get(failed.id)).toMatchObject({ status: 'failed', error: 'boom', result: null });

    expect(await store().simulations.get(randomUUID())).toBeNull();
    expect(await store().simulations.get('not-a-uuid')).toBeNull();
    await expect(store().simulations.update(randomUUID(), { done: 1 })).rejects.toThrow(NotFoundError);
  });

  it('counts each chunk of a run once, with its cases, and finishes the run at its last', async () => {
    const sims = store().simulations;
    const spec = { chunkSize: 2, total: 3 };
    const sim = await sims.create({ institution: 'sum', baseline: '2026', candidate: '2027', total: 3, chunks: 2, actor: 'ewa', owner: 'here', spec }, SIM_AUDIT);
    expect(await sims.spec(sim.id)).toEqual(spec);
    await sims.addInput(sim.id, 1, [{ question: 'checkout', at: '2026-03-02T10:00:00+01:00', facts: {} }]);
    expect(await sims.input(sim.id, 1)).toHaveLength(1);
    expect(await sims.input(sim.id, 0)).toBeNull();
    // The tally is the store's to keep, not to read: merge adds what the chunk counted.
    const merge = (n: number) => (previous: unknown, last: boolean) => {
      const tally = { cases: ((previous as { cases: number } | null)?.cases ?? 0) + n };
      return last ? { tally, result: { ...tally, final: true } } : { tally };
    };
    const row = (seq: number) => ({ kind: 'difference' as const, seq, id: `c${seq}`, question: 'checkout', at: '2026-03-02T10:00:00+01:00', facts: { patron: { category: 'students' } }, baseline: { outcome: 'refuse', codes: ['X'] }, candidate: { outcome: 'allow', codes: [] } });
    expect(await sims.finishChunk(sim.id, { chunk: 1, instance: 'there', cases: 1, rows: [row(2)] }, merge(1))).toBe('counted');
    expect(await sims.input(sim.id, 1)).toBeNull(); // decided: its cases are not kept
    // Decided again (its instance stopped before the queue heard): counted once.
    expect(await sims.finishChunk(sim.id, { chunk: 1, instance: 'here', cases: 1, rows: [row(2)] }, merge(1))).toBe('again');
    expect(await sims.get(sim.id)).toMatchObject({ status: 'running', done: 1, chunks: 2, chunksDone: 1 });
    expect(await sims.finishChunk(sim.id, { chunk: 0, instance: 'here', cases: 2, rows: [row(1), { kind: 'error', seq: 0, id: 'c0', question: 'return', at: 'x', facts: {}, message: 'bad' }] }, merge(2))).toBe('finished');
    const done = await sims.get(sim.id);
    expect(done).toMatchObject({ status: 'done', done: 3, chunksDone: 2, result: { cases: 3, final: true } });
    expect(done!.finishedAt).not.toBeNull();
    expect(await sims.finishChunk(sim.id, { chunk: 0, instance: 'here', cases: 2, rows: [] }, merge(2))).toBe('stopped');
    // The cases in their order in the run, a page at a time.
    expect((await sims.cases(sim.id, 'difference', { limit: 10 })).map((r) => r.seq)).toEqual([1, 2]);
    expect(await sims.cases(sim.id, 'difference', { after: 1, limit: 10 })).toEqual([row(2)]);
    expect(await sims.cases(sim.id, 'error', { limit: 10 })).toEqual([{ kind: 'error', seq: 0, id: 'c0', question: 'return', at: 'x', facts: {}, message: 'bad' }]);
    expect(await sims.chunksBy(sim.id)).toEqual({ here: 1, there: 1 });

    // A run over before its chunks were decided keeps none of their cases.
    const left = await sims.create({ institution: 'sum', baseline: '2026', candidate: '2027', total: 2, chunks: 2, actor: 'ewa', owner: 'here', spec }, SIM_AUDIT);
    const cancelled = await sims.create({ institution: 'sum', baseline: '2026', candidate: '2027', total: 2, chunks: 2, actor: 'ewa', owner: 'here', spec }, SIM_AUDIT);
    for (const r of [left, cancelled]) for (const k of [0, 1]) await sims.addInput(r.id, k, [{ question: 'checkout', at: '2026-03-02T10:00:00+01:00', facts: {} }]);
    await sims.update(left.id, { status: 'failed', error: 'x' });
    await sims.cancel(cancelled.id, { actor: 'ewa' });
    for (const r of [left, cancelled]) expect([await sims.input(r.id, 0), await sims.input(r.id, 1)]).toEqual([null, null]);
    expect(await sims.dropInputs()).toBe(0);
  });

  it('tells the runs of a stopped instance from live ones by their heartbeat', async () => {
    const run = (owner: string) => store().simulations.create({ institution: 'sum', baseline: '2026', candidate: '2027', total: 10, actor: 'ewa', owner }, SIM_AUDIT);
    const backdate = (id: string, seconds: number) =>
      raw(store(), `update ${backend.table('simulation_runs')} set heartbeat_at = now() - ? * interval '1 second' where id = ?`, [seconds, id]);
    const dead = await run('dead-instance');
    const live = await run('other-instance');
    const quiet = await run('other-instance');
    await backdate(dead.id, 60); // its instance stopped a minute ago
    await backdate(live.id, 60);
    await backdate(quiet.id, 20);
    // An instance deciding `live`'s chunks refreshes it: `live` is fresh again, `dead` is not.
    expect(await store().simulations.heartbeat([live.id, 'not-a-uuid'])).toBe(1);
    expect(await store().simulations.heartbeat([])).toBe(0);

    const stopped = 'the instance running it stopped';
    // Reading one: only that run is judged.
    expect(await store().simulations.failStale(30_000, stopped, live.id)).toBe(0);
    expect(await store().simulations.failStale(30_000, stopped, dead.id)).toBe(1);
    expect(await store().simulations.get(dead.id)).toMatchObject({ status: 'failed', error: stopped, owner: 'dead-instance' });
    expect((await store().simulations.get(dead.id))!.finishedAt).not.toBeNull();
    expect(await store().simulations.get(live.id)).toMatchObject({ status: 'running', error: null, finishedAt: null });
    // The sweep: whatever is older than the limit, nothing fresher.
    expect(await store().simulations.failStale(30_000, stopped)).toBe(0);
    expect(await store().simulations.get(quiet.id)).toMatchObject({ status: 'running' });
    expect(await store().simulations.failStale(10_000, stopped)).toBe(1);
    expect(await store().simulations.get(quiet.id)).toMatchObject({ status: 'failed', error: stopped });
    expect(await store().simulations.get(live.id)).toMatchObject({ status: 'running' });
    // Failed is final: the stopped instance's late result, or a heartbeat, changes nothing.
    expect(await store().simulations.update(dead.id, { status: 'done', done: 10, result: { cases: 10 } })).toBe(false);
    expect(await store().simulations.heartbeat([dead.id])).toBe(0);
    expect(await store().simulations.get(dead.id)).toMatchObject({ status: 'failed', error: stopped, result: null });
    expect(await store().simulations.failStale(0, stopped, 'not-a-uuid')).toBe(0);
    await expect(store().simulations.failStale(-1, stopped)).rejects.toThrow(/staleMs/);
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
      askedBy: `desk-${n}`,
    });
    await store().decisions.log([]);
    await store().decisions.log([row('2026-11-20T10:00:00Z', 'sum', 1), row('2026-11-21T10:00:00+01:00', 'umk', 2)]);
    await store().decisions.log([row('2026-11-22T10:00:00Z', 'sum', 3)]);

    const all = await store().decisions.list({});
    expect(all.map((d) => (d.facts as { patron: { loans: Record<string, number> } }).patron.loans['long-term'])).toEqual([3, 2, 1]);
    expect(all[1]).toMatchObject({ at: '2026-11-21T10:00:00+01:00', institution: 'umk', askedBy: 'desk-2', decidedFor: '2026-11-23T10:00:00+01:00', decision: { allowed: true, reasons: [{ code: 'limit', n: 2 }] } });
    expect((await store().decisions.list({ institution: 'sum' })).map((d) => d.at)).toEqual(['2026-11-22T11:00:00+01:00', '2026-11-20T11:00:00+01:00']);
    expect((await store().decisions.list({ from: '2026-11-21T00:00:00Z', to: '2026-11-22T10:00:00Z' })).map((d) => d.institution)).toEqual(['umk']);
    expect(await store().decisions.list({ limit: 2 })).toHaveLength(2);
    expect((await store().decisions.list({ limit: 2, before: all[1]!.id })).map((d) => d.id)).toEqual([all[2]!.id]);
    expect(await store().decisions.list({ institution: 'umk', before: all[0]!.id })).toHaveLength(1);

    expect(await store().decisions.purge('2026-11-21T09:00:00Z')).toBe(1);
    expect(await store().decisions.purge('2026-11-21T09:00:00Z')).toBe(0);
    expect((await store().decisions.list({})).map((d) => d.institution)).toEqual(['sum', 'umk']);
    // A page after a purged entry cannot be placed: said, not guessed.
    await expect(store().decisions.list({ before: all[2]!.id })).rejects.toThrow(/no logged decision with id/);
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
    await store!.changes.subscribe(a.listener);
    await store!.changes.subscribe(b.listener);
    await store!.changes.subscribe(() => {
      throw new Error('a broken listener does not stop the others');
    });
    await store!.changes.notify('sum');
    await store!.changes.notify('umk', 'instance-a');
    await a.waitFor('sum');
    await a.waitFor('umk');
    await b.waitFor('umk');
    expect(a.senders).toEqual([
      ['sum', undefined],
      ['umk', 'instance-a'],
    ]);
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
    const before = await store!.versions.list('sum');
    const audit = await store!.audit.list({});
    await store!.close();
    await store!.close(); // twice is fine
    await expect(store!.versions.listInstitutions()).rejects.toThrow(/closed/);
    expect(existsSync(join(dir, 'data', 'regula.lock'))).toBe(false);
    // A lock left behind by a process that died is taken over.
    await writeFile(join(dir, 'data', 'regula.lock'), '2147483646\n');

    const t0 = performance.now();
    store = await openStore({ dataDir: join(dir, 'data') });
    await store.migrate();
    timings.existing = performance.now() - t0;

    expect(await store.versions.list('sum')).toEqual(before);
    expect((await store.versions.listInstitutions()).map((i) => i.id)).toEqual(['keep', 'sum', 'umk']);
    expect(await store.keys.count()).toBe(2);
    expect(await store.audit.list({})).toEqual(audit);
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
  const schema = testSchema();
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
    await dropTestSchema(schema);
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
    // Each once, in order, though two ran them.
    expect(done.map((r) => r.name)).toEqual(migrationsList.map((m) => m.name));
    expect(migrationsList.length).toBeGreaterThanOrEqual(4);
    const tables = (await raw(first!, `select table_name from information_schema.tables where table_schema = ? order by 1`, [schema])) as { table_name: string }[];
    expect(tables.map((t) => t.table_name)).toEqual(['api_keys', 'audit_events', 'decision_log', 'institutions', 'mikro_orm_migrations', 'policy_versions', 'simulation_cases', 'simulation_chunks', 'simulation_inputs', 'simulation_runs']);
  }, SLOW);

  storeContract({ store: () => first!, table: (name) => `"${schema}".${name}` });

  it('has entities that match its migrations', async () => {
    expect(await entityDrift({ databaseUrl: DATABASE_URL!, schema })).toBe('');
  }, SLOW);

  it('sees what the other instance wrote', async () => {
    expect((await second!.versions.get('sum', '2027'))!.status).toBe('retired');
    await second!.versions.upsertInstitution('pb', 'Politechnika Białostocka');
    expect((await first!.versions.listInstitutions()).map((i) => i.id)).toContain('pb');
  });

  it('tells the other instance about changes (NOTIFY / LISTEN), and recovers a dropped LISTEN', async () => {
    const there = collector();
    const here = collector();
    await second!.changes.subscribe(there.listener);
    await first!.changes.subscribe(here.listener);
    await first!.changes.notify('sum');
    await there.waitFor('sum');
    await here.waitFor('sum'); // the sender's own listeners hear it too
    await second!.changes.notify('umk');
    await here.waitFor('umk');
    // Tagged with the sender (the echo a sender's cache ignores); a name that looks like a tag but is none stays a name.
    await first!.changes.notify('uwm', 'instance-a');
    await first!.changes.notify('{"name":"x"}');
    await there.waitFor('{"name":"x"}');
    expect(there.senders.slice(-2)).toEqual([
      ['uwm', 'instance-a'],
      ['{"name":"x"}', undefined],
    ]);

    // Kill the LISTEN connections: they come back, and report every institution as changed
    // (what was notified meanwhile is lost).
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const killed = (await raw(first!, `select pg_terminate_backend(pid) as ok from pg_stat_activity where application_name = ?`, [`regula-listen:${schema}`])) as { ok: boolean }[];
    expect(killed.length).toBe(2);
    await there.waitFor('pb');
    await here.waitFor('pb');
    await first!.changes.notify('sum');
    await there.waitFor('sum', 2);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/LISTEN connection lost/));
    warn.mockRestore();
  }, SLOW);
});
