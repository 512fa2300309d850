// Who is asking and what their key's role allows. A key comes as `Authorization: Bearer <key>`
// or `X-API-Key: <key>`; no key or a bad one is 401, a role that may not is 403. Verified keys
// are kept in memory for a short while, so the decision hot path does not touch the database; an
// address that keeps sending keys the store does not know is answered 429 for a while, without a
// lookup (FailedKeyLimiter).
import { hash } from 'node:crypto';
import type { BlockList } from 'node:net';
import { throttled } from './log.ts';
import { ProblemError } from './problem.ts';
import { allows, type Permission } from '../contract/roles.ts';
import { isUnavailable } from './store/errors.ts';
import type { Store } from './store/index.ts';
import type { ApiKeyRow, Role } from './store/types.ts';

export { allows, PERMISSIONS, ROLE_PERMISSIONS, ROLES, type Permission } from '../contract/roles.ts';

/** The caller: a key's name and role, or the anonymous desk when decisions are open. */
export interface Principal {
  name: string;
  role: Role | null;
  keyId: string | null;
}

export const ANONYMOUS: Principal = { name: 'anonymous', role: null, keyId: null };

interface Cached {
  row: ApiKeyRow;
  /** When the store last said so (ms). */
  verified: number;
  expires: number;
}

export interface KeyCacheOptions {
  /** How long a verified key is trusted without asking the store again (30 s). */
  ttlMs?: number;
  /** How long an unknown key is remembered as unknown (2 s). */
  negativeTtlMs?: number;
  /** How many unknown keys are remembered at most (10 000; the oldest are forgotten first). */
  maxUnknown?: number;
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

/**
 * store.verifyKey behind a short-lived memory cache (by the key's hash, never the key itself).
 * Keys the store knows and keys it does not are kept apart: the first are as many as the keys made,
 * the second as many as anyone cares to invent, so they are bounded and never push out the first.
 * One lookup per key at a time: requests with the same new key wait for the same answer.
 */
export class KeyCache {
  private readonly valid = new Map<string, Cached>();
  /** Unknown keys and when they may be asked about again, oldest first. */
  private readonly unknown = new Map<string, number>();
  private readonly pending = new Map<string, Promise<ApiKeyRow | null>>();
  private readonly store: Store;
  private readonly ttlMs: number;
  private readonly negativeTtlMs: number;
  private readonly maxUnknown: number;
  private readonly graceMs: number;
  private readonly warn: (message: string) => void;

  constructor(store: Store, opts: KeyCacheOptions = {}) {
    this.store = store;
    this.ttlMs = opts.ttlMs ?? 30_000;
    this.negativeTtlMs = opts.negativeTtlMs ?? 2_000;
    this.maxUnknown = opts.maxUnknown ?? 10_000;
    this.graceMs = opts.graceMs ?? 3_600_000;
    this.warn = throttled(opts.log ?? ((m) => console.warn(m)));
  }

  async verify(plain: string): Promise<ApiKeyRow | null> {
    const id = cacheId(plain);
    const fresh = this.fresh(id, Date.now());
    if (fresh !== undefined) return fresh;
    let asked = this.pending.get(id);
    if (!asked) {
      asked = this.ask(id, plain).finally(() => this.pending.delete(id));
      this.pending.set(id, asked);
    }
    return asked;
  }

  private async ask(id: string, plain: string): Promise<ApiKeyRow | null> {
    const hit = this.valid.get(id);
    const now = Date.now();
    let row: ApiKeyRow | null;
    try {
      row = await this.store.keys.verify(plain);
    } catch (e) {
      // Only a key verified before, recently, and only while the database is away — never an unknown one.
      if (!isUnavailable(e) || !hit || now - hit.verified > this.graceMs) throw e;
      this.warn(`the database cannot be reached (${(e as Error).message}): accepting keys verified in the last ${Math.round(this.graceMs / 60_000)} min`);
      return hit.row;
    }
    if (row) {
      this.unknown.delete(id);
      this.valid.set(id, { row, verified: now, expires: now + this.ttlMs });
    } else {
      this.valid.delete(id);
      this.unknown.delete(id); // set again below: the newest last
      if (this.unknown.size >= this.maxUnknown) this.unknown.delete(this.unknown.keys().next().value!);
      this.unknown.set(id, now + this.negativeTtlMs);
    }
    return row;
  }

