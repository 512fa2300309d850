// Schemas shared by every area: instants, ids, problem details. JSON Schema draft 2020-12; a
// reference to another schema is written `#/$defs/<Name>` (the OpenAPI document rewrites it to
// `#/components/schemas/<Name>`).
import { INSTANT_PATTERN, SUPPORTED_YEARS } from '../range.ts';

export type JsonSchema = Record<string, unknown>;

/** At most this many `errors` are listed in a problem; `more_errors` counts the rest. */
export const MAX_LISTED_ERRORS = 100;

export const ref = (name: string): JsonSchema => ({ $ref: `#/$defs/${name}` });

/** The query of a list kept newest first, paged by `before`: its parameters are the properties
 * (the route table makes them query parameters, the console's client types come from it). */
export const pageQuery = (what: string, own: Record<string, JsonSchema> = {}): JsonSchema => ({
  type: 'object',
  additionalProperties: false,
  properties: {
    ...own,
    from: { ...ref('Instant'), description: `Only ${what} at or after this instant.` },
    to: { ...ref('Instant'), description: `Only ${what} before this instant.` },
    limit: { type: 'integer', minimum: 1, maximum: 10_000, description: 'At most this many, newest first (default 100, at most 10000).' },
    before: {
      type: 'string',
      format: 'uuid',
      description: `Only ${what} listed after this one (its id): the next page. The answer's \`next\` (and its Link header) is this URL when more remain.`,
    },
  },
});

/** The engine's instant (contract/range.ts): a date that exists, in the supported years. */
export const Instant: JsonSchema = {
  type: 'string',
  format: 'date-time',
  pattern: INSTANT_PATTERN,
  description: `An instant, ISO-8601 with its UTC offset (Europe/Warsaw is +01:00 in winter, +02:00 in summer), in the supported years ${SUPPORTED_YEARS}.`,
  examples: ['2026-11-23T10:00:00+01:00'],
};

export const InstitutionId: JsonSchema = {
  type: 'string',
  pattern: '^[a-z0-9][a-z0-9-]*$',
  maxLength: 64,
  description: 'The institution id (lower case, digits and dashes), e.g. sum.',
  examples: ['sum'],
};

export const VersionLabel: JsonSchema = {
  type: 'string',
  minLength: 1,
  maxLength: 100,
  description: 'A version label as the policy names it (`version:`), e.g. "139/2013". In a URL path, percent-encode the slash: 139%2F2013.',
  examples: ['139/2013'],
};

export const Text: JsonSchema = {
  type: 'object',
  required: ['en', 'pl'],
  properties: { en: { type: 'string' }, pl: { type: 'string' } },
  description: 'The same text in English and Polish.',
};

export const FieldError: JsonSchema = {
  type: 'object',
  required: ['message'],
  properties: {
    pointer: { type: 'string', description: 'JSON pointer into the request body ("" = the body as a whole).' },
    parameter: { type: 'string', description: 'The query, path or header parameter at fault.' },
    line: { type: 'integer', minimum: 1, description: 'Line in the YAML text sent.' },
    column: { type: 'integer', minimum: 1, description: 'Column in the YAML text sent.' },
    message: { type: 'string', description: 'What is wrong, in plain words.' },
  },
};

export const Problem: JsonSchema = {
  type: 'object',
  description: 'RFC 9457 problem details (application/problem+json).',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string', description: 'The kind of problem, a URI reference (/api/problems/<kind>).' },
    title: { type: 'string', description: 'The kind of problem in plain words.' },
    status: { type: 'integer', description: 'The HTTP status.' },
    detail: { type: 'string', description: 'What went wrong this time.' },
    errors: { type: 'array', items: ref('FieldError'), maxItems: MAX_LISTED_ERRORS, description: `Each offending field, parameter or YAML position (the first ${MAX_LISTED_ERRORS}).` },
    more_errors: { type: 'integer', minimum: 1, description: `How many errors were found beyond the ${MAX_LISTED_ERRORS} listed.` },
  },
};

export const Me: JsonSchema = {
  type: 'object',
  required: ['id', 'name', 'role'],
  properties: {
    id: { type: 'string', format: 'uuid', description: 'The key’s id, as the keys list and the audit trail name it.' },
    name: { type: 'string', description: 'The key’s name (the actor in the audit trail).' },
    role: ref('Role'),
  },
};

export const Health: JsonSchema = {
  type: 'object',
  required: ['status'],
  properties: {
    status: { type: 'string', enum: ['ok', 'ready'] },
    uptime_seconds: { type: 'number' },
    version: { type: 'string' },
  },
};

/** The next page of a list kept newest first, or null when this one is the last. */
export const NextPage: JsonSchema = { type: ['string', 'null'], description: 'The next (older) page: this URL with `before` the last id here; null when none remain.' };
