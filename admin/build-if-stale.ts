// Builds the admin console (admin/build) when it is missing or older than its sources: the
// console's own files, the engine modules and the contract it bundles, the configs and the lock file. A hash of
// all of them is kept in admin/build/.build-stamp. `node admin/build-if-stale.ts`: npm ci runs it
// (prepare), so that the first `npm start` starts at once, and npm start runs it again before the
// server (prestart) after a change; `--check` only says whether a build is needed (exit 1 when it is).
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BUILD = join(ROOT, 'admin', 'build');
const STAMP = join(BUILD, '.build-stamp');
const INPUTS = ['admin/src', 'admin/static', 'engine', 'contract', 'svelte.config.js', 'vite.config.ts', 'package-lock.json'];

function files(path: string): string[] {
  const abs = join(ROOT, path);
  if (!existsSync(abs)) return [];
  if (!statSync(abs).isDirectory()) return [path];
  return readdirSync(abs, { withFileTypes: true })
    .filter((d) => !d.name.startsWith('.'))
    .flatMap((d) => files(relative(ROOT, join(abs, d.name))));
}

export function sourceHash(): string {
  const h = createHash('sha256');
  for (const f of INPUTS.flatMap(files).sort()) {
    h.update(f).update('\0').update(readFileSync(join(ROOT, f))).update('\0');
  }
  return h.digest('hex');
}

export function isStale(): boolean {
  if (!existsSync(join(BUILD, 'index.html')) || !existsSync(STAMP)) return true;
  return readFileSync(STAMP, 'utf8').trim() !== sourceHash();
}

/** Builds when stale; returns whether it built. Throws when the build fails. */
export function buildIfStale(log: (m: string) => void = (m) => process.stdout.write(`${m}\n`)): boolean {
  if (!isStale()) return false;
  const hash = sourceHash();
  log('Building the admin console (admin/build)…');
  const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const t0 = Date.now();
  // The build's own chatter is shown only when it fails.
  const r = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'error'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) {
    process.stderr.write(`${r.stdout ?? ''}${r.stderr ?? ''}`);
    throw new Error(`the admin console build failed (vite build exited ${r.status ?? r.signal})`);
  }
  writeFileSync(STAMP, `${hash}\n`);
  log(`Admin console built in ${((Date.now() - t0) / 1000).toFixed(1)} s.`);
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  if (process.argv.includes('--check')) {
    const stale = isStale();
    process.stdout.write(stale ? 'admin/build is missing or stale\n' : 'admin/build is up to date\n');
    process.exit(stale ? 1 : 0);
  }
  try {
    if (!buildIfStale()) process.stdout.write('Admin console up to date (admin/build).\n');
  } catch (e) {
    process.stderr.write(`regula: ${(e as Error).message}\n`);
    process.exit(1);
  }
}
