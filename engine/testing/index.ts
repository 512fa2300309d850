// A policy's own test cases: read from their file, decided (also under a candidate draft) and checked.
export { parseTestFile, type TestFile } from './file.ts';
export {
  runCase,
  check,
  candidateIn,
  pickVersion,
  uncoveredChanges,
  type TestCase,
  type CaseResult,
  type Candidate,
  type ChosenBy,
  type DecidedUnder,
  type Uncovered,
} from './cases.ts';
