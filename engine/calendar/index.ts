// Opening-hours calendars per library unit, and Polish public holidays.
export { polishPublicHolidays, polishHolidayName, easterSunday } from './holidays.ts';
export {
  type Calendar,
  type CalendarSpec,
  type ClosedRange,
  type HoursKey,
  type WeekdayKey,
  compileCalendar,
} from './calendar.ts';
