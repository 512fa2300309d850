// An amendment states only what it changes; consolidation merges it over its base.
export { consolidate, mergeOver, type Consolidated } from './consolidate.ts';
