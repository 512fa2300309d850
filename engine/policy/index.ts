// The policy format: its types and JSON Schema, YAML loading with file:line:column errors, and
// the content hash of a version.
export type * from './types.ts';
export { parsePolicy, checkReferences, validatePolicy, formatError, type Parsed, type PolicyError, type Locate, type Position } from './load.ts';
export { loadYaml } from './yaml.ts';
export { contentHash, canonicalJson } from './hash.ts';
export { depositsOf } from './deposits.ts';
export { entryObjects } from './entries.ts';
