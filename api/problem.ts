// Errors as RFC 9457 problem details (application/problem+json): a type, a title in plain words,
// the status, a detail for this occurrence, and where it helps the place in the request
// (`errors[].pointer` into the body, `errors[].parameter` for a query or path parameter,
// `errors[].line/column` into a YAML text).
import { shownPointer, excerpt } from '../engine/errors/index.ts';
import { MAX_LISTED_ERRORS } from '../contract/api/common.ts';
import type * as Api from '../contract/types/api.ts';

export const PROBLEM_TYPE = 'application/problem+json';

// The shapes are the contract's (contract/api/common.ts); a problem may carry more members
// (`current` on a 412, `failing` on a refused publish, `more_errors`).
export type { FieldError } from '../contract/types/api.ts';
export type Problem = Api.Problem & { [extra: string]: unknown };

/** The kinds of problem this API reports: slug → title and status. The type URI is `/api/problems/<slug>`. */
export const PROBLEMS = {
  'bad-request': { status: 400, title: 'The request is not valid' },
  'invalid-body': { status: 400, title: 'The request body is not valid' },
  'invalid-parameter': { status: 400, title: 'A parameter is not valid' },
  unauthorized: { status: 401, title: 'An API key is needed' },
  forbidden: { status: 403, title: 'Your key may not do this' },
  'not-found': { status: 404, title: 'Not found' },
  'method-not-allowed': { status: 405, title: 'This method is not allowed here' },
  'not-acceptable': { status: 406, title: 'No representation in the format asked for' },
  conflict: { status: 409, title: 'The request conflicts with the stored state' },
  'not-a-draft': { status: 409, title: 'Only a draft can be changed' },
  'precondition-failed': { status: 412, title: 'The version was changed meanwhile' },
  'body-too-large': { status: 413, title: 'The request body is too large' },
  'answer-too-large': { status: 413, title: 'The answer would be too large' },
  'unsupported-media-type': { status: 415, title: 'The body is in a format this route does not read' },
  'invalid-policy': { status: 422, title: 'The policy has errors' },
  'invalid-tests': { status: 422, title: 'The test cases have errors' },
  'invalid-facts': { status: 422, title: 'The facts cannot be decided' },
  'no-version': { status: 422, title: 'No policy version to decide under' },
  'tests-failing': { status: 422, title: 'The version’s own tests fail' },
  'unprocessable': { status: 422, title: 'The request cannot be carried out' },
  'precondition-required': { status: 428, title: 'An If-Match header is needed' },
  'too-many-failures': { status: 429, title: 'Too many unknown API keys from this address' },
  'not-ready': { status: 503, title: 'The service is not ready' },
  'database-unavailable': { status: 503, title: 'The database cannot be reached' },
  internal: { status: 500, title: 'Something went wrong on our side' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemKind = keyof typeof PROBLEMS;

export function problemType(kind: ProblemKind): string {
  return `/api/problems/${kind}`;
}

/** A detail is a sentence or a few: whatever it quotes (a path, a pointer), never longer than this. */
export const MAX_DETAIL = 2000;

export function problem(kind: ProblemKind, detail: string, extra: Partial<Problem> = {}): Problem {
  const { status, title } = PROBLEMS[kind];
  return { type: problemType(kind), title, status, detail: excerpt(detail, MAX_DETAIL), ...extra };
}

export { MAX_LISTED_ERRORS };

/** Thrown anywhere in a request; app.onError turns it into the response. */
export class ProblemError extends Error {
  readonly kind: ProblemKind;
  readonly problem: Problem;
  readonly headers: Record<string, string>;
  constructor(kind: ProblemKind, detail: string, extra: Partial<Problem> = {}, headers: Record<string, string> = {}) {
    super(detail);
    this.name = 'ProblemError';
    this.kind = kind;
    const errors = extra.errors?.map((e) => (e.pointer === undefined ? e : { ...e, pointer: shownPointer(e.pointer) }));
    this.problem = problem(kind, detail, !errors ? extra : errors.length > MAX_LISTED_ERRORS ? { ...extra, errors: errors.slice(0, MAX_LISTED_ERRORS), more_errors: errors.length - MAX_LISTED_ERRORS } : { ...extra, errors });
    this.headers = headers;
  }
}

export function problemResponse(p: Problem, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(p), { status: p.status, headers: { 'content-type': PROBLEM_TYPE, ...headers } });
}
