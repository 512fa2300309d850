// Which deposit opens a category's home loans at a library unit: the first that covers both (a
// deposit without `units` covers every unit). UMK pays one into the Toruń libraries' account and
// one into the Medical Library's in Bydgoszcz; each opens loans at its own libraries only.
// Worked out once per version (a document is not changed once compiled): checkouts ask every time.
import { covers } from './scope.ts';
import type { Deposit, Id, PolicyDocument } from './types.ts';

type WithDeposits = Pick<PolicyDocument, 'deposits'>;

const memo = new WeakMap<WithDeposits, { of: Map<Id, Array<[Id, Deposit]>>; at: Map<Id, Map<Id, [Id, Deposit] | undefined>> }>();
const cache = (doc: WithDeposits) => {
  let c = memo.get(doc);
  if (!c) memo.set(doc, (c = { of: new Map(), at: new Map() }));
  return c;
};

/** The deposits a patron of this category may hold. */
export function depositsOf(doc: WithDeposits, category: Id): Array<[Id, Deposit]> {
  const { of } = cache(doc);
  let found = of.get(category);
  if (!found) of.set(category, (found = Object.entries(doc.deposits ?? {}).filter(([, d]) => covers(d.categories, category))));
  return found;
}

export function depositAt(doc: WithDeposits, category: Id, unit: Id): [Id, Deposit] | undefined {
  const { at } = cache(doc);
  let byUnit = at.get(category);
  if (!byUnit) at.set(category, (byUnit = new Map()));
  if (!byUnit.has(unit)) byUnit.set(unit, depositsOf(doc, category).find(([, d]) => covers(d.units, unit)));
  return byUnit.get(unit);
}
