// What a version leaves open or states twice: gaps, overlaps, unreachable entries, fees without a cap.
export { gaps, type Gap } from './gaps.ts';
export { overlaps, type Finding } from './overlaps.ts';
