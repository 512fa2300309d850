// The audit trail, the decision log, and API keys.
import { ROLES } from '../roles.ts';
import { pageQuery, ref, type JsonSchema } from './common.ts';

export const AuditEvent: JsonSchema = {
  type: 'object',
  required: ['id', 'at', 'actor', 'action'],
  properties: {
    id: { type: 'string' },
    at: ref('Instant'),
    actor: { type: 'string', description: 'The name of the key that acted.' },
    action: { type: 'string', examples: ['version.publish'] },
    institution: { type: ['string', 'null'] },
    version: { type: ['string', 'null'] },
    hash_before: { type: ['string', 'null'] },
    hash_after: { type: ['string', 'null'] },
    detail: { type: ['object', 'null'], additionalProperties: true },
  },
};


export const AuditList: JsonSchema = { type: 'object', required: ['events', 'next'], properties: { events: { type: 'array', items: ref('AuditEvent') }, next: ref('NextPage') } };

export const DecisionLogEntry: JsonSchema = {
  type: 'object',
  required: ['id', 'at', 'institution', 'question', 'version', 'hash', 'decided_for'],
  properties: {
    id: { type: 'string' },
    at: { ...ref('Instant'), description: 'When it was asked.' },
    institution: { type: 'string' },
    question: { type: 'string' },
    version: { type: 'string' },
    hash: { type: 'string' },
    decided_for: { ...ref('Instant'), description: 'The instant the decision was about.' },
    asked_by: { type: ['string', 'null'], description: 'Who asked: the key’s name, or "anonymous" from an open desk network (null for decisions logged before this was kept).' },
    facts: { type: 'object', additionalProperties: true },
    decision: ref('Decision'),
  },
};

export const DecisionLogList: JsonSchema = {
  type: 'object',
  required: ['enabled', 'entries', 'next'],
  properties: { enabled: { type: 'boolean', description: 'Whether this instance records decisions (REGULA_DECISION_LOG).' }, entries: { type: 'array', items: ref('DecisionLogEntry') }, next: ref('NextPage') },
};

export const Role: JsonSchema = {
  type: 'string',
  enum: [...ROLES],
  description:
    'admin: everything. editor: read policies, create and update drafts, validate, test, diff, decisions. compliance: read policies, diff, test, simulate, audit, decision log, decisions. circulation: decisions only.',
};

export const CreateKey: JsonSchema = {
  type: 'object',
  required: ['name', 'role'],
  additionalProperties: false,
  properties: { name: { type: 'string', minLength: 1, maxLength: 100, pattern: '\\S', description: 'Who uses the key; audit events name it.' }, role: ref('Role') },
};

export const ApiKey: JsonSchema = {
  type: 'object',
  required: ['id', 'name', 'role'],
  properties: {
    id: { type: 'string', format: 'uuid', description: 'The key’s id: made with it, nothing of the key itself. The audit trail names keys by it, and GET /api/v1/me tells a desk the id of the key it holds.' },
    name: { type: 'string' },
    role: ref('Role'),
    created_at: ref('Instant'),
    revoked_at: { type: ['string', 'null'] },
  },
};

export const KeyCreated: JsonSchema = {
  allOf: [ref('ApiKey')],
  type: 'object',
  required: ['key'],
  properties: { key: { type: 'string', description: 'The key itself, shown this once only: store it now.' } },
};

export const KeyList: JsonSchema = { type: 'object', required: ['keys'], properties: { keys: { type: 'array', items: ref('ApiKey') } } };

export const AuditQuery = pageQuery('events', {
  institution: { ...ref('InstitutionId'), description: 'Only this institution.' },
  actor: { type: 'string', description: 'Only events by this key name.' },
});

export const DecisionLogQuery = pageQuery('decisions asked', {
  institution: { ...ref('InstitutionId'), description: 'Only this institution.' },
  outcome: { type: 'string', enum: ['allow', 'refuse', 'info'], description: 'Only decisions with this outcome.' },
  code: { type: 'string', pattern: '^[A-Z][A-Z0-9_]*$', maxLength: 100, description: 'Only decisions giving this reason code (e.g. LIMIT_REACHED).' },
});
