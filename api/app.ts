// The HTTP API: every route of the route table under /api, with its access check, its body
// validated against its schema, and every error as application/problem+json.
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { isQuestion } from '../contract/questions.ts';
import { clipped } from '../engine/errors/index.ts';
import { authorize, FailedKeyLimiter, KeyCache, type AccessOptions } from './auth.ts';
import { declaredTooLarge, readBodyText, tooLarge, unkeepable, unkeepableItems } from './body.ts';
import { networks, type Config } from './config.ts';
import { badParameters, type Deps, type Env, type Handler } from './context.ts';
import { DecisionLog } from './decision-log.ts';
import { consoleResponse } from './console.ts';
import { mountDocs } from './docs.ts';
import { decideBatch, decideQuestion, getExplanation } from './handlers/decisions.ts';
import { createKey, health, me, listAudit, listDecisionLog, listKeys, metrics, ready, revokeKey } from './handlers/records.ts';
import { cancelSimulation, getSimulation, listSimulationCases, listSimulations, startSimulation, uploadSimulation } from './handlers/simulations.ts';
import { createVersion, diff, getVersion, listInstitutions, listVersions, publishVersion, retireVersion, testVersion, updateVersion, validate } from './handlers/versions.ts';
import { throttled } from './log.ts';
import { Metrics } from './metrics.ts';
import { buildOpenApi } from './openapi.ts';
import type { PolicyCache } from './policies.ts';
import { problem, problemResponse, PROBLEMS, problemType, ProblemError, type FieldError, type ProblemKind } from './problem.ts';
import { honoPath, ROUTES, routesAt, type HandledRouteId, type Route } from './routes.ts';
import { SimulationRunner } from './simulations.ts';
import type { Store } from './store/index.ts';
import { ConflictError, KEYS_CHANNEL } from './store/types.ts';
import { ContentionError, DuplicateError, InvalidValueError, isUnavailable, NotFoundError, RefusedError, StatusError, storeError } from './store/errors.ts';
import { badText, compileAll, invalidBody, validateBody } from './validation.ts';

export interface AppDeps {
  store: Store;
  policies: PolicyCache;
  config: Config;
  /** Made from the config when not given. */
  decisionLog?: DecisionLog;
  simulations?: SimulationRunner;
  keys?: KeyCache;
  log?: (message: string) => void;
  /**
   * The peer's address as the adapter serving the app sees it (api/server.ts: the Node socket's,
   * through @hono/node-server's getConnInfo); none: the app is called directly, with no peer.
   */
  peer?: (c: Context<Env>) => string | undefined;
}

const HANDLERS: Record<HandledRouteId, Handler> = {
  health,
  me,
  metrics,
  ready,
  'decide-batch': decideBatch,
  'get-explanation': getExplanation,
  'list-institutions': listInstitutions,
  'list-versions': listVersions,
  'get-version': getVersion,
  'create-version': createVersion,
  'update-version': updateVersion,
  validate,
  'test-version': testVersion,
  diff,
  'publish-version': publishVersion,
  'retire-version': retireVersion,
  'start-simulation': startSimulation,
  'upload-simulation': uploadSimulation,
  'get-simulation': getSimulation,
  'list-simulation-cases': listSimulationCases,
  'cancel-simulation': cancelSimulation,
  'list-simulations': listSimulations,
  'list-audit': listAudit,
  'list-decision-log': listDecisionLog,
  'create-key': createKey,
  'list-keys': listKeys,
  'revoke-key': revokeKey,
};

function handlerFor(r: Route): Handler {
  const question = r.id.slice('decide-'.length);
  return r.id.startsWith('decide-') && isQuestion(question) ? decideQuestion(question) : HANDLERS[r.id as HandledRouteId];
}

const YAML_TYPES = new Set(['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml']);

