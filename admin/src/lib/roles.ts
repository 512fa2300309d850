// What each role may do, as the API grants it (api/schemas/records.ts, Role): the console offers
// only these. admin: everything. editor: read policies, create and update drafts, validate, test,
// diff, decisions. compliance: read policies, diff, test, simulate, audit, decisions.
// circulation: decisions only.
import type { Role } from './types.ts';

export type Capability = 'read' | 'edit' | 'validate' | 'test' | 'diff' | 'simulate' | 'publish' | 'retire' | 'audit' | 'decide' | 'keys';

const GRANTS: Record<Role, ReadonlySet<Capability>> = {
  admin: new Set(['read', 'edit', 'validate', 'test', 'diff', 'simulate', 'publish', 'retire', 'audit', 'decide', 'keys']),
  editor: new Set(['read', 'edit', 'validate', 'test', 'diff', 'decide']),
  compliance: new Set(['read', 'diff', 'test', 'simulate', 'audit', 'decide']),
  circulation: new Set(['decide']),
};

export function allows(role: Role | null, cap: Capability): boolean {
  return role !== null && GRANTS[role].has(cap);
}
