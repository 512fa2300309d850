// The API's shapes as the console uses them (see api/schemas/*.ts and engine/decision/types.ts).
import type { CaseOutcome, TestOutcome } from '../../../api/policy-text.ts';
import type { FieldError } from '../../../api/problem.ts';
import type { Uncovered } from '../../../engine/testing/index.ts';
import type { Role, SimulationRow } from '../../../api/store/types.ts';
import type { CaseSummary, DeltaTotals, SimulationDifference, SimulationResult, Totals } from '../../../engine/simulation/index.ts';

export type { CaseSummary, DeltaTotals, FieldError, Role, SimulationDifference, SimulationResult, Totals };
export type { Reason, PolicyDocument, Text, Question, Gap, Finding, FeeRun, Explanation } from '../../../engine/index.ts';
import type { Decision as Decided, Finding, Gap } from '../../../engine/index.ts';

/** A decision as the API answers it: the engine's, with the link to its version's explanation. */
export type Decision = Decided & { explanation: string };

export type VersionStatus = 'draft' | 'published' | 'retired';

export interface Institution {
  id: string;
  name: string;
  created_at?: string;
  in_force?: { version: string; effective_from: string; hash: string } | null;
  versions?: number;
}

export interface VersionMeta {
  id?: string;
  institution: string;
  label: string;
  status: VersionStatus;
  effective_from: string;
  author?: string;
  created_at?: string;
  updated_at?: string;
  published_at?: string | null;
  published_by?: string | null;
  /** Who saved the last revision (asked of the API; the author is who created the version). */
  updated_by?: string | null;
  revision: number;
  hash: string;
  etag?: string;
}

export interface VersionDetail extends VersionMeta {
  document: Record<string, unknown>;
  consolidated: boolean;
  tests_yaml?: string;
}


export interface ValidationResult {
  valid: boolean;
  version?: string;
  hash?: string;
  errors: FieldError[];
  test_errors?: FieldError[];
  gaps: Gap[];
  findings: Finding[];
}

export type CaseResult = CaseOutcome;
export type { Uncovered };

export interface TestRun extends TestOutcome {
  institution: string;
  version: string;
  effective_from: string;
}

export interface Change {
  path: string;
  kind: 'added' | 'removed' | 'changed';
  before?: unknown;
  after?: unknown;
  text: { en: string; pl: string };
}

export interface DiffResult {
  institution: string;
  from: string;
  to: string;
  changes: Change[];
}



export interface Simulation {
  id: string;
  institution: string;
  baseline: string;
  candidate: string;
  status: SimulationRow['status'];
  done: number;
  total: number;
  actor?: string;
  created_at?: string;
  finished_at?: string | null;
  error?: string | null;
  result?: SimulationResult | null;
}

export interface SimulationCase {
  id?: string;
  question: string;
  at: string;
  facts: Record<string, unknown>;
}

export interface AuditEvent {
  id: string;
  at: string;
  actor: string;
  action: string;
  institution?: string | null;
  version?: string | null;
  hash_before?: string | null;
  hash_after?: string | null;
  detail?: Record<string, unknown> | null;
}

export interface Me {
  /** The key's id (as the keys list names it). */
  id?: string;
  name?: string;
  role: Role;
}
