// Institutions and their policy versions. Every write of a version is one transaction with its
// audit event; a write that refuses (a stale revision, a version no longer in the status the change
// needs) stores nothing.
import { randomUUID } from 'node:crypto';
import type { InferEntity } from '@mikro-orm/core';
import type { PolicyDocument } from '../../engine/policy/index.ts';
import type { Db } from './db.ts';
import { Institution, PolicyVersion } from './entities.ts';
import { DuplicateError, NotFoundError, sqlState, StatusError } from './errors.ts';
import { ConflictError, type DraftContent, type InstitutionRow, type NewVersion, type StatusChange, type VersionAudit, type VersionRow, type VersionStatus } from './types.ts';
import { withHeader } from './header.ts';
import { instant, iso, isoOrNull, isUuid } from './values.ts';

type VersionEntity = InferEntity<typeof PolicyVersion>;

function versionRow(v: VersionEntity): VersionRow {
  return {
    id: v.id,
    institution: v.institution,
    label: v.label,
    status: v.status as VersionStatus,
    yaml: v.yaml,
    consolidated: v.consolidated,
    hash: v.hash,
    effectiveFrom: iso(v.effectiveFrom),
    testsYaml: v.testsYaml,
    author: v.author,
    createdAt: iso(v.createdAt),
    updatedAt: iso(v.updatedAt),
    updatedBy: v.updatedBy ?? null,
    publishedAt: isoOrNull(v.publishedAt),
    publishedBy: v.publishedBy ?? null,
    revision: v.revision,
  };
}

/** The columns a draft's content sets. */
function draftData(c: DraftContent) {
  return {
    label: c.label,
    yaml: c.yaml,
    consolidated: c.consolidated,
    hash: c.hash,
    effectiveFrom: instant(c.effectiveFrom, 'effectiveFrom'),
    testsYaml: c.testsYaml,
  };
}

function writeError(e: unknown, institution: string | undefined, label: string | undefined): unknown {
  const code = sqlState(e);
  if (code === '23505') return new DuplicateError(`version ${label ?? ''} already exists${institution ? ` for ${institution}` : ''}`);
  if (code === '23503') return new NotFoundError(`unknown institution ${institution ?? ''}`);
  return e;
}

export class Versions {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  async listInstitutions(): Promise<InstitutionRow[]> {
    const rows = await this.#db.em().find(Institution, {}, { orderBy: { id: 'asc' } });
    return rows.map((i) => ({ id: i.id, name: i.name, createdAt: iso(i.createdAt) }));
  }

  async upsertInstitution(id: string, name: string): Promise<void> {
    await this.#db.em().upsert(Institution, { id, name, createdAt: new Date() }, { onConflictFields: ['id'], onConflictAction: 'merge', onConflictMergeFields: ['name'] });
  }

  /**
   * Gives version `id` its consolidated document in another key order, nothing else changed: the
   * content (compared as jsonb) must be the same, or the guard refuses it. No revision, no event —
   * the version says what it said.
   */
  async reorder(id: string, consolidated: PolicyDocument): Promise<void> {
    await this.#db.em().nativeUpdate(PolicyVersion, { id }, { consolidated });
  }

  /** The institution's versions, by effective instant. */
  async list(institution: string): Promise<VersionRow[]> {
    const rows = await this.#db.em().find(PolicyVersion, { institution }, { orderBy: [{ effectiveFrom: 'asc' }, { createdAt: 'asc' }] });
    return rows.map(versionRow);
  }

  async get(institution: string, label: string): Promise<VersionRow | null> {
    const row = await this.#db.em().findOne(PolicyVersion, { institution, label });
    return row ? versionRow(row) : null;
  }

