// A version's status and effective instant have one home: its own document — the YAML's
// `status:` and `effective_from:` lines and the consolidated document, set together here. The
// engine, the CLI and the policy format read them from the document, so a version read back (or
// exported as YAML) says itself whether and from when it applies, and nothing has to patch it on
// load. The row's `status` and `effective_from` columns are copies the store writes in the same
// UPDATE, for its WHERE and ORDER BY (and the guard trigger), never on their own.
import { isScalar, parseDocument, Scalar } from 'yaml';
import type { PolicyDocument } from '../../engine/policy/index.ts';
import type { VersionStatus } from './types.ts';

export interface Header {
  status: VersionStatus;
  effective_from?: string;
}

/** A value written as the node it replaces was: quoted the same way, or plain. */
function written(node: Scalar, value: string): string {
  if (node.type === Scalar.QUOTE_SINGLE) return `'${value.replaceAll("'", "''")}'`;
  if (node.type === Scalar.PLAIN) return value;
  return JSON.stringify(value);
}

/**
 * Sets header fields of a version's YAML and changes nothing else of the text: each value is
 * replaced where it stands (comments, order, quoting and line breaks stay as the author wrote
 * them — a re-serialised document would refold every long text); a field the text lacks is
 * appended as a line of its own.
 */
export function setHeader(yaml: string, fields: Header): string {
  const doc = parseDocument(yaml);
  const edits: Array<{ from: number; to: number; text: string }> = [];
  let missing = '';
  for (const [key, value] of Object.entries(fields) as Array<[string, string | undefined]>) {
    if (value === undefined) continue;
    const node = doc.get(key, true);
    if (isScalar(node) && node.range) edits.push({ from: node.range[0], to: node.range[1], text: written(node, value) });
    else missing += `${key}: ${key === 'effective_from' ? JSON.stringify(value) : value}\n`;
  }
  let out = yaml;
  for (const e of edits.sort((a, b) => b.from - a.from)) out = out.slice(0, e.from) + e.text + out.slice(e.to);
  if (!missing) return out;
  return `${out}${out === '' || out.endsWith('\n') ? '' : '\n'}${missing}`;
}

/** The text and the consolidated document, both saying `header`. */
export function withHeader(v: { yaml: string; consolidated: PolicyDocument }, header: Header): { yaml: string; consolidated: PolicyDocument } {
  const consolidated = { ...v.consolidated, status: header.status, ...(header.effective_from === undefined ? {} : { effective_from: header.effective_from }) };
  return { yaml: setHeader(v.yaml, header), consolidated };
}
