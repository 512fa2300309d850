// Which deposit opens a category's home loans at a library unit: the first that covers both (a
// deposit without `units` covers every unit). UMK pays one into the Toruń libraries' account and
// one into the Medical Library's in Bydgoszcz; each opens loans at its own libraries only.
import type { Deposit, Id, PolicyDocument } from './types.ts';

type WithDeposits = Pick<PolicyDocument, 'deposits'>;

const covers = (ids: Id[] | '*' | undefined, id: Id) => ids === undefined || ids === '*' || ids.includes(id);

export function depositAt(doc: WithDeposits, category: Id, unit: Id): [Id, Deposit] | undefined {
  return Object.entries(doc.deposits ?? {}).find(([, d]) => covers(d.categories, category) && covers(d.units, unit));
}

/** The deposits a patron of this category may hold. */
export function depositsOf(doc: WithDeposits, category: Id): Array<[Id, Deposit]> {
  return Object.entries(doc.deposits ?? {}).filter(([, d]) => covers(d.categories, category));
}
