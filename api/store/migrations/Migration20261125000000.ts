// Versions name who last wrote them (`updated_by`: created, saved, published or retired it), so a
// stale save can say whose change it missed. Rows from before: whoever published them, else the author.
import { Migration } from '@mikro-orm/migrations';

export class Migration20261125000000 extends Migration {
  override name = 'Migration20261125000000';

  override up(): void {
    this.addSql(`alter table policy_versions add column updated_by text null`);
    this.addSql(`update policy_versions set updated_by = coalesce(published_by, author)`);
  }
}
