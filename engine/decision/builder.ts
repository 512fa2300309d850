// Collects what a decision rests on — reasons, citations, assumptions — as the question is answered.
import { assumptionIds } from '../rules/from-policy.ts';
import type { Rule } from '../rules/types.ts';
import type { Cited, Text } from '../policy/types.ts';
import type { Decision, Reason } from './types.ts';
import { CODES, render, type Code } from '../rules/codes.ts';

export class DecisionBuilder {
  readonly reasons: Reason[] = [];
  private readonly cites = new Set<string>();
  private readonly assumed = new Set<string>();
  /** The policy's objects the answer used, when asked to keep them (see decide's `entries`). */
  readonly used?: Set<object>;

  constructor(keepUsed = false) {
    if (keepUsed) this.used = new Set();
  }

  /** Records entries the answer read without resting on them (no citation): see decide's `entries`. */
  read(entries: ReadonlyArray<object | undefined>): this {
    if (this.used) for (const e of entries) if (e) this.used.add(e);
    return this;
  }

  /** Records that the answer used this entry of the policy. */
  use(...entries: Array<Cited | undefined>): this {
    for (const e of entries) {
      if (!e) continue;
      this.used?.add(e);
      if (e.cite) this.cites.add(e.cite);
      for (const a of assumptionIds(e.assumption)) this.assumed.add(a);
    }
    return this;
  }

  add(kind: Reason['kind'], code: string, message: Text, src?: Cited): this {
    this.use(src);
    const ids = assumptionIds(src?.assumption);
    this.reasons.push({ code, kind, message, ...(src?.cite ? { cite: src.cite } : {}), ...(ids.length ? { assumptions: ids } : {}) });
    return this;
  }

  note(code: Code, params: Record<string, unknown>, src?: Cited): this {
    return this.add('note', code, render(CODES[code], params), src);
  }

  sanction(code: Code, params: Record<string, unknown>, src?: Cited): this {
    return this.add('sanction', code, render(CODES[code], params), src);
  }

  fired(rules: Rule[]): this {
    for (const r of rules) {
      if (r.event.type === 'sanction') continue; // sanctions are reported with their computed effects
      const p = r.event.params;
      this.add(r.event.type === 'refuse' ? 'refusal' : 'note', p.code, p.message, { cite: p.cite, assumption: p.assumptions });
    }
    return this;
  }

  get refused(): boolean {
    return this.reasons.some((r) => r.kind === 'refusal');
  }

  build(base: Omit<Decision, 'reasons' | 'citations' | 'assumptions'>): Decision {
    return { ...base, reasons: this.reasons, citations: [...this.cites], assumptions: [...this.assumed] };
  }
}
