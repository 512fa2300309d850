// A version's document keeps the order it was written in — the regulation's order, which the
// console reads and "the first calendar is the default unit" rests on — through the store, on
// both backends; documents stored in another order are put back in their YAML's order.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { restoreDocumentOrder } from '../api/document-order.ts';
import { BACKENDS, makeHarness, POLICIES, type Harness } from './support/api.ts';

/** The keys of `o` (an object) longest first, then by name: an order no regulation is written in. */
function scrambled<T>(o: T): T {
  if (!o || typeof o !== 'object' || Array.isArray(o)) return o;
  return Object.fromEntries(Object.entries(o as object).sort(([a], [b]) => b.length - a.length || (a < b ? 1 : -1)).map(([k, v]) => [k, scrambled(v)])) as T;
}

describe.each(BACKENDS)('document order on %s', (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await makeHarness(backend);
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  }, 120_000);

  const yamlOf = (file: string) => parse(readFileSync(join(POLICIES, file), 'utf8')) as Record<string, Record<string, unknown>>;

  it('keeps a stored document’s keys in the order of its YAML', async () => {
    const yaml = yamlOf('sum/139-2013.yaml');
    const stored = (await h.store.versions.get('sum', '139/2013'))!.consolidated as unknown as Record<string, Record<string, unknown>>;
    expect(Object.keys(stored).slice(0, 6)).toEqual(['institution', 'name', 'version', 'effective_from', 'status', 'source']);
    for (const key of ['limits', 'patron_categories', 'loan_types', 'notes', 'fees']) expect(Object.keys(stored[key]!), key).toEqual(Object.keys(yaml[key]!));
    const pb = (await h.store.versions.get('pb', '2008'))!.consolidated;
    expect(Object.keys(pb.calendars!)).toEqual(Object.keys(yamlOf('pb/2008.yaml').calendars!));
  });

  it('puts documents stored in another order back in their YAML’s order, and nothing else', async () => {
    const row = (await h.store.versions.get('sum', '139/2013'))!;
    expect(row.status).toBe('published');
    // As jsonb gave them back: the same content, keys by length. The guard lets order alone through.
    await h.store.versions.reorder(row.id, scrambled(row.consolidated));
    const before = (await h.store.versions.get('sum', '139/2013'))!;
    expect(Object.keys(before.consolidated.limits!)).not.toEqual(Object.keys(row.consolidated.limits!));
    const said: string[] = [];
    expect(await restoreDocumentOrder(h.store, (m) => said.push(m))).toBe(1);
    expect(said).toEqual([]);
    const after = (await h.store.versions.get('sum', '139/2013'))!;
    expect(JSON.stringify(after.consolidated)).toBe(JSON.stringify(row.consolidated));
    expect(after).toMatchObject({ hash: row.hash, revision: row.revision, yaml: row.yaml });
    expect(await restoreDocumentOrder(h.store, (m) => said.push(m))).toBe(0); // once is enough
  });

  it('refuses, for a published version, a document that says something else', async () => {
    const row = (await h.store.versions.get('sum', '139/2013'))!;
    await expect(h.store.versions.reorder(row.id, { ...row.consolidated, name: 'Another library' })).rejects.toThrow(/content never changes/);
  });
});
