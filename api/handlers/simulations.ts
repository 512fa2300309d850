// Simulations: a baseline and a candidate version over many cases, run in the background.
import type { SimulationCase, SimulationResult } from '../../engine/simulation/index.ts';
import { actor, badParameters, body, queryInt, type Ctx, type Deps } from '../context.ts';
import { paged, range } from '../paging.ts';
import { checkVersion, fieldErrors } from '../policy-text.ts';
import { ProblemError, type FieldError } from '../problem.ts';
import { MAX_SIMULATION_CASES } from '../../contract/api/index.ts';
import { LISTED, type SimulationJob } from '../simulation-worker.ts';
import { NotFoundError } from '../store/errors.ts';
import type { SimulationRow } from '../store/types.ts';
import { invalidBody } from '../validation.ts';

interface SimulationRequest {
  baseline: string;
  candidate?: string;
  candidate_yaml?: string;
  cases?: SimulationCase[];
  generate?: { n: number; seed?: number };
  from_log?: { from?: string; to?: string };
}

export async function startSimulation(c: Ctx, deps: Deps): Promise<Response> {
  const id = c.req.param('id') as string;
  const req = body<SimulationRequest>(c);
  const errors: FieldError[] = [];
  if ((req.candidate === undefined) === (req.candidate_yaml === undefined)) {
    errors.push({ pointer: req.candidate === undefined ? '' : '/candidate_yaml', message: 'give either candidate (a stored version label) or candidate_yaml (an unsaved version), not both or neither' });
  }
  const sources = (['cases', 'generate', 'from_log'] as const).filter((k) => req[k] !== undefined);
  if (sources.length > 1) errors.push({ pointer: `/${sources[1]}`, message: `give one of cases, generate or from_log (got ${sources.join(' and ')})` });
  if (errors.length) throw invalidBody(errors);

  const loaded = await deps.policies.get(id);
  if (!loaded) throw new ProblemError('not-found', `no institution "${id}"`);
  const unknown = (pointer: string, label: string) =>
    new ProblemError('unprocessable', `${id} has no version "${label}"`, { errors: [{ pointer, message: `unknown version "${label}" — versions: ${[...loaded.rows.keys()].join(', ')}` }] });
  const baseline = loaded.rows.get(req.baseline);
  if (!baseline) throw unknown('/baseline', req.baseline);

  let candidateDoc;
  let candidateName: string;
  if (req.candidate !== undefined) {
    const row = loaded.rows.get(req.candidate);
    if (!row) throw unknown('/candidate', req.candidate);
    candidateDoc = row.consolidated;
    candidateName = row.label;
  } else {
    const checked = checkVersion(id, req.candidate_yaml as string, [...loaded.rows.values()]);
    if (!checked.ok) {
      const errs = fieldErrors(checked.errors);
      throw new ProblemError('invalid-policy', `candidate_yaml has ${errs.length} error${errs.length === 1 ? '' : 's'}; the first, at line ${errs[0]?.line}, column ${errs[0]?.column}: ${errs[0]?.message}`, { errors: errs });
    }
    candidateDoc = checked.value.consolidated;
    candidateName = `yaml:${checked.value.hash}`;
  }

  const job: SimulationJob = { baseline: baseline.consolidated, candidate: candidateDoc };
  let total: number;
  if (req.cases) {
    job.cases = req.cases;
    total = req.cases.length;
  } else if (req.from_log) {
    // What this instance has just answered counts too: its buffer goes to the store first.
    await deps.decisionLog.flush();
    const rows = await deps.store.decisions.list({ institution: id, ...req.from_log, limit: MAX_SIMULATION_CASES });
    if (!rows.length) throw new ProblemError('unprocessable', `the decision log has no ${id} decisions${req.from_log.from ? ` from ${req.from_log.from}` : ''}${req.from_log.to ? ` to ${req.from_log.to}` : ''}`, { errors: [{ pointer: '/from_log', message: 'no logged decisions in this range' }] });
    job.cases = rows.map((r) => ({ id: r.id, question: r.question as SimulationCase['question'], at: r.decidedFor, facts: r.facts as object }));
    total = rows.length;
  } else {
    job.generate = { n: req.generate?.n ?? 1000, seed: req.generate?.seed ?? 1 };
    total = job.generate.n;
  }

  const sim = await deps.store.simulations.create(
    { institution: id, baseline: baseline.label, candidate: candidateName, total, actor: actor(c), owner: deps.simulations.instance },
    {
      institution: id,
      version: candidateName,
      hashBefore: baseline.hash,
      hashAfter: req.candidate !== undefined ? (loaded.rows.get(req.candidate)?.hash ?? null) : candidateName.slice(5),
      detail: { baseline: baseline.label, cases: total, source: sources[0] ?? 'generate' },
    },
  );
  deps.simulations.start(sim.id, job);
  return c.json({ id: sim.id, status: sim.status, total }, 202, { location: `/api/v1/simulations/${encodeURIComponent(sim.id)}` });
}

export function simulationView(s: SimulationRow, limit = LISTED) {
  let result: unknown = s.result;
  if (s.result && typeof s.result === 'object') {
    const r = s.result as SimulationResult;
    // Runs stored before results were bounded list every case; `differing`/`undecided` count them.
    result = { ...r, differences: r.differences.slice(0, limit), differences_total: r.differing, errors: r.errors.slice(0, limit), errors_total: r.undecided ?? r.errors.length };
  }
  return {
    id: s.id,
    institution: s.institution,
    baseline: s.baseline,
    candidate: s.candidate,
    status: s.status,
    done: s.done,
    total: s.total,
    actor: s.actor,
    created_at: s.createdAt,
    finished_at: s.finishedAt,
    error: s.error,
    result,
  };
}

export async function listSimulations(c: Ctx, deps: Deps): Promise<Response> {
  const id = c.req.param('id') as string;
  const filter = range(c);
  const { items, next } = await paged(c, filter, (limit) => deps.store.simulations.list({ ...filter, institution: id, limit }));
  // Without results (the store leaves them behind): each is read whole from its own URL.
  const simulations = items.map((s) => {
    const { result: _, ...summary } = simulationView(s);
    return summary;
  });
  return c.json({ simulations, next });
}

export async function cancelSimulation(c: Ctx, deps: Deps): Promise<Response> {
  const sid = c.req.param('sid') as string;
  const out = await deps.store.simulations.cancel(sid, { actor: actor(c) }).catch((e: unknown) => {
    throw e instanceof NotFoundError ? new ProblemError('not-found', `no simulation "${sid}"`) : e;
  });
  if (!out.cancelled) throw new ProblemError('conflict', `the simulation has ${out.row.status === 'cancelled' ? 'been cancelled already' : `finished (${out.row.status})`}: there is nothing to cancel`);
  // Here, the worker stops now; on another instance, at its next progress report.
  await deps.simulations.stop(sid);
  return c.json(simulationView(out.row));
}

export async function getSimulation(c: Ctx, deps: Deps): Promise<Response> {
  const errors: FieldError[] = [];
  const limit = queryInt(c, 'limit', 0, 1_000_000, errors);
  badParameters(errors);
  const sid = c.req.param('sid') as string;
  // A run left by an instance that stopped reads as failed (api/simulations.ts).
  const s = await deps.simulations.get(sid).catch(() => null);
  if (!s) throw new ProblemError('not-found', `no simulation "${sid}"`);
  return c.json(simulationView(s, limit ?? 1000));
}
