// File I/O for the engine, which never touches the disk: finds policy and test files under the
// paths given, reads them, and hands the text to the engine's parsers. Shared by the CLI and the
// API's first-start seeding; it depends on the engine only (never on cli/ or api/).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { checkReferences, parsePolicy, type Locate, type PolicyError, type PolicyDocument } from '../engine/policy/index.ts';
import { consolidate } from '../engine/amendment/index.ts';
import { parseTestFile, type TestCase } from '../engine/testing/index.ts';
import type { ParsedVersion } from '../engine/version/index.ts';

/** A file or folder named that cannot be read: the message says which and why. The CLI's
 * UsageError is one too (exit 2). */
export class InputError extends Error {
  override readonly name: string = 'InputError';
}

/** A file's text (`-`: standard input). */
export function readText(file: string, what = 'file'): string {
  try {
    return file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputError(`${file}: no such ${what}`);
    if (code === 'EISDIR') throw new InputError(`${file}: is a folder, not a ${what}`);
    throw new InputError(`${file}: cannot read: ${(e as Error).message}`);
  }
}

const YAML = /\.ya?ml$/;

/** Test files sit in a `tests` folder beside the versions they test. */
export function isTestFile(file: string): boolean {
  return basename(dirname(resolve(file))) === 'tests';
}

/** The institution folder a test file belongs to: `policies/<inst>/tests/x.yaml` → `policies/<inst>`. */
export function institutionFolder(testFile: string): string {
  return dirname(dirname(testFile));
}

export interface Sources {
  policies: string[];
  tests: string[];
}

function walk(dir: string, found: string[]): void {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, found);
    else if (YAML.test(e.name)) found.push(p);
  }
}

/** The YAML files named or found (recursively) under the paths, split into policies and tests. */
export function collect(paths: string[]): Sources {
  const files: string[] = [];
  for (const p of paths) {
    let isDir: boolean;
    try {
      isDir = statSync(p).isDirectory();
    } catch {
      throw new InputError(`${p}: no such file or folder`);
    }
    if (isDir) walk(p, files);
    else files.push(p);
  }
  const unique = dedupe(files);
  return { policies: unique.filter((f) => !isTestFile(f)), tests: unique.filter(isTestFile) };
}

/** The same file named twice (a folder and a file in it) is read once; the first spelling is kept. */
export function dedupe(files: string[]): string[] {
  const seen = new Set<string>();
  return files.filter((f) => {
    const key = resolve(f);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The policy versions in a folder (not below it): the context an amendment is resolved in. */
export function versionsIn(folder: string): string[] {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return [];
  }
  return names.filter((n) => YAML.test(n) && !n.startsWith('.')).sort().map((n) => join(folder, n));
}

export interface PolicyFiles {
  /** The versions that parsed without errors. */
  versions: ParsedVersion[];
  errors: PolicyError[];
  /** Positions in each file read, by file. */
  locate: Map<string, Locate>;
}

export function readPolicies(files: string[]): PolicyFiles {
  const versions: ParsedVersion[] = [];
  const errors: PolicyError[] = [];
  const locate = new Map<string, Locate>();
  for (const file of files) {
    const parsed = parsePolicy(readText(file, 'policy file'), file);
    locate.set(file, parsed.locate);
    if (parsed.errors.length) errors.push(...parsed.errors);
    else versions.push({ doc: parsed.doc, file, locate: parsed.locate });
  }
  return { versions, errors, locate };
}

export interface TestFile {
  file: string;
  /** The institution folder the file belongs to. */
  folder: string;
  cases: TestCase[];
  locate: Locate;
}

export function readTests(files: string[]): { tests: TestFile[]; errors: PolicyError[] } {
  const tests: TestFile[] = [];
  const errors: PolicyError[] = [];
  for (const file of files) {
    const parsed = parseTestFile(readText(file, 'test file'), file);
    if (parsed.errors.length) errors.push(...parsed.errors);
    else tests.push({ file, folder: institutionFolder(file), cases: parsed.doc.cases ?? [], locate: parsed.locate });
  }
  return { tests, errors };
}

/** The institution whose versions sit in `folder` (the folder's name when none parsed). */
export function institutionOf(folder: string, versions: ParsedVersion[]): string {
  const here = resolve(folder);
  return versions.find((v) => resolve(dirname(v.file)) === here)?.doc.institution ?? basename(here);
}

/**
 * The policies the named files need besides themselves: the sibling versions of each named
 * version (an amendment needs its base) and the versions of each test file's institution.
 */
export function withContext(src: Sources): { files: string[]; named: Set<string> } {
  const named = new Set(src.policies.map((f) => resolve(f)));
  const folders = new Set([...src.policies.map((f) => dirname(f)), ...src.tests.map(institutionFolder)]);
  const context = [...folders].flatMap(versionsIn);
  return { files: dedupe([...src.policies, ...context]), named };
}

export interface ConsolidatedFile {
  doc?: PolicyDocument;
  /** Version labels merged, oldest first. */
  chain?: string[];
  errors: PolicyError[];
}

/** One version file consolidated over the versions it amends, found beside it (or in `alsoIn`). */
export function consolidateFile(file: string, alsoIn: string[] = []): ConsolidatedFile {
  const own = parsePolicy(readText(file, 'policy file'), file);
  if (own.errors.length) return { errors: own.errors };
  if (!own.doc.amends) return { doc: own.doc, chain: [own.doc.version], errors: [] };
  // Its base among the versions beside it — or in the folders given (a draft kept elsewhere, amending the version it is compared with).
  const folders = [...new Set([dirname(file), ...alsoIn].map((d) => resolve(d)))];
  const others = readPolicies(folders.flatMap(versionsIn).filter((f) => resolve(f) !== resolve(file)));
  const byLabel = new Map(others.versions.filter((v) => v.doc.institution === own.doc.institution).map((v) => [v.doc.version, v.doc]));
  try {
    const { doc, chain } = consolidate(own.doc, (label) => byLabel.get(label));
    // References can only be checked once the base fills in what the amendment leaves out.
    return { doc, chain, errors: checkReferences(doc, file) };
  } catch (e) {
    // A base that does not parse is the likely cause: show its errors too.
    return { errors: [{ file, ...own.locate('/amends'), pointer: '/amends', message: (e as Error).message }, ...others.errors] };
  }
}
