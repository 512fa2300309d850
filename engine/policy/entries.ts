// Entries of a policy: the units a decision reads and a change touches, named by path.
// `limits.phd-students` in a section of named entries; the section itself (`holds`) where the
// section is one object. The publish checklist matches what changed against what cases read.
import type { PolicyDocument } from './types.ts';

/** Sections that are maps of named entries. */
const NAMED = new Set(['assumptions', 'calendars', 'patron_categories', 'item_statuses', 'loan_types', 'limits', 'per_checkout', 'blocks', 'fees', 'sanctions', 'deposits', 'charges', 'rules']);

/** Sections that are one object each. */
export const SINGLE_SECTIONS: ReadonlySet<string> = new Set(['one_copy_per_title', 'holds', 'lost_item', 'payments']);

/**
 * The entry a dotted path lies in (`limits.phd-students.max` → `limits.phd-students`), or
 * undefined for what no decision reads: the header (version, name, effective date, source) and
 * the notes, which are information for readers.
 */
export function entryOf(path: string): string | undefined {
  const [section, id] = path.split('.');
  if (section === undefined) return undefined;
  if (SINGLE_SECTIONS.has(section)) return section;
  if (NAMED.has(section) && id !== undefined) return `${section}.${id}`;
  return undefined;
}

const indexes = new WeakMap<PolicyDocument, Map<object, string>>();

function index(into: Map<object, string>, v: unknown, entry: string): void {
  if (v === null || typeof v !== 'object' || into.has(v)) return;
  into.set(v, entry);
  for (const x of Array.isArray(v) ? v : Object.values(v)) index(into, x, entry);
}

/**
 * Every object of a consolidated document (entries and what they hold: a loan type's due rule,
 * a deposit's forfeiture) mapped to the entry it belongs to; worked out once per document.
 */
export function entryObjects(doc: PolicyDocument): Map<object, string> {
  let found = indexes.get(doc);
  if (found) return found;
  found = new Map();
  for (const [section, v] of Object.entries(doc)) {
    if (SINGLE_SECTIONS.has(section)) index(found, v, section);
    else if (NAMED.has(section) && v && typeof v === 'object') for (const [id, e] of Object.entries(v)) index(found, e, `${section}.${id}`);
  }
  indexes.set(doc, found);
  return found;
}
