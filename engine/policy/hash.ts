import { createHash } from 'node:crypto';

/** JSON with keys sorted, so equal content hashes equal whatever the key order. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const keys = Object.keys(v).filter((k) => (v as Record<string, unknown>)[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** The content hash a decision names: sha256 of the consolidated policy, hex, prefixed. */
export function contentHash(v: unknown): string {
  return `sha256:${createHash('sha256').update(canonicalJson(v)).digest('hex')}`;
}
