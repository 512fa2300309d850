// Keys are named by their id, never by their first characters: `api_keys.prefix` kept the first 8
// characters of every key in clear — half of a 16-character REGULA_ADMIN_KEY — and the key events
// of the audit trail repeated them, for anyone who may read the audit trail. Both go. The audit
// trail is append-only (its trigger refuses every UPDATE); this migration, run by the table's
// owner in one transaction, sets the trigger aside for the one UPDATE that removes `prefix` from
// the key events' detail, and records that it did so as an event of its own (audit.redact).
import { Migration } from '@mikro-orm/migrations';

export class Migration20261208000000 extends Migration {
  override name = 'Migration20261208000000';

  override up(): void {
    this.addSql(`alter table api_keys drop column prefix`);
    this.addSql(`insert into audit_events (id, actor, action, detail)
      select gen_random_uuid(), 'system', 'audit.redact', jsonb_build_object('removed', 'prefix', 'action', 'key.create, key.revoke', 'events', count(*), 'why', 'the first characters of a key are part of the secret')
      from audit_events where action in ('key.create', 'key.revoke') and detail ->> 'prefix' is not null
      having count(*) > 0`);
    this.addSql(`alter table audit_events disable trigger audit_events_append_only`);
    this.addSql(`update audit_events set detail = detail - 'prefix' where action in ('key.create', 'key.revoke') and detail ->> 'prefix' is not null`);
    this.addSql(`alter table audit_events enable trigger audit_events_append_only`);
  }
}
