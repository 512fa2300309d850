// Simulations: a baseline and a candidate version over many cases, run in the background in
// chunks (api/simulations.ts); the differing and undecided cases are read back a page at a time.
import { difference, LOANS_PER_SEED, type CaseSummary, type SimulationCase, type SimulationResult } from '../../engine/simulation/index.ts';
import type { Question } from '../../engine/policy/index.ts';
import { unkeepable } from '../body.ts';
import { preferredLanguage } from '../language.ts';
import type { Lang } from '../../engine/words/index.ts';
import { actor, badParameters, body, queryInt, type Ctx, type Deps } from '../context.ts';
import { paged, range } from '../paging.ts';
import { checkVersion, fieldErrors } from '../policy-text.ts';
import { ProblemError, type FieldError } from '../problem.ts';
import { MAX_GENERATED_CASES, MAX_LOGGED_CASES } from '../../contract/api/index.ts';
import type { SimulationSpec } from '../simulation-worker.ts';
import { NotFoundError } from '../store/errors.ts';
import type { SimulationCaseRow, SimulationRow } from '../store/types.ts';
import { invalidBody, validateBody } from '../validation.ts';

/** The differing and undecided cases a run's answer lists by default. */
export const LISTED = 1000;
/** Cases per chunk: a generated chunk is one seed's block of the engine's stream. */
const CHUNK = LOANS_PER_SEED;

interface SimulationRequest {
  baseline: string;
  candidate?: string;
  candidate_yaml?: string;
  cases?: SimulationCase[];
  generate?: { n: number; seed?: number };
  from_log?: { from?: string; to?: string };
}

/** The two versions of a run, as a request names them (stored labels, or unsaved YAML). */
type RunHeader = Pick<SimulationRequest, 'baseline' | 'candidate' | 'candidate_yaml'>;

/** How to make a run once its size is known; `generate` when its cases are generated, else they are added as inputs. */
interface Prepared {
  create(total: number, generate?: SimulationSpec['generate']): Promise<SimulationRow>;
}

function eitherCandidate(req: RunHeader, errors: FieldError[], prefix = ''): void {
  if ((req.candidate === undefined) === (req.candidate_yaml === undefined)) {
    errors.push({ pointer: `${prefix}${req.candidate === undefined ? '' : '/candidate_yaml'}`, message: 'give either candidate (a stored version label) or candidate_yaml (an unsaved version), not both or neither' });
  }
}

/** Finds the run's two versions (422 naming what is unknown or invalid) and readies its making. */
async function prepareRun(c: Ctx, deps: Deps, id: string, req: RunHeader, source: string): Promise<Prepared> {
  const loaded = await deps.policies.get(id);
  if (!loaded) throw new ProblemError('not-found', `no institution "${id}"`);
  const unknown = (pointer: string, label: string) =>
    new ProblemError('unprocessable', `${id} has no version "${label}"`, { errors: [{ pointer, message: `unknown version "${label}" — versions: ${[...loaded.rows.keys()].join(', ')}` }] });
  const baseline = loaded.rows.get(req.baseline);
  if (!baseline) throw unknown('/baseline', req.baseline);

  let candidateDoc;
  let candidateName: string;
  let candidateHash: string | null;
  if (req.candidate !== undefined) {
    const row = loaded.rows.get(req.candidate);
    if (!row) throw unknown('/candidate', req.candidate);
    candidateDoc = row.consolidated;
    candidateName = row.label;
    candidateHash = row.hash;
  } else {
    const checked = checkVersion(id, req.candidate_yaml as string, [...loaded.rows.values()]);
    if (!checked.ok) {
      const errs = fieldErrors(checked.errors);
      throw new ProblemError('invalid-policy', `candidate_yaml has ${errs.length} error${errs.length === 1 ? '' : 's'}; the first, at line ${errs[0]?.line}, column ${errs[0]?.column}: ${errs[0]?.message}`, { errors: errs });
    }
    candidateDoc = checked.value.consolidated;
    candidateName = `yaml:${checked.value.hash}`;
    candidateHash = checked.value.hash;
  }
  const spec: SimulationSpec = { baseline: baseline.consolidated, candidate: candidateDoc, total: 0, chunkSize: CHUNK };
  const audit = { institution: id, version: candidateName, hashBefore: baseline.hash, hashAfter: candidateHash };
  return {
    create: (total, generate) =>
      deps.store.simulations.create(
        { institution: id, baseline: baseline.label, candidate: candidateName, total, chunks: Math.ceil(total / CHUNK), actor: actor(c), owner: deps.simulations.instance, spec: { ...spec, total, ...(generate ? { generate } : {}) } },
        // An upload's size is not known when its run is made: its event names no count.
        { ...audit, detail: { baseline: baseline.label, source, ...(total ? { cases: total } : {}) } },
      ),
  };
}

