// Runs one simulation off the main thread, so a long run never delays a decision. Receives the
// two consolidated documents and the cases (or how to generate them); posts progress every
// PROGRESS_EVERY cases and the result at the end.
import { parentPort, workerData } from 'node:worker_threads';
import { compilePolicy } from '../engine/version/index.ts';
import type { PolicyDocument } from '../engine/policy/index.ts';
import { generateLoans, simulate, type SimulationCase } from '../engine/simulation/index.ts';

/** The differing cases and errors a stored result lists (each view shows at most these). */
export const LISTED = 1000;

export interface SimulationJob {
  baseline: PolicyDocument;
  candidate: PolicyDocument;
  cases?: SimulationCase[];
  generate?: { n: number; seed: number };
}

export type SimulationMessage =
  | { type: 'progress'; done: number; total: number }
  | { type: 'done'; result: unknown }
  | { type: 'error'; message: string };

const port = parentPort;
if (port) {
  const job = workerData as SimulationJob;
  const post = (m: SimulationMessage) => port.postMessage(m);
  try {
    const baseline = compilePolicy(job.baseline);
    const candidate = compilePolicy(job.candidate);
    const cases = job.cases ?? generateLoans(baseline, job.generate?.n ?? 1000, job.generate?.seed ?? 1);
    const result = simulate(baseline, candidate, cases, (done, total) => post({ type: 'progress', done, total }), LISTED);
    post({ type: 'done', result });
  } catch (e) {
    post({ type: 'error', message: (e as Error).message });
  }
}
