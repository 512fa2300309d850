// Errors the store throws besides ConflictError (types.ts), and what a refusal of the database is
// as one of them (storeError). All are plain `Error`s underneath, so a caller that only knows the
// contract still gets a message that says what went wrong.
import type { VersionRow, VersionStatus } from './types.ts';

/** A label (per institution) or an API key that already exists. */
export class DuplicateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DuplicateError';
  }
}

/** The id (or institution) the call names does not exist. */
export class NotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}

/**
 * The version is no longer in the status the change needs: another request (on this instance or
 * another) published or retired it meanwhile. `current` is the version as it is now.
 */
export class StatusError extends Error {
  readonly current: VersionRow;
  /** The status the change needed. */
  readonly needed: VersionStatus;
  constructor(current: VersionRow, needed: VersionStatus, verb: string) {
    super(`cannot ${verb} ${current.institution} ${current.label}: it is ${current.status} now; only a ${needed} version can be ${verb === 'change' ? 'changed' : `${verb}d`}`);
    this.name = 'StatusError';
    this.current = current;
    this.needed = needed;
  }
}

/** The change would break a rule the store keeps (the last admin key stays; a published version never changes). */
export class RefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RefusedError';
  }
}

/** A value the database cannot keep (PostgreSQL's class 22, or a NUL in a text parameter). */
export class InvalidValueError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidValueError';
  }
}

/** Two transactions got in each other's way (a serialization failure, a deadlock): worth trying again. */
export class ContentionError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ContentionError';
  }
}

/** The codes on an error and on what it wraps (MikroORM keeps the driver's error as `cause`/`previous`). */
function codes(e: unknown): string[] {
  const out: string[] = [];
  let cur: unknown = e;
  for (let i = 0; i < 4 && cur && typeof cur === 'object'; i++) {
    for (const c of [(cur as { code?: unknown }).code, (cur as { sqlState?: unknown }).sqlState]) if (typeof c === 'string') out.push(c);
    cur = (cur as { cause?: unknown }).cause ?? (cur as { previous?: unknown }).previous;
  }
  return out;
}

/** The SQLSTATE of a database error, if it is one: five digits and capitals, a digit among them
 * (EPIPE is a network error's code). */
export function sqlState(e: unknown): string | undefined {
  return codes(e).find((c) => /^(?=.*\d)[0-9A-Z]{5}$/.test(c));
}

// What a connection that cannot be made, or was lost, says: network errors, and PostgreSQL's
// SQLSTATEs for a connection failure (class 08, but 08P01: a message the server could not read —
// a NUL in a text parameter — is a refused query on a connection that works), a server shutting
// down or starting (57P01–57P03), or one with no connection left to give (53300).
const UNREACHABLE_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
const UNREACHABLE_STATE = new Set(['08000', '08001', '08003', '08004', '08006', '08007', '57P01', '57P02', '57P03', '53300']);

/**
 * True when `e` says the database cannot be reached now (refused, reset, shutting down), as
 * opposed to a query it refused: worth answering 503 and trying again later. Decided by the
 * SQLSTATE when there is one, by the network error's code, and only for errors with neither by
 * the words of pg's own errors (which quote no request data).
 */
export function isUnavailable(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  const state = sqlState(e);
  if (state !== undefined) return UNREACHABLE_STATE.has(state);
  if (codes(e).some((c) => UNREACHABLE_ERRNO.has(c))) return true;
  return /Connection terminated|Connection ended|timeout exceeded when trying to connect/i.test(e.message);
}

/**
 * A refusal of the database as the store's own error, so that every failure has a kind: a
 * duplicate (23505), a broken rule (23514: the guard triggers), a value it cannot keep (class 22,
 * 08P01), contention (class 40). Anything else — an outage (isUnavailable), the store's own
 * errors, a bug — is returned as it is.
 */
export function storeError(e: unknown): unknown {
  const state = sqlState(e);
  if (state === undefined || isUnavailable(e)) return e;
  const message = (e as Error).message;
  if (state === '23505') return new DuplicateError(message);
  if (state === '23514') return new RefusedError(message);
  if (state === '08P01') return new InvalidValueError(`the database could not read a value sent — a text holding a NUL character (U+0000) does that (${message})`, { cause: e });
  if (state.startsWith('22')) return new InvalidValueError(`the database cannot keep a value sent: ${message}`, { cause: e });
  if (state.startsWith('40')) return new ContentionError(`another change got in the way (${message}); try again`, { cause: e });
  return e;
}
