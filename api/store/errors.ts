// Errors the store throws besides ConflictError (types.ts). All are plain `Error`s underneath, so a
// caller that only knows the contract still gets a message that says what went wrong.

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

// Network errors of a connection that could not be made or was lost, and PostgreSQL's SQLSTATEs for
// the same (class 08), for a server shutting down or starting (57P01–57P03), or full (53300).
const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', '57P01', '57P02', '57P03', '53300']);

/**
 * True when `e` says the database cannot be reached now (refused, reset, shutting down), as
 * opposed to a query it refused: worth answering 503 and trying again later.
 */
export function isUnavailable(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  const { code, sqlState } = e as { code?: unknown; sqlState?: unknown };
  for (const c of [code, sqlState]) if (typeof c === 'string' && (UNREACHABLE.has(c) || c.startsWith('08'))) return true;
  // pg's words for a connection that dropped while a query waited (no code).
  return /Connection terminated|Connection ended|timeout exceeded when trying to connect/i.test(e.message);
}
