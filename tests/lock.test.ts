// The PGlite folder's lock after a crash: the process that held it is gone, and its pid — written
// in the lock — now belongs to another live process (a restarted container, a reboot). The lock
// is stale and taken over; a lock whose process really runs is still refused.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCK_FILE, lockDataDir } from '../api/store/lock.ts';

const LOCK_MODULE = resolve(import.meta.dirname, '../api/store/lock.ts');
const children: ChildProcess[] = [];

/** A process of its own that takes the folder's lock and holds it until it is killed. */
async function holder(dir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', `const { lockDataDir } = await import(${JSON.stringify(LOCK_MODULE)}); await lockDataDir(${JSON.stringify(dir)}); console.log('locked'); setInterval(() => {}, 1000);`], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  await new Promise<void>((ok, fail) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('locked') && ok());
    child.once('exit', (code) => fail(new Error(`the lock holder exited (${code})`)));
  });
  return child;
}

/** Some other live process, doing nothing. */
function bystander(): ChildProcess {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  children.push(child);
  return child;
}

afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
});

describe.skipIf(process.platform !== 'linux')('the PGlite folder lock', () => {
  it('takes over a lock left by a dead process whose pid now names another live process', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'regula-lock-'));
    try {
      const crashed = await holder(dir);
      const lock = readFileSync(join(dir, LOCK_FILE), 'utf8');
      expect(lock).toMatch(new RegExp(`^${crashed.pid}\\n[0-9a-f-]{36} \\d+\\n$`));
      crashed.kill('SIGKILL');
      await new Promise((r) => crashed.once('exit', r));
      // Its pid is reused: the lock now names a live process that is not the one that wrote it.
      const other = bystander();
      writeFileSync(join(dir, LOCK_FILE), lock.replace(/^\d+/, String(other.pid)));
      const unlock = await lockDataDir(dir);
      expect(readFileSync(join(dir, LOCK_FILE), 'utf8').split('\n')[0]).toBe(String(process.pid));
      await unlock();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('still refuses a folder whose lock holder runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'regula-lock-'));
    try {
      const live = await holder(dir);
      await expect(lockDataDir(dir)).rejects.toThrow(new RegExp(`in use by process ${live.pid}`));
      live.kill('SIGKILL');
      await new Promise((r) => live.once('exit', r));
      const unlock = await lockDataDir(dir); // its process gone (the pid free): taken over
      await unlock();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
