// Baseline vs candidate over many cases: what a new version of a regulation would change.
export {
  simulate,
  summarize,
  sameSummary,
  describeChanges,
  describeShift,
  PROGRESS_EVERY,
  type SimulationCase,
  type SimulationResult,
  type SimulationDifference,
  type SimulationError,
  type CaseSummary,
  type Totals,
  type DeltaTotals,
} from './simulate.ts';
export { generateLoans, prng } from './generate.ts';
