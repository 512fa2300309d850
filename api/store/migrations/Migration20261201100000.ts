// The decision log names who asked (the key's name, or "anonymous" for an open desk network), so
// compliance can tell desks apart — and staff trying things in the console from the desks.
import { Migration } from '@mikro-orm/migrations';

export class Migration20261201100000 extends Migration {
  override name = 'Migration20261201100000';

  override up(): void {
    this.addSql(`alter table decision_log add column asked_by text null`);
  }
}
