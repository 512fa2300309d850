// Questions to the engine: one, or a batch. Warm, a decision reads only memory: the compiled
// versions (PolicyCache) and the verified key (KeyCache); the log is written afterwards.
import { decide, explanation, explanationIn, FactsError, inLanguage, withTexts, type Decision } from '../../engine/decision/index.ts';
import { type CompiledPolicy, decidingVersion, NoVersion, versionOf } from '../../engine/version/index.ts';
import { quote, Undecidable } from '../../engine/errors/index.ts';
import type { Question } from '../../engine/policy/index.ts';
import { parseInstant } from '../../engine/time/index.ts';
import type { Lang } from '../../engine/words/index.ts';
import { actor, badParameters, body, type Ctx, type Deps } from '../context.ts';
import type { LoadedInstitution } from '../policies.ts';
import { preferredLanguage } from '../language.ts';
import { problem, ProblemError, type Problem } from '../problem.ts';
import { BATCH_ANSWER_BYTES } from '../../contract/api/index.ts';
import { invalidBody, validateBody } from '../validation.ts';

export interface DecisionInput {
  question: Question;
  institution: string;
  facts: Record<string, unknown>;
  at?: string;
  version?: string;
  trace?: boolean;
  entries?: boolean;
  /** Tried out, not asked for a patron: not logged. */
  what_if?: boolean;
}

/** A decision and the compiled version it was decided under. */
export interface Decided {
  decision: Decision;
  policy: CompiledPolicy;
}

const ALL_LANGUAGES = { 'content-type': 'application/json', vary: 'Accept-Language' };
const IN_LANGUAGE = { en: { ...ALL_LANGUAGES, 'content-language': 'en' }, pl: { ...ALL_LANGUAGES, 'content-language': 'pl' } };

/** How a decision is written: in the language asked for (Accept-Language), with the assumptions' texts or not (`?explain=full`). */
interface Form {
  lang: Lang | undefined;
  full: boolean;
  headers: Record<string, string>;
}

function form(c: Ctx): Form {
  const lang = preferredLanguage(c.req.header('accept-language'));
  // Parsing the query only when there is one: most decisions have none.
  const explain = c.req.url.includes('?') ? c.req.query('explain') : undefined;
  if (explain !== undefined && explain !== 'full' && explain !== 'ids') badParameters([{ parameter: 'explain', message: `must be full (the assumptions' texts in the decision) or ids (the default: their ids and the explanation's link), not ${quote(explain)}` }]);
  return { lang, full: explain === 'full', headers: lang ? IN_LANGUAGE[lang] : ALL_LANGUAGES };
}

const links = new WeakMap<CompiledPolicy, string>();

/** Where a version's explanation is read (the route `get-explanation`). */
export const explanationPath = (institution: string, version: string) => `/api/v1/institutions/${encodeURIComponent(institution)}/versions/${encodeURIComponent(version)}/explanation`;

export function explanationLink(p: CompiledPolicy): string {
  let link = links.get(p);
  if (link === undefined) links.set(p, (link = explanationPath(p.institution, p.version)));
  return link;
}

/** A decision as the API answers it: the engine's, with the link to its version's explanation (and the texts, when asked). */
function answer(d: Decision, p: CompiledPolicy, f: Form): string {
  const full = f.full ? withTexts(d, p.doc) : d;
  // JSON.stringify: a hand-written encoder splicing cached text bytes (api/decision-json.ts, until
  // issue 10) is no faster once the texts are out of the answer — 4–7 µs either way for the mean
  // 770-byte checkout, in a loop over bench:http's 48 bodies on this 2-vCPU VM.
  return JSON.stringify({ ...(f.lang ? inLanguage(full, f.lang) : full), explanation: explanationLink(p) });
}

/**
 * Decides one request under its institution's loaded versions (synchronous: warm, nothing is
 * awaited); a request that cannot be decided throws a ProblemError (pointers under `prefix`).
 * Either way it is counted (api/metrics.ts).
 */
export function decideIn(deps: Deps, loaded: LoadedInstitution | undefined, req: DecisionInput, prefix: string, askedBy: string): Decided {
  const t0 = performance.now();
  try {
    const decided = decideUncounted(deps, loaded, req, prefix, askedBy);
    deps.metrics.decisions.inc(decided.policy.institution, req.question, decided.decision.outcome);
    deps.metrics.seconds.observe(req.question, (performance.now() - t0) / 1000);
    return decided;
  } catch (e) {
    if (e instanceof ProblemError) deps.metrics.problems.inc(req.question, e.kind);
    throw e;
  }
}

function decideUncounted(deps: Deps, loaded: LoadedInstitution | undefined, req: DecisionInput, prefix: string, askedBy: string): Decided {
  if (!loaded) {
    throw new ProblemError('no-version', `no institution "${req.institution}"`, { errors: [{ pointer: `${prefix}/institution`, message: `unknown institution "${req.institution}"` }] });
  }
  const inst = loaded.institution;
  const at = req.at === undefined ? Date.now() : parseInstant(req.at);
  let policy: CompiledPolicy;
  try {
    policy = decidingVersion(inst, at, req.version);
  } catch (e) {
    if (!(e instanceof NoVersion)) throw e;
    const message = e.missing === 'at' ? 'no published version is in force at this instant' : `unknown version "${req.version}"`;
    throw new ProblemError('no-version', e.message, { errors: [{ pointer: `${prefix}/${e.missing}`, message }] });
  }
  let decision: Decision;
  try {
    decision = decide(policy, req.question, req.facts as never, at, { trace: Boolean(req.trace), entries: Boolean(req.entries) });
  } catch (e) {
    if (e instanceof FactsError) {
      // The same words, with pointers from the top of the request.
      const errors = e.problems.map((f) => ({ pointer: `${prefix}/facts${f.pointer}`, message: f.message }));
      throw new ProblemError('invalid-facts', new FactsError(errors).message, { errors });
    }
    if (e instanceof Undecidable) throw new ProblemError('unprocessable', `${prefix ? `${prefix}: ` : ''}${inst.id} ${policy.version} cannot decide this ${req.question}: ${e.message}`);
    throw e;
  }
  if (deps.decisionLog.enabled && !req.what_if) {
    deps.decisionLog.record({
      at: new Date().toISOString(),
      institution: inst.id,
      question: req.question,
      version: decision.policy.version,
      hash: decision.policy.hash,
      facts: req.facts,
      decidedFor: decision.at,
      decision,
      askedBy,
    });
  }
  return { decision, policy };
}

