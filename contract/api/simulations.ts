// What a candidate version would change, decided over many cases in the background.
import { pageQuery, ref, type JsonSchema } from './common.ts';

/** Cases given in one JSON body (each is read whole). */
export const MAX_SIMULATION_CASES = 200_000;
/** Cases generated, or taken from the decision log, for one run: decided a chunk at a time, never held whole. */
export const MAX_GENERATED_CASES = 10_000_000;
export const MAX_LOGGED_CASES = MAX_GENERATED_CASES;

export const SimulationCase: JsonSchema = {
  type: 'object',
  required: ['question', 'at', 'facts'],
  additionalProperties: false,
  properties: { id: { type: 'string', maxLength: 100, description: 'The case’s own id, shown with its result (default: its place, from 1).' }, question: ref('Question'), at: ref('Instant'), facts: { type: 'object', additionalProperties: true } },
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
      properties: { n: { type: 'integer', minimum: 1, maximum: MAX_GENERATED_CASES }, seed: { type: 'integer' } },
    },
    from_log: { type: 'object', additionalProperties: false, description: `The logged decisions asked in [from, to), newest first, at most ${MAX_LOGGED_CASES.toLocaleString('en')}.`, properties: { from: ref('Instant'), to: ref('Instant') } },
  },
};

export const SimulationUpload: JsonSchema = {
  type: 'object',
  description: 'The first line of an NDJSON upload: the baseline and the candidate, as in a JSON request; each further line is a SimulationCase.',
  required: ['baseline'],
  additionalProperties: false,
  properties: { baseline: ref('VersionLabel'), candidate: ref('VersionLabel'), candidate_yaml: { type: 'string', minLength: 1, maxLength: 60_000 } },
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
      anyOf: [ref('SimulationResult'), { type: 'null' }],
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

// No minimum: the delta's counts are candidate − baseline, and fall as well as rise.
const count = (description: string): JsonSchema => ({ type: 'integer', description });
const grosze = (description: string): JsonSchema => ({ type: 'integer', description: `${description}, grosze` });

export const Totals: JsonSchema = {
  type: 'object',
  required: ['refusals', 'fees', 'blocks', 'deposits_forfeited'],
  properties: {
    refusals: count('Cases refused.'),
    fees: grosze('Overdue fees charged'),
    blocks: count('Cases that block the account (values.blocked_until set).'),
    deposits_forfeited: grosze('Deposits forfeited'),
  },
};

export const DeltaTotals: JsonSchema = {
  allOf: [
    ref('Totals'),
    {
      type: 'object',
      required: ['due_shift_minutes', 'due_shifted'],
      properties: {
        due_shift_minutes: { type: 'integer', description: 'Candidate due − baseline due in minutes, summed over the cases allowed under both.' },
        due_shifted: count('How many of those cases have a different due instant.'),
      },
    },
  ],
  description: 'Candidate − baseline (refusals, fees, blocks, deposits can fall as well as rise).',
};

export const CaseSummary: JsonSchema = {
  type: 'object',
  description: 'What of a decision the comparison looks at.',
  required: ['outcome', 'codes'],
  properties: {
    outcome: { type: 'string', enum: ['allow', 'refuse', 'info'] },
    codes: { type: 'array', items: { type: 'string' }, description: 'Refusal and sanction codes, sorted (notes not counted).' },
    due: { type: 'string' },
    fee: grosze('Overdue fee'),
    blocked_until: { type: 'string' },
    forfeited_amount: grosze('Deposit forfeited'),
    refund: grosze('Deposit refunded'),
  },
};

export const SimulationDifference: JsonSchema = {
  type: 'object',
  required: ['id', 'question', 'baseline', 'candidate', 'changes'],
  properties: {
    id: { type: 'string' },
    question: ref('Question'),
    baseline: ref('CaseSummary'),
    candidate: ref('CaseSummary'),
    changes: { type: 'array', items: ref('Text'), description: 'The changes in words: "refused → allowed (LIMIT_REACHED gone)", "fee 2,00 zł → 3,00 zł".' },
    at: ref('Instant'),
    facts: { type: 'object', additionalProperties: true, description: 'The case’s facts: who borrows what.' },
  },
};

export const SimulationError: JsonSchema = {
  type: 'object',
  required: ['id', 'message'],
  properties: { id: { type: 'string' }, message: { type: 'string', description: '"baseline: …" / "candidate: …" when only one version could not decide the case.' } },
};

export const SimulationResult: JsonSchema = {
  type: 'object',
  required: ['cases', 'differing', 'undecided', 'totals', 'differences', 'errors'],
  properties: {
    cases: count('Cases decided under both versions.'),
    differing: count('Cases decided differently.'),
    undecided: count('Cases either version could not decide.'),
    totals: {
      type: 'object',
      required: ['baseline', 'candidate', 'delta'],
      properties: { baseline: ref('Totals'), candidate: ref('Totals'), delta: ref('DeltaTotals') },
    },
    differences: { type: 'array', items: ref('SimulationDifference'), description: 'The differing cases, the first `limit` of them (GET ?limit=, default 1000).' },
    differences_total: count('How many cases differ (= differing).'),
    errors: { type: 'array', items: ref('SimulationError'), description: 'The cases that could not be decided, the first `limit` of them.' },
    errors_total: count('How many cases could not be decided.'),
  },
};

export const SimulationQuery = pageQuery('simulations started');

const place = { type: 'integer', minimum: 1, description: 'The case’s place in the run, from 1.' } as const;

export const SimulationCasePage: JsonSchema = {
  type: 'object',
  description: 'A done run’s differing (kind=difference) or undecided (kind=error) cases, in their order in the run, a page at a time.',
  required: ['kind', 'cases', 'next'],
  properties: {
    kind: { type: 'string', enum: ['difference', 'error'] },
    cases: {
      type: 'array',
      items: {
        anyOf: [
          { allOf: [ref('SimulationDifference'), { type: 'object', required: ['place'], properties: { place } }] },
          { type: 'object', required: ['place', 'id', 'question', 'at', 'facts', 'message'], properties: { place, id: { type: 'string' }, question: ref('Question'), at: { type: 'string' }, facts: { type: 'object', additionalProperties: true }, message: { type: 'string' } } },
        ],
      },
    },
    next: ref('NextPage'),
  },
};
