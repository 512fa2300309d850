// Every route of the API as data: path, method, what it needs, its parameters, body and
// responses. The app registers a handler for each (api/app.ts), the OpenAPI document is built
// from it (api/openapi.ts), and the tests walk it (every route × every role).
import { QUESTIONS, QUESTION_WORDS, type Question } from '../contract/questions.ts';
import type { Permission } from './auth.ts';
import { ref, type JsonSchema } from '../contract/api/common.ts';
import { BATCH_ANSWER_BYTES, MAX_BATCH } from '../contract/api/decisions.ts';
import { AuditQuery, DecisionLogQuery } from '../contract/api/records.ts';
import { SimulationQuery } from '../contract/api/simulations.ts';

export type Method = 'get' | 'post' | 'put' | 'delete';

export interface RouteParam {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  description: string;
  schema: JsonSchema;
}

export interface RouteResponse {
  description: string;
  /** A schema name from contract/api (JSON body). */
  schema?: string;
  /** Also (or only) served as YAML. */
  yaml?: boolean;
  /** Headers the response carries. */
  headers?: string[];
  /** A text body of this media type. */
  text?: string;
}

export interface RouteBody {
  /** Schema name from contract/api the body must fit. */
  schema: string;
  /** Also accepted as raw YAML (`Content-Type: application/yaml`): the text becomes `{ yaml }`. */
  yaml?: boolean;
  /** May be left out (an empty body counts as `{}`). */
  optional?: boolean;
  description?: string;
  /** The question whose facts the body carries: documented from the engine's facts schema (the engine checks them, 422). */
  facts?: Question;
}

/** A question's route. */
export type DecisionRouteId = `decide-${Question}`;

/** Every other route, by id: the handler table (api/app.ts) is typed by these, so a route without
 * its handler, or a handler without its route, does not compile. */
export type HandledRouteId =
  | 'health'
  | 'ready'
  | 'metrics'
  | 'me'
  | 'decide-batch'
  | 'list-institutions'
  | 'list-versions'
  | 'get-version'
  | 'get-explanation'
  | 'create-version'
  | 'update-version'
  | 'validate'
  | 'test-version'
  | 'diff'
  | 'publish-version'
  | 'retire-version'
  | 'start-simulation'
  | 'upload-simulation'
  | 'list-simulations'
  | 'get-simulation'
  | 'list-simulation-cases'
  | 'cancel-simulation'
  | 'list-audit'
  | 'list-decision-log'
  | 'create-key'
  | 'list-keys'
  | 'revoke-key';

export interface Route {
  id: DecisionRouteId | HandledRouteId;
  method: Method;
  /** OpenAPI form: /api/v1/institutions/{id}. */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  permission: Permission | 'public';
  params?: RouteParam[];
  body?: RouteBody;
  /** A body the handler reads as it streams in (beyond REGULA_BODY_LIMIT_MB: the handler bounds it). */
  stream?: { type: string; description: string };
  /** Success responses; problem responses (400, 401, 403, 404, …) are added from the rest. */
  responses: Record<number, RouteResponse>;
  /** Other problem statuses the route may answer with, beyond the usual ones. */
  problems?: number[];
  /** Served without /api/v1 docs listing (documentation pages). */
  hidden?: boolean;
}

const institution: RouteParam = { name: 'id', in: 'path', required: true, description: 'The institution id, e.g. sum.', schema: ref('InstitutionId') };
const label: RouteParam = {
  name: 'label',
  in: 'path',
  required: true,
  description: 'The version label, percent-encoded: 139/2013 is 139%2F2013.',
  schema: ref('VersionLabel'),
};
const acceptLanguage: RouteParam = {
  name: 'Accept-Language',
  in: 'header',
  description: 'pl or en (e.g. pl-PL,pl;q=0.9): every message and assumption text in that language only. Without it, or naming neither: both languages.',
  schema: { type: 'string', examples: ['pl'] },
};
const explain: RouteParam = {
  name: 'explain',
  in: 'query',
  description:
    'ids (default): the decision names its assumptions by id and links to its version’s explanation (`explanation`), where their texts are, once per version. full: the texts of the assumptions it names in the decision too (`assumption_texts`).',
  schema: { type: 'string', enum: ['ids', 'full'] },
};
const ifMatch = (required: boolean): RouteParam => ({
  name: 'If-Match',
  in: 'header',
  required,
  description: 'The ETag the version was read with ("<id>:<revision>"), so a change made meanwhile is not overwritten.',
  schema: { type: 'string' },
});
/** The query parameters of a list, from the contract's schema of its query. */
const queryOf = (query: JsonSchema): RouteParam[] =>
  Object.entries(query.properties as Record<string, JsonSchema>).map(([name, { description, ...schema }]) => ({ name, in: 'query', description: String(description), schema }));

