// The API's shapes as the console uses them: generated from the contract (contract/api/*.ts, by
// `npm run contract`), so a body changed there is changed here, and the console's type check fails
// where it no longer fits.
export type {
  AuditEvent,
  AuditList,
  AuditQuery,
  CaseResult,
  CaseSummary,
  Change,
  Decision,
  DecisionLogEntry,
  DecisionLogList,
  DecisionLogQuery,
  DecisionRequest,
  DecisionText,
  DeltaTotals,
  Diff as DiffResult,
  Explanation,
  FeeRun,
  FieldError,
  Finding,
  Gap,
  Institution,
  InstitutionList,
  Me,
  Question,
  Reason,
  Role,
  Simulation,
  SimulationAccepted,
  SimulationCase,
  SimulationDifference,
  SimulationList,
  SimulationRequest,
  SimulationResult,
  TestRun,
  Text,
  Totals,
  Uncovered,
  ValidationResult,
  VersionDetail,
  VersionList,
  VersionMeta,
} from '../../../contract/types/api.ts';
import type { VersionMeta } from '../../../contract/types/api.ts';

export type VersionStatus = VersionMeta['status'];

/** The most loans a generated impact run takes (the contract's bound). */
export { MAX_GENERATED_CASES } from '../../../contract/api/simulations.ts';
