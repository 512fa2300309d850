// A loan type's terms for a patron category: its due rule and renewal rules, or the category's own
// where the loan type gives them (`by_category`, a cell of Koha's matrix over its default row).
import type { CategoryTerms, Cited, DueRule, Id, LoanType, Renewal } from './types.ts';

export interface Terms {
  due: DueRule;
  renewal: Renewal | undefined;
  /** What the due rule rests on: the category's terms, else the loan type. */
  dueSource: Cited;
}

// Worked out once per loan type and category with terms of its own (any other id gets the loan
// type's, so facts naming unknown categories add nothing here).
const memo = new WeakMap<LoanType, Map<Id | undefined, Terms>>();

export function termsFor(lt: LoanType, category: Id): Terms {
  let byCategory = memo.get(lt);
  if (!byCategory) memo.set(lt, (byCategory = new Map()));
  const key = lt.by_category && Object.hasOwn(lt.by_category, category) ? category : undefined;
  let terms = byCategory.get(key);
  if (!terms) {
    const own = key === undefined ? undefined : lt.by_category![key];
    const due = own?.due ?? lt.due;
    // The category's terms vouch for its own due rule only; the loan type for the rest.
    const mine = own?.due ? own : undefined;
    terms = {
      due,
      renewal: own?.renewal ?? lt.renewal,
      dueSource: { cite: due.cite ?? mine?.cite ?? lt.cite, assumption: due.assumption ?? mine?.assumption ?? lt.assumption },
    };
    byCategory.set(key, terms);
  }
  return terms;
}

/** The categories whose terms replace the loan type's `key`, with those terms. */
export function ownTerms(lt: LoanType, key: 'due' | 'renewal'): Array<[Id, CategoryTerms]> {
  return Object.entries(lt.by_category ?? {}).filter(([, t]) => t && t[key] !== undefined);
}