function accepted(c: Ctx, sim: SimulationRow): Response {
  return c.json({ id: sim.id, status: sim.status, total: sim.total }, 202, { location: `/api/v1/simulations/${encodeURIComponent(sim.id)}` });
}

export async function startSimulation(c: Ctx, deps: Deps): Promise<Response> {
  const id = c.req.param('id') as string;
  const req = body<SimulationRequest>(c);
  const errors: FieldError[] = [];
  eitherCandidate(req, errors);
  const sources = (['cases', 'generate', 'from_log'] as const).filter((k) => req[k] !== undefined);
  if (sources.length > 1) errors.push({ pointer: `/${sources[1]}`, message: `give one of cases, generate or from_log (got ${sources.join(' and ')})` });
  if (errors.length) throw invalidBody(errors);

  const { create } = await prepareRun(c, deps, id, req, sources[0] ?? 'generate');
  let sim: SimulationRow;
  if (req.from_log) {
    // What this instance has just answered counts too: its buffer goes to the store first.
    await deps.decisionLog.flush();
    const filter = { institution: id, ...req.from_log };
    const counted = Math.min(await deps.store.decisions.count(filter), MAX_LOGGED_CASES);
    if (!counted) throw new ProblemError('unprocessable', `the decision log has no ${id} decisions${req.from_log.from ? ` from ${req.from_log.from}` : ''}${req.from_log.to ? ` to ${req.from_log.to}` : ''}`, { errors: [{ pointer: '/from_log', message: 'no logged decisions in this range' }] });
    // Millions of rows take a while to copy: the run is answered first and filled in the background.
    sim = await create(counted);
    const run = sim;
    deps.simulations.fill(sim.id, () => copyLog(deps, run, filter, counted));
    return accepted(c, sim);
  } else if (req.cases) {
    sim = await create(req.cases.length);
    for (let k = 0; k * CHUNK < req.cases.length; k++) await deps.store.simulations.addInput(sim.id, k, req.cases.slice(k * CHUNK, (k + 1) * CHUNK));
  } else {
    sim = await create(req.generate?.n ?? 1000, { seed: req.generate?.seed ?? 1 });
  }
  await deps.simulations.enqueue(sim.id, sim.chunks);
  return accepted(c, sim);
}

/** A line of an upload longer than this is refused (a case's facts are a few hundred bytes). */
export const MAX_UPLOAD_LINE = 64 * 1024;
const NDJSON_TYPES: ReadonlySet<string> = new Set(['application/x-ndjson', 'application/ndjson', 'application/jsonl', 'application/json-seq']);

/** The lines of a streamed body, one at a time, numbered from 1 (blank lines skipped); a line past `max` bytes is an error at its number. */
async function* lines(body: ReadableStream<Uint8Array>, max: number): AsyncGenerator<{ n: number; text: string }> {
  const decoder = new TextDecoder();
  let rest = '';
  let n = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    rest += decoder.decode(value, { stream: true });
    let nl: number;
    while ((nl = rest.indexOf('\n')) >= 0) {
      const text = rest.slice(0, nl);
      rest = rest.slice(nl + 1);
      n++;
      if (text.trim()) yield { n, text };
    }
    if (rest.length > max) throw lineError(n + 1, '', `is longer than ${max / 1024} KB`);
  }
  rest += decoder.decode();
  if (rest.trim()) yield { n: n + 1, text: rest };
}

/** A 400 for line `line` of an upload: its errors (pointers within the line), the first in the detail. */
function lineProblem(line: number, errors: FieldError[]): ProblemError {
  const first = errors[0]!;
  const said = `${first.pointer || 'the line'}: ${first.message}`;
  return new ProblemError('invalid-body', `line ${line}: ${errors.length === 1 ? said : `${errors.length} fields are not valid; the first, ${said}`}`, { errors: errors.map((f) => ({ ...f, line, column: 1 })) });
}

function lineError(line: number, pointer: string, message: string): ProblemError {
  return lineProblem(line, [{ pointer, message }]);
}

/** Line `n` as JSON fitting contract schema `schema`; a 400 naming the line (and the pointer in it) when not. */
function lineOf<T>(n: number, text: string, schema: string): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw lineError(n, '', `not valid JSON (${(e as Error).message})`);
  }
  const unkept = unkeepable(value, text);
  if (unkept.length) throw lineProblem(n, unkept);
  try {
    return validateBody<T>(schema, value);
  } catch (e) {
    if (!(e instanceof ProblemError)) throw e;
    throw lineProblem(n, (e.problem.errors as FieldError[] | undefined) ?? [{ pointer: '', message: e.message }]);
  }
}

