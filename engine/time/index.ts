// Europe/Warsaw time arithmetic: pure, no I/O, instants are epoch milliseconds.
export { MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE } from './civil.ts';
export { warsawOffsetMinutes } from './offset.ts';
export { FIRST_YEAR, LAST_YEAR, SUPPORTED_YEARS, DATE_PATTERN, INSTANT_PATTERN, MONTH_DAY_PATTERN } from '../../contract/range.ts';
export {
  type LocalDate,
  type LocalTime,
  parseLocalDate,
  formatLocalDate,
  isLocalDate,
  addDays,
  addMonths,
  dayOfWeek,
  compareDates,
  daysBetween,
  parseWallTime,
  formatLocalTime,
} from './date.ts';
export { type LocalDateTime, toLocal, localDateOf, fromLocal } from './local.ts';
export { parseInstant, parseSupportedInstant, formatInstant } from './instant.ts';
export { type Duration, addDuration, durationMs } from './duration.ts';