  private fresh(id: string, now: number): ApiKeyRow | null | undefined {
    const hit = this.valid.get(id);
    if (hit && hit.expires > now) return hit.row;
    const until = this.unknown.get(id);
    return until !== undefined && until > now ? null : undefined;
  }

  /** The key from memory, without waiting: its row, null when it was just found unknown, undefined when the store must be asked. */
  peek(plain: string): ApiKeyRow | null | undefined {
    return this.fresh(cacheId(plain), Date.now());
  }

  /** Whether the store has verified this key here before (its answer may have expired since). */
  known(plain: string): boolean {
    return this.valid.has(cacheId(plain));
  }

  /** Forget every key (a key was revoked). */
  clear(): void {
    this.valid.clear();
    this.unknown.clear();
  }
}

/** Where failed authentications are counted: an IPv4 address, or an IPv6 address's /64 (what one
 * network is given; anyone there may use any address of it). */
export function addressGroup(address: string | undefined): string {
  if (!address) return '';
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (v4 || !address.includes(':')) return v4 ?? address;
  const [head = '', tail] = address.split('%')[0]!.toLowerCase().split('::');
  const front = head ? head.split(':') : [];
  const back = tail ? tail.split(':') : [];
  const groups = tail === undefined ? front : [...front, ...Array<string>(Math.max(0, 8 - front.length - back.length)).fill('0'), ...back];
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

/**
 * Failed authentications (a key the store does not know) per address, as a token bucket: an address
 * may fail `perMinute` times at once, and once more every 60/perMinute s after that. Beyond it, a key
 * not verified here before is answered 429 without asking the store — a flood of made-up keys costs
 * the database nothing — while the keys the service knows are let in as ever. 0: no limit.
 */
export class FailedKeyLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly perMinute: number;
  private readonly maxAddresses: number;

  constructor(perMinute: number, maxAddresses = 100_000) {
    this.perMinute = perMinute;
    this.maxAddresses = maxAddresses;
  }

  private tokens(group: string, now: number): number {
    const b = this.buckets.get(group);
    return b ? Math.min(this.perMinute, b.tokens + ((now - b.at) * this.perMinute) / 60_000) : this.perMinute;
  }

  /** Seconds until `address` may have another unknown key looked up (0: now). */
  wait(address: string | undefined): number {
    if (this.perMinute === 0) return 0;
    const tokens = this.tokens(addressGroup(address), Date.now());
    return tokens >= 1 ? 0 : Math.ceil(((1 - tokens) * 60) / this.perMinute);
  }

  /** One more failed authentication from `address`. */
  failed(address: string | undefined): void {
    if (this.perMinute === 0) return;
    const group = addressGroup(address);
    const now = Date.now();
    const tokens = this.tokens(group, now) - 1;
    this.buckets.delete(group); // set again below: the most recent last, the idlest first out
    if (this.buckets.size >= this.maxAddresses) this.buckets.delete(this.buckets.keys().next().value!);
    this.buckets.set(group, { tokens, at: now });
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
  /** Failed authentications per address (REGULA_KEY_FAILURES_PER_MINUTE). */
  failures: FailedKeyLimiter;
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
  if (cached) return principalOf(cached, permission);
  // Not a key known here: it costs a lookup (or was just found unknown), which an address may do only so often.
  const address = remote();
  const wait = opts.keys.known(key) ? 0 : opts.failures.wait(address);
  if (wait > 0) throw tooManyFailures(address, wait);
  if (cached === null) {
    opts.failures.failed(address);
    throw unknownKey();
  }
  return opts.keys.verify(key).then((row) => {
    if (!row) opts.failures.failed(address);
    return principalOf(row, permission);
  });
}

function unknownKey(): ProblemError {
  return unauthorized('the API key is not known or has been revoked');
}

function tooManyFailures(address: string | undefined, wait: number): ProblemError {
  return new ProblemError(
    'too-many-failures',
    `too many requests with API keys this service does not know from ${address ?? 'this address'}: try again in ${wait} s (keys already verified here are let in meanwhile)`,
    {},
    { 'retry-after': String(wait) },
  );
}

function principalOf(row: ApiKeyRow | null, permission: Permission): Principal {
  if (!row) throw unknownKey();
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
