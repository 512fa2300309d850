// Values and entries as a librarian reads them, in English and Polish.
export * from './words.ts';
export { reading, conditionText, type ReadingEntry, type ReadingLine, type ReadingSection } from './reading.ts';
