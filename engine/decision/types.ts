// What a circulation system tells the engine (facts) and what the engine answers (decisions).
// Amounts are integer grosze; instants are ISO-8601 strings with an offset.
import type { Cite, Id, Question, Text } from '../policy/types.ts';

// The facts are the contract's (contract/facts.schema.json, which checks them before a decision):
// the engine takes its generated types under the names it has always used.
export type {
  Patron as PatronFacts,
  Item as ItemFacts,
  Loan as LoanFacts,
  Checkout as CheckoutFacts,
  Renewal as RenewalFacts,
  Return as ReturnFacts,
  Standing as StandingFacts,
  HoldPickup as HoldFacts,
  Reminder as ReminderFacts,
  Deposit as DepositFacts,
  DepositRefund as DepositRefundFacts,
  LostItem as LostItemFacts,
  Payment as PaymentFacts,
  Charge as ChargeFacts,
} from '../../contract/types/facts.ts';
import type * as Facts from '../../contract/types/facts.ts';

/** Each question's facts. */
export interface FactsByQuestion {
  checkout: Facts.Checkout;
  renewal: Facts.Renewal;
  return: Facts.Return;
  standing: Facts.Standing;
  'hold-pickup': Facts.HoldPickup;
  deposit: Facts.Deposit;
  'deposit-refund': Facts.DepositRefund;
  'lost-item': Facts.LostItem;
  payment: Facts.Payment;
  charge: Facts.Charge;
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
