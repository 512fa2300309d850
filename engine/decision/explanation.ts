// What a version's decisions rest on, once: the texts of its assumptions and every paragraph it
// cites. A decision names them by id only (the texts are the version's, the same in every
// decision: three quarters of a checkout's bytes), and a reader who needs the words reads the
// version's explanation once, or asks for them with the decision (withTexts).
import type { CompiledPolicy } from '../version/compiled.ts';
import type { Cite, Id, PolicyDocument, SourceDocument, Text } from '../policy/types.ts';
import type { Decision } from './types.ts';

export interface Explanation {
  institution: Id;
  version: string;
  hash: string;
  /** The regulation the paragraphs are of. */
  source: SourceDocument;
  /** Every assumption of the version, by id. */
  assumptions: Record<Id, Text>;
  /** Every paragraph the version cites, in the regulation's order (the policy keeps no paragraph's text: a citation is its own words). */
  citations: Cite[];
}

const byNumber = new Intl.Collator('pl', { numeric: true });

/** Every `cite` reachable from the value: the document's entries and the rules' events. */
function collectCites(v: unknown, into: Set<Cite>, seen = new Set<object>()): void {
  if (v === null || typeof v !== 'object' || seen.has(v)) return;
  seen.add(v);
  for (const [k, x] of Object.entries(v)) {
    if (k === 'cite' && typeof x === 'string') into.add(x);
    else collectCites(x, into, seen);
  }
}

export function explanation(p: CompiledPolicy): Explanation {
  const cites = new Set<Cite>();
  collectCites(p.doc, cites);
  for (const r of p.rules) collectCites(r.event, cites);
  return {
    institution: p.institution,
    version: p.version,
    hash: p.hash,
    source: p.doc.source,
    assumptions: { ...p.doc.assumptions },
    citations: [...cites].sort(byNumber.compare),
  };
}

/** The decision with the texts of the assumptions it names (`assumption_texts`), as the version states them. */
export function withTexts(d: Decision, doc: PolicyDocument): Decision {
  const texts: Record<Id, Text> = {};
  for (const id of d.assumptions) texts[id] = doc.assumptions?.[id] ?? { en: id, pl: id };
  return { ...d, assumption_texts: texts };
}
