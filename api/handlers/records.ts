// The audit trail, the decision log, API keys, and the service's own health.
import { actor, badParameters, body, type Ctx, type Deps } from '../context.ts';
import { ProblemError, type FieldError } from '../problem.ts';
import { API_VERSION } from '../openapi.ts';
import { paged, range } from '../paging.ts';
import { explanationPath } from './decisions.ts';
import { KEYS_CHANNEL, type ApiKeyRow, type Role } from '../store/types.ts';

export async function listAudit(c: Ctx, deps: Deps): Promise<Response> {
  const filter = range(c);
  const actor = c.req.query('actor') || undefined;
  const { items: events, next } = await paged(c, filter, (limit) => deps.store.audit.list({ ...filter, ...(actor ? { actor } : {}), limit }));
  return c.json({
    next,
    events: events.map((e) => ({ id: e.id, at: e.at, actor: e.actor, action: e.action, institution: e.institution, version: e.version, hash_before: e.hashBefore, hash_after: e.hashAfter, detail: e.detail })),
  });
}

export async function listDecisionLog(c: Ctx, deps: Deps): Promise<Response> {
  const filter = range(c);
  const errors: FieldError[] = [];
  const outcome = c.req.query('outcome') || undefined;
  const code = c.req.query('code') || undefined;
  if (outcome !== undefined && !['allow', 'refuse', 'info'].includes(outcome)) errors.push({ parameter: 'outcome', message: 'must be allow, refuse or info' });
  if (code !== undefined && !/^[A-Z][A-Z0-9_]{0,99}$/.test(code)) errors.push({ parameter: 'code', message: 'must be a reason code, e.g. LIMIT_REACHED' });
  badParameters(errors);
  // What this instance has answered is visible at once: the buffer goes to the store first.
  await deps.decisionLog.flush();
  const { items: rows, next } = await paged(c, filter, (limit) => deps.store.decisions.list({ ...filter, ...(outcome ? { outcome } : {}), ...(code ? { code } : {}), limit }));
  return c.json({
    enabled: deps.decisionLog.enabled,
    next,
    entries: rows.map((r) => ({ id: r.id, at: r.at, institution: r.institution, question: r.question, version: r.version, hash: r.hash, decided_for: r.decidedFor, asked_by: r.askedBy, facts: r.facts, decision: r.decision && { ...(r.decision as object), explanation: explanationPath(r.institution, r.version) } })),
  });
}

function keyView(k: ApiKeyRow) {
  return { id: k.id, name: k.name, role: k.role, created_at: k.createdAt, revoked_at: k.revokedAt };
}

export async function createKey(c: Ctx, deps: Deps): Promise<Response> {
  const { name, role } = body<{ name: string; role: Role }>(c);
  const { key, row } = await deps.store.keys.create(name.trim(), role, { actor: actor(c) });
  return c.json({ ...keyView(row), key }, 201);
}

export async function listKeys(c: Ctx, deps: Deps): Promise<Response> {
  return c.json({ keys: (await deps.store.keys.list()).map(keyView) });
}

export async function revokeKey(c: Ctx, deps: Deps): Promise<Response> {
  const keyId = c.req.param('keyId') as string;
  // An unknown key is a 404, the last admin key a 409 (the store decides, also for two revocations at once).
  if (await deps.store.keys.revoke(keyId, { actor: actor(c) })) {
    deps.keys.clear();
    await deps.store.changes.notify(KEYS_CHANNEL).catch((e: Error) => deps.log(`could not notify other instances about a revoked key: ${e.message}`));
  }
  return c.body(null, 204);
}

/** The caller's key: its id (as the keys list and the audit trail name it), name and role (open decisions without a key answer 401 here). */
export function me(c: Ctx): Response {
  const who = c.get('principal');
  if (!who.role) throw new ProblemError('unauthorized', 'send your API key to learn its role');
  return c.json({ id: who.keyId, name: who.name, role: who.role });
}

export function health(c: Ctx, deps: Deps): Response {
  return c.json({ status: 'ok', version: API_VERSION, uptime_seconds: Math.round((Date.now() - deps.startedAt) / 1000) });
}

export async function metrics(c: Ctx, deps: Deps): Promise<Response> {
  const databaseUp = await deps.store.keys.count().then(
    () => true,
    () => false,
  );
  const text = deps.metrics.render({
    databaseUp,
    decisionLogWaiting: deps.decisionLog.waiting,
    decisionLogDropped: deps.decisionLog.dropped,
    policyVersionsLoaded: deps.policies.versionsLoaded,
    simulationsRunning: deps.simulations.active,
  });
  return c.body(text, 200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
}

export async function ready(c: Ctx, deps: Deps): Promise<Response> {
  try {
    await deps.store.keys.count();
  } catch (e) {
    throw new ProblemError('not-ready', `the database cannot be reached: ${(e as Error).message}`);
  }
  return c.json({ status: 'ready', version: API_VERSION, uptime_seconds: Math.round((Date.now() - deps.startedAt) / 1000) });
}
