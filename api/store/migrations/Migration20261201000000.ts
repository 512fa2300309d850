// A running simulation can be cancelled: its status says so (`cancelled`), beside done and failed.
import { Migration } from '@mikro-orm/migrations';

export class Migration20261201000000 extends Migration {
  override name = 'Migration20261201000000';

  override up(): void {
    this.addSql(`alter table simulation_runs drop constraint simulation_runs_status_check`);
    this.addSql(`alter table simulation_runs add constraint simulation_runs_status_check check (status in ('running', 'done', 'failed', 'cancelled'))`);
  }
}
