// Simulation runs get an owner and a heartbeat. The instance running a simulation (`owner`: an id
// made at each process start, api/simulations.ts) refreshes `heartbeat_at` every few seconds while
// it runs; a `running` row whose heartbeat is older than the stale limit belongs to an instance that
// stopped, and any instance marks it failed. Both are set by the database's clock, never an
// instance's. Rows from before this migration have no owner, and their heartbeat is the migration's
// instant: they count as stopped once the stale limit has passed without news from them.
import { Migration } from '@mikro-orm/migrations';

export class Migration20261124000000 extends Migration {
  override name = 'Migration20261124000000';

  override up(): void {
    this.addSql(`alter table simulation_runs add column owner text null`);
    this.addSql(`alter table simulation_runs add column heartbeat_at timestamptz not null default now()`);
    this.addSql(`create index simulation_runs_status_heartbeat_at_index on simulation_runs (status, heartbeat_at)`);
  }
}
