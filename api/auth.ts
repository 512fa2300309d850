// Who is asking and what their key's role allows. A key comes as `Authorization: Bearer <key>`
// or `X-API-Key: <key>`; no key or a bad one is 401, a role that may not is 403. Verified keys
// are kept in memory for a short while, so the decision hot path does not touch the database.
import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { ProblemError } from './problem.ts';
import type { ApiKeyRow, Role, Store } from './store/types.ts';

export const ROLES: readonly Role[] = ['admin', 'editor', 'compliance', 'circulation'];

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
  | 'keys'; // manage API keys

export const PERMISSIONS: readonly Permission[] = ['decide', 'read', 'write', 'validate', 'test', 'diff', 'publish', 'simulate', 'audit', 'decision-log', 'keys'];

export const ROLE_PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  admin: new Set(PERMISSIONS),
  editor: new Set<Permission>(['decide', 'read', 'write', 'validate', 'test', 'diff']),
  compliance: new Set<Permission>(['decide', 'read', 'diff', 'test', 'simulate', 'audit', 'decision-log']),
  circulation: new Set<Permission>(['decide']),
};

export function allows(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].has(permission);
}

/** The caller: a key's name and role, or the anonymous desk when decisions are open. */
export interface Principal {
  name: string;
  role: Role | null;
  keyId: string | null;
}

export const ANONYMOUS: Principal = { name: 'anonymous', role: null, keyId: null };

/** The name notifications about keys travel under on the store's change channel (never an institution id). */
export const KEYS_CHANNEL = '@keys';

interface Cached {
  row: ApiKeyRow | null;
  expires: number;
}

/** store.verifyKey behind a short-lived memory cache (by the key's hash, never the key itself). */
export class KeyCache {
  private readonly cache = new Map<string, Cached>();
  private readonly store: Store;
  private readonly ttlMs: number;
  private readonly negativeTtlMs: number;

  constructor(store: Store, ttlMs = 30_000, negativeTtlMs = 2_000) {
    this.store = store;
    this.ttlMs = ttlMs;
    this.negativeTtlMs = negativeTtlMs;
  }

  async verify(plain: string): Promise<ApiKeyRow | null> {
    const id = createHash('sha256').update(plain).digest('base64url');
    const now = Date.now();
    const hit = this.cache.get(id);
    if (hit && hit.expires > now) return hit.row;
    const row = await this.store.verifyKey(plain);
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(id, { row, expires: now + (row ? this.ttlMs : this.negativeTtlMs) });
    return row;
  }

  /** Forget every verified key (a key was revoked). */
  clear(): void {
    this.cache.clear();
  }
}

/** The key a request carries, if any; a malformed Authorization header is a 401. */
export function presentedKey(header: (name: string) => string | undefined): string | undefined {
  const auth = header('authorization');
  if (auth !== undefined) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    if (!m) throw unauthorized('the Authorization header must be "Bearer <key>"');
    return m[1];
  }
  const key = header('x-api-key')?.trim();
  return key ? key : undefined;
}

function unauthorized(detail: string): ProblemError {
  return new ProblemError('unauthorized', detail, {}, { 'www-authenticate': 'Bearer realm="regula"' });
}

export interface AccessOptions {
  keys: KeyCache;
  /** Decisions without a key (REGULA_OPEN_DECISIONS). */
  openDecisions: boolean;
}

/** Middleware: sets `principal`, or answers 401/403. `public` routes need no key. */
export function requireAccess(permission: Permission | 'public', opts: AccessOptions): MiddlewareHandler<{ Variables: { principal: Principal } }> {
  return async (c, next) => {
    if (permission === 'public') {
      c.set('principal', ANONYMOUS);
      return next();
    }
    const key = presentedKey((n) => c.req.header(n));
    if (key === undefined) {
      if (permission === 'decide' && opts.openDecisions) {
        c.set('principal', ANONYMOUS);
        return next();
      }
      throw unauthorized('send your API key as "Authorization: Bearer <key>" or "X-API-Key: <key>"');
    }
    const row = await opts.keys.verify(key);
    if (!row) throw unauthorized('the API key is not known or has been revoked');
    if (!allows(row.role, permission)) throw new ProblemError('forbidden', `a key with the role ${row.role} may not ${DOES[permission]}`);
    c.set('principal', { name: row.name, role: row.role, keyId: row.id });
    return next();
  };
}

const DOES: Record<Permission, string> = {
  decide: 'ask for decisions',
  read: 'read policies',
  write: 'create or change drafts',
  validate: 'validate policies',
  test: 'run a version’s tests',
  diff: 'compare versions',
  publish: 'publish or retire versions',
  simulate: 'run simulations',
  audit: 'read the audit trail',
  'decision-log': 'read the decision log',
  keys: 'manage API keys',
};
