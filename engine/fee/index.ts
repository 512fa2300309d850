// Overdue fees per started period, with their caps and breakdown.
export { overdueFee, type OverdueFee, type FeeRun } from './overdue.ts';
