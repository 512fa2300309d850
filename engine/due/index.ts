// When a loan is due: a due rule applied at an instant on a unit's calendar.
export { dueInstant } from './due.ts';
