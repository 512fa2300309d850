// The PGlite template: an empty cluster made once at install and copied into a new data folder
// instead of running initdb — only into a folder that holds no cluster, and the copy is a store.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../api/store/index.ts';
import { LOCK_FILE } from '../api/store/lock.ts';
import { fromTemplate, makeTemplate, templateDir } from '../api/store/template.ts';

describe('the PGlite template', () => {
  const root = mkdtempSync(join(tmpdir(), 'regula-template-'));
  const template = join(root, 'cache', 'pglite');
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('is made once, per PGlite version, into node_modules/.cache', async () => {
    expect(templateDir()).toMatch(/node_modules[/\\]\.cache[/\\]regula[/\\]pglite-\d+\.\d+\.\d+$/);
    expect(await makeTemplate(template)).toBe(true);
    expect(existsSync(join(template, 'PG_VERSION'))).toBe(true);
    expect(readdirSync(join(root, 'cache'))).toEqual(['pglite']); // no partial left beside it
    expect(await makeTemplate(template)).toBe(false);
  }, 60_000);

  it('fills a folder that holds nothing but its lock, and never one that holds anything else', () => {
    const empty = join(root, 'empty');
    mkdirSync(empty);
    writeFileSync(join(empty, LOCK_FILE), '1\n');
    expect(fromTemplate(empty, [LOCK_FILE], template)).toBe(true);
    expect(readdirSync(empty).sort()).toEqual([LOCK_FILE, ...readdirSync(template)].sort());

    const used = join(root, 'used');
    mkdirSync(used);
    writeFileSync(join(used, 'notes.txt'), 'mine');
    expect(fromTemplate(used, [LOCK_FILE], template)).toBe(false);
    expect(readdirSync(used)).toEqual(['notes.txt']);
    // An existing cluster is never overwritten.
    expect(fromTemplate(empty, [LOCK_FILE], template)).toBe(false);
    // No template: nothing copied (PGlite runs initdb itself).
    const other = join(root, 'other');
    mkdirSync(other);
    expect(fromTemplate(other, [], join(root, 'missing'))).toBe(false);
    expect(readdirSync(other)).toEqual([]);
  });

  it('gives a store that migrates, keeps its data and reopens', async () => {
    const dir = join(root, 'store');
    mkdirSync(dir);
    expect(fromTemplate(dir, [], template)).toBe(true);
    const store = await openStore({ dataDir: dir });
    await store.migrate();
    await store.keys.create('desk', 'circulation', { actor: 'test' });
    await store.close();
    const again = await openStore({ dataDir: dir });
    expect(await again.keys.count()).toBe(1);
    await again.close();
  }, 60_000);
});
