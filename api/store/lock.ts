// PGlite does not lock its folder: a second PGlite on the same folder (another process, or another
// store in this one) opens it happily and the two corrupt each other. One owner at a time, then: a
// lock file holding the owner's pid, taken over when that process is gone.
import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** The lock file's name inside the folder. */
export const LOCK_FILE = 'regula.lock';

const heldHere = new Set<string>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the folder's lock or throws; the returned function gives it back. */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const path = join(dataDir, LOCK_FILE);
  if (heldHere.has(dataDir)) throw new Error(`${dataDir} is already open in this process (one store per PGlite folder)`);
  for (let attempt = 0; ; attempt++) {
    try {
      const file = await open(path, 'wx');
      await file.writeFile(`${process.pid}\n`);
      await file.close();
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      if (attempt > 0) throw new Error(`${dataDir} was just taken by another process`);
      const pid = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
      // Our own pid with nothing held here: a lock left by an earlier life of this process (e.g. pid 1
      // in a restarted container). Otherwise a live process owns it.
      if (Number.isInteger(pid) && pid !== process.pid && alive(pid)) {
        throw new Error(`${dataDir} is in use by process ${pid} (PGlite allows one process per folder; use PostgreSQL to run several)`);
      }
      await rm(path, { force: true });
    }
  }
  heldHere.add(dataDir);
  return async () => {
    heldHere.delete(dataDir);
    await rm(path, { force: true });
  };
}