export function decideQuestion(question: Question) {
  return async (c: Ctx, deps: Deps): Promise<Response> => {
    const req = body<Omit<DecisionInput, 'question'>>(c);
    const loaded = deps.policies.peek(req.institution) ?? (await deps.policies.get(req.institution));
    const f = form(c);
    const { decision, policy } = decideIn(deps, loaded, { ...req, question }, '', actor(c));
    return c.body(answer(decision, policy, f), 200, f.headers);
  };
}

/** A batch decides this long at most before it lets other requests in (health, single decisions). */
const SLICE_MS = 20;

export async function decideBatch(c: Ctx, deps: Deps): Promise<Response> {
  const { requests } = body<{ requests: unknown[] }>(c);
  const f = form(c);
  // Each result is written as soon as it is decided: the batch holds its JSON, not decisions.
  const parts: Buffer[] = [];
  let bytes = 0;
  let slice = performance.now();
  for (let i = 0; i < requests.length; i++) {
    if (performance.now() - slice > SLICE_MS) {
      await new Promise((r) => setImmediate(r));
      slice = performance.now();
    }
    const prefix = `/requests/${i}`;
    let result: Decided | { problem: Problem };
    if (bytes >= BATCH_ANSWER_BYTES) {
      result = { problem: problem('answer-too-large', `${prefix}: not decided — the answers before it reached the batch's bound of ${BATCH_ANSWER_BYTES / 1024 / 1024} MB; send this request and the ones after it again in another batch`) };
    } else {
      try {
        const unkept = c.get('unkept')?.get(i);
        if (unkept) throw invalidBody(unkept);
        const req = validateBody<DecisionInput>('BatchItem', requests[i], prefix);
        const loaded = deps.policies.peek(req.institution) ?? (await deps.policies.get(req.institution));
        result = decideIn(deps, loaded, req, prefix, actor(c));
      } catch (e) {
        if (e instanceof ProblemError) result = { problem: e.problem };
        else {
          deps.log(`batch ${prefix}: ${(e as Error).stack ?? String(e)}`);
          result = { problem: problem('internal', `${prefix}: the engine could not decide this request`) };
        }
      }
    }
    // As UTF-8: half the memory of a string holding Polish text, for a batch that may reach its bound.
    const part = Buffer.from('decision' in result ? answer(result.decision, result.policy, f) : JSON.stringify(result.problem));
    parts.push(part);
    bytes += part.length;
    // The decisions logged wait in memory until written: not more than a few MB of them.
    const backlog = deps.decisionLog.backlog();
    if (backlog) await backlog;
  }
  return c.body(results(parts), 200, f.headers);
}

const OPEN = Buffer.from('{"results":[');
const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']}');

/** `{"results":[…]}` of results written one by one. */
function results(parts: readonly Buffer[]): Buffer<ArrayBuffer> {
  return Buffer.concat([OPEN, ...parts.flatMap((p, i) => (i > 0 ? [COMMA, p] : [p])), CLOSE]) as Buffer<ArrayBuffer>;
}

const explained = new WeakMap<CompiledPolicy, Map<Lang | undefined, string>>();

/** The explanation's JSON in the language asked for, written once per version and language. */
function explanationJson(p: CompiledPolicy, lang: Lang | undefined): string {
  let byLang = explained.get(p);
  if (!byLang) explained.set(p, (byLang = new Map()));
  let json = byLang.get(lang);
  if (json === undefined) {
    const e = explanation(p);
    byLang.set(lang, (json = JSON.stringify(lang ? explanationIn(e, lang) : e)));
  }
  return json;
}

/**
 * GET a version's explanation: the texts its decisions name by id. Cacheable: the ETag is the
 * version's content hash (and the language), so a client asks again with If-None-Match and is
 * answered 304 until the version changes.
 */
export async function getExplanation(c: Ctx, deps: Deps): Promise<Response> {
  const id = c.req.param('id')!;
  const label = c.req.param('label')!;
  const loaded = deps.policies.peek(id) ?? (await deps.policies.get(id));
  if (!loaded) throw new ProblemError('not-found', `no institution "${id}"`);
  const p = versionOf(loaded.institution, label);
  if (!p) throw new ProblemError('not-found', `${id} has no version "${label}"`);
  const { lang, headers } = form(c);
  const tag = `"${p.hash}${lang ? `;${lang}` : ''}"`;
  const cache = { ...headers, etag: tag, 'cache-control': 'private, no-cache' };
  const noneMatch = c.req.header('if-none-match');
  if (noneMatch && noneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === tag)) return c.body(null, 304, cache);
  return c.body(explanationJson(p, lang), 200, cache);
}
