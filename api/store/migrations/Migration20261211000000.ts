// Simulations in chunks that any instance can take (api/simulations.ts). A run keeps what its
// chunks need — the two consolidated documents and where the cases come from (`spec`) — how many
// chunks it has and how many are done, and the running tally of the finished ones. A finished
// chunk is a row of simulation_chunks (who decided it, how many cases), written in the same
// transaction as its tally, so a chunk decided twice (its instance stopped before the queue heard
// it was done) counts once. Cases given or taken from the decision log wait in simulation_inputs,
// a chunk per row; the differing and undecided cases of a run are rows of simulation_cases, by
// their place in the run, read a page at a time — never held whole.
import { Migration } from '@mikro-orm/migrations';

export class Migration20261211000000 extends Migration {
  override name = 'Migration20261211000000';

  override up(): void {
    this.addSql(`alter table simulation_runs add column spec jsonb null`);
    this.addSql(`alter table simulation_runs add column chunks integer not null default 0`);
    this.addSql(`alter table simulation_runs add column chunks_done integer not null default 0`);
    this.addSql(`alter table simulation_runs add column tally jsonb null`);
    this.addSql(`create table simulation_chunks (
      simulation_id uuid not null,
      chunk integer not null,
      cases integer not null,
      instance text not null,
      finished_at timestamptz not null default now(),
      constraint simulation_chunks_pkey primary key (simulation_id, chunk)
    )`);
    this.addSql(`create table simulation_inputs (
      simulation_id uuid not null,
      chunk integer not null,
      cases jsonb not null,
      constraint simulation_inputs_pkey primary key (simulation_id, chunk)
    )`);
    this.addSql(`create table simulation_cases (
      simulation_id uuid not null,
      kind text not null check (kind in ('difference', 'error')),
      seq bigint not null,
      case_id text not null,
      question text not null,
      at text not null,
      facts jsonb not null,
      baseline jsonb null,
      candidate jsonb null,
      message text null,
      constraint simulation_cases_pkey primary key (simulation_id, kind, seq)
    )`);
  }
}
