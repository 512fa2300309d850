// The policy document as written in YAML (one document per version), after parsing.
// policy.schema.json validates the same shape; keep the two in step (tests/policy-types.test.ts
// fails when a definition and its interface differ in a key, or a required key is optional here).
import type { Question } from '../../contract/questions.ts';
import type { CalendarSpec } from '../calendar/index.ts';

export type Id = string;
export type Cite = string; // "§ 14 ust. 1" — shown in every decision that uses the value
export type AssumptionRef = Id | Id[];

export interface Text {
  en: string;
  pl: string;
}

export interface Duration {
  months?: number;
  days?: number;
  hours?: number;
  minutes?: number;
}

export interface Cited {
  cite?: Cite;
  /** Ids from `assumptions` the value rests on (the source does not give it). */
  assumption?: AssumptionRef;
}

export interface SourceDocument {
  title: string;
  number?: string;
  date?: string; // YYYY-MM-DD
  url?: string;
}

/** A library unit: its calendar, its name, and whether patrons may lend themselves items there. */
export type Unit = CalendarSpec &
  Cited & {
    label?: Text;
    /** Self-check stations: `allowed: false` where only a librarian lends (PB's faculty libraries). */
    self_check?: Cited & { allowed: boolean };
  };

export interface PatronCategory extends Cited {
  label: Text;
  /** Borrowing rights lapse after this day each year ("10-31" = 31 October). */
  rights_expire?: string;
  /** Home loans need a paid deposit: the one that applies at the lending unit (`patron.deposits`, or
   * `patron.deposit_paid` where the category has one deposit) ≥ its amount, or > 0. */
  deposit_required?: boolean;
  /** On-site use only: no loan types but `in_building` ones. */
  on_site_only?: boolean;
  /** Minimum age in years (`patron.age`). */
  min_age?: number;
}

export interface ItemStatus extends Cited {
  label: Text;
  /** Loan types this status allows; when a request names none, the first the category is granted. */
  loan_types?: Id[];
  /** Not lent out (read on site); only `in_building` loan types it lists are allowed. */
  on_site_only?: boolean;
}

/** When a loan falls due. */
export type DueRule =
  /** A period from checkout: months/days on the Warsaw calendar (due at the end of that day
   * unless `at` is given), hours/minutes as real elapsed time. */
  | (Cited & {
      kind: 'period';
      months?: number;
      days?: number;
      hours?: number;
      minutes?: number;
      /** Wall time the due day ends at for day/month periods (default "23:59:59" — end of day). */
      at?: string;
      /** What to do when a day/month period ends on a closed day (default: keep). */
      closed_day?: 'keep' | 'next-open-day' | 'previous-open-day';
    })
  /** A wall time on a following day: "by 9:00 on the next open day". */
  | (Cited & { kind: 'time-of-day'; time: string; day: 'next-day' | 'next-open-day' })
  /** "after the first opening hour of the next working day". */
  | (Cited & { kind: 'after-opening'; after: Duration; day: 'next-open-day' | 'same-day' })
  /** "15 minutes before the unit closes" (same day), or closing itself with 0. */
  | (Cited & { kind: 'before-closing'; before: Duration; day: 'same-day' });

export interface CheckoutWindow extends Cited {
  /** Only within this time before the unit closes ("not earlier than 1 hour before closing"). */
  before_closing?: Duration;
  /** Only on the last open day before a break (the next day is closed). */
  last_open_day_before_break?: boolean;
  /** Only while the unit is open (default true when any window is set). */
  while_open?: boolean;
}

export interface Renewal extends Cited {
  allowed: boolean;
  /** How many renewals in all (absent: no count limit). */
  max?: number;
  /** Refused when another patron has requested the item. */
  refused_when_requested?: boolean;
  /** The last moment to renew: 'due-day' = by the end of the due day; 'due' = by the due instant. */
  deadline?: 'due-day' | 'due';
  /** The new period counts from: the renewal instant ('now') or the old due instant ('due'). */
  from?: 'now' | 'due';
}

export interface LoanType extends Cited {
  label: Text;
  due: DueRule;
  window?: CheckoutWindow;
  renewal?: Renewal;
  /** Terms for particular patron categories (their own due rule, renewal), by category id. */
  by_category?: Record<Id, CategoryTerms>;
  /** Hold pick-up window for items of this loan type, in open days (overrides holds). */
  hold_pickup_open_days?: number;
  /** The same in calendar days, open or closed (SUM § 6 ust. 5: "na 1 dzień"); not with hold_pickup_open_days. */
  hold_pickup_days?: number;
  /** Short loans: not moved by an online payment (UWM § 28 ust. 7), privileges may be revoked. */
  short?: boolean;
  /** The item stays in the building (same-day use elsewhere in the library, UWM § 4 ust. 4; an
   * order to the reading room, SUM § 19 ust. 1): open to on-site-only items and patrons, which
   * refuse every other loan type; it needs no deposit (a deposit opens home loans). */
  in_building?: boolean;
}

/** A loan type's terms for one patron category: what it gives replaces the loan type's own. */
export interface CategoryTerms extends Cited {
  due?: DueRule;
  renewal?: Renewal;
}

/** At most `max` volumes of the listed loan types at once ('*' = all loan types). */
export interface Limit extends Cited {
  categories: Id[] | '*';
  loan_types: Id[] | '*';
  max: number;
}

/** At most `max` volumes in one checkout transaction. */
export interface PerCheckoutLimit extends Cited {
  categories?: Id[] | '*';
  loan_types: Id[] | '*';
  max: number;
}

