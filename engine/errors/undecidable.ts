// The error a well-formed question meets when the version says nothing to decide it by.
/**
 * The version cannot answer this question for these facts: it states no rule for it (no hold
 * pick-up period), or its calendar never opens within the search. The request is well formed;
 * the answer is a 422 naming why, not a 500.
 */
export class Undecidable extends Error {
  override readonly name = 'Undecidable';
}