/**
 * An impact run over uploaded cases, streamed as NDJSON: the first line names the two versions
 * (as the JSON body does), each further line is a case. Cases are checked and stored a chunk at a
 * time as they arrive — never held whole — up to MAX_GENERATED_CASES; a bad line refuses the whole
 * upload (400 with its line and the pointer in it) and the run made for it is kept as failed.
 */
export async function uploadSimulation(c: Ctx, deps: Deps): Promise<Response> {
  const id = c.req.param('id') as string;
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (!NDJSON_TYPES.has(type)) throw new ProblemError('unsupported-media-type', `send the cases as application/x-ndjson (one JSON object a line), not ${type || 'no type'}`);
  const stream = c.req.raw.body;
  const it = stream ? lines(stream, MAX_UPLOAD_LINE) : undefined;
  const first = await it?.next();
  if (!it || !first || first.done) throw lineError(1, '', 'empty; the first line names the versions ({"baseline": …, "candidate": …}), each further line is a case');
  const header = lineOf<RunHeader>(first.value.n, first.value.text, 'SimulationUpload');
  const errors: FieldError[] = [];
  eitherCandidate(header, errors);
  if (errors.length) throw lineProblem(first.value.n, errors);
  const { create } = await prepareRun(c, deps, id, header, 'upload');
  const runs = deps.store.simulations;
  let sim = await create(0);
  let total = 0;
  let page: SimulationCase[] = [];
  const flush = async () => {
    await runs.addInput(sim.id, Math.ceil(total / CHUNK) - 1, page);
    await runs.heartbeat([sim.id]); // a long upload is a sign of life
    page = [];
  };
  try {
    for await (const { n, text } of it) {
      if (total >= MAX_GENERATED_CASES) throw lineError(n, '', `one upload holds at most ${MAX_GENERATED_CASES.toLocaleString('en')} cases`);
      page.push(lineOf<SimulationCase>(n, text, 'SimulationCase'));
      total++;
      if (page.length === CHUNK) await flush();
    }
    if (page.length) await flush();
  } catch (e) {
    await runs.update(sim.id, { status: 'failed', error: `the upload was refused: ${(e as Error).message}`, finishedAt: new Date().toISOString() }).catch(() => {});
    throw e;
  }
  if (!total) {
    await runs.resize(sim.id, 0, 0);
    throw lineError(first.value.n + 1, '', 'no cases after the first line');
  }
  sim = await runs.resize(sim.id, total, Math.ceil(total / CHUNK));
  await deps.simulations.enqueue(sim.id, sim.chunks);
  return accepted(c, sim);
}

/**
 * The decision log's rows of `filter.institution` in the range, newest first (`counted` of them at
 * most), copied into run `run`'s chunks a page at a time; resolves to how many chunks it made.
 * Run in the background once the run is answered (SimulationRunner.fill).
 */
async function copyLog(deps: Deps, run: SimulationRow, filter: { institution: string; from?: string; to?: string }, counted: number): Promise<number> {
  let copied = 0;
  let before: string | undefined;
  for (let k = 0; copied < counted; k++) {
    const rows = await deps.store.decisions.list({ ...filter, ...(before ? { before } : {}), limit: Math.min(CHUNK, counted - copied) });
    if (!rows.length) break;
    await deps.store.simulations.addInput(run.id, k, rows.map((r) => ({ id: r.id, question: r.question, at: r.decidedFor, facts: r.facts })));
    await deps.store.simulations.heartbeat([run.id]); // a long copy is a sign of life
    copied += rows.length;
    before = rows[rows.length - 1]!.id;
  }
  // Purged meanwhile (older than the log's retention): the run is what was still there.
  if (copied !== counted) await deps.store.simulations.resize(run.id, copied, Math.ceil(copied / CHUNK));
  return Math.ceil(copied / CHUNK);
}

/** A stored differing case as the answer lists it (the changes in words made as it is read). */
function differenceOf(r: SimulationCaseRow) {
  return { ...difference(r.id, r.question as Question, r.baseline as CaseSummary, r.candidate as CaseSummary), at: r.at, facts: r.facts as object };
}

