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
