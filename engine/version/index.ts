// A version compiled once, an institution's versions in order, and which one decides.
export { compilePolicy, type CompiledPolicy } from './compiled.ts';
export { buildInstitutions, decidingVersion, inForce, NoVersion, versionOf, type Institution, type ParsedVersion } from './set.ts';
export { inForceAt } from './select.ts';
