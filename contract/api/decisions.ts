// Asking the engine a question: one at a time, or many in one batch.
import { QUESTIONS } from '../questions.ts';
import { ref, type JsonSchema } from './common.ts';

/** The most requests one batch takes. */
export const MAX_BATCH = 10_000;
/**
 * The most a batch's answer holds, bytes: requests beyond it are answered, each, with an
 * `answer-too-large` problem (413) to send again in another batch, and not decided.
 */
export const BATCH_ANSWER_BYTES = 32 * 1024 * 1024;

export const Question: JsonSchema = { type: 'string', enum: [...QUESTIONS], description: 'The question asked.' };

const facts: JsonSchema = {
  type: 'object',
  additionalProperties: true,
  description: 'What the circulation system knows: patron, item, loan… (see docs/policy-format.md, "Questions, facts and answers"). Amounts are grosze.',
  examples: [{ patron: { category: 'phd-students', loans: { 'long-term': 3 } }, item: { status: 'regular' } }],
};

const common: Record<string, JsonSchema> = {
  institution: ref('InstitutionId'),
  facts,
  at: { ...ref('Instant'), description: 'The instant the question is about (default: now).' },
  version: { ...ref('VersionLabel'), description: 'Decide under this version (default: the published version in force at `at`).' },
  what_if: { type: 'boolean', description: 'A question tried out (the console’s simulator), not one a desk asked for a patron: answered the same, but kept out of the decision log, so a replay of the log is real traffic only.' },
};

export const DecisionRequest: JsonSchema = {
  type: 'object',
  required: ['institution', 'facts'],
  additionalProperties: false,
  properties: {
    ...common,
    trace: { type: 'boolean', description: 'List the rules that fired.' },
    entries: { type: 'boolean', description: 'List the policy entries the decision read, by path (`limits.phd-students`): what the console marks in the policy’s reading.' },
  },
};

export const BatchItem: JsonSchema = {
  type: 'object',
  required: ['question', 'institution', 'facts'],
  additionalProperties: false,
  properties: { question: ref('Question'), ...common, trace: { type: 'boolean' }, entries: { type: 'boolean' } },
};

export const BatchRequest: JsonSchema = {
  type: 'object',
  required: ['requests'],
  additionalProperties: false,
  properties: { requests: { type: 'array', maxItems: MAX_BATCH, items: ref('BatchItem') } },
};

/** What the batch route checks first; each item is then checked on its own, so one bad item is one problem in the results. */
export const BatchEnvelope: JsonSchema = {
  type: 'object',
  required: ['requests'],
  additionalProperties: false,
  properties: { requests: { type: 'array', maxItems: MAX_BATCH } },
};

export const Reason: JsonSchema = {
  type: 'object',
  required: ['code', 'kind', 'message'],
  properties: {
    code: { type: 'string', examples: ['LIMIT_REACHED'] },
    kind: { type: 'string', enum: ['refusal', 'sanction', 'note'] },
    message: ref('DecisionText'),
    cite: { type: 'string', examples: ['§ 7'] },
    assumptions: { type: 'array', description: 'Ids of the assumptions the reason rests on; their texts are in the version’s explanation (and in `assumption_texts` with `?explain=full`).', items: { type: 'string' } },
  },
};

export const DecisionText: JsonSchema = {
  type: 'object',
  minProperties: 1,
  properties: { en: { type: 'string' }, pl: { type: 'string' } },
  description: 'The text in English and Polish, or only in the language asked for with Accept-Language (the response names it in Content-Language).',
};

const texts: JsonSchema = { type: 'object', additionalProperties: ref('DecisionText') };

