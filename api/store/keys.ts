// API keys: only a key's SHA-256 hash is kept, and each key is named by its id (a UUID made with
// it, nothing of the key itself). Making and revoking one is one transaction with its audit event.
import { randomBytes, randomUUID } from 'node:crypto';
import { LockMode, type InferEntity } from '@mikro-orm/core';
import type { AuditInput } from './audit.ts';
import type { Db } from './db.ts';
import { ApiKey } from './entities.ts';
import { DuplicateError, NotFoundError, RefusedError, sqlState } from './errors.ts';
import type { ApiKeyRow, AuditBy, Role } from './types.ts';
import { iso, isoOrNull, isUuid, sha256 } from './values.ts';

function keyRow(k: InferEntity<typeof ApiKey>): ApiKeyRow {
  return { id: k.id, name: k.name, role: k.role as Role, createdAt: iso(k.createdAt), revokedAt: isoOrNull(k.revokedAt) };
}

/** A key's event: which key (its id, never anything of the key itself), and what the caller adds. */
function keyAudit(action: 'key.create' | 'key.revoke', k: Pick<InferEntity<typeof ApiKey>, 'id' | 'name' | 'role'>, by: AuditBy): AuditInput {
  return { actor: by.actor, action, institution: null, version: null, hashBefore: null, hashAfter: null, detail: { key: k.id, name: k.name, role: k.role, ...by.detail } };
}

export class Keys {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  /** Returns the plain key once; only its hash is stored. With its key.create event (the key's id,
   * name and role, and `by.detail`: nothing of the key itself), in one transaction. */
  async create(name: string, role: Role, by: AuditBy, plain?: string): Promise<{ key: string; row: ApiKeyRow }> {
    const key = plain ?? `rk_${randomBytes(32).toString('base64url')}`;
    if (key.length < 8) throw new Error('an API key needs at least 8 characters');
    try {
      return await this.#db.transaction(async (tx) => {
        const data = { id: randomUUID(), name, role, keyHash: sha256(key), createdAt: tx.now, revokedAt: null };
        await tx.em.insert(ApiKey, data);
        await tx.audit(keyAudit('key.create', data, by));
        return { key, row: keyRow(data) };
      });
    } catch (e) {
      if (sqlState(e) === '23505') throw new DuplicateError('that API key already exists');
      throw e;
    }
  }

  /** The key's row when it exists and is not revoked. */
  async verify(plain: string): Promise<ApiKeyRow | null> {
    const row = await this.#db.em().findOne(ApiKey, { keyHash: sha256(plain), revokedAt: null });
    return row ? keyRow(row) : null;
  }

  async list(): Promise<ApiKeyRow[]> {
    const rows = await this.#db.em().find(ApiKey, {}, { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    return rows.map(keyRow);
  }

  /** Revokes a key with its key.revoke event, in one transaction, and says so (true); a key already
   * revoked stays as it is (false, no event). NotFoundError for an unknown id; RefusedError for the
   * last admin key still valid (also when another revocation races it). */
  async revoke(id: string, by: AuditBy): Promise<boolean> {
    if (!isUuid(id)) throw new NotFoundError(`no API key ${id}`);
    return this.#db.transaction(async (tx) => {
      // The admin keys still valid, locked: two revocations at once are decided one after the
      // other, so the second sees what the first did and the last admin key stays.
      const admins = await tx.em.find(ApiKey, { role: 'admin', revokedAt: null }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      const row = admins.find((k) => k.id === id) ?? (await tx.em.findOne(ApiKey, { id }));
      if (!row) throw new NotFoundError(`no API key ${id}`);
      if (row.revokedAt) return false;
      if (row.role === 'admin' && admins.length === 1) throw new RefusedError('this is the last admin key: create another admin key before revoking it');
      if ((await tx.em.nativeUpdate(ApiKey, { id, revokedAt: null }, { revokedAt: tx.now })) === 0) return false; // revoked meanwhile
      await tx.audit(keyAudit('key.revoke', row, by));
      return true;
    });
  }

  /** All keys ever made, revoked ones included (0 only on a fresh database). */
  async count(): Promise<number> {
    return this.#db.em().count(ApiKey, {});
  }
}
