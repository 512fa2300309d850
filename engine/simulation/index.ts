// Baseline vs candidate over many cases: what a new version of a regulation would change.
export {
  simulate,
  Comparison,
  emptyTally,
  addTally,
  totalsOf,
  difference,
  type Tally,
  type Compared,
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
export { generateLoans, generatedLoans, LOANS_PER_SEED, prng } from './generate.ts';
