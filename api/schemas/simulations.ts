// What a candidate version would change, decided over many cases in the background.
import { ref, type JsonSchema } from './common.ts';

export const MAX_SIMULATION_CASES = 200_000;

export const SimulationCase: JsonSchema = {
  type: 'object',
  required: ['question', 'at', 'facts'],
  additionalProperties: false,
  properties: { id: { type: 'string', maxLength: 100, description: 'The case’s own id, shown with its result (default: its place, from 1).' }, question: ref('Question'), at: ref('Instant'), facts: { type: 'object' } },
};

export const SimulationRequest: JsonSchema = {
  type: 'object',
  description: 'A baseline version and a candidate (a stored version, or unsaved YAML), over cases given, generated, or taken from the decision log (one of the three; default: 1000 generated).',
  required: ['baseline'],
  additionalProperties: false,
  properties: {
    baseline: ref('VersionLabel'),
    candidate: ref('VersionLabel'),
    candidate_yaml: { type: 'string', minLength: 1, maxLength: 2_000_000 },
    cases: { type: 'array', minItems: 1, maxItems: MAX_SIMULATION_CASES, items: ref('SimulationCase') },
    generate: {
      type: 'object',
      additionalProperties: false,
      required: ['n'],
      properties: { n: { type: 'integer', minimum: 1, maximum: MAX_SIMULATION_CASES }, seed: { type: 'integer' } },
    },
    from_log: { type: 'object', additionalProperties: false, properties: { from: ref('Instant'), to: ref('Instant') } },
  },
};

export const SimulationAccepted: JsonSchema = {
  type: 'object',
  required: ['id', 'status', 'total'],
  properties: { id: { type: 'string' }, status: { type: 'string' }, total: { type: 'integer' } },
};

export const Simulation: JsonSchema = {
  type: 'object',
  required: ['id', 'institution', 'baseline', 'candidate', 'status', 'done', 'total'],
  properties: {
    id: { type: 'string' },
    institution: { type: 'string' },
    baseline: { type: 'string' },
    candidate: { type: 'string' },
    status: { type: 'string', enum: ['running', 'done', 'failed', 'cancelled'] },
    done: { type: 'integer' },
    total: { type: 'integer' },
    actor: { type: 'string' },
    created_at: ref('Instant'),
    finished_at: { type: ['string', 'null'] },
    error: { type: ['string', 'null'] },
    result: {
      type: ['object', 'null'],
      description: 'When done: totals under both versions and their difference, the differing cases (each with its changes in words; the first 1000, `differences_total` counts them all), and the cases that could not be decided (the first 1000, `errors_total` counts them).',
    },
  },
};

export const SimulationList: JsonSchema = {
  type: 'object',
  required: ['simulations', 'next'],
  properties: {
    simulations: { type: 'array', items: ref('Simulation'), description: 'Each without `result`.' },
    next: ref('NextPage'),
  },
};