const decisionRoutes: Route[] = QUESTIONS.map((q) => ({
  id: `decide-${q}` as const,
  method: 'post',
  path: `/api/v1/decisions/${q}`,
  tag: 'decisions',
  summary: `Decide: ${q}`,
  description: `${QUESTION_WORDS[q]} Decided under the published version in force at \`at\` (default now) unless \`version\` names one. Facts outside the contract below, or naming something the policy does not know, answer 422 with the JSON pointer of every such field. Needs a key unless the service opens decisions (REGULA_OPEN_DECISIONS: to everyone, or to the desk networks it lists).`,
  permission: 'decide',
  params: [acceptLanguage, explain],
  body: { schema: 'DecisionRequest', facts: q },
  responses: { 200: { description: 'The decision.', schema: 'Decision', headers: ['Content-Language'] } },
  problems: [422],
}));

export const ROUTES: Route[] = [
  {
    id: 'health',
    method: 'get',
    path: '/api/v1/health',
    tag: 'service',
    summary: 'Liveness',
    description: 'Answers while the process runs; touches nothing.',
    permission: 'public',
    responses: { 200: { description: 'Running.', schema: 'Health' } },
  },
  {
    id: 'ready',
    method: 'get',
    path: '/api/v1/ready',
    tag: 'service',
    summary: 'Readiness',
    description: 'Answers 200 when the database can be reached, 503 when not.',
    permission: 'public',
    responses: { 200: { description: 'Ready.', schema: 'Health' } },
    problems: [503],
  },
  {
    id: 'metrics',
    method: 'get',
    path: '/api/v1/metrics',
    tag: 'service',
    summary: 'Counters for a scraper',
    description:
      'Prometheus text format: decisions by institution, question and outcome; problems decision requests met; time to decide, by question; whether the database answers; the decision log backlog; policy versions in memory; simulations running; memory and CPU. Any valid key (they name no patron).',
    permission: 'metrics',
    responses: { 200: { description: 'The counters.', text: 'text/plain' } },
  },
  {
    id: 'me',
    method: 'get',
    path: '/api/v1/me',
    tag: 'service',
    summary: 'Who am I',
    description: 'The id, name and role of the key sent, so a client offers only what the role may do and a desk can tell which of the listed keys it holds. Any valid key.',
    permission: 'decide',
    responses: { 200: { description: 'The key’s id, name and role.', schema: 'Me' } },
  },
  ...decisionRoutes,
  {
    id: 'decide-batch',
    method: 'post',
    path: '/api/v1/decisions/batch',
    tag: 'decisions',
    summary: 'Decide many at once',
    description:
      `Up to ${MAX_BATCH} requests (and the body limit, REGULA_BODY_LIMIT_MB), each with its question; the results come in the same order, a problem object in place of each request that could not be decided. The answer holds at most ${BATCH_ANSWER_BYTES / 1024 / 1024} MB of results: once they reach it, each request left is not decided but answered with an \`answer-too-large\` problem (status 413) — send those again in another batch. (A decision is a few kB; a payment of 200 loans, the most one takes, about 75 kB.)`,
    permission: 'decide',
    params: [acceptLanguage, explain],
    body: { schema: 'BatchRequest' },
    responses: { 200: { description: 'One result per request.', schema: 'BatchResponse', headers: ['Content-Language'] } },
  },
  {
    id: 'list-institutions',
    method: 'get',
    path: '/api/v1/institutions',
    tag: 'policies',
    summary: 'Institutions',
    permission: 'read',
    responses: { 200: { description: 'Every institution, with the version in force now.', schema: 'InstitutionList' } },
  },
  {
    id: 'list-versions',
    method: 'get',
    path: '/api/v1/institutions/{id}/versions',
    tag: 'policies',
    summary: 'Version timeline',
    description: 'Every version of the institution: label, status, effective_from, author, times, hash.',
    permission: 'read',
    params: [institution],
    responses: { 200: { description: 'Oldest effective_from first.', schema: 'VersionList' } },
  },
  {
    id: 'get-version',
    method: 'get',
    path: '/api/v1/institutions/{id}/versions/{label}',
    tag: 'policies',
    summary: 'One version',
    description:
      'JSON: the version’s metadata and its document as written. `Accept: application/yaml` or `?format=yaml`: the YAML text itself. `?consolidated=true`: the document with the amendments merged over their base. The ETag names the revision; send it back in If-Match to change the draft.',
    permission: 'read',
    params: [
      institution,
      label,
      { name: 'format', in: 'query', description: 'json (default) or yaml.', schema: { type: 'string', enum: ['json', 'yaml'] } },
      { name: 'consolidated', in: 'query', description: 'The consolidated document instead of the one as written.', schema: { type: 'boolean' } },
    ],
    responses: { 200: { description: 'The version.', schema: 'VersionDetail', yaml: true, headers: ['ETag'] }, 304: { description: 'Not modified (If-None-Match).' } },
    problems: [406],
  },
  {
    id: 'get-explanation',
    method: 'get',
    path: '/api/v1/institutions/{id}/versions/{label}/explanation',
    tag: 'decisions',
    summary: 'What a version’s decisions rest on',
    description:
      'The texts a decision names by id, once per version: every assumption’s text, every paragraph the version cites, and the regulation they are of. A decision links here (`explanation`). The ETag is the version’s content hash (with the language asked for): ask again with If-None-Match and a 304 says it is unchanged. Any key that may ask for decisions; none when the service opens decisions.',
    permission: 'decide',
    params: [institution, label, acceptLanguage],
    responses: { 200: { description: 'The explanation.', schema: 'Explanation', headers: ['ETag', 'Content-Language'] }, 304: { description: 'Not modified (If-None-Match).' } },
  },
  {
    id: 'create-version',
    method: 'post',
    path: '/api/v1/institutions/{id}/versions',
    tag: 'policies',
    summary: 'Create a draft',
    description:
      'A new draft from YAML: `{ yaml, tests_yaml? }` as JSON, or the YAML itself with `Content-Type: application/yaml`. The YAML must say `status: draft` and name this institution. YAML with errors answers 422 with every error’s line and column, and nothing is stored.',
    permission: 'write',
    params: [institution],
    body: { schema: 'VersionText', yaml: true },
    responses: { 201: { description: 'The draft.', schema: 'VersionMeta', headers: ['ETag', 'Location'] } },
    problems: [409, 415, 422],
  },
  {
    id: 'update-version',
    method: 'put',
    path: '/api/v1/institutions/{id}/versions/{label}',
    tag: 'policies',
    summary: 'Update a draft',
    description:
      'Replaces the draft’s YAML (and tests). Needs If-Match with the ETag it was read with: without it 428; when the draft was changed meanwhile 412 with the current version in the body (nothing is overwritten); a published or retired version 409.',
    permission: 'write',
    params: [institution, label, ifMatch(true)],
    body: { schema: 'VersionText', yaml: true },
    responses: { 200: { description: 'The updated draft.', schema: 'VersionMeta', headers: ['ETag'] } },
    problems: [409, 412, 415, 422, 428],
  },
  {
    id: 'validate',
    method: 'post',
    path: '/api/v1/institutions/{id}/validate',
    tag: 'policies',
    summary: 'Validate unsaved YAML',
    description: 'Every check short of storing: YAML syntax, schema, references, the amendment chain (against the stored versions), compilation; category × loan type gaps as warnings. Always 200: the result says whether it is valid.',
    permission: 'validate',
    params: [institution],
    body: { schema: 'ValidateRequest', yaml: true },
    responses: { 200: { description: 'Errors (with line and column) and gaps.', schema: 'ValidationResult' } },
    problems: [415],
  },
  {
    id: 'test-version',
    method: 'post',
    path: '/api/v1/institutions/{id}/versions/{label}/test',
    tag: 'policies',
    summary: 'Run a version’s tests',
    description:
      'Runs the version’s tests_yaml with the version in force from its effective_from (or the `effective_from` sent). A draft is tested as the candidate: every case without `version:` is decided under it, at the case’s instant, as if it were in force then — except a case before the version it replaces took effect (`replaces`), decided as published; a case with `version:` under that version. Each case names the version that decided it, whether that is the candidate, and how it was chosen. For a draft, `uncovered` lists the entries it changes against `replaces` that no case exercises (warnings). Another version: each case under the version in force at its instant, as published.',
    permission: 'test',
    params: [institution, label],
    body: { schema: 'PublishRequest', optional: true },
    responses: { 200: { description: 'Per case: passed, the failures and the version that decided it; the changed entries no case exercises.', schema: 'TestRun' } },
    problems: [422],
  },
  {
    id: 'diff',
    method: 'get',
    path: '/api/v1/institutions/{id}/diff',
    tag: 'policies',
    summary: 'What changed between two versions',
    description: 'The consolidated documents compared, each change in words (English and Polish): "PhD students, long-term: limit 10 → 12".',
    permission: 'diff',
    params: [
      institution,
      { name: 'from', in: 'query', required: true, description: 'The older version label.', schema: ref('VersionLabel') },
      { name: 'to', in: 'query', required: true, description: 'The newer version label.', schema: ref('VersionLabel') },
    ],
    responses: { 200: { description: 'The changes.', schema: 'Diff' } },
  },
  {
    id: 'publish-version',
    method: 'post',
    path: '/api/v1/institutions/{id}/versions/{label}/publish',
    tag: 'policies',
    summary: 'Publish a draft',
    description:
      'Runs the draft’s own tests as the test route does for a draft (the candidate decides every case without `version:`); while any fails, 422 naming the failing cases (all in `failing`) and nothing changes. Then the version is published (its YAML says so), an audit event is written and every instance reloads the institution.',
    permission: 'publish',
    params: [institution, label, ifMatch(false)],
    body: { schema: 'PublishRequest', optional: true },
    responses: { 200: { description: 'The published version.', schema: 'VersionMeta', headers: ['ETag'] } },
    problems: [409, 412, 422],
  },
  {
    id: 'retire-version',
    method: 'post',
    path: '/api/v1/institutions/{id}/versions/{label}/retire',
    tag: 'policies',
    summary: 'Retire a published version',
    description: 'A retired version is no longer chosen by the instant; it can still be read, and named explicitly.',
    permission: 'publish',
    params: [institution, label, ifMatch(false)],
    responses: { 200: { description: 'The retired version.', schema: 'VersionMeta', headers: ['ETag'] } },
    problems: [409, 412],
  },
  {
    id: 'start-simulation',
    method: 'post',
    path: '/api/v1/institutions/{id}/simulations',
    tag: 'simulations',
    summary: 'Simulate a candidate version',
    description: 'Decides every case under the baseline and the candidate, in the background; poll the simulation for progress and, when done, the totals and the differing cases.',
    permission: 'simulate',
    params: [institution],
    body: { schema: 'SimulationRequest' },
    responses: { 202: { description: 'Started.', schema: 'SimulationAccepted', headers: ['Location'] } },
    problems: [422],
  },
  {
    id: 'upload-simulation',
    method: 'post',
    path: '/api/v1/institutions/{id}/simulations/upload',
    tag: 'simulations',
    summary: 'Simulate a candidate version over uploaded cases',
    description:
      'As a simulation started with `cases`, for as many as 10,000,000 cases streamed as NDJSON: the first line names the versions (SimulationUpload), each further line is a case (SimulationCase), stored a chunk at a time as it arrives. A bad line refuses the upload: 400 with its `line` and the pointer within it.',
    permission: 'simulate',
    params: [institution],
    stream: { type: 'application/x-ndjson', description: 'Line 1: {"baseline": "139/2013", "candidate": "7/2027"}; then one case a line: {"question": "checkout", "at": "…", "facts": {…}}.' },
    responses: { 202: { description: 'Started.', schema: 'SimulationAccepted', headers: ['Location'] } },
    problems: [415, 422],
  },
  {
    id: 'list-simulations',
    method: 'get',
    path: '/api/v1/institutions/{id}/simulations',
    tag: 'simulations',
    summary: 'The institution’s simulations',
    description: 'Newest first, a page at a time, each without its result (read it from the simulation’s own URL): what was compared, by whom, when, and how it ended.',
    permission: 'simulate',
    params: [institution, ...queryOf(SimulationQuery)],
    responses: { 200: { description: 'Simulations, newest first.', schema: 'SimulationList' } },
  },
  {
    id: 'get-simulation',
    method: 'get',
    path: '/api/v1/simulations/{sid}',
    tag: 'simulations',
    summary: 'A simulation’s progress and result',
    permission: 'simulate',
    params: [
      { name: 'sid', in: 'path', required: true, description: 'The simulation id.', schema: { type: 'string' } },
      { name: 'limit', in: 'query', description: 'At most this many differing cases (default 1000).', schema: { type: 'integer', minimum: 0, maximum: 1_000_000 } },
    ],
    responses: { 200: { description: 'Status, done/total, and when done the result.', schema: 'Simulation' } },
  },
  {
    id: 'list-simulation-cases',
    method: 'get',
    path: '/api/v1/simulations/{sid}/cases',
    tag: 'simulations',
    summary: 'A simulation’s differing or undecided cases',
    description:
      'Every case the two versions decide differently (kind=difference, the default) or that either cannot decide (kind=error), in their order in the run, a page at a time from the stored cases — or, with Accept: text/csv, every differing case as CSV (who and what, both outcomes, codes, due instants, fees and the changes in words), streamed. 409 while the run is not done.',
    permission: 'simulate',
    params: [
      { name: 'sid', in: 'path', required: true, description: 'The simulation id.', schema: { type: 'string' } },
      { name: 'kind', in: 'query', description: 'difference (default) or error.', schema: { type: 'string', enum: ['difference', 'error'] } },
      { name: 'after', in: 'query', description: 'The place of the last case of the page before (from `next`).', schema: { type: 'integer', minimum: 1 } },
      { name: 'limit', in: 'query', description: 'At most this many cases (default 1000).', schema: { type: 'integer', minimum: 1, maximum: 10_000 } },
    ],
    responses: { 200: { description: 'A page of cases, or the CSV of every differing case.', schema: 'SimulationCasePage', text: 'text/csv' } },
    problems: [409],
  },
  {
    id: 'cancel-simulation',
    method: 'delete',
    path: '/api/v1/simulations/{sid}',
    tag: 'simulations',
    summary: 'Cancel a running simulation',
    description: 'Stops it (on whichever instance runs it) and keeps it as cancelled, with who cancelled it in the audit trail. A simulation that has finished cannot be cancelled (409).',
    permission: 'simulate',
    params: [{ name: 'sid', in: 'path', required: true, description: 'The simulation id.', schema: { type: 'string' } }],
    responses: { 200: { description: 'The simulation, cancelled.', schema: 'Simulation' } },
    problems: [409],
  },
  {
    id: 'list-audit',
    method: 'get',
    path: '/api/v1/audit',
    tag: 'records',
    summary: 'Audit trail',
    permission: 'audit',
    params: queryOf(AuditQuery),
    responses: { 200: { description: 'Events, newest first.', schema: 'AuditList' } },
  },
  {
    id: 'list-decision-log',
    method: 'get',
    path: '/api/v1/decision-log',
    tag: 'records',
    summary: 'Decision log',
    description: 'Decisions recorded while REGULA_DECISION_LOG is on, kept REGULA_DECISION_LOG_DAYS days.',
    permission: 'decision-log',
    params: queryOf(DecisionLogQuery),
    responses: { 200: { description: 'Logged decisions, newest first.', schema: 'DecisionLogList' } },
  },
  {
    id: 'create-key',
    method: 'post',
    path: '/api/v1/keys',
    tag: 'keys',
    summary: 'Create an API key',
    description: 'The key is in this response only; the service keeps its hash.',
    permission: 'keys',
    body: { schema: 'CreateKey' },
    responses: { 201: { description: 'The key, shown once.', schema: 'KeyCreated' } },
  },
  {
    id: 'list-keys',
    method: 'get',
    path: '/api/v1/keys',
    tag: 'keys',
    summary: 'API keys',
    permission: 'keys',
    responses: { 200: { description: 'Every key (never the key itself).', schema: 'KeyList' } },
  },
  {
    id: 'revoke-key',
    method: 'delete',
    path: '/api/v1/keys/{keyId}',
    tag: 'keys',
    summary: 'Revoke an API key',
    description: 'The last admin key cannot be revoked (409).',
    permission: 'keys',
    params: [{ name: 'keyId', in: 'path', required: true, description: 'The key’s id.', schema: { type: 'string' } }],
    responses: { 204: { description: 'Revoked.' } },
    problems: [409],
  },
];

/** /api/v1/institutions/{id} → /api/v1/institutions/:id (Hono's form). */
export function honoPath(path: string): string {
  return path.replace(/\{([^}]+)\}/g, ':$1');
}

/** The routes whose path matches `path` (any method), for 405 answers. */
export function routesAt(path: string): Route[] {
  return ROUTES.filter((r) => new RegExp(`^${r.path.replace(/\./g, '\\.').replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path));
}