  /** Refuses (DuplicateError) a label the institution already has, NotFoundError an unknown institution. */
  async create(v: NewVersion, audit: VersionAudit): Promise<VersionRow> {
    try {
      return await this.#db.transaction(async (tx) => {
        const data = {
          id: randomUUID(),
          institution: v.institution,
          label: v.label,
          status: v.status,
          yaml: v.yaml,
          consolidated: v.consolidated,
          hash: v.hash,
          effectiveFrom: instant(v.effectiveFrom, 'effectiveFrom'),
          testsYaml: v.testsYaml,
          author: v.author,
          createdAt: tx.now,
          updatedAt: tx.now,
          updatedBy: audit.actor,
          publishedAt: v.status === 'draft' ? null : tx.now,
          publishedBy: v.status === 'draft' ? null : v.author,
          revision: 1,
        };
        await tx.em.insert(PolicyVersion, data);
        await tx.audit({ ...audit, institution: v.institution, version: v.label, hashBefore: null, hashAfter: v.hash });
        return versionRow(data);
      });
    } catch (e) {
      throw writeError(e, v.institution, v.label);
    }
  }

  /** Replaces a draft's content if its revision is still `expectedRevision`, else ConflictError;
   * StatusError for a version that is no longer a draft (published versions never change). */
  async updateDraft(id: string, expectedRevision: number, change: DraftContent, audit: VersionAudit): Promise<VersionRow> {
    return this.#conditionalUpdate(id, expectedRevision, 'draft', (now) => ({ ...draftData(change), updatedAt: now, updatedBy: audit.actor, revision: expectedRevision + 1 }), 'change', audit);
  }

  /** draft → published or published → retired, if the revision is still `expectedRevision` (else
   * ConflictError); one UPDATE, which bumps the revision. The version's document (YAML and
   * consolidated) is made to say the new status, and a publish's effective instant, in that same
   * UPDATE (header.ts: their one home). Publishing records the audit actor as `publishedBy`, and
   * sets the published text (`content`) when given; retiring keeps the hash (what was published). */
  async setStatus(id: string, expectedRevision: number, change: StatusChange, audit: VersionAudit): Promise<VersionRow> {
    if (change.status === 'published') {
      return this.#conditionalUpdate(id, expectedRevision, 'draft', (now, before) => {
        const effective = change.effectiveFrom ?? change.content?.effectiveFrom;
        return {
          ...(change.content ? draftData(change.content) : {}),
          ...withHeader(change.content ?? before, { status: 'published', ...(effective === undefined ? {} : { effective_from: effective }) }),
          ...(effective === undefined ? {} : { effectiveFrom: instant(effective, 'effectiveFrom') }),
          status: 'published',
          publishedAt: now,
          publishedBy: audit.actor,
          updatedAt: now,
          updatedBy: audit.actor,
          revision: expectedRevision + 1,
        };
      }, 'publish', audit);
    }
    if (change.status === 'retired') {
      return this.#conditionalUpdate(id, expectedRevision, 'published', (now, before) => ({ ...withHeader(before, { status: 'retired' }), status: 'retired', updatedAt: now, updatedBy: audit.actor, revision: expectedRevision + 1 }), 'retire', audit);
    }
    throw new Error(`unknown status ${JSON.stringify((change as { status: unknown }).status)}`);
  }

  /**
   * In one transaction: the row as it is, `UPDATE … WHERE id = ? AND revision = ? AND status = ?`,
   * the row as written, and the audit event with the hashes before and after. A refusal (stale
   * revision, wrong status) or a failure of any step stores nothing.
   */
  async #conditionalUpdate(id: string, expectedRevision: number, from: VersionStatus, change: (now: Date, before: VersionEntity) => Partial<VersionEntity>, verb: string, audit: VersionAudit): Promise<VersionRow> {
    if (!isUuid(id)) throw new NotFoundError(`no policy version ${id}`);
    // A revision that is not a whole number matches nothing: the caller gets the ConflictError.
    if (!Number.isSafeInteger(expectedRevision)) expectedRevision = -1;
    let label: string | undefined;
    try {
      return await this.#db.transaction(async (tx) => {
        const before = await tx.em.findOne(PolicyVersion, { id });
        if (!before) throw new NotFoundError(`no policy version ${id}`);
        label = before.label;
        // Read at the expected revision, the row is what the update replaces (every write bumps the
        // revision): its text is what a status change rewrites, its hash the event's `hashBefore`.
        // The WHERE decides, as ever. (Kept aside: the refreshed read below updates the same entity object.)
        const hashBefore = before.hash;
        let updated = 0;
        if (before.revision === expectedRevision && before.status === from) {
          const data = change(tx.now, before);
          label = data.label ?? label;
          updated = await tx.em.nativeUpdate(PolicyVersion, { id, revision: expectedRevision, status: from }, data);
        }
        const row = await tx.em.findOne(PolicyVersion, { id }, { refresh: true });
        if (!row) throw new NotFoundError(`no policy version ${id}`);
        if (updated === 1) {
          await tx.audit({ ...audit, institution: row.institution, version: row.label, hashBefore, hashAfter: row.hash });
          return versionRow(row);
        }
        // Changed meanwhile by a request that got there first (here or on another instance).
        if (row.status !== from) throw new StatusError(versionRow(row), from, verb);
        throw new ConflictError(versionRow(row));
      });
    } catch (e) {
      throw writeError(e, undefined, label);
    }
  }
}
