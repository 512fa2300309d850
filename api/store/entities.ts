// The tables as MikroORM entities, defined with defineEntity (no decorators: Node strips types,
// it does not run decorators). The tables themselves are created by the hand-written migrations in
// ./migrations, which are the source of truth. The entities mirror them (column types, defaults,
// checks, indexes, the foreign key) so that MikroORM's schema diff against a migrated database comes
// out empty — tests/store.test.ts checks it — except for the guard triggers, which only the
// migrations know: never apply a generated diff without reading it.
// Column names follow MikroORM's default underscore naming: `effectiveFrom` ↔ `effective_from`.
import { defineEntity, p } from '@mikro-orm/core';
import type { PolicyDocument } from '../../engine/policy/index.ts';

const now = () => p.datetime().defaultRaw('now()');

export const Institution = defineEntity({
  name: 'Institution',
  tableName: 'institutions',
  properties: {
    id: p.text().primary(),
    name: p.text(),
    createdAt: now(),
  },
});

export const PolicyVersion = defineEntity({
  name: 'PolicyVersion',
  tableName: 'policy_versions',
  properties: {
    id: p.uuid().primary(),
    /** The institution's id (a foreign key; kept as the plain id, never loaded as an entity). */
    institution: () => p.manyToOne(Institution).mapToPk().fieldName('institution').foreignKeyName('policy_versions_institution_fkey'),
    label: p.text(),
    status: p.text().check(`status in ('draft', 'published', 'retired')`),
    yaml: p.text(),
    /** json, not jsonb: the document keeps the order it was written in (Migration20261212000000). */
    consolidated: p.json<PolicyDocument>().columnType('json'),
    hash: p.text(),
    effectiveFrom: p.datetime(),
    testsYaml: p.text().default(''),
    author: p.text(),
    createdAt: now(),
    updatedAt: now(),
    /** Who last wrote the version (created, saved, published or retired it). */
    updatedBy: p.text().nullable(),
    publishedAt: p.datetime().nullable(),
    publishedBy: p.text().nullable(),
    revision: p.integer().default(1),
  },
  uniques: [{ properties: ['institution', 'label'], name: 'policy_versions_institution_label_unique' }],
  indexes: [{ properties: ['institution', 'effectiveFrom'], name: 'policy_versions_institution_effective_from_index' }],
});

export const AuditEventEntity = defineEntity({
  name: 'AuditEvent',
  tableName: 'audit_events',
  properties: {
    id: p.uuid().primary(),
    /** Insertion order (an identity column): ties on `at` list in a stable order. Never written. */
    seq: p.bigint('number').autoincrement().generated('by default as identity').nullable(),
    at: now(),
    actor: p.text(),
    action: p.text(),
    institution: p.text().nullable(),
    version: p.text().nullable(),
    hashBefore: p.text().nullable(),
    hashAfter: p.text().nullable(),
    detail: p.json<Record<string, unknown>>().nullable(),
  },
  indexes: [
    { properties: ['at'], name: 'audit_events_at_index' },
    { properties: ['institution', 'at'], name: 'audit_events_institution_at_index' },
    { properties: ['actor', 'at'], name: 'audit_events_actor_at_index' },
  ],
});

export const ApiKey = defineEntity({
  name: 'ApiKey',
  tableName: 'api_keys',
  properties: {
    id: p.uuid().primary(),
    name: p.text(),
    role: p.text().check(`role in ('admin', 'editor', 'compliance', 'circulation')`),
    keyHash: p.text().unique('api_keys_key_hash_unique'),
    createdAt: now(),
    revokedAt: p.datetime().nullable(),
  },
});

export const SimulationRun = defineEntity({
  name: 'SimulationRun',
  tableName: 'simulation_runs',
  properties: {
    id: p.uuid().primary(),
    institution: p.text(),
    baseline: p.text(),
    candidate: p.text(),
    status: p.text().check(`status in ('running', 'done', 'failed', 'cancelled')`),
    done: p.integer().default(0),
    total: p.integer().default(0),
    result: p.json<unknown>().nullable(),
    error: p.text().nullable(),
    actor: p.text(),
    createdAt: now(),
    finishedAt: p.datetime().nullable(),
    /** The instance running it (Migration20261124000000). */
    owner: p.text().nullable(),
    /** Refreshed while its chunks are decided, by the database's clock. */
    heartbeatAt: now(),
    /** What its chunks need: the two documents, where the cases come from (Migration20261211000000). */
    spec: p.json<unknown>().columnType('json').nullable(),
    chunks: p.integer().default(0),
    chunksDone: p.integer().default(0),
    /** The tally of the chunks done so far. */
    tally: p.json<unknown>().nullable(),
  },
  indexes: [
    { properties: ['institution', 'createdAt'], name: 'simulation_runs_institution_created_at_index' },
    { properties: ['status', 'heartbeatAt'], name: 'simulation_runs_status_heartbeat_at_index' },
  ],
});

/** A chunk of a run decided, and by which instance. */
export const SimulationChunk = defineEntity({
  name: 'SimulationChunk',
  tableName: 'simulation_chunks',
  properties: {
    simulationId: p.uuid().primary(),
    chunk: p.integer().primary(),
    cases: p.integer(),
    instance: p.text(),
    finishedAt: now(),
  },
});

/** The cases of one chunk of a run, given or taken from the decision log. */
export const SimulationInput = defineEntity({
  name: 'SimulationInput',
  tableName: 'simulation_inputs',
  properties: {
    simulationId: p.uuid().primary(),
    chunk: p.integer().primary(),
    cases: p.json<unknown>(),
  },
});

/** A differing or undecided case of a run, by its place in the run. */
export const SimulationCaseEntity = defineEntity({
  name: 'SimulationCase',
  tableName: 'simulation_cases',
  properties: {
    simulationId: p.uuid().primary(),
    kind: p.text().primary().check(`kind in ('difference', 'error')`),
    seq: p.bigint('number').primary(),
    caseId: p.text(),
    question: p.text(),
    at: p.text(),
    facts: p.json<unknown>(),
    baseline: p.json<unknown>().nullable(),
    candidate: p.json<unknown>().nullable(),
    message: p.text().nullable(),
  },
});

export const DecisionLog = defineEntity({
  name: 'DecisionLog',
  tableName: 'decision_log',
  properties: {
    id: p.uuid().primary(),
    seq: p.bigint('number').autoincrement().generated('by default as identity').nullable(),
    at: p.datetime(),
    institution: p.text(),
    question: p.text(),
    version: p.text(),
    hash: p.text(),
    facts: p.json<unknown>(),
    decidedFor: p.datetime(),
    decision: p.json<unknown>(),
    /** The key's name, or "anonymous" (Migration20261201100000; null before it). */
    askedBy: p.text().nullable(),
  },
  indexes: [
    { properties: ['institution', 'at'], name: 'decision_log_institution_at_index' },
    { properties: ['at'], name: 'decision_log_at_index' },
  ],
});

export const entities = [Institution, PolicyVersion, AuditEventEntity, ApiKey, SimulationRun, SimulationChunk, SimulationInput, SimulationCaseEntity, DecisionLog];
