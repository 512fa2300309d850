// Puts each stored version's consolidated document back in the order of its YAML. Documents stored
// as jsonb (before Migration20261212000000) came back with their keys sorted by length; json keeps
// what it is given, so re-consolidating each version from its own YAML (bases before the
// amendments on them) gives the order the regulation was written in. Only the order changes: a
// version whose content would differ is left as it is, and said. Needed once, by whoever runs that
// migration (the service at its start, or npm run migrate): afterUpgrade says when.
import type { PolicyDocument } from '../engine/policy/index.ts';
import { checkVersion } from './policy-text.ts';
import type { Store, VersionRow } from './store/index.ts';

/** The same value whatever the order of its objects' keys. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_, x: unknown) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : x));
}

/** The migration after which the stored documents keep their order (and before which they had lost it). */
const ORDER_KEPT_FROM = 'Migration20261212000000';

/** Puts the documents back in order when `ran` (the migrations just run) made them json, and says how many it reordered. */
export async function afterUpgrade(store: Store, ran: string[], say: (message: string) => void, warn: (message: string) => void): Promise<void> {
  const n = ran.includes(ORDER_KEPT_FROM) ? await restoreDocumentOrder(store, warn) : 0;
  if (n) say(`Put ${n} stored version${n === 1 ? '' : 's'} back in the order of ${n === 1 ? 'its' : 'their'} YAML.`);
}

/** Reorders every stored document not in its YAML's order; returns how many. */
export async function restoreDocumentOrder(store: Store, log: (message: string) => void): Promise<number> {
  let reordered = 0;
  for (const { id: institution } of await store.versions.listInstitutions()) {
    const rows = await store.versions.list(institution);
    const done = new Map<string, VersionRow>();
    // Bases first: an amendment consolidates over its base as the base now reads.
    for (let pending = [...rows]; pending.length; ) {
      const ready = pending.filter((r) => !r.consolidated.amends || done.has(r.consolidated.amends) || !rows.some((b) => b.label === r.consolidated.amends));
      if (!ready.length) break;
      for (const row of ready) {
        const checked = checkVersion(institution, row.yaml, [...done.values(), ...rows.filter((r) => !done.has(r.label) && r.label !== row.label)]);
        let now: PolicyDocument = row.consolidated;
        if (!checked.ok) log(`${institution} ${row.label}: its YAML does not consolidate any more (${checked.errors[0]?.message}); its document is left as stored`);
        else if (canonical(checked.value.consolidated) !== canonical(row.consolidated)) log(`${institution} ${row.label}: its YAML consolidates to another document than the one stored; left as stored`);
        else if (JSON.stringify(checked.value.consolidated) !== JSON.stringify(row.consolidated)) {
          now = checked.value.consolidated;
          await store.versions.reorder(row.id, now);
          reordered++;
        }
        done.set(row.label, { ...row, consolidated: now });
      }
      pending = pending.filter((r) => !ready.includes(r));
    }
  }
  return reordered;
}
