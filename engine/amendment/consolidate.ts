// An amendment states only what it changes; the consolidated text is the base with the
// amendment merged over it, the way a "tekst jednolity" is produced.
import type { PolicyDocument } from '../policy/types.ts';

/** Header fields that belong to the amending document, never inherited from the base. */
const OWN = ['version', 'effective_from', 'status', 'source', 'amends'] as const;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function isMap(v: unknown): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Maps merge key by key, null removes a key, lists and scalars replace. A map that names
 * its `kind` (a due rule) and a rule's `when` replace whole: their keys depend on each other. */
export function mergeOver(base: Json, change: Json, key = ''): Json {
  if (!isMap(base) || !isMap(change) || 'kind' in change || key === 'when') return change;
  const out: Record<string, Json> = { ...base };
  for (const [k, v] of Object.entries(change)) {
    if (v === null) delete out[k];
    else out[k] = k in base ? mergeOver(base[k] as Json, v, k) : v;
  }
  return out;
}

export interface Consolidated {
  doc: PolicyDocument;
  /** Version labels merged, oldest first (the document's own label last). */
  chain: string[];
}

/**
 * Consolidates `doc` with the versions it amends, found by label in `byLabel`.
 * Throws when a base is missing or the chain loops.
 */
export function consolidate(doc: PolicyDocument, byLabel: (label: string) => PolicyDocument | undefined): Consolidated {
  if (!doc.amends) return { doc, chain: [doc.version] };
  const seen = new Set<string>([doc.version]);
  const docs: PolicyDocument[] = [doc];
  let cur = doc;
  while (cur.amends) {
    if (seen.has(cur.amends)) throw new Error(`version ${cur.version} amends ${cur.amends}, which loops back`);
    const base = byLabel(cur.amends);
    if (!base) throw new Error(`version ${cur.version} amends "${cur.amends}", which is not among ${doc.institution}'s versions`);
    seen.add(base.version);
    docs.unshift(base);
    cur = base;
  }
  let merged = docs[0] as unknown as Json;
  for (const d of docs.slice(1)) {
    const change: Record<string, Json> = { ...(d as unknown as Record<string, Json>) };
    for (const k of OWN) delete change[k];
    merged = mergeOver(merged, change);
  }
  const out = { ...(merged as unknown as PolicyDocument) };
  for (const k of OWN) delete (out as Partial<PolicyDocument>)[k];
  const result: PolicyDocument = {
    ...out,
    version: doc.version,
    effective_from: doc.effective_from,
    status: doc.status,
    source: doc.source,
  };
  return { doc: result, chain: docs.map((d) => d.version) };
}
