// A version's status and effective instant have one home: its own document — the YAML's
// `status:` and `effective_from:` lines and the consolidated document, set together here. The
// engine, the CLI and the policy format read them from the document, so a version read back (or
// exported as YAML) says itself whether and from when it applies, and nothing has to patch it on
// load. The row's `status` and `effective_from` columns are copies the store writes in the same
// UPDATE, for its WHERE and ORDER BY (and the guard trigger), never on their own.
import { isScalar, parseDocument, Scalar } from 'yaml';
import type { PolicyDocument } from '../../engine/policy/types.ts';
import type { VersionStatus } from './types.ts';

export interface Header {
  status: VersionStatus;
  effective_from?: string;
}

/** Sets header fields of a version's YAML keeping everything else as written: comments, order, quoting. */
export function setHeader(yaml: string, fields: Header): string {
  const doc = parseDocument(yaml);
  for (const [key, value] of Object.entries(fields) as Array<[string, string | undefined]>) {
    if (value === undefined) continue;
    const node = doc.get(key, true);
    if (isScalar(node)) node.value = value;
    else {
      const s = new Scalar(value);
      if (key === 'effective_from') s.type = Scalar.QUOTE_DOUBLE;
      doc.set(key, s);
    }
  }
  return doc.toString();
}

/** The text and the consolidated document, both saying `header`. */
export function withHeader(v: { yaml: string; consolidated: PolicyDocument }, header: Header): { yaml: string; consolidated: PolicyDocument } {
  const consolidated = { ...v.consolidated, status: header.status, ...(header.effective_from === undefined ? {} : { effective_from: header.effective_from }) };
  return { yaml: setHeader(v.yaml, header), consolidated };
}
