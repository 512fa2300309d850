// `regula keys create|list`, spawned as an administrator runs it, on the store the service uses.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { openStore } from '../api/store/index.ts';

vi.setConfig({ testTimeout: 60_000 });

const BIN = resolve(import.meta.dirname, '../bin/regula.js');
const dir = mkdtempSync(join(tmpdir(), 'regula-keys-'));
const dataDir = join(dir, 'data');
const regula = (args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, REGULA_DATA_DIR: dataDir, DATABASE_URL: '' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
};

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('regula keys', () => {
  it('makes a key the service then takes, says it once, and lists it without it', async () => {
    const made = regula(['keys', 'create', '--role', 'admin', '--name', 'night desk admin']);
    expect(made.status, made.stderr).toBe(0);
    const key = made.stdout.trim().split('\n').at(-1)!;
    expect(key).toMatch(/^rg_[\w-]{20,}$/);
    expect(made.stdout).toMatch(/^Key [0-9a-f-]{36} \(admin, "night desk admin"\) on .* — shown this once, store it now:\n/);
    const list = regula(['keys', 'list']);
    expect(list.status).toBe(0);
    expect(list.stdout).toMatch(/^[0-9a-f-]{36} {2}admin {7}night desk admin {2}made \d{4}-/);
    expect(list.stdout).not.toContain(key);
    // The service's store knows it, with who made it.
    const store = await openStore({ dataDir });
    try {
      expect(await store.keys.verify(key)).toMatchObject({ role: 'admin', name: 'night desk admin' });
      expect((await store.audit.list({ actor: 'cli', limit: 1 }))[0]).toMatchObject({ action: 'key.create' });
      // While the service holds the folder, the command says so and changes nothing.
      const busy = regula(['keys', 'create', '--role', 'editor']);
      expect(busy.status).toBe(1);
      expect(busy.stderr).toMatch(/^regula keys: cannot open the store: .* is in use by process \d+/);
    } finally {
      await store.close();
    }
  });

  it('refuses what it does not know, with exit 2', () => {
    expect(regula(['keys', 'create', '--role', 'boss'])).toMatchObject({ status: 2, stderr: expect.stringMatching(/--role must be one of admin, editor, compliance, circulation \(got "boss"\)/) });
    expect(regula(['keys', 'revoke']).status).toBe(2);
    expect(regula(['keys']).status).toBe(2);
    expect(regula(['keys', '--help'])).toMatchObject({ status: 0, stdout: expect.stringMatching(/^Usage: regula keys create --role <role>/) });
  });
});
