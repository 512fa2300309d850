// Who is asking and what their key's role allows. A key comes as `Authorization: Bearer <key>`
// or `X-API-Key: <key>`; no key or a bad one is 401, a role that may not is 403. Verified keys
// are kept in memory for a short while, so the decision hot path does not touch the database.
import { hash } from 'node:crypto';
import type { BlockList } from 'node:net';
import { throttled } from './log.ts';
import { ProblemError } from './problem.ts';
import { allows, type Permission } from './roles.ts';
import { isUnavailable } from './store/errors.ts';
import type { ApiKeyRow, Role, Store } from './store/types.ts';

export { allows, PERMISSIONS, ROLE_PERMISSIONS, ROLES, type Permission } from './roles.ts';

/** The caller: a key's name and role, or the anonymous desk when decisions are open. */
export interface Principal {
  name: string;
  role: Role | null;
  keyId: string | null;
}

export const ANONYMOUS: Principal = { name: 'anonymous', role: null, keyId: null };

interface Cached {
  row: ApiKeyRow | null;
  /** When the store last said so (ms). */
  verified: number;
  expires: number;
}

export interface KeyCacheOptions {
  /** How long a verified key is trusted without asking the store again (30 s). */
  ttlMs?: number;
  /** How long an unknown key is remembered as unknown (2 s). */
  negativeTtlMs?: number;
  /**
   * While the database cannot be reached, a key the store verified at most this long ago is still
   * accepted (REGULA_KEY_GRACE_MINUTES, 60 min): the desks keep lending through an outage. 0: never.
   */
  graceMs?: number;
  log?: (message: string) => void;
}

/** The memory cache's name for a key: its SHA-256 (one-shot crypto.hash, no Hash object per request). */
function cacheId(plain: string): string {
  return hash('sha256', plain, 'base64url');
}

/** store.verifyKey behind a short-lived memory cache (by the key's hash, never the key itself). */
export class KeyCache {
  private readonly cache = new Map<string, Cached>();
  private readonly store: Store;
  private readonly ttlMs: number;
  private readonly negativeTtlMs: number;
  private readonly graceMs: number;
  private readonly warn: (message: string) => void;

  constructor(store: Store, opts: KeyCacheOptions = {}) {
    this.store = store;
    this.ttlMs = opts.ttlMs ?? 30_000;
    this.negativeTtlMs = opts.negativeTtlMs ?? 2_000;
    this.graceMs = opts.graceMs ?? 3_600_000;
    this.warn = throttled(opts.log ?? ((m) => console.warn(m)));
  }

  async verify(plain: string): Promise<ApiKeyRow | null> {
    const id = cacheId(plain);
    const hit = this.cache.get(id);
    const now = Date.now();
    if (hit && hit.expires > now) return hit.row;
    let row: ApiKeyRow | null;
    try {
      row = await this.store.verifyKey(plain);
    } catch (e) {
      // Only a key verified before, recently, and only while the database is away — never an unknown one.
      if (!isUnavailable(e) || !hit?.row || now - hit.verified > this.graceMs) throw e;
      this.warn(`the database cannot be reached (${(e as Error).message}): accepting keys verified in the last ${Math.round(this.graceMs / 60_000)} min`);
      return hit.row;
    }
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(id, { row, verified: now, expires: now + (row ? this.ttlMs : this.negativeTtlMs) });
    return row;
  }

  /** The verified key from memory, without waiting: undefined when it is not there (or has expired). */
  peek(plain: string): ApiKeyRow | null | undefined {
    const hit = this.cache.get(cacheId(plain));
    return hit && hit.expires > Date.now() ? hit.row : undefined;
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
  /** …only from these networks (absent: from anywhere). */
  openFrom?: { list: BlockList; said: string };
}

/** Whether `address` (as a socket reports it; IPv4 may come mapped into IPv6) is in the list. */
function inNetworks(list: BlockList, address: string | undefined): boolean {
  if (!address) return false;
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (v4) return list.check(v4, 'ipv4');
  return list.check(address, address.includes(':') ? 'ipv6' : 'ipv4');
}

/**
 * Who is asking, for a route that needs `permission`: the principal, or a 401/403 ProblemError
 * thrown. Synchronous when the key is in the KeyCache (the hot path), a promise when the store
 * must be asked.
 */
export function authorize(permission: Permission | 'public', opts: AccessOptions, header: (name: string) => string | undefined, remote: () => string | undefined = () => undefined): Principal | Promise<Principal> {
  if (permission === 'public') return ANONYMOUS;
  const key = presentedKey(header);
  if (key === undefined) {
    if (permission === 'decide' && opts.openDecisions) {
      if (!opts.openFrom || inNetworks(opts.openFrom.list, remote())) return ANONYMOUS;
      throw unauthorized(`decisions need no key only from the desk network (${opts.openFrom.said}); from ${remote() ?? 'here'}, send your API key as "Authorization: Bearer <key>" or "X-API-Key: <key>"`);
    }
    throw unauthorized('send your API key as "Authorization: Bearer <key>" or "X-API-Key: <key>"');
  }
  const cached = opts.keys.peek(key);
  if (cached !== undefined) return principalOf(cached, permission);
  return opts.keys.verify(key).then((row) => principalOf(row, permission));
}

function principalOf(row: ApiKeyRow | null, permission: Permission): Principal {
  if (!row) throw unauthorized('the API key is not known or has been revoked');
  if (!allows(row.role, permission)) throw new ProblemError('forbidden', `a key with the role ${row.role} may not ${DOES[permission]}`);
  return { name: row.name, role: row.role, keyId: row.id };
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
  metrics: 'read the service’s counters',
};