export interface Fee extends Cited {
  loan_types: Id[] | '*';
  categories?: Id[] | '*';
  /** Grosze per started period. */
  rate: number;
  /** The period: real elapsed time ({hours: 24}, {hours: 1}) or calendar days ({days: 1}). */
  per: Duration;
  /** Most charged per item, grosze. */
  cap?: number;
  /** Lateness forgiven before any fee (the fee then counts from the due instant all the same). */
  grace?: Duration;
  /** Whether days the unit is closed count (default true). */
  count_closed?: boolean;
}

export type SanctionTrigger = 'late-return' | 'hold-not-collected';

export interface Sanction extends Cited {
  on: SanctionTrigger;
  loan_types?: Id[] | '*';
  categories?: Id[] | '*';
  /** Account blocked for this many days from the event. */
  block_days?: number;
  /** Loan types the patron loses the right to. */
  revoke?: Id[];
  label: Text;
}

export type BlockKind = 'overdue-items' | 'unpaid-dues' | 'blocked-until' | 'rights-expired' | 'revoked';

export interface Block extends Cited {
  /** The questions it refuses (default checkout and renewal). */
  questions?: Question[];
}

export interface Holds extends Cited {
  /** Pick up within this many open (working) days after the hold becomes ready… */
  pickup_open_days?: number;
  /** …or within this many calendar days (one of the two). */
  pickup_days?: number;
  /** The sanction applied when not collected. */
  sanction?: Id;
}

/** How a reminder is sent (SUM § 17 ust. 6 counts only registered letters). */
export type ReminderChannel = 'email' | 'letter' | 'registered-letter';

export interface DepositForfeiture extends Cited {
  /** After this many reminders (the instant the Nth one was sent). */
  after_reminders?: number;
  /** After this time from the due instant. */
  after_due?: Duration;
  /** After this time from the first reminder. */
  after_reminder?: Duration;
  /** Only reminders sent by these channels count (absent: every reminder). */
  channels?: ReminderChannel[];
  /** What is taken: what is owed (fees, up to the deposit) or the whole deposit. */
  takes: 'owed' | 'whole';
  /** Forfeiture does not end the duty to return the item. */
  return_still_due?: boolean;
}

export interface Deposit extends Cited {
  label: Text;
  /** 'account': one sum per patron account; 'copy': per borrowed copy. */
  scope: 'account' | 'copy';
  categories: Id[] | '*';
  /** Library units (calendar ids) whose home loans it opens (absent: every unit). */
  units?: Id[];
  /** Fixed amount in grosze (scope account), or the minimum (scope copy: market value, at least this). */
  amount?: number;
  minimum?: number;
  /** Loan types a copy-deposit loan may use. */
  loan_types?: Id[];
  forfeiture?: DepositForfeiture;
  refund?: Cited & {
    /** Conditions: all items returned, dues settled, returned on time, a written request. */
    requires: Array<'all-returned' | 'dues-settled' | 'returned-on-time' | 'written-request' | 'account-closed'>;
  };
}

export interface LostItem extends Cited {
  /** Ways to settle, in the order the regulation offers them. */
  options: Array<'identical-copy' | 'substitute' | 'payment'>;
  /** A substitute's catalogue price may be at most these multiples. */
  substitute_max?: { market_price_multiple?: number; average_price_multiple?: number } & Cited;
  /** Payment: the market price plus a processing cost of at most this percent. */
  payment?: { processing_max_percent?: number; fixed_fee?: number } & Cited;
}

export interface Payments extends Cited {
  /** Smallest online payment, grosze. */
  online_minimum?: number;
  installments?: boolean;
  /** Paying an overdue fee online moves overdue loans' due date (UWM § 28 ust. 7). */
  moves_due?: Cited & {
    days_after_booking: number;
    except_short: boolean;
    except_requested: boolean;
  };
}

/** An entry of the price list: what the library charges for a service. */
export interface Charge extends Cited {
  label: Text;
  /** Grosze. */
  amount: number;
  /** The postage of each reminder sent by this channel, charged to the reader (reported with a return). */
  per_reminder?: ReminderChannel;
}

export type { Question };

export type Outcome = 'refuse' | 'note';

/** A json-rules-engine condition tree. */
export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { fact: string; operator: string; value: unknown; path?: string; params?: Record<string, unknown> };

/** A rule the tables cannot say, in json-rules-engine's own condition format. */
export interface CustomRule extends Cited {
  question: Question;
  outcome: Outcome;
  code: string;
  message: Text;
  when: Condition;
}

export interface PolicyDocument {
  institution: Id;
  /** Institution's display name (only needed on a complete version). */
  name?: string;
  version: string;
  effective_from: string;
  status: 'draft' | 'published' | 'retired';
  source: SourceDocument;
  /** Version label this document amends; its maps are merged over the base (null deletes a key). */
  amends?: string;
  assumptions?: Record<Id, Text>;
  /** Library units: their opening hours, and how they lend. */
  calendars?: Record<Id, Unit>;
  patron_categories?: Record<Id, PatronCategory>;
  item_statuses?: Record<Id, ItemStatus>;
  loan_types?: Record<Id, LoanType>;
  limits?: Record<Id, Limit>;
  per_checkout?: Record<Id, PerCheckoutLimit>;
  /** One copy of a title of the same edition per patron. */
  one_copy_per_title?: Cited & { enabled: boolean };
  blocks?: Partial<Record<BlockKind, Block>>;
  fees?: Record<Id, Fee>;
  sanctions?: Record<Id, Sanction>;
  holds?: Holds;
  deposits?: Record<Id, Deposit>;
  lost_item?: LostItem;
  payments?: Payments;
  /** The price list: charges by id (a duplicate card, the postage of a reminder letter). */
  charges?: Record<Id, Charge>;
  rules?: Record<Id, CustomRule>;
  notes?: Record<Id, Text & Cited>;
}
