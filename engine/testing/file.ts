// A policy's file of test cases, from YAML text to checked cases (the format: policy/tests.schema.json).
import { sortErrors } from '../errors/place.ts';
import type { Parsed } from '../policy/load.ts';
import { schemaErrors, validateTestsSchema } from '../policy/schema.ts';
import { loadYaml } from '../policy/yaml.ts';
import type { TestCase } from './cases.ts';

export interface TestFile {
  cases: TestCase[];
}

/** A file of test cases from YAML text. */
export function parseTestFile(text: string, file: string): Parsed<TestFile> {
  const { value, errors, locate } = loadYaml(text, file);
  const doc = (value ?? { cases: [] }) as TestFile;
  if (errors.length) return { doc, errors, locate };
  return { doc, errors: sortErrors(schemaErrors(validateTestsSchema, value, file, locate)), locate };
}
