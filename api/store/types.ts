// What the API keeps, behind one interface: MikroORM on PGlite (embedded, the default) or on a
// PostgreSQL server. Routes talk to this, never to the ORM.
import type { PolicyDocument } from '../../engine/policy/types.ts';

export type Role = 'admin' | 'editor' | 'compliance' | 'circulation';
export type VersionStatus = 'draft' | 'published' | 'retired';

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

export interface AuditFilter {
  institution?: string;
  actor?: string;
  from?: string;
  to?: string;
  limit?: number;
}

export interface ApiKeyRow {
  id: string;
  name: string;
  role: Role;
  /** First characters of the key, shown to tell keys apart; the key itself is stored hashed. */
  prefix: string;
  createdAt: string;
  revokedAt: string | null;
}

export interface SimulationRow {
  id: string;
  institution: string;
  baseline: string; // version label
  candidate: string; // version label, or "yaml:<hash>" for an unsaved candidate
  status: 'running' | 'done' | 'failed';
  done: number;
  total: number;
  /** SimulationResult from engine/simulation (totals, differences, errors) once done. */
  result: unknown | null;
  error: string | null;
  actor: string;
  createdAt: string;
  finishedAt: string | null;
}

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

export interface Store {
  /** Creates or brings the schema up to date with the migrations (never schema sync). */
  migrate(): Promise<void>;
  close(): Promise<void>;
  /** Where the data lives, for the start-up message (a folder, or the server URL without password). */
  readonly location: string;

  listInstitutions(): Promise<InstitutionRow[]>;
  upsertInstitution(id: string, name: string): Promise<void>;

  listVersions(institution: string): Promise<VersionRow[]>;
  getVersion(institution: string, label: string): Promise<VersionRow | null>;
  /** Refuses (throws) a label the institution already has. */
  createVersion(v: NewVersion): Promise<VersionRow>;
  /** Replaces a draft's content if its revision is still `expectedRevision`, else ConflictError.
   * Throws a plain Error for a version that is not a draft (published versions never change). */
  updateDraft(id: string, expectedRevision: number, change: Pick<NewVersion, 'yaml' | 'consolidated' | 'hash' | 'effectiveFrom' | 'testsYaml' | 'label'>): Promise<VersionRow>;
  /** draft → published (with its effective instant) or published → retired; bumps the revision. */
  setStatus(id: string, expectedRevision: number, status: 'published' | 'retired', actor: string, effectiveFrom?: string): Promise<VersionRow>;

  appendAudit(e: Omit<AuditEvent, 'id' | 'at'>): Promise<AuditEvent>;
  listAudit(filter: AuditFilter): Promise<AuditEvent[]>;

  /** Returns the plain key once; only its hash is stored. */
  createKey(name: string, role: Role, plain?: string): Promise<{ key: string; row: ApiKeyRow }>;
  /** The key's row when it exists and is not revoked. */
  verifyKey(plain: string): Promise<ApiKeyRow | null>;
  listKeys(): Promise<ApiKeyRow[]>;
  revokeKey(id: string): Promise<void>;
  countKeys(): Promise<number>;

  createSimulation(s: Pick<SimulationRow, 'institution' | 'baseline' | 'candidate' | 'total' | 'actor'>): Promise<SimulationRow>;
  updateSimulation(id: string, change: Partial<Pick<SimulationRow, 'status' | 'done' | 'result' | 'error' | 'finishedAt'>>): Promise<void>;
  getSimulation(id: string): Promise<SimulationRow | null>;

  logDecisions(rows: Omit<DecisionLogRow, 'id'>[]): Promise<void>;
  listDecisions(filter: { institution?: string; from?: string; to?: string; limit?: number }): Promise<DecisionLogRow[]>;
  /** Deletes log rows asked before `before`; returns how many. */
  purgeDecisions(before: string): Promise<number>;

  /** Tells every instance on the same database that `institution`'s versions changed
   * (PostgreSQL NOTIFY; in-process for the embedded database). */
  notifyChanged(institution: string): Promise<void>;
  /** Subscribes to those notifications (PostgreSQL LISTEN). */
  onChanged(listener: (institution: string) => void): Promise<void>;
}
