// A version's status and effective instant live in its own document (api/store/header.ts). A store
// from before, where retiring left the text saying `status: published`, is brought in line by
// Migration20261210000000: the retired versions' YAML (comments kept) and documents say retired,
// their hashes stay, an event says so, and the guard still lets nothing else change.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { setHeader } from '../api/store/header.ts';
import { openStore } from '../api/store/index.ts';
import { collect } from '../io/policy-files.ts';
import { BACKENDS, POLICIES } from './support/api.ts';
import { oldStore } from './support/old-store.ts';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 120_000 });

const RETIRED = '51111111-1111-4111-8111-111111111111';
const PUBLISHED = '61111111-1111-4111-8111-111111111111';

const text = (label: string) => `# Zarządzenie ${label}
institution: sum
version: "${label}"
effective_from: "2020-01-01T00:00:00+01:00"
status: published # as it was published
`;
const doc = (label: string) => JSON.stringify({ institution: 'sum', version: label, effective_from: '2020-01-01T00:00:00+01:00', status: 'published' });

describe('a version’s header set in its text', () => {
  const changed = (a: string, b: string) => a.split('\n').flatMap((line, i) => (line === b.split('\n')[i] ? [] : [[line, b.split('\n')[i]]]));

  it('changes the values and nothing else of what the author wrote', () => {
    const files = collect([POLICIES]).policies;
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const file of files) {
      const yaml = readFileSync(file, 'utf8');
      const retired = setHeader(yaml, { status: 'retired' });
      expect(changed(yaml, retired), file).toEqual([[expect.stringMatching(/^status: published/), expect.stringMatching(/^status: retired/)]]);
      expect(setHeader(retired, { status: 'retired' })).toBe(retired);
    }
    const yaml = readFileSync(join(POLICIES, 'sum', '139-2013.yaml'), 'utf8').replace('status: published', "status: 'draft' # to be published");
    const published = setHeader(yaml, { status: 'published', effective_from: '2030-01-01T00:00:00+01:00' });
    expect(changed(yaml, published)).toEqual([
      [expect.stringMatching(/^effective_from: "/), 'effective_from: "2030-01-01T00:00:00+01:00"'], // quoted as written
      ["status: 'draft' # to be published", "status: 'published' # to be published"],
    ]);
  });

  it('appends a field the text lacks', () => {
    expect(setHeader('# a draft\ninstitution: sum', { status: 'published', effective_from: '2030-01-01T00:00:00+01:00' })).toBe('# a draft\ninstitution: sum\nstatus: published\neffective_from: "2030-01-01T00:00:00+01:00"\n');
  });
});

describe.each(BACKENDS)('the migration to one home of the status, on %s', (backend) => {
  it('makes a retired version’s text and document say retired, keeping its hash and comments, with an event', async () => {
    const old = await oldStore(backend, 'Migration20261208000000', async (sql, table) => {
      await sql(`insert into ${table('institutions')} (id, name) values ('sum', 'SUM')`);
      await sql(`insert into ${table('policy_versions')} (id, institution, label, status, yaml, consolidated, hash, effective_from, author) values
        ('${RETIRED}', 'sum', '1/2020', 'retired', '${text('1/2020')}', '${doc('1/2020')}', 'sha256:one', '2020-01-01T00:00:00+01:00', 'seed'),
        ('${PUBLISHED}', 'sum', '2/2020', 'published', '${text('2/2020')}', '${doc('2/2020')}', 'sha256:two', '2020-01-01T00:00:00+01:00', 'seed')`);
    });
    const store = await openStore(old.options);
    try {
      await store.migrate();
      const retired = (await store.versions.get('sum', '1/2020'))!;
      expect(retired).toMatchObject({ status: 'retired', hash: 'sha256:one', revision: 1 });
      expect(retired.yaml).toBe(text('1/2020').replace('status: published', 'status: retired'));
      expect(retired.consolidated).toEqual({ ...JSON.parse(doc('1/2020')), status: 'retired' });
      const published = (await store.versions.get('sum', '2/2020'))!;
      expect(published).toMatchObject({ status: 'published', yaml: text('2/2020'), consolidated: JSON.parse(doc('2/2020')) });
      const events = await store.audit.list({});
      expect(events).toEqual([expect.objectContaining({ actor: 'system', action: 'version.restate', institution: 'sum', version: '1/2020', hashBefore: 'sha256:one', hashAfter: 'sha256:one', detail: expect.objectContaining({ status: 'retired', migration: 'Migration20261210000000' }) })]);
      // The guard is back: a retired text never changes.
      const sql = (s: string) => store.db.em().getConnection().execute(s);
      await expect(sql(`update ${old.table('policy_versions')} set yaml = 'x' where id = '${RETIRED}'`)).rejects.toThrow(/never changes/);
    } finally {
      await store.close();
      await old.dispose();
    }
  });
});
