// The import rules `npm test` enforces (tests/boundaries.test.ts) and `npm run deps` prints.
// Paths are relative to the repository root.
import type { IConfiguration, IForbiddenRuleType } from 'dependency-cruiser';

/**
 * The engine's layers, lowest first. A concept imports its own modules and those of the layers
 * below it, never one beside or above it (README, "How it is built").
 */
export const LAYERS = [
  ['errors'],
  ['money'],
  ['time'],
  ['calendar'],
  ['policy'],
  ['amendment', 'words'],
  ['rules', 'due', 'fee'],
  ['version'],
  ['decision'],
  ['diff', 'analysis', 'simulation'],
  ['testing'],
];

/** Node's modules that reach the world: files, network, processes, threads. */
const NODE_IO = '^(node:)?(fs|net|http|https|http2|dgram|dns|tls|child_process|cluster|worker_threads|readline|repl|inspector|os|process|vm)(/|$)';
/** Packages of the service and the console, which the pure core must not know (resolved into
 * node_modules, or named as they are when not installed). */
const SERVER_PACKAGES = '(^|node_modules/)(hono|@hono|@mikro-orm|pg|pg-boss|@electric-sql|svelte|@sveltejs)(/|$)';

/** What outside code may import from the engine: the concept indexes, engine/index.ts, and the
 * JSON Schemas (published contracts, e.g. for editors). */
const ENGINE_SURFACE = '^engine/(index\\.ts|[^/]+/index\\.ts|.+\\.schema\\.json)$';

// What the console takes of the pure core, beside the contract: the same parsing of amounts and
// Warsaw instants, the amendment merge, the words the diff says a rule in, and the policy schemas
// (for completion as you type), so that what it shows while editing is what the engine will read.
// Nothing of the service.
const ADMIN_ENGINE = [
  '^engine/time/index\\.ts$',
  '^engine/words/index\\.ts$',
  '^engine/money/index\\.ts$',
  '^engine/amendment/index\\.ts$',
  '^engine/policy/(policy|tests)\\.schema\\.json$',
];

const layerOf = new Map(LAYERS.flatMap((layer, i) => layer.map((c) => [c, i])));

/** One rule per concept: what it may not import (beside or above it, and the engine's index). */
const layering: IForbiddenRuleType[] = [...layerOf].map(([concept, i]) => ({
  name: `engine-layer-${concept}`,
  comment: `engine/${concept}/ imports only engine/${concept}/ and the concepts below it: ${LAYERS.slice(0, i).flat().join(', ') || 'none'}`,
  severity: 'error',
  from: { path: `^engine/${concept}/` },
  to: { path: `^engine/(${[...layerOf].filter(([c, j]) => c !== concept && j >= i).map(([c]) => c).join('|')})/|^engine/index\\.ts$` },
}));

const config: IConfiguration = {
  forbidden: [
    {
      name: 'engine-only-engine',
      comment: 'engine/ is the pure core: it imports nothing of the service, the CLI, io/ or the console (only the contract it implements)',
      severity: 'error',
      from: { path: '^engine/' },
      to: { pathNot: ['^engine/', '^contract/'], dependencyTypes: ['local'] },
    },
    {
      name: 'contract-alone',
      comment: 'contract/ is what the engine, the service and the console agree on: data and types, importing nothing of them, and no I/O',
      severity: 'error',
      from: { path: '^contract/', pathNot: '^contract/generate\\.ts$' },
      to: { pathNot: '^contract/', dependencyTypes: ['local', 'core'] },
    },
    {
      name: 'engine-no-io',
      comment: 'engine/ does no I/O: the instant, the texts and the facts are passed in',
      severity: 'error',
      from: { path: '^engine/' },
      to: { dependencyTypes: ['core'], path: NODE_IO },
    },
    {
      name: 'engine-no-server-packages',
      comment: 'engine/ knows no HTTP, database or UI library',
      severity: 'error',
      from: { path: '^engine/' },
      to: { path: SERVER_PACKAGES },
    },
    ...layering,
    {
      name: 'engine-no-cycles',
      comment: 'the engine imports one way: no module reaches itself again, types included',
      severity: 'error',
      from: { path: '^engine/' },
      to: { circular: true },
    },
    {
      name: 'engine-surface',
      comment: 'outside engine/ only the concept indexes (engine/<concept>/index.ts), engine/index.ts and the JSON Schemas are imported',
      severity: 'error',
      from: { pathNot: '^engine/' },
      to: { path: '^engine/', pathNot: ENGINE_SURFACE },
    },
    {
      name: 'admin-only-contract',
      comment: 'the console shares only contract/ with the rest: it talks to the service over HTTP',
      severity: 'error',
      from: { path: '^admin/' },
      to: { dependencyTypes: ['local'], pathNot: ['^admin/', '^contract/', ...ADMIN_ENGINE] },
    },
    {
      name: 'admin-lib-inside',
      comment: "SvelteKit's $lib alias is not resolved here: a $lib path climbing out with .. would pass unseen",
      severity: 'error',
      from: { path: '^admin/' },
      to: { path: '^[$]lib/.*[.][.]/' },
    },
    {
      name: 'cli-not-api',
      comment: 'the CLI and the service share the engine and io/, not each other',
      severity: 'error',
      from: { path: '^cli/' },
      to: { path: '^api/' },
    },
    {
      name: 'api-not-cli',
      comment: 'the CLI and the service share the engine and io/, not each other',
      severity: 'error',
      from: { path: '^api/' },
      to: { path: '^cli/' },
    },
    {
      name: 'io-only-engine',
      comment: 'io/ sits beside the engine: the CLI and the service use it, it uses neither',
      severity: 'error',
      from: { path: '^io/' },
      to: { path: '^(api|cli|admin)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|admin/build|\\.svelte-kit)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    combinedDependencies: false,
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs', '.json', '.svelte'] },
  },
};

export default config;

/** What `npm test` and `npm run deps` cruise. */
export const CRUISED = ['contract', 'engine', 'api', 'cli', 'io', 'admin/src', 'bench', 'tests', 'bin'];