/** Reads and validates the body: JSON (or YAML text where the route takes it) against the route's schema. */
function bodyReader(r: Route, maxBytes: number): (c: Context<Env>) => Promise<unknown> {
  const spec = r.body!;
  // The batch is checked item by item in the handler: one bad item is one problem among the results.
  const schema = r.id === 'decide-batch' ? 'BatchEnvelope' : spec.schema;
  return async (c) => {
    const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    const text = await readBodyText(c, maxBytes);
    let data: unknown;
    if (text.trim() === '') {
      if (!spec.optional) throw invalidBody([{ pointer: '', message: `empty; send a JSON object${spec.yaml ? ' (or the YAML itself, as application/yaml)' : ''}` }]);
      data = {};
    } else if (spec.yaml && YAML_TYPES.has(type)) {
      data = { yaml: text };
    } else if (type === '' || type === 'application/json' || type.endsWith('+json')) {
      try {
        data = JSON.parse(text);
      } catch (e) {
        throw invalidBody([{ pointer: '', message: `not valid JSON (${(e as Error).message})` }]);
      }
      const batch = r.id === 'decide-batch';
      const unkept = unkeepable(data, text, batch);
      if (unkept.length) throw invalidBody(unkept);
      if (batch) c.set('unkept', unkeepableItems(data as { requests?: unknown }, text));
    } else {
      throw new ProblemError('unsupported-media-type', `send the body as application/json${spec.yaml ? ' or application/yaml' : ''}, not ${type}`);
    }
    return validateBody(schema, data);
  };
}

/** No parameter the API takes is longer (ids and labels are at most 100 characters). */
export const MAX_PARAMETER_LENGTH = 1000;

/**
 * A 400 naming each path or query parameter that holds a NUL (%00; percent-decoding makes no other
 * bad text: a broken UTF-8 sequence stays as it was sent) or is longer than any the API takes (it
 * would only be quoted back), before anything is looked up with it.
 */
function checkParameters(c: Context<Env>): void {
  const url = c.req.url;
  if (!url.includes('%00') && url.length <= MAX_PARAMETER_LENGTH) return;
  const errors: FieldError[] = [];
  const add = (name: string, value: string, what = '') => {
    const bad = badText(value) ?? (value.length > MAX_PARAMETER_LENGTH ? `is ${value.length} characters long; no parameter is longer than ${MAX_PARAMETER_LENGTH}` : undefined);
    // The name as JSON would escape it (a NUL as \u0000), and no longer than an id.
    if (bad) errors.push({ parameter: JSON.stringify(clipped(name, 100)).slice(1, -1), message: `${what}${bad}` });
  };
  for (const [name, value] of Object.entries(c.req.param() as Record<string, string>)) add(name, value);
  for (const [name, values] of Object.entries(c.req.queries())) {
    const before = errors.length;
    add(name, name, "the parameter's name ");
    if (errors.length === before) for (const v of values) add(name, v);
  }
  badParameters(errors);
}

/** Each kind of store error as the problem it is (the first that matches). */
const STORE_PROBLEMS: Array<[new (...args: never[]) => Error, (e: Error) => ProblemKind]> = [
  [StatusError, (e) => ((e as StatusError).needed === 'draft' ? 'not-a-draft' : 'conflict')],
  [ConflictError, () => 'precondition-failed'],
  [DuplicateError, () => 'conflict'],
  [RefusedError, () => 'conflict'],
  [ContentionError, () => 'conflict'],
  [NotFoundError, () => 'not-found'],
  [InvalidValueError, () => 'bad-request'],
];

/** The error as a problem response; `logUnavailable` says (throttled) that the database is away. */
function toProblem(err: unknown, log: (m: string) => void, logUnavailable: (m: string) => void): Response {
  if (err instanceof ProblemError) return problemResponse(err.problem, err.headers);
  const typed = storeError(err);
  for (const [type, kind] of STORE_PROBLEMS) {
    if (typed instanceof type) return problemResponse(problem(kind(typed), typed.message), typed instanceof ContentionError ? { 'retry-after': '1' } : {});
  }
  if (isUnavailable(err)) {
    const message = (err as Error).message;
    logUnavailable(`the database cannot be reached (${message}); answering 503 until it can`);
    // A write whose connection dropped may or may not have been stored: the client reads before it retries.
    return problemResponse(problem('database-unavailable', `the database cannot be reached (${message}); decisions under loaded policies are still answered — try this again shortly, and read what you changed before changing it again`), { 'retry-after': '5' });
  }
  if (err instanceof HTTPException) {
    const kind = (Object.entries(PROBLEMS).find(([, p]) => p.status === err.status)?.[0] ?? 'bad-request') as ProblemKind;
    return problemResponse(problem(kind, err.message || PROBLEMS[kind].title));
  }
  log(`internal error: ${(err as Error)?.stack ?? String(err)}`);
  return problemResponse(problem('internal', 'the request could not be completed; the error has been logged'));
}

