// An empty PGlite cluster made once, at install (npm ci runs `node api/store/template.ts` in
// prepare), and copied into a new data folder: PGlite's own initdb takes 3–5 s in WASM on a
// first start, a copy of the same files under a second. The copy is of a cluster shut down
// cleanly, the way a cold backup is taken; the migrations then run on it as on any new folder.
// Without a template (an install that skipped scripts) PGlite runs initdb as usual.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

let version: string | undefined;

/** The installed PGlite's version, read once (its package.json is not among its exports: found from its entry). */
function pgliteVersion(): string {
  if (version) return version;
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const pkg = join(entry.slice(0, entry.lastIndexOf(`${sep}dist${sep}`)), 'package.json');
  return (version = (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version);
}

/** Where the template of the installed PGlite version lives (a new version, a new template). */
export function templateDir(): string {
  return join(ROOT, 'node_modules', '.cache', 'regula', `pglite-${pgliteVersion()}`);
}

/** Makes the template unless it is there; returns whether it made it. */
export async function makeTemplate(dir = templateDir()): Promise<boolean> {
  if (existsSync(join(dir, 'PG_VERSION'))) return false;
  // Made beside and renamed into place: an interrupted run never leaves half a template.
  const partial = `${dir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(dirname(dir), { recursive: true });
  const { PGlite } = await import('@electric-sql/pglite');
  const pg = await PGlite.create({ dataDir: partial });
  await pg.close();
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
  return true;
}

/**
 * Fills a new data folder from the template: only when the folder holds no cluster yet (nothing
 * but `keep`, e.g. its lock file) and the template exists. Returns whether it copied.
 */
export function fromTemplate(dataDir: string, keep: readonly string[] = [], dir = templateDir()): boolean {
  if (!existsSync(join(dir, 'PG_VERSION'))) return false;
  if (readdirSync(dataDir).some((name) => !keep.includes(name))) return false;
  try {
    cpSync(dir, dataDir, { recursive: true });
  } catch {
    // Half a cluster would not start: the folder is left as it was, and PGlite's initdb runs (and
    // says what is wrong, if the copy failed for a reason initdb meets too, like a full disk).
    for (const name of readdirSync(dataDir)) if (!keep.includes(name)) rmSync(join(dataDir, name), { recursive: true, force: true });
    return false;
  }
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const t0 = performance.now();
  makeTemplate().then(
    (made) => made && process.stdout.write(`PGlite template made in ${Math.round(performance.now() - t0)} ms: ${templateDir()}\n`),
    (e: Error) => {
      // Not fatal: a first start then runs PGlite's initdb itself.
      process.stderr.write(`regula: no PGlite template (${e.message}); a first start will take a few seconds more\n`);
    },
  );
}
