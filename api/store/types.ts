// The rows the store's repositories take and give (index.ts holds them), and the changes they write.
import type { PolicyDocument } from '../../engine/policy/index.ts';

import type { Role } from '../../contract/roles.ts';
export type { Role };
export type VersionStatus = 'draft' | 'published' | 'retired';

/** The name notifications about keys travel under on the change channel (never an institution id). */
export const KEYS_CHANNEL = '@keys';

export interface InstitutionRow {
  id: string;
  name: string;
  createdAt: string;
}

export interface VersionRow {
  id: string; // uuid
  institution: string;
  label: string; // the document's `version`
  status: VersionStatus;
  /** The YAML as written (comments and order kept). */
  yaml: string;
  /** The consolidated document (amendments merged), as JSON. */
  consolidated: PolicyDocument;
  /** Content hash of the consolidated document (engine/policy/hash.ts). */
  hash: string;
  effectiveFrom: string; // ISO instant with offset
  /** The version's own test cases, YAML (`cases:` list), run before publishing. */
  testsYaml: string;
  author: string;
  createdAt: string;
  updatedAt: string;
  /** Who last wrote it: created, saved, published or retired it (null only for rows older than the column). */
  updatedBy: string | null;
  publishedAt: string | null;
  publishedBy: string | null;
  /** Bumped on every write; the ETag is `"<id>:<revision>"`. */
  revision: number;
}

export interface NewVersion {
  institution: string;
  label: string;
  status: VersionStatus;
  yaml: string;
  consolidated: PolicyDocument;
  hash: string;
  effectiveFrom: string;
  testsYaml: string;
  author: string;
}

/** What a draft's write sets: its text, what it consolidates to, its label and its tests. */
export type DraftContent = Pick<NewVersion, 'yaml' | 'consolidated' | 'hash' | 'effectiveFrom' | 'testsYaml' | 'label'>;

/** A status change: draft → published (its effective instant, and the published text, when given),
 * or published → retired. Either way the store writes the status into the version's document
 * (header.ts). */
export type StatusChange = { status: 'published'; effectiveFrom?: string; content?: DraftContent } | { status: 'retired' };

/**
 * The audit event a version write appends in the write's own transaction: the change and its event
 * are stored together or not at all. The store fills in the rest from the row it writes: the
 * institution, the version's label (after the write), and its hash before (null for a new version)
 * and after; the event's instant is the write's.
 */
export interface VersionAudit {
  actor: string;
  /** version.create, version.update, version.publish, version.retire, version.seed */
  action: string;
  detail: Record<string, unknown> | null;
}

/** Who makes an audited change, and what its event should add to the detail the store writes. */
export interface AuditBy {
  actor: string;
  detail?: Record<string, unknown>;
}

/** A simulation run's event: what is compared (the store adds the actor, the action and the run's id). */
export type SimulationAudit = Pick<AuditEvent, 'institution' | 'version' | 'hashBefore' | 'hashAfter'> & { detail: Record<string, unknown> };

export interface AuditEvent {
  id: string;
  at: string;
  actor: string;
  /** e.g. version.create, version.update, version.publish, version.retire, key.create, key.revoke, simulation.run */
  action: string;
  institution: string | null;
  version: string | null;
  hashBefore: string | null;
  hashAfter: string | null;
  detail: Record<string, unknown> | null;
}

/** A page of a list kept newest first: `before` names the last entry of the previous page. */
export interface PageFilter {
  from?: string;
  to?: string;
  limit?: number;
  /** Only entries listed after this one (by id): older, or as old and written earlier. */
  before?: string;
}

export interface AuditFilter extends PageFilter {
  institution?: string;
  actor?: string;
}

export interface DecisionLogFilter extends PageFilter {
  institution?: string;
  /** Only decisions with this outcome, or giving this reason code. */
  outcome?: string;
  code?: string;
}

export interface SimulationFilter extends PageFilter {
  institution?: string;
}

/** A key as the store keeps it: named by its id (a UUID made with it, nothing of the key itself),
 * which the keys list, the audit trail and GET /me show; the key itself is kept as its hash only. */
export interface ApiKeyRow {
  id: string;
  name: string;
  role: Role;
  createdAt: string;
  revokedAt: string | null;
}

export interface SimulationRow {
  id: string;
  institution: string;
  baseline: string; // version label
  candidate: string; // version label, or "yaml:<hash>" for an unsaved candidate
  status: 'running' | 'done' | 'failed' | 'cancelled';
  done: number;
  total: number;
  /** Once done: the totals (engine/simulation totalsOf); the differing and undecided cases are
   * rows of their own (cases()). Runs from before chunks list them in the result. */
  result: unknown | null;
  error: string | null;
  actor: string;
  createdAt: string;
  finishedAt: string | null;
  /** The instance that started it (null for runs from before owners were kept). */
  owner: string | null;
  /** The last sign of life of an instance deciding its chunks (the database's clock). */
  heartbeatAt: string;
  /** How many chunks it is split into, and how many are done (0 and 0 for runs from before chunks). */
  chunks: number;
  chunksDone: number;
}

/** What a simulation run is when it is created: `spec` is what its chunks need, kept as it is given (none, and no chunks, until they are known). */
export type NewSimulation = Pick<SimulationRow, 'institution' | 'baseline' | 'candidate' | 'total' | 'actor'> & { owner: string; chunks?: number; spec?: unknown };

/** A differing or undecided case of a run, at its place (`seq`, from 0) in the run. */
export interface SimulationCaseRow {
  kind: 'difference' | 'error';
  seq: number;
  id: string;
  question: string;
  at: string;
  facts: unknown;
  /** A difference: both summaries. */
  baseline?: unknown;
  candidate?: unknown;
  /** An error: why it could not be decided. */
  message?: string;
}

/** A chunk decided: by which instance, how many cases, and its differing and undecided ones. */
export interface ChunkDone {
  chunk: number;
  instance: string;
  cases: number;
  rows: SimulationCaseRow[];
}

/** The run's tally after a chunk (`previous` the tally before it, null at the first), and its result when it was the last. */
export type TallyMerge = (previous: unknown | null, last: boolean) => { tally: unknown; result?: unknown };

export interface DecisionLogRow {
  id: string;
  at: string; // when it was asked
  institution: string;
  question: string;
  version: string;
  hash: string;
  facts: unknown;
  /** The instant the decision was about. */
  decidedFor: string;
  decision: unknown;
  /** Who asked: the key's name, or "anonymous" (null for rows from before it was kept). */
  askedBy: string | null;
}

/** A stale write: the stored revision moved on since the caller read it. */
export class ConflictError extends Error {
  readonly current: VersionRow;
  constructor(current: VersionRow) {
    super(`version ${current.institution} ${current.label} was changed meanwhile (revision ${current.revision})`);
    this.name = 'ConflictError';
    this.current = current;
  }
}