export const Decision: JsonSchema = {
  type: 'object',
  description:
    'The engine’s answer: outcome, reasons with their paragraphs and messages, computed values, the paragraphs and the ids of the assumptions it rests on, and the version (and its content hash) it was decided under. The assumptions’ texts are the version’s, the same in every decision: they are read once per version at `explanation` (or sent along with `?explain=full`).',
  required: ['question', 'outcome', 'reasons', 'values', 'citations', 'assumptions', 'at', 'policy', 'explanation'],
  properties: {
    question: ref('Question'),
    outcome: { type: 'string', enum: ['allow', 'refuse', 'info'] },
    reasons: { type: 'array', items: ref('Reason') },
    values: {
      type: 'object',
      additionalProperties: true,
      description: 'Due instants, amounts in grosze, breakdowns (docs/policy-format.md, "Questions, facts and answers", lists them per question).',
      properties: { breakdown: { type: 'array', maxItems: 3, items: ref('FeeRun'), description: 'A return: the started periods in runs charged alike; the amounts add up to `fee`, the counts to `periods`.' } },
    },
    citations: { type: 'array', description: 'Every paragraph the decision rests on.', items: { type: 'string', examples: ['§ 6 ust. 3'] } },
    assumptions: { type: 'array', description: 'The id of every assumption the decision rests on.', items: { type: 'string', examples: ['due-day-end'] } },
    assumption_texts: { ...texts, description: 'With `?explain=full` only: the text of each assumption in `assumptions`, by id.' },
    at: ref('Instant'),
    policy: {
      type: 'object',
      required: ['institution', 'version', 'hash'],
      properties: { institution: { type: 'string' }, version: { type: 'string' }, hash: { type: 'string', examples: ['sha256:…'] } },
    },
    trace: { type: 'array', items: { type: 'string' } },
    entries: { type: 'array', description: 'When asked for (`entries: true`): the policy entries the decision read, by path.', items: { type: 'string', examples: ['limits.phd-students'] } },
    explanation: { type: 'string', description: 'The version’s explanation: the texts of its assumptions and the paragraphs it cites (GET, cacheable by ETag).', examples: ['/api/v1/institutions/sum/versions/139%2F2013/explanation'] },
  },
};

export const Explanation: JsonSchema = {
  type: 'object',
  description: 'What a version’s decisions rest on, once: the text of every assumption, every paragraph it cites, the regulation they are of.',
  required: ['institution', 'version', 'hash', 'source', 'assumptions', 'citations'],
  properties: {
    institution: { type: 'string' },
    version: { type: 'string' },
    hash: { type: 'string', examples: ['sha256:…'] },
    source: { type: 'object', description: 'The regulation: title, number, date, url (as the policy states it).', properties: { title: { type: 'string' }, number: { type: 'string' }, date: { type: 'string' }, url: { type: 'string' } } },
    assumptions: { ...texts, description: 'Every assumption of the version, by id: what the regulation does not say and the policy assumes.' },
    citations: { type: 'array', description: 'Every paragraph the version cites, in the regulation’s order (the policy keeps no paragraph’s text: the citation is its own words).', items: { type: 'string' } },
  },
};

export const FeeRun: JsonSchema = {
  type: 'object',
  description: 'Periods n … n + count − 1 of an overdue fee, each charged amount_each grosze: the periods at the full rate; the one in which the cap is reached (note cap-reached); those after it, charged nothing (note over-cap).',
  required: ['n', 'count', 'amount_each', 'amount'],
  properties: {
    n: { type: 'integer', minimum: 1, description: 'The run’s first period.' },
    count: { type: 'integer', minimum: 1 },
    from: { type: 'string', format: 'date-time', description: 'When the run’s first period starts (absent when closed days that do not count fell between periods).' },
    to: { type: 'string', format: 'date-time', description: 'When its last period ends (may be after the return, and after 2100).' },
    amount_each: { type: 'integer', minimum: 0, description: 'Grosze per period.' },
    amount: { type: 'integer', minimum: 0, description: 'count × amount_each, grosze.' },
    note: { type: 'string', enum: ['cap-reached', 'over-cap'] },
  },
};

export const BatchResponse: JsonSchema = {
  type: 'object',
  required: ['results'],
  properties: {
    results: {
      type: 'array',
      description: 'One entry per request, in order: the Decision, or a problem (with `status`) for a request that could not be decided.',
      items: { oneOf: [ref('Decision'), ref('Problem')] },
    },
  },
};
