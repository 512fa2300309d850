// The questions a circulation system asks, once: the engine answers each (its handlers are typed
// by this table, so one missing is a compile error), the facts contract has a definition per
// question (contract/facts.schema.json, checked by tests/contract.test.ts), and the API has a
// route per question, documented with these words.

export const QUESTION_WORDS = {
  checkout: 'May this patron borrow this item now, as what loan type, and until when?',
  renewal: 'May this loan be renewed, and until when?',
  return: 'What does this (late) return cost, and does it block the account?',
  standing: 'Is the patron blocked, and how much of each limit is left?',
  'hold-pickup': 'Until when can a hold be collected, and what if it was not?',
  deposit: 'How much deposit is held, when is it forfeited and how much?',
  'deposit-refund': 'How much of a deposit is refunded?',
  'lost-item': 'What may the patron give for a lost item?',
  payment: 'Which loans does a payment move, and to when?',
  charge: 'What does the price list charge for this service (a duplicate card, the postage of a reminder)?',
} as const;

export type Question = keyof typeof QUESTION_WORDS;

export const QUESTIONS = Object.keys(QUESTION_WORDS) as Question[];

export function isQuestion(s: string): s is Question {
  return Object.hasOwn(QUESTION_WORDS, s);
}
