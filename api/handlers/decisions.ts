// Questions to the engine: one, or a batch. Warm, a decision reads only memory: the compiled
// versions (PolicyCache) and the verified key (KeyCache); the log is written afterwards.
import { decide, FactsError, type Decision } from '../../engine/decision/index.ts';
import { type CompiledPolicy, inForce, versionOf } from '../../engine/version/index.ts';
import { Undecidable } from '../../engine/errors/index.ts';
import type { Question } from '../../engine/policy/index.ts';
import { parseInstant } from '../../engine/time/index.ts';
import { actor, body, type Ctx, type Deps } from '../context.ts';
import type { LoadedInstitution } from '../policies.ts';
import { encodeDecision, encodeResult, encodeResults } from '../decision-json.ts';
import { preferredLanguage } from '../language.ts';
import { problem, ProblemError, type Problem } from '../problem.ts';
import { BATCH_ANSWER_BYTES } from '../schemas/index.ts';
import { invalidBody, validateBody } from '../validation.ts';

export interface DecisionInput {
  question: Question;
  institution: string;
  facts: Record<string, unknown>;
  at?: string;
  version?: string;
  trace?: boolean;
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

/** The language the request asks for (Accept-Language), and the response headers that say so. */
function language(c: Ctx) {
  const lang = preferredLanguage(c.req.header('accept-language'));
  return { lang, headers: lang ? IN_LANGUAGE[lang] : ALL_LANGUAGES };
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
  const policy = req.version === undefined ? inForce(inst, at) : versionOf(inst, req.version);
  if (!policy) {
    const versions = inst.versions.map((v) => `${v.version} (${v.doc.status}, from ${v.doc.effective_from})`).join(', ');
    throw req.version === undefined
      ? new ProblemError('no-version', `no published version of ${inst.id} is in force at ${req.at ?? 'this instant'} — versions: ${versions}`, { errors: [{ pointer: `${prefix}/at`, message: 'no published version is in force at this instant' }] })
      : new ProblemError('no-version', `${inst.id} has no version "${req.version}" — versions: ${versions}`, { errors: [{ pointer: `${prefix}/version`, message: `unknown version "${req.version}"` }] });
  }
  let decision: Decision;
  try {
    decision = decide(policy, req.question, req.facts as never, at, { trace: Boolean(req.trace) });
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
    const { decision, policy } = decideIn(deps, loaded, { ...req, question }, '', actor(c));
    const { lang, headers } = language(c);
    return c.body(encodeDecision(decision, policy, lang), 200, headers);
  };
}

/** A batch decides this long at most before it lets other requests in (health, single decisions). */
const SLICE_MS = 20;

export async function decideBatch(c: Ctx, deps: Deps): Promise<Response> {
  const { requests } = body<{ requests: unknown[] }>(c);
  const { lang, headers } = language(c);
  // Each result is encoded as soon as it is decided: the batch holds bytes, not decisions.
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
    const part = encodeResult(result, lang);
    parts.push(part);
    bytes += part.length;
    // The decisions logged wait in memory until written: not more than a few MB of them.
    const backlog = deps.decisionLog.backlog();
    if (backlog) await backlog;
  }
  return c.body(encodeResults(parts), 200, headers);
}