/** A run as the API shows it; `listed` are its first differing and undecided cases, read by caller when done. */
export function simulationView(s: SimulationRow, listed?: { differences: SimulationCaseRow[]; errors: SimulationCaseRow[] }, limit = LISTED) {
  let result: unknown = s.result;
  if (s.result && typeof s.result === 'object') {
    const r = s.result as SimulationResult;
    // Runs from before chunks kept their listed cases in the result; runs in chunks keep them as rows.
    const differences = r.differences ? r.differences.slice(0, limit) : (listed?.differences ?? []).map(differenceOf);
    const errors = r.errors ? r.errors.slice(0, limit) : (listed?.errors ?? []).map((e) => ({ id: e.id, message: e.message ?? '' }));
    result = { ...r, differences, differences_total: r.differing, errors, errors_total: r.undecided ?? r.errors?.length ?? 0 };
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
  const n = limit ?? LISTED;
  const listed = s.status === 'done' && n > 0 ? { differences: await deps.store.simulations.cases(sid, 'difference', { limit: n }), errors: await deps.store.simulations.cases(sid, 'error', { limit: n }) } : undefined;
  return c.json(simulationView(s, listed, n));
}

/** CSV columns of a differing case: who and what, then what each version decided. */
const CSV_COLUMNS = ['place', 'id', 'question', 'at', 'category', 'loan_type', 'item_status', 'baseline_outcome', 'candidate_outcome', 'baseline_codes', 'candidate_codes', 'baseline_due', 'candidate_due', 'baseline_fee', 'candidate_fee', 'changes'] as const;

function csvField(v: unknown): string {
  const text = v === undefined || v === null ? '' : String(v);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function csvLine(r: SimulationCaseRow, lang: Lang): string {
  const facts = (r.facts ?? {}) as { patron?: { category?: string }; loan_type?: string; loan?: { loan_type?: string }; item?: { status?: string } };
  const a = r.baseline as CaseSummary;
  const b = r.candidate as CaseSummary;
  const d = differenceOf(r);
  const values = [r.seq + 1, r.id, r.question, r.at, facts.patron?.category, facts.loan_type ?? facts.loan?.loan_type, facts.item?.status, a.outcome, b.outcome, a.codes.join(' '), b.codes.join(' '), a.due, b.due, a.fee, b.fee, d.changes.map((t) => t[lang]).join('; ')];
  return `${values.map(csvField).join(',')}\r\n`;
}

/** Pages of cases read for a download: each a query, never the whole set at once. */
const DOWNLOAD_PAGE = 5000;

/**
 * A done run's differing (or undecided: kind=error) cases in their order in the run, a page at a
 * time (`after`: the place of the last one seen) — or all of them as CSV (Accept: text/csv), streamed page by page.
 */
export async function listSimulationCases(c: Ctx, deps: Deps): Promise<Response> {
  const errors: FieldError[] = [];
  const limit = queryInt(c, 'limit', 1, 10_000, errors) ?? LISTED;
  const after = queryInt(c, 'after', 1, Number.MAX_SAFE_INTEGER, errors); // a place, from 1
  const kind = (c.req.query('kind') ?? 'difference') as SimulationCaseRow['kind'];
  if (kind !== 'difference' && kind !== 'error') errors.push({ parameter: 'kind', message: 'must be difference or error' });
  badParameters(errors);
  const sid = c.req.param('sid') as string;
  const s = await deps.simulations.get(sid).catch(() => null);
  if (!s) throw new ProblemError('not-found', `no simulation "${sid}"`);
  if (s.status !== 'done') throw new ProblemError('conflict', `the simulation is ${s.status}: its cases are listed once it is done`);
  const runs = deps.store.simulations;
  if (kind === 'difference' && (c.req.header('accept') ?? '').includes('text/csv')) {
    const encoder = new TextEncoder();
    // The changes in words in the language asked for (Accept-Language), else English.
    const lang = preferredLanguage(c.req.header('accept-language')) ?? 'en';
    let last: number | undefined;
    let header = true;
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const rows = await runs.cases(sid, 'difference', { ...(last !== undefined ? { after: last } : {}), limit: DOWNLOAD_PAGE });
        const text = (header ? `${CSV_COLUMNS.join(',')}\r\n` : '') + rows.map((r) => csvLine(r, lang)).join('');
        header = false;
        if (text) controller.enqueue(encoder.encode(text));
        if (rows.length < DOWNLOAD_PAGE) controller.close();
        else last = rows[rows.length - 1]!.seq;
      },
    });
    return new Response(stream, { headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="simulation-${sid}-differences.csv"` } });
  }
  const rows = await runs.cases(sid, kind, { ...(after !== undefined ? { after: after - 1 } : {}), limit: limit + 1 });
  const page = rows.slice(0, limit);
  let next: string | null = null;
  if (rows.length > limit) {
    const url = new URL(c.req.url);
    url.searchParams.set('after', String(page[page.length - 1]!.seq + 1));
    next = `${url.pathname}${url.search}`;
    c.header('link', `<${next}>; rel="next"`);
  }
  const cases = kind === 'difference' ? page.map((r) => ({ place: r.seq + 1, ...differenceOf(r) })) : page.map((r) => ({ place: r.seq + 1, id: r.id, question: r.question, at: r.at, facts: r.facts as object, message: r.message ?? '' }));
  return c.json({ kind, cases, next });
}
