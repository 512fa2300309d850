// A document keeps the order it was written in. jsonb stores an object's keys by length, then
// alphabetically: SUM's limits came back as weekend, external, overnight…, its paragraphs as §16,
// §5, §1 — and "the first calendar is the default unit" rested on the luck of key lengths. The
// consolidated documents (and a simulation's documents) become json, which keeps the text as it
// was written; the guard compares them as jsonb, so that order alone is no change of content. The
// rows stored before keep the order jsonb gave them until whoever ran this migration puts them back
// in the order of their YAML (api/document-order.ts). All in SQL.
import { Migration } from '@mikro-orm/migrations';

export class Migration20261212000000 extends Migration {
  override name = 'Migration20261212000000';

  override up(): void {
    // The guard whole again, reading the document as jsonb (json has no equality).
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
      -- Retiring rewrites the document's status (its YAML line and the consolidated document's), nothing else;
      -- the document is compared as jsonb, so its keys' order (json keeps it) is no change of content.
      if old.status <> 'draft' and ((new.institution, new.label, new.hash, new.effective_from, new.tests_yaml, new.author, new.consolidated::jsonb - 'status')
          is distinct from (old.institution, old.label, old.hash, old.effective_from, old.tests_yaml, old.author, old.consolidated::jsonb - 'status')
          or (new.status = old.status and (new.yaml, new.consolidated::jsonb) is distinct from (old.yaml, old.consolidated::jsonb))
          or (new.status <> old.status and new.consolidated::jsonb ->> 'status' is distinct from new.status)) then
        raise exception 'policy version % is %: its content never changes', old.id, old.status using errcode = 'check_violation';
      end if;
      return new;
    end
    $$`);
    this.addSql(`alter table policy_versions alter column consolidated type json using consolidated::json`);
    this.addSql(`alter table simulation_runs alter column spec type json using spec::json`);
  }
}
