// PGlite does not lock its folder: a second PGlite on the same folder (another process, or another
// store in this one) opens it happily and the two corrupt each other. One owner at a time, then: a
// lock file holding the owner's pid and, where the OS tells (Linux's /proc), which process that
// was — the boot and the process's start time — taken over when that process is gone. A pid alone
// is not enough: after a crash and a restart (a container, a reboot) the pid in a stale lock often
// belongs to another live process, and the folder would stay refused.
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

/** Which process `pid` is, beyond its number: the boot it runs in and when it started (clock ticks
 * since boot, /proc/<pid>/stat field 22); undefined where there is no /proc. */
async function identity(pid: number): Promise<string | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count from after it.
    const start = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    const boot = (await readFile('/proc/sys/kernel/random/boot_id', 'utf8')).trim();
    return start ? `${boot} ${start}` : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the process that wrote the lock (its pid, and its identity when the lock has one) still runs. */
async function ownerRuns(pid: number, recorded: string | undefined): Promise<boolean> {
  if (!alive(pid)) return false;
  if (!recorded) return true; // a lock without an identity (no /proc, or an older Regula): the pid must do
  const now = await identity(pid);
  return now === undefined || now === recorded;
}

/** Takes the folder's lock or throws; the returned function gives it back. */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const path = join(dataDir, LOCK_FILE);
  if (heldHere.has(dataDir)) throw new Error(`${dataDir} is already open in this process (one store per PGlite folder)`);
  // The pid on the first line (as older versions wrote and read it), then which process it is.
  const me = await identity(process.pid);
  for (let attempt = 0; ; attempt++) {
    try {
      const file = await open(path, 'wx');
      await file.writeFile(`${process.pid}\n${me ? `${me}\n` : ''}`);
      await file.close();
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      if (attempt > 0) throw new Error(`${dataDir} was just taken by another process`);
      const [first = '', recorded] = (await readFile(path, 'utf8').catch(() => '')).split('\n');
      const pid = Number.parseInt(first, 10);
      // Our own pid with nothing held here: a lock left by an earlier life of this process (e.g. pid 1
      // in a restarted container). Otherwise the process that wrote it, if it still runs, owns it.
      if (Number.isInteger(pid) && pid !== process.pid && (await ownerRuns(pid, recorded?.trim() || undefined))) {
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
