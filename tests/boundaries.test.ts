// The import rules of .dependency-cruiser.ts, checked by dependency-cruiser itself: the
// repository keeps them, and a tree that breaks them is reported, rule by rule.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { afterAll, describe, expect, it } from 'vitest';
import config, { CRUISED, LAYERS } from '../.dependency-cruiser.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
// Cruising the whole repository parses every module with TypeScript: seconds, more on a busy
// machine. The limit is for a hang.
const CRUISE_TIMEOUT = 180_000;

/** Each violation as "rule: from → to" (a cycle: its whole path). */
async function violations(files: string[], baseDir: string, tsConfig?: string): Promise<string[]> {
  const { forbidden, options } = config;
  const result = await cruise(
    files,
    { ...options, validate: true, ruleSet: { forbidden }, baseDir, tsConfig: tsConfig ? { fileName: tsConfig } : undefined },
    {},
    tsConfig ? { tsConfig: extractTSConfig(path.join(baseDir, tsConfig)) } : {},
  );
  const output = result.output as ICruiseResult;
  return output.summary.violations.map((v) => `${v.rule.name}: ${[v.from, ...(v.cycle?.length ? v.cycle.map((c) => c.name) : [v.to])].join(' → ')}`);
}

describe('import rules', () => {
  it(
    'the repository keeps every rule',
    async () => {
      const found = await violations(CRUISED, ROOT, 'tsconfig.json');
      expect(found, `forbidden imports:\n${found.join('\n')}`).toEqual([]);
    },
    CRUISE_TIMEOUT,
  );

  it('npm run deps cruises what the test cruises', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.deps?.endsWith(` ${CRUISED.join(' ')}`)).toBe(true);
  });

  describe('a tree that breaks them', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'regula-boundaries-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const files: Record<string, string> = {
      // the lowest layer reaching up
      'engine/time/index.ts': "import { decide } from '../decision/index.ts';\nexport const t = decide;\n",
      'engine/decision/index.ts': "export const decide = 1;\n",
      // I/O and a server package in the core, and a module outside engine/
      'engine/policy/read.ts': "import { readFileSync } from 'node:fs';\nimport { Hono } from 'hono';\nimport { x } from '../../api/x.ts';\nexport const r = [readFileSync, Hono, x];\n",
      // a cycle within one concept
      'engine/rules/a.ts': "import { b } from './b.ts';\nexport const a = b;\n",
      'engine/rules/b.ts': "import type { a } from './a.ts';\nexport const b = 1 as unknown as typeof a;\n",
      // a deep engine module imported from outside; the service importing the CLI
      'api/deep.ts': "import { a } from '../engine/rules/a.ts';\nexport const deep = a;\n",
      'api/x.ts': "import { y } from '../cli/y.ts';\nexport const x = y;\n",
      'cli/y.ts': "import { x } from '../api/x.ts';\nexport const y = x;\n",
      // the console importing the service
      'admin/src/page.ts': "import { x } from '../../api/x.ts';\nexport const p = x;\n",
      'admin/src/aliased.ts': "import { x } from '$lib/../../../api/x.ts';\nexport const a = x;\n",
      // a test importing a concept's index: allowed
      'tests/ok.test.ts': "import { decide } from '../engine/decision/index.ts';\nexport const ok = decide;\n",
    };
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(path.join(dir, path.dirname(file)), { recursive: true });
      writeFileSync(path.join(dir, file), text);
    }

    it(
      'reports each forbidden import with its rule',
      async () => {
        const found = await violations(['engine', 'api', 'cli', 'admin', 'tests'], dir);
        expect(found.sort()).toEqual(
          [
            'admin-lib-inside: admin/src/aliased.ts → $lib/../../../api/x.ts',
            'admin-only-contract: admin/src/page.ts → api/x.ts',
            'api-not-cli: api/x.ts → cli/y.ts',
            'cli-not-api: cli/y.ts → api/x.ts',
            'engine-layer-time: engine/time/index.ts → engine/decision/index.ts',
            'engine-no-cycles: engine/rules/a.ts → engine/rules/b.ts → engine/rules/a.ts',
            'engine-no-io: engine/policy/read.ts → fs',
            'engine-no-server-packages: engine/policy/read.ts → hono',
            'engine-only-engine: engine/policy/read.ts → api/x.ts',
            'engine-surface: api/deep.ts → engine/rules/a.ts',
          ].sort(),
        );
      },
      CRUISE_TIMEOUT,
    );
  });

  it('puts every folder of engine/ in exactly one layer', () => {
    const folders = readdirSync(path.join(ROOT, 'engine'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    const concepts = LAYERS.flat();
    expect(concepts.length).toBe(new Set(concepts).size);
    expect([...concepts].sort()).toEqual(folders.sort());
  });
});
