// After the schema: money written in złoty becomes grosze, and every id a section names must exist.
import { closest, label, NOWHERE, pointerOf, pointerSegments, sortErrors, type Locate, type PolicyError } from '../errors/place.ts';
import { quote } from '../errors/quote.ts';
import { parseMoney } from '../money/money.ts';
import type { Id, PolicyDocument } from './types.ts';

export type Json = Record<string, unknown>;
const entries = (m: unknown): Array<[string, Json]> => (m && typeof m === 'object' ? (Object.entries(m).filter(([, v]) => v && typeof v === 'object') as Array<[string, Json]>) : []);

/** Money written as "20 zł" becomes grosze in place; the schema has already vetted the form. */
export function normaliseMoney(doc: Json, file: string, locate: Locate): PolicyError[] {
  const errors: PolicyError[] = [];
  const fix = (obj: Json | undefined, key: string, path: Array<string | number>) => {
    const v = obj?.[key];
    if (typeof v !== 'number' && typeof v !== 'string') return;
    try {
      (obj as Json)[key] = parseMoney(v);
    } catch (e) {
      const pointer = pointerOf([...path, key]);
      errors.push({ file, ...locate(pointer), pointer, message: `${label(pointer)}: ${(e as Error).message}` });
    }
  };
  for (const [id, fee] of entries(doc.fees)) for (const k of ['rate', 'cap']) fix(fee, k, ['fees', id]);
  for (const [id, dep] of entries(doc.deposits)) for (const k of ['amount', 'minimum']) fix(dep, k, ['deposits', id]);
  for (const [id, charge] of entries(doc.charges)) fix(charge, 'amount', ['charges', id]);
  fix(doc.payments as Json | undefined, 'online_minimum', ['payments']);
  const lost = doc.lost_item as Json | undefined;
  fix(lost?.payment as Json | undefined, 'fixed_fee', ['lost_item', 'payment']);
  return errors;
}

interface Kind {
  noun: string;
  section: string;
  ids: Id[];
}

/**
 * Ids that name something the document does not define: categories and loan types in limits,
 * per_checkout, fees, sanctions and deposits, deposits' units, item statuses' loan types, sanctions' revoke,
 * holds' sanction, and every `assumption:`; and one reminder charge per channel. Run it on a complete (or consolidated) version.
 */
export function checkReferences(doc: PolicyDocument, file: string, locate: Locate = NOWHERE): PolicyError[] {
  const errors: PolicyError[] = [];
  const kind = (noun: string, section: keyof PolicyDocument): Kind => ({ noun, section, ids: Object.keys((doc[section] as object | null | undefined) ?? {}) });
  const category = kind('patron category', 'patron_categories');
  const loanType = kind('loan type', 'loan_types');
  const sanction = kind('sanction', 'sanctions');
  const assumption = kind('assumption', 'assumptions');
  const unit = kind('library unit', 'calendars');

  const check = (path: Array<string | number>, value: unknown, k: Kind) => {
    if (typeof value !== 'string' || value === '*' || k.ids.includes(value)) return;
    const pointer = pointerOf(path);
    const list = pointerSegments(pointer);
    if (/^\d+$/.test(list[list.length - 1] ?? '')) list.pop(); // name the list, point at the item
    const guess = closest(value, k.ids);
    const has = k.ids.length ? `${k.section} has ${k.ids.join(', ')}` : `${k.section} is empty`;
    const message = `${label(pointerOf(list))}: unknown ${k.noun} ${quote(value)} — ${guess ? `did you mean ${guess}? (${has})` : has}`;
    errors.push({ file, ...locate(pointer), pointer, message });
  };
  const checkAll = (path: Array<string | number>, value: unknown, k: Kind) => {
    if (Array.isArray(value)) value.forEach((v, i) => check([...path, i], v, k));
    else check(path, value, k);
  };

  for (const section of ['limits', 'per_checkout', 'fees', 'sanctions', 'deposits'] as const) {
    for (const [id, entry] of entries(doc[section])) {
      checkAll([section, id, 'categories'], entry.categories, category);
      checkAll([section, id, 'loan_types'], entry.loan_types, loanType);
    }
  }
  for (const [id, dep] of entries(doc.deposits)) checkAll(['deposits', id, 'units'], dep.units, unit);
  for (const [id, status] of entries(doc.item_statuses)) checkAll(['item_statuses', id, 'loan_types'], status.loan_types, loanType);
  for (const [id, s] of entries(doc.sanctions)) checkAll(['sanctions', id, 'revoke'], s.revoke, loanType);
  for (const [id, lt] of entries(doc.loan_types)) for (const cat of Object.keys((lt.by_category as Json | undefined) ?? {})) check(['loan_types', id, 'by_category', cat], cat, category); // the key names the place
  if (doc.holds) check(['holds', 'sanction'], doc.holds.sanction, sanction);
  // A reminder's postage is read by its channel: two prices for one channel would be a guess.
  const priced = new Map<string, string>();
  for (const [id, c] of entries(doc.charges)) {
    const channel = c.per_reminder;
    if (typeof channel !== 'string') continue;
    const first = priced.get(channel);
    if (first === undefined) priced.set(channel, id);
    else {
      const pointer = pointerOf(['charges', id, 'per_reminder']);
      errors.push({ file, ...locate(pointer), pointer, message: `${label(pointer)}: the postage of a reminder by ${channel} is already charges.${first} — one charge per channel` });
    }
  }

  // `assumption:` may sit on any entry at any depth; rule conditions are data, not entries.
  const walk = (v: unknown, path: Array<string | number>) => {
    if (Array.isArray(v)) return v.forEach((x, i) => walk(x, [...path, i]));
    if (!v || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v)) {
      if (k === 'assumption') checkAll([...path, k], x, assumption);
      else if (!(path.length === 0 && k === 'assumptions') && !(path.length === 2 && path[0] === 'rules' && k === 'when')) walk(x, [...path, k]);
    }
  };
  walk(doc, []);
  return sortErrors(errors);
}
