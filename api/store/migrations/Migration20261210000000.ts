// A version's status and effective instant have one home, its own document (store/header.ts):
// publishing wrote them into the YAML and the consolidated document, retiring did not — a retired
// version's text still said `status: published`, and every load patched the row's status in.
// Retiring now writes `status: retired` into both, so the guard lets the retiring UPDATE change
// the text and the document's status (and nothing else of the content: the hash, what was
// published, stays). The retired versions stored before are brought in line — the word on their
// YAML's top-level `status:` line (comments and quoting kept), their document's status — with a
// version.restate event for each; the trigger is set aside for that one UPDATE, by the table's
// owner, in the migration's transaction. All in SQL (addSql runs in the migration's schema).
import { Migration } from '@mikro-orm/migrations';

export class Migration20261210000000 extends Migration {
  override name = 'Migration20261210000000';

  override up(): void {
    // The guard whole again: CREATE OR REPLACE takes a function whole, and a shipped migration is never edited.
    this.addSql(`create or replace function regula_policy_versions_guard() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' then
        if old.status <> 'draft' then
          raise exception 'policy version % is %: it cannot be deleted', old.id, old.status using errcode = 'check_violation';
        end if;
        return old;
      end if;
      if new.status <> old.status and not ((old.status = 'draft' and new.status = 'published') or (old.status = 'published' and new.status = 'retired')) then
        raise exception 'policy version % cannot go from % to %', old.id, old.status, new.status using errcode = 'check_violation';
      end if;
      -- Retiring rewrites the document's status (its YAML line and the consolidated document's), nothing else.
      if old.status <> 'draft' and ((new.institution, new.label, new.hash, new.effective_from, new.tests_yaml, new.author, new.consolidated - 'status')
          is distinct from (old.institution, old.label, old.hash, old.effective_from, old.tests_yaml, old.author, old.consolidated - 'status')
          or (new.status = old.status and (new.yaml, new.consolidated) is distinct from (old.yaml, old.consolidated))
          or (new.status <> old.status and new.consolidated ->> 'status' is distinct from new.status)) then
        raise exception 'policy version % is %: its content never changes', old.id, old.status using errcode = 'check_violation';
      end if;
      return new;
    end
    $$`);

    const stale = `status = 'retired' and consolidated ->> 'status' is distinct from 'retired'`;
    this.addSql(`insert into audit_events (id, actor, action, institution, version, hash_before, hash_after, detail)
      select gen_random_uuid(), 'system', 'version.restate', institution, label, hash, hash,
        jsonb_build_object('status', 'retired', 'migration', '${this.name}', 'why', 'a retired version''s text says so itself, as a published one does')
      from policy_versions where ${stale} order by institution, label`);
    this.addSql(`alter table policy_versions disable trigger policy_versions_guard`);
    this.addSql(`update policy_versions set
        yaml = regexp_replace(yaml, '^status:([ \t]*)(["'']?)published\\2', 'status:\\1\\2retired\\2', 'n'),
        consolidated = jsonb_set(consolidated, '{status}', '"retired"')
      where ${stale}`);
    this.addSql(`alter table policy_versions enable trigger policy_versions_guard`);
  }
}
