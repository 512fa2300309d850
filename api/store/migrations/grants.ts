// What the service's own role may do on PostgreSQL when it is not the schema's owner
// (DATABASE_MIGRATION_URL names the owner, who migrates): granted after every migration, so a
// table a migration adds gets its line here (tests/plain-role.test.ts checks every table has one).
// Nothing more than the store does with each table — and, owning none, the service cannot alter a
// table, drop or disable a trigger, or change the audit trail it only appends to.
import { quoteIdent } from '../pg.ts';

export const SERVICE_GRANTS: Readonly<Record<string, string>> = {
  institutions: 'select, insert, update', // upserted at the first start and with an institution's first draft
  policy_versions: 'select, insert, update',
  audit_events: 'select, insert', // append-only: never update, delete or truncate
  api_keys: 'select, insert, update', // update: revoking
  simulation_runs: 'select, insert, update',
  simulation_chunks: 'select, insert',
  simulation_inputs: 'select, insert, delete', // delete: a chunk's cases once it is decided, a run's once it is over
  simulation_cases: 'select, insert',
  decision_log: 'select, insert, delete', // delete: the purge after REGULA_DECISION_LOG_DAYS
  mikro_orm_migrations: 'select', // to see at start that nothing is pending
};

/** The GRANT statements that give `role` what the service needs in `schema`. */
export function serviceGrants(schema: string, role: string): string[] {
  const s = quoteIdent(schema);
  const r = quoteIdent(role);
  return [`grant usage on schema ${s} to ${r}`, ...Object.entries(SERVICE_GRANTS).map(([table, privileges]) => `grant ${privileges} on ${s}.${quoteIdent(table)} to ${r}`)];
}
