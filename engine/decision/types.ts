// What a circulation system tells the engine (facts) and what the engine answers (decisions).
// Amounts are integer grosze; instants are ISO-8601 strings with an offset.
import type { Cite, Id, Question, ReminderChannel, Text } from '../policy/types.ts';

export interface PatronFacts {
  category: Id;
  /** Volumes out now, by loan type. */
  loans?: Record<Id, number>;
  /** Title-and-edition ids the patron has out now (one copy per title, SUM § 6 ust. 4). */
  titles?: string[];
  overdue_items?: number;
  /** Unpaid dues, grosze. */
  unpaid?: number;
  /** Deposit held for the account, grosze — where the patron's category has one deposit. */
  deposit_paid?: number;
  /** Deposits held, grosze, by deposit (an id of the policy's deposits): UMK's Toruń and Bydgoszcz accounts. */
  deposits?: Record<Id, number>;
  /** Account blocked until this instant. */
  blocked_until?: string;
  /** Loan types whose privilege the patron has lost. */
  revoked?: Id[];
  /** Rights renewed up to this date (YYYY-MM-DD). */
  rights_valid_until?: string;
  /** Date of registration or the last extension of rights (YYYY-MM-DD): rights then run to the
   * category's yearly expiry day on or after it. */
  registered?: string;
  age?: number;
}

export interface ItemFacts {
  status: Id;
  title?: string;
  /** Another patron has requested (reserved) the item. */
  requested?: boolean;
  /** Market price, grosze (deposits per copy, lost items). */
  market_price?: number;
  /** The library's average purchase price per volume last year, grosze. */
  average_price?: number;
}

export interface LoanFacts {
  loan_type: Id;
  checked_out?: string;
  due: string;
  renewals?: number;
  requested?: boolean;
}

export interface CheckoutFacts {
  patron: PatronFacts;
  item: ItemFacts;
  loan_type?: Id;
  /** Library unit (calendar id); default: the policy's first calendar. */
  unit?: Id;
  /** Volumes in this checkout transaction, this one included (default 1). */
  volumes?: number;
  /** Made by the patron at a self-check station, not by a librarian (default false). */
  self_check?: boolean;
}

export interface RenewalFacts {
  patron: PatronFacts;
  loan: LoanFacts;
  unit?: Id;
}

export interface ReturnFacts {
  patron?: PatronFacts;
  loan: LoanFacts;
  unit?: Id;
  /** Reminders sent about the loan: their postage is charged where the price list says so. */
  reminders?: ReminderFacts[];
}

export interface StandingFacts {
  patron: PatronFacts;
}

export interface HoldFacts {
  patron?: PatronFacts;
  hold: { ready: string; loan_type?: Id; picked_up?: string };
  unit?: Id;
}

/** A reminder sent about a loan: the instant alone (how is not said), or when and by which channel. */
export type ReminderFacts = string | { sent: string; channel: ReminderChannel };

export interface DepositFacts {
  patron?: PatronFacts;
  deposit: Id;
  /** Deposit held, grosze (default: the policy amount). */
  amount?: number;
  loan?: LoanFacts & { returned?: string };
  reminders?: ReminderFacts[];
  /** Owed in fees for the loan, grosze (when absent the engine computes the overdue fee). */
  owed?: number;
}

export interface DepositRefundFacts {
  patron: PatronFacts;
  deposit: Id;
  amount?: number;
  items_out?: number;
  returned_on_time?: boolean;
  written_request?: boolean;
  account_closed?: boolean;
}

export interface LostItemFacts {
  item: ItemFacts;
}

export interface PaymentFacts {
  payment: { amount: number; channel: 'online' | 'desk'; booked?: string };
  loans?: Array<LoanFacts & { id: string }>;
  patron?: PatronFacts;
}

export interface ChargeFacts {
  /** The price-list entry (an id of the policy's charges). */
  charge: Id;
  /** How many (default 1). */
  count?: number;
}

export interface FactsByQuestion {
  checkout: CheckoutFacts;
  renewal: RenewalFacts;
  return: ReturnFacts;
  standing: StandingFacts;
  'hold-pickup': HoldFacts;
  deposit: DepositFacts;
  'deposit-refund': DepositRefundFacts;
  'lost-item': LostItemFacts;
  payment: PaymentFacts;
  charge: ChargeFacts;
}

export interface Reason {
  code: string;
  kind: 'refusal' | 'sanction' | 'note';
  message: Text;
  cite?: Cite;
  /** Ids of the assumptions this reason rests on (their texts: the version's explanation). */
  assumptions?: Id[];
}

export interface Decision {
  question: Question;
  /** allow/refuse for checkout-like questions; info for computed answers. */
  outcome: 'allow' | 'refuse' | 'info';
  reasons: Reason[];
  /** Computed values: due instants, amounts in grosze, breakdowns. */
  values: Record<string, unknown>;
  /** Every citation the decision rests on, and the id of every assumption it uses: the texts are
   * the version's, the same in every decision, so they come once per version (explanation.ts). */
  citations: Cite[];
  assumptions: Id[];
  /** The texts of `assumptions`, when asked for (withTexts). */
  assumption_texts?: Record<Id, Text>;
  at: string;
  policy: { institution: Id; version: string; hash: string };
  trace?: string[];
  /** The policy entries the decision read, by path (`limits.phd-students`), when asked for. */
  entries?: string[];
}
