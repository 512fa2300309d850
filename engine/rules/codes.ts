// Reason codes are the stable part of a decision that integrators branch on; messages are
// for people. Templates take {name} placeholders filled from the rule's parameters.
import type { Text } from '../policy/types.ts';

export const CODES = {
  // checkout and renewal refusals
  PATRON_ON_SITE_ONLY: { en: 'This patron category may use the collection on site only.', pl: 'Ta kategoria czytelników może korzystać ze zbiorów wyłącznie na miejscu.' },
  ITEM_ON_SITE_ONLY: { en: 'Items of status "{status}" are not lent out.', pl: 'Egzemplarze o statusie „{status}” nie są wypożyczane.' },
  LOAN_TYPE_NOT_FOR_ITEM: { en: 'Items of status "{status}" are not lent as {loan_type}.', pl: 'Egzemplarzy o statusie „{status}” nie wypożycza się jako: {loan_type}.' },
  NOT_ENTITLED: { en: 'Patrons of category "{category}" have no right to {loan_type} loans.', pl: 'Czytelnicy kategorii „{category}” nie mają prawa do wypożyczeń: {loan_type}.' },
  LIMIT_REACHED: { en: 'Limit reached: at most {max} volumes ({limit}).', pl: 'Osiągnięto limit: najwyżej {max} wol. ({limit}).' },
  PER_CHECKOUT_LIMIT: { en: 'At most {max} volumes in one checkout ({limit}).', pl: 'Jednorazowo najwyżej {max} wol. ({limit}).' },
  SELF_CHECK_NOT_ALLOWED: { en: 'At {unit} items are lent only by a librarian, not at a self-check station.', pl: 'W jednostce {unit} wypożycza wyłącznie bibliotekarz, nie stanowisko samoobsługowe (Self-check).' },
  UNIT_CLOSED: { en: '{loan_type} loans are made only while the library is open.', pl: 'Wypożyczenia: {loan_type} są możliwe tylko w godzinach otwarcia.' },
  TOO_EARLY: { en: '{loan_type} loans start at the earliest {before} before closing.', pl: 'Wypożyczenie: {loan_type} możliwe najwcześniej {before} przed zamknięciem.' },
  NOT_BEFORE_BREAK: { en: '{loan_type} loans are made only on the last open day before a break.', pl: 'Wypożyczenie: {loan_type} możliwe tylko w ostatnim dniu pracy przed przerwą.' },
  TOO_LATE: { en: 'Too late today for a {loan_type} loan.', pl: 'Na wypożyczenie: {loan_type} jest dziś za późno.' },
  OVERDUE_ITEMS: { en: 'The patron has overdue items.', pl: 'Czytelnik zalega ze zwrotem wypożyczonych materiałów.' },
  UNPAID_DUES: { en: 'The patron has unpaid dues.', pl: 'Czytelnik ma nieuregulowane należności.' },
  ACCOUNT_BLOCKED: { en: 'The account is blocked.', pl: 'Konto czytelnika jest zablokowane.' },
  RIGHTS_EXPIRED: { en: 'The patron\'s borrowing rights have expired.', pl: 'Uprawnienia czytelnika wygasły.' },
  RIGHTS_UNKNOWN: {
    en: 'Whether the borrowing rights are still valid cannot be established: rights of {category} lapse every year after {day} unless extended, and neither patron.rights_valid_until nor patron.registered (the date of registration or of the last extension) was sent.',
    pl: 'Nie można ustalić, czy uprawnienia czytelnika są ważne: uprawnienia kategorii {category} wygasają co roku po {day}, jeśli nie zostaną przedłużone, a nie podano ani patron.rights_valid_until, ani patron.registered (daty zapisu lub ostatniego przedłużenia).',
  },
  PRIVILEGE_REVOKED: { en: 'The patron has lost the right to {loan_type} loans.', pl: 'Czytelnik utracił prawo do wypożyczeń: {loan_type}.' },
  DEPOSIT_REQUIRED: { en: 'A deposit must be paid first ({deposit}).', pl: 'Wymagana jest wpłata kaucji ({deposit}).' },
  UNDER_AGE: { en: 'Patrons must be at least {min_age} years old.', pl: 'Czytelnik musi mieć ukończone {min_age} lat.' },
  ONE_COPY_PER_TITLE: { en: 'The patron already has a copy of this title and edition.', pl: 'Czytelnik ma już egzemplarz tego tytułu w tym wydaniu.' },
  RENEWAL_NOT_ALLOWED: { en: '{loan_type} loans cannot be renewed.', pl: 'Wypożyczeń: {loan_type} nie można prolongować.' },
  RENEWAL_LIMIT: { en: 'No renewals left (at most {max}).', pl: 'Wyczerpano limit prolongat (najwyżej {max}).' },
  ITEM_REQUESTED: { en: 'Another patron has requested the item.', pl: 'Egzemplarz został zamówiony przez innego czytelnika.' },
  RENEWAL_TOO_LATE: { en: 'Renewal is possible at the latest on the due day.', pl: 'Prolongaty można dokonać najpóźniej w dniu upływu terminu zwrotu.' },
  // computed answers
  LOAN_PERIOD: { en: 'Due {due} ({loan_type}).', pl: 'Termin zwrotu: {due} ({loan_type}).' },
  LATE_FEE: { en: 'Overdue fee: {amount} for {periods} of {per}.', pl: 'Opłata za nieterminowy zwrot: {amount} za {periods} (okres: {per}).' },
  FEE_CAPPED: { en: 'The fee is capped at {cap} per item.', pl: 'Opłata nie przekracza {cap} za egzemplarz.' },
  REMINDER_POSTAGE: { en: 'Postage of reminders: {amount} ({count} × {charge}).', pl: 'Koszty wysłania upomnień: {amount} ({count} × {charge}).' },
  TOTAL_CHARGED: { en: 'Charged in all: {total} (overdue fee {fee}, postage {postage}).', pl: 'Łącznie do zapłaty: {total} (opłata za zwłokę {fee}, koszty upomnień {postage}).' },
  ACCOUNT_BLOCK: { en: 'Account blocked for {days} ({sanction}).', pl: 'Konto zablokowane na {days} ({sanction}).' },
  PRIVILEGES_LOST: { en: 'Loss of privileges: {loan_types} ({sanction}).', pl: 'Utrata uprawnień: {loan_types} ({sanction}).' },
  HOLD_DEADLINE: { en: 'Pick up by {deadline}.', pl: 'Odbiór do {deadline}.' },
  HOLD_NOT_COLLECTED: { en: 'The hold was not collected in time; the item goes back to the stacks.', pl: 'Zamówienia nie odebrano w terminie; egzemplarz wraca do magazynu.' },
  DEPOSIT_FORFEIT_TIMELINE: { en: 'The deposit is forfeited on {forfeits_at} ({forfeit_reason}).', pl: 'Kaucja przepada {forfeits_at} ({forfeit_reason}).' },
  DEPOSIT_FORFEITED: { en: 'The deposit is forfeited: {forfeited_amount} is taken.', pl: 'Kaucja przepada: potrąca się {forfeited_amount}.' },
  RETURN_STILL_DUE: { en: 'Forfeiting the deposit does not end the duty to return the item.', pl: 'Potrącenie z kaucji nie zwalnia z obowiązku zwrotu.' },
  ITEMS_OUT: { en: 'All borrowed items must be returned first.', pl: 'Najpierw należy zwrócić wszystkie wypożyczone materiały.' },
  RETURNED_LATE: { en: 'The deposit is refunded only after a timely return.', pl: 'Zwrot kaucji następuje po terminowym zwrocie materiałów.' },
  NO_WRITTEN_REQUEST: { en: 'A written request is needed for the refund.', pl: 'Zwrot kaucji wymaga pisemnego wniosku.' },
  ACCOUNT_OPEN: { en: 'The refund follows the closing of the account.', pl: 'Zwrot kaucji następuje po likwidacji konta.' },
  DEPOSIT_REFUND: { en: 'Refund: {refund}.', pl: 'Do zwrotu: {refund}.' },
  CHARGE: { en: '{charge}: {amount}.', pl: '{charge}: {amount}.' },
  CHARGES: { en: '{charge}: {count} × {amount} = {total}.', pl: '{charge}: {count} × {amount} = {total}.' },
  LOST_ITEM_OPTIONS: { en: 'Settle by: {options}.', pl: 'Sposoby rozliczenia: {options}.' },
  SUBSTITUTE_MAX: { en: 'A substitute may cost at most {substitute_max_price}.', pl: 'Cena katalogowa dokumentu zastępczego nie może przekroczyć {substitute_max_price}.' },
  PAYMENT_RANGE: { en: 'Payment: from {payment_min} to {payment_max}.', pl: 'Opłata: od {payment_min} do {payment_max}.' },
  PAYMENT_BELOW_MINIMUM: { en: 'An online payment must be at least {minimum}.', pl: 'Minimalna kwota płatności elektronicznej wynosi {minimum}.' },
  NO_INSTALMENTS: { en: 'Dues are not paid online in instalments.', pl: 'Należności nie podlegają podziałowi na raty.' },
  DUE_MOVED: { en: 'Due date moved to {due}.', pl: 'Termin zwrotu przesunięto na {due}.' },
  DUE_NOT_MOVED_SHORT: { en: 'Short-term loans keep their due date.', pl: 'Termin wypożyczeń krótkoterminowych nie zmienia się.' },
  DUE_NOT_MOVED_REQUESTED: { en: 'Requested items keep their due date.', pl: 'Termin zwrotu zamówionych egzemplarzy nie zmienia się.' },
  CUSTOM: { en: '{message}', pl: '{message}' },
} as const satisfies Record<string, Text>;

export type Code = keyof typeof CODES;

type Compiled = Array<string | { name: string }>;
const compiled = new WeakMap<Text, { en: Compiled; pl: Compiled }>();

/** Splits a template once into literal text and {name} slots (messages are made on the hot path). */
function parts(s: string): Compiled {
  return s.split(/(\{\w+\})/).map((x) => (/^\{\w+\}$/.test(x) ? { name: x.slice(1, -1) } : x));
}

/** A parameter is a plain value or a Text, whose own language is used in each message. */
export function render(template: Text, params: Record<string, unknown>): Text {
  let c = compiled.get(template);
  if (!c) compiled.set(template, (c = { en: parts(template.en), pl: parts(template.pl) }));
  const fill = (ps: Compiled, lang: keyof Text) => {
    let out = '';
    for (const x of ps) {
      if (typeof x === 'string') {
        out += x;
        continue;
      }
      const v = params[x.name];
      out += v === undefined ? `{${x.name}}` : v !== null && typeof v === 'object' && lang in v ? String((v as Text)[lang]) : String(v);
    }
    return out;
  };
  return { en: fill(c.en, 'en'), pl: fill(c.pl, 'pl') };
}
