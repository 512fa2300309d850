// Decides chunks of simulations off the main thread, so a long run never delays a decision. One
// thread per instance takes chunk after chunk: it compiles a run's two documents once (the last
// few runs are kept) and answers each chunk with its tally and its differing and undecided cases.
import { parentPort } from 'node:worker_threads';
import { compilePolicy, type CompiledPolicy } from '../engine/version/index.ts';
import type { PolicyDocument } from '../engine/policy/index.ts';
import { Comparison, generatedLoans, type SimulationCase, type Tally } from '../engine/simulation/index.ts';
import type { SimulationCaseRow } from './store/index.ts';

/** What a run's chunks need, kept with the run (store: spec). */
export interface SimulationSpec {
  baseline: PolicyDocument;
  candidate: PolicyDocument;
  total: number;
  /** Cases per chunk: chunk k holds cases k × chunkSize … */
  chunkSize: number;
  /** Generated cases (engine generatedLoans of the baseline, from this seed); else given, stored per chunk. */
  generate?: { seed: number };
}

export type ToWorker = { type: 'chunk'; key: number; simulation: string; chunk: number; spec?: SimulationSpec; cases?: SimulationCase[] };

export type FromWorker =
  | { type: 'done'; key: number; tally: Tally; rows: SimulationCaseRow[] }
  | { type: 'need-spec'; key: number }
  | { type: 'error'; key: number; message: string };

/** Compiled pairs kept: a few runs at once take turns chunk by chunk. */
const KEPT = 4;

interface Pair {
  baseline: CompiledPolicy;
  candidate: CompiledPolicy;
  spec: SimulationSpec;
}

function decideChunk(pair: Pair, chunk: number, given: SimulationCase[] | undefined): { tally: Tally; rows: SimulationCaseRow[] } {
  const { spec } = pair;
  const first = chunk * spec.chunkSize;
  const count = Math.min(spec.chunkSize, spec.total - first);
  const cases: Iterable<SimulationCase> = given ?? generatedLoans(pair.baseline, spec.generate?.seed ?? 1, first, count);
  const comparison = new Comparison(pair.baseline, pair.candidate);
  const rows: SimulationCaseRow[] = [];
  let seq = first;
  for (const c of cases) {
    const r = comparison.compare(c);
    if (r.kind !== 'same') {
      const row: SimulationCaseRow = { kind: r.kind, seq, id: c.id ?? String(seq + 1), question: c.question, at: c.at, facts: c.facts };
      if (r.kind === 'difference') {
        row.baseline = r.baseline;
        row.candidate = r.candidate;
      } else row.message = r.message;
      rows.push(row);
    }
    seq++;
  }
  return { tally: comparison.tally, rows };
}

const port = parentPort;
if (port) {
  const pairs = new Map<string, Pair>();
  port.on('message', (m: ToWorker) => {
    try {
      let pair = pairs.get(m.simulation);
      if (!pair && m.spec) {
        pair = { baseline: compilePolicy(m.spec.baseline), candidate: compilePolicy(m.spec.candidate), spec: m.spec };
        pairs.set(m.simulation, pair);
        if (pairs.size > KEPT) pairs.delete(pairs.keys().next().value!);
      }
      if (!pair) {
        port.postMessage({ type: 'need-spec', key: m.key } satisfies FromWorker);
        return;
      }
      const { tally, rows } = decideChunk(pair, m.chunk, m.cases);
      port.postMessage({ type: 'done', key: m.key, tally, rows } satisfies FromWorker);
    } catch (e) {
      port.postMessage({ type: 'error', key: m.key, message: (e as Error).message } satisfies FromWorker);
    }
  });
}
