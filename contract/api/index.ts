// Every schema of the API by name: request bodies are validated against these (api/validation.ts),
// and the OpenAPI document lists them as components (api/openapi.ts).
import * as common from './common.ts';
import * as decisions from './decisions.ts';
import * as policies from './policies.ts';
import * as records from './records.ts';
import * as simulations from './simulations.ts';
import type { JsonSchema } from './common.ts';

export type { JsonSchema } from './common.ts';
export { BATCH_ANSWER_BYTES, MAX_BATCH } from './decisions.ts';
export { MAX_GENERATED_CASES, MAX_LOGGED_CASES, MAX_SIMULATION_CASES } from './simulations.ts';

const isSchema = (v: unknown): v is JsonSchema => typeof v === 'object' && v !== null && !Array.isArray(v);

function collectSchemas(...modules: Array<Record<string, unknown>>): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {};
  // By name, as a module namespace lists its exports (a test runner's module objects may not).
  for (const m of modules) for (const [name, v] of Object.entries(m).sort(([a], [b]) => (a < b ? -1 : 1))) if (/^[A-Z]/.test(name) && isSchema(v)) out[name] = v;
  return out;
}

/** Schemas that are no documented body: used only inside the service, or a list's query, which
 * the route table documents as query parameters. */
export const INTERNAL = new Set(['BatchEnvelope', 'AuditQuery', 'DecisionLogQuery', 'SimulationQuery']);

export const SCHEMAS: Record<string, JsonSchema> = collectSchemas(common, decisions, policies, simulations, records);

export const SCHEMA_ID = 'https://regula.invalid/api/schemas.json';

/** The one document ajv loads: every schema under $defs. */
export const ROOT_SCHEMA: JsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: SCHEMA_ID,
  $defs: SCHEMAS,
};
