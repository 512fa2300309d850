// Institutions and their policy versions: drafts, publishing, tests, diffs.
import { ref, type JsonSchema } from './common.ts';

const yamlText: JsonSchema = { type: 'string', minLength: 1, maxLength: 2_000_000, description: 'The policy version, YAML as written (comments kept).' };
const testsText: JsonSchema = { type: 'string', maxLength: 5_000_000, description: 'The version’s own test cases, YAML (`cases:` list), run before it is published.' };

export const VersionText: JsonSchema = {
  type: 'object',
  required: ['yaml'],
  additionalProperties: false,
  properties: { yaml: yamlText, tests_yaml: testsText },
};

export const ValidateRequest: JsonSchema = {
  type: 'object',
  required: ['yaml'],
  additionalProperties: false,
  properties: { yaml: yamlText, tests_yaml: testsText },
};

export const PublishRequest: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { effective_from: { ...ref('Instant'), description: 'When the version takes effect (default: the draft’s own effective_from).' } },
};

export const Institution: JsonSchema = {
  type: 'object',
  required: ['id', 'name'],
  properties: {
    id: ref('InstitutionId'),
    name: { type: 'string' },
    created_at: ref('Instant'),
    in_force: { type: ['object', 'null'], description: 'The published version in force now.', required: ['version', 'effective_from', 'hash'], properties: { version: { type: 'string' }, effective_from: { type: 'string' }, hash: { type: 'string' } } },
    versions: { type: 'integer', description: 'How many versions (all statuses).' },
  },
};

export const InstitutionList: JsonSchema = {
  type: 'object',
  required: ['institutions'],
  properties: { institutions: { type: 'array', items: ref('Institution') } },
};

export const VersionMeta: JsonSchema = {
  type: 'object',
  required: ['institution', 'label', 'status', 'effective_from', 'hash', 'revision'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    institution: ref('InstitutionId'),
    label: ref('VersionLabel'),
    status: { type: 'string', enum: ['draft', 'published', 'retired'] },
    effective_from: ref('Instant'),
    author: { type: 'string' },
    created_at: ref('Instant'),
    updated_at: ref('Instant'),
    updated_by: { type: ['string', 'null'], description: 'Who last wrote the version: created, saved, published or retired it. A 412 names them in `current`.' },
    published_at: { type: ['string', 'null'] },
    published_by: { type: ['string', 'null'] },
    revision: { type: 'integer' },
    hash: { type: 'string', description: 'Content hash of the consolidated document; decisions under this version name it.' },
    etag: { type: 'string', description: 'The ETag to send back in If-Match.' },
  },
};

export const VersionList: JsonSchema = {
  type: 'object',
  required: ['institution', 'versions'],
  properties: { institution: ref('InstitutionId'), versions: { type: 'array', items: ref('VersionMeta'), description: 'Oldest effective_from first.' } },
};

export const VersionDetail: JsonSchema = {
  allOf: [
    ref('VersionMeta'),
    {
      type: 'object',
      required: ['document', 'consolidated'],
      properties: {
        document: { type: 'object', additionalProperties: true, description: 'The document as written (or consolidated, with ?consolidated=true), as JSON.' },
        consolidated: { type: 'boolean' },
        tests_yaml: { type: 'string' },
      },
    },
  ],
};

export const Gap: JsonSchema = {
  type: 'object',
  required: ['category', 'loan_type', 'message'],
  properties: { category: { type: 'string' }, loan_type: { type: 'string' }, message: { type: 'string' } },
};

export const Finding: JsonSchema = {
  type: 'object',
  required: ['kind', 'entries', 'message'],
  properties: {
    kind: { type: 'string', enum: ['overlap', 'unreachable', 'uncapped'] },
    entries: { type: 'array', items: { type: 'string' }, description: 'The entries concerned, as paths in the document: limits.phd-long, fees.overdue.', examples: [['limits.phd-long', 'limits.all']] },
    message: ref('Text'),
  },
};

export const ValidationResult: JsonSchema = {
  type: 'object',
  required: ['valid', 'errors', 'gaps'],
  properties: {
    valid: { type: 'boolean' },
    version: { type: 'string' },
    hash: { type: 'string', description: 'Content hash of the consolidated document, when valid.' },
    errors: { type: 'array', items: ref('FieldError') },
    test_errors: { type: 'array', items: ref('FieldError') },
    gaps: { type: 'array', items: ref('Gap'), description: 'Category × loan type pairs no limit covers (warnings).' },
    findings: { type: 'array', items: ref('Finding'), description: 'Entries that never take effect (unreachable) or only in part (overlap), each proved from how decisions are made, and fees without a cap (uncapped): warnings.' },
  },
};

export const CaseResult: JsonSchema = {
  type: 'object',
  required: ['name', 'passed', 'failures'],
  properties: {
    name: { type: 'string' },
    cite: { type: 'string' },
    passed: { type: 'boolean' },
    failures: { type: 'array', items: { type: 'string' }, description: 'Why it failed: each expectation not met.' },
    outcome: { type: 'string' },
    decided_under: { type: 'string', description: 'The version label the case was decided under (absent when no version could be chosen).' },
    candidate: { type: 'boolean', description: 'Whether that version is the candidate under test.' },
    chosen_by: {
      type: 'string',
      enum: ['case', 'candidate', 'instant'],
      description: 'How the version was chosen: the case’s `version:`, the candidate, or the instant (the published version in force then).',
    },
  },
};

export const Uncovered: JsonSchema = {
  type: 'object',
  required: ['entry', 'changes', 'message'],
  properties: {
    entry: { type: 'string', examples: ['limits.phd-students'], description: 'The changed entry’s path.' },
    changes: { type: 'array', items: ref('Change'), description: 'What changed in it, each in words.' },
    message: ref('Text'),
  },
};

export const TestRun: JsonSchema = {
  type: 'object',
  required: ['institution', 'version', 'effective_from', 'candidate', 'replaces', 'passed', 'failed', 'cases', 'uncovered'],
  properties: {
    institution: { type: 'string' },
    version: { type: 'string' },
    effective_from: ref('Instant'),
    candidate: { type: 'boolean', description: 'The version was tested as the candidate (it is a draft).' },
    replaces: { type: ['string', 'null'], description: 'The published version in force at effective_from that the candidate replaces.' },
    passed: { type: 'integer' },
    failed: { type: 'integer' },
    cases: { type: 'array', items: ref('CaseResult') },
    uncovered: {
      type: 'array',
      items: ref('Uncovered'),
      description: 'Entries the candidate changes (against `replaces`; every entry when it replaces none) that no case decided under it exercises — read neither under the candidate nor under `replaces`. Warnings.',
    },
  },
};

export const Change: JsonSchema = {
  type: 'object',
  required: ['path', 'kind', 'text'],
  properties: {
    path: { type: 'string', examples: ['limits.phd.max'] },
    kind: { type: 'string', enum: ['added', 'removed', 'changed'] },
    before: {},
    after: {},
    text: ref('Text'),
  },
};

export const Diff: JsonSchema = {
  type: 'object',
  required: ['institution', 'from', 'to', 'changes'],
  properties: { institution: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, changes: { type: 'array', items: ref('Change') } },
};
