// Roles and what each may do: the service checks every route against these (api/auth.ts), and
// the console offers only what the signed-in key's role may do (admin/src/lib/session.svelte.ts).
// No I/O here, so the console's bundle can take it as it is.
export const ROLES = ['admin', 'editor', 'compliance', 'circulation'] as const;

export type Role = (typeof ROLES)[number];

/** What a route needs; each role is granted a set of these. */
export type Permission =
  | 'decide' // ask the engine a question
  | 'read' // institutions, versions, their documents
  | 'write' // create and update drafts
  | 'validate' // check unsaved YAML
  | 'test' // run a version's tests
  | 'diff' // compare two versions
  | 'publish' // publish and retire versions
  | 'simulate' // start and read simulations
  | 'audit' // read the audit trail
  | 'decision-log' // read the decision log
  | 'keys' // manage API keys
  | 'metrics'; // read the service's counters

export const PERMISSIONS: readonly Permission[] = ['decide', 'read', 'write', 'validate', 'test', 'diff', 'publish', 'simulate', 'audit', 'decision-log', 'keys', 'metrics'];

export const ROLE_PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  admin: new Set(PERMISSIONS),
  // Counters are aggregate and name no patron: any key may read them (a scraper gets a circulation key).
  editor: new Set<Permission>(['decide', 'read', 'write', 'validate', 'test', 'diff', 'metrics']),
  compliance: new Set<Permission>(['decide', 'read', 'diff', 'test', 'simulate', 'audit', 'decision-log', 'metrics']),
  circulation: new Set<Permission>(['decide', 'metrics']),
};

export function allows(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].has(permission);
}