export function createApp(deps: AppDeps): Hono<Env> {
  const log = deps.log ?? ((m: string) => console.error(m));
  const full: Deps = {
    store: deps.store,
    policies: deps.policies,
    config: deps.config,
    keys: deps.keys ?? new KeyCache(deps.store, { graceMs: deps.config.keyGraceMinutes * 60_000, log }),
    decisionLog: deps.decisionLog ?? new DecisionLog(deps.store, { enabled: deps.config.decisionLog, retentionDays: deps.config.decisionLogDays, log }),
    simulations: deps.simulations ?? new SimulationRunner(deps.store, log),
    metrics: new Metrics(),
    startedAt: Date.now(),
    log,
  };
  if (!deps.decisionLog) full.decisionLog.start();
  compileAll();
  // Publishes here or on another instance drop the institution from the cache (idempotent).
  deps.policies.attach().catch((e: Error) => log(`cannot follow policy changes: ${e.message}`));
  // A key revoked on another instance: forget the verified keys here too.
  deps.store.changes.subscribe((name) => name === KEYS_CHANNEL && full.keys.clear()).catch((e: Error) => log(`cannot follow key changes: ${e.message}`));

  const app = new Hono<Env>();
  // Each route is one handler (no middleware chain: Hono then skips compose), which checks in
  // turn: the declared body size (413), the key (401/403), the body (400/415); then answers. A
  // body sent without a length is stopped as soon as it passes the limit (api/body.ts).
  const maxBytes = deps.config.bodyLimitBytes;
  const from = deps.config.openDecisionsFrom;
  const peer = deps.peer ?? (() => undefined);
  const access: AccessOptions = { keys: full.keys, failures: new FailedKeyLimiter(deps.config.keyFailuresPerMinute), openDecisions: deps.config.openDecisions, ...(from ? { openFrom: { list: networks(from), said: from.join(', ') } } : {}) };
  for (const r of ROUTES) {
    const handler = handlerFor(r);
    const readBody = r.body ? bodyReader(r, maxBytes) : undefined;
    const permission = r.permission;
    app.on(r.method.toUpperCase(), honoPath(r.path), async (c) => {
      if (!r.stream && declaredTooLarge(c, maxBytes)) throw tooLarge(maxBytes);
      checkParameters(c);
      const who = authorize(permission, access, (name) => c.req.header(name), () => peer(c));
      c.set('principal', who instanceof Promise ? await who : who);
      if (readBody) c.set('body', await readBody(c));
      return handler(c, full);
    });
  }

  let spec: string | undefined;
  app.get('/api/openapi.json', (c) => c.body((spec ??= JSON.stringify(buildOpenApi({ openDecisions: deps.config.openDecisions }))), 200, { 'content-type': 'application/json; charset=utf-8' }));
  mountDocs(app);
  app.get('/api', (c) => c.json({ name: 'Regula API', docs: '/api/docs', openapi: '/api/openapi.json', health: '/api/v1/health' }));
  app.get('/api/problems/:kind', (c) => {
    const kind = c.req.param('kind') as ProblemKind;
    // Its own kinds only: __proto__ or constructor are Object's, not problems.
    if (!Object.hasOwn(PROBLEMS, kind)) throw new ProblemError('not-found', `no problem type "${kind}"`);
    const p = PROBLEMS[kind];
    return c.json({ type: problemType(kind), title: p.title, status: p.status });
  });

  // The admin console (admin/build) at / — everything not under /api that a browser GETs.
  app.get('*', async (c, next) => (await consoleResponse(c.req.method, c.req.path)) ?? next());

  app.notFound((c) => {
    const allowed = routesAt(c.req.path).map((r) => r.method.toUpperCase());
    if (allowed.length) return problemResponse(problem('method-not-allowed', `${c.req.method} is not allowed on ${c.req.path}; use ${allowed.join(' or ')}`), { allow: allowed.join(', ') });
    return problemResponse(problem('not-found', `nothing at ${c.req.method} ${c.req.path} — the routes are listed at /api/docs`));
  });
  const logUnavailable = throttled(log);
  app.onError((err) => toProblem(err, log, logUnavailable));
  return app;
}

/** The parts createApp made itself, for the server to close. */
export type { Deps };
