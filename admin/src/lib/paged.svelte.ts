// A list kept newest first and shown a page at a time (the audit trail, the decision log): the
// entries shown, whether older ones remain, and loading the first page or the next one.
import { fromWarsawInput } from './format.ts';

/** The filters a list page's form holds: an institution (or all) and dates on the Warsaw clock. */
export interface RangeForm {
  institution: string;
  from: string;
  to: string;
}

/** The query for the form's values: whole days, `to` included. */
export function rangeQuery(f: RangeForm): { institution?: string; from?: string; to?: string } {
  return {
    ...(f.institution ? { institution: f.institution } : {}),
    ...(f.from ? { from: fromWarsawInput(`${f.from}T00:00`) ?? undefined } : {}),
    ...(f.to ? { to: fromWarsawInput(`${f.to}T23:59:59`) ?? undefined } : {}),
  };
}

export class Paged<T extends { id: string }> {
  items = $state<T[] | null>(null);
  /** More (older) entries match than are shown. */
  more = $state(false);
  busy = $state(false);
  error = $state<unknown>(null);
  readonly #fetch: (before: string | undefined) => Promise<{ items: T[]; next: string | null }>;

  /** `fetch(before)`: the page after entry `before` (the first page without it). */
  constructor(fetch: (before: string | undefined) => Promise<{ items: T[]; next: string | null }>) {
    this.#fetch = fetch;
  }

  /** The first page, or with `older` the page after the entries shown. */
  async load(older = false): Promise<void> {
    this.busy = true;
    this.error = null;
    try {
      const shown = older ? (this.items ?? []) : [];
      const page = await this.#fetch(shown.at(-1)?.id);
      this.items = [...shown, ...page.items];
      this.more = page.next !== null;
    } catch (e) {
      this.error = e;
    } finally {
      this.busy = false;
    }
  }
}
