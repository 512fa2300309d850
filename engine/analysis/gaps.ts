// Gaps: a category × loan type that no limit covers. The engine refuses such loans (a regulation
// grants rights, it does not list what it forbids), so a gap is either deliberate — better said
// with `max: 0` — or a row forgotten in the table.
import { covers } from '../policy/scope.ts';
import type { Id, PolicyDocument } from '../policy/types.ts';

export interface Gap {
  category: Id;
  loan_type: Id;
  /** "PhD students × Overnight loans: no limit covers it, so such loans are refused" */
  message: string;
}

export function gaps(doc: PolicyDocument): Gap[] {
  const limits = Object.values(doc.limits ?? {});
  const out: Gap[] = [];
  for (const [c, cat] of Object.entries(doc.patron_categories ?? {})) {
    if (cat.on_site_only) continue; // no home loans at all: nothing to cover
    for (const [l, lt] of Object.entries(doc.loan_types ?? {})) {
      if (limits.some((lim) => covers(lim.categories, c) && covers(lim.loan_types, l))) continue;
      out.push({
        category: c,
        loan_type: l,
        message: `${cat.label?.en ?? c} × ${lt.label?.en ?? l} (${c} × ${l}): no limit covers it, so such loans are refused — add a limit, or one with max: 0 to say so`,
      });
    }
  }
  return out;
}
