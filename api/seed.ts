// The first start: an empty store is filled from the policies folder (via io/policy-files.ts) — every
// version as published (or as its file says), with its YAML as written, the consolidated
// document and its hash, and the institution's test cases; an audit event for each.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isMap, isSeq, parseDocument, YAMLSeq } from 'yaml';
import { formatError } from '../engine/policy/index.ts';
import { buildInstitutions } from '../engine/version/index.ts';
import { collect, institutionOf, readPolicies, readTests } from '../io/policy-files.ts';
import type { Store } from './store/index.ts';
import type { VersionStatus } from './store/types.ts';

export interface SeedResult {
  institutions: string[];
  versions: number;
  cases: number;
}

/** One YAML text of test cases from the institution's test files (one file: its text as written). */
export function combineTests(texts: string[]): string {
  if (texts.length <= 1) return texts[0] ?? '';
  const first = parseDocument(texts[0]!);
  const cases = first.get('cases', true);
  const all = isSeq(cases) ? cases : new YAMLSeq();
  for (const t of texts.slice(1)) {
    const d = parseDocument(t);
    const more = isMap(d.contents) ? d.get('cases', true) : undefined;
    if (isSeq(more)) for (const item of more.items) all.items.push(item as never);
  }
  first.set('cases', all);
  return first.toString();
}

/** Seeds the store when it has no institutions yet; returns what was stored (nothing when not empty). */
export async function seedIfEmpty(store: Store, policiesDir: string): Promise<SeedResult> {
  if ((await store.versions.listInstitutions()).length) return { institutions: [], versions: 0, cases: 0 };
  return seed(store, policiesDir);
}

export async function seed(store: Store, policiesDir: string): Promise<SeedResult> {
  const src = collect([policiesDir]);
  const policies = readPolicies(src.policies);
  const { institutions, errors } = buildInstitutions(policies.versions);
  const tests = readTests(src.tests);
  const all = [...policies.errors, ...errors, ...tests.errors];
  if (all.length) throw new Error(`the policies in ${policiesDir} have errors; fix them (npx regula validate ${policiesDir}) before the first start:\n${all.map(formatError).join('\n')}`);

  // Test files belong to the institution whose versions sit beside their tests/ folder.
  const testTexts = new Map<string, string[]>();
  let cases = 0;
  for (const t of tests.tests) {
    const id = institutionOf(t.folder, policies.versions);
    testTexts.set(id, [...(testTexts.get(id) ?? []), readFileSync(t.file, 'utf8')]);
    cases += t.cases.length;
  }

  let versions = 0;
  for (const inst of institutions.values()) {
    await store.versions.upsertInstitution(inst.id, inst.name);
    const testsYaml = combineTests(testTexts.get(inst.id) ?? []);
    for (const v of inst.versions) {
      const file = inst.files.get(v.version)!;
      const status = v.doc.status as VersionStatus;
      await store.versions.create(
        {
          institution: inst.id,
          label: v.version,
          status,
          yaml: readFileSync(file, 'utf8'),
          consolidated: v.doc,
          hash: v.hash,
          effectiveFrom: v.doc.effective_from,
          testsYaml,
          author: 'seed',
        },
        { actor: 'seed', action: 'version.seed', detail: { file: resolve(file), status, effective_from: v.doc.effective_from } },
      );
      versions++;
    }
  }
  return { institutions: [...institutions.keys()], versions, cases };
}
