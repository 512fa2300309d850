// Each contract is written once: the facts in contract/facts.schema.json, the API's bodies in
// contract/api/, the questions in contract/questions.ts. These tests hold everything else to them:
// the generated types are what the schemas give, every question has its facts, its route and its
// place in the policy format, and a field added to the schema shows up in the types.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { factsTypes, generated } from '../contract/generate.ts';
import factsSchema from '../contract/facts.schema.json' with { type: 'json' };
import policySchema from '../engine/policy/policy.schema.json' with { type: 'json' };
import { QUESTIONS, QUESTION_WORDS } from '../contract/questions.ts';
import { buildOpenApi } from '../api/openapi.ts';
import { check } from '../api/validation.ts';
import { parseInstant } from '../engine/time/index.ts';
import { parsePolicy } from '../engine/policy/index.ts';
import { factProblems } from './fixtures/facts.ts';
import { loadShipped } from './fixtures/shipped.ts';

const ROOT = new URL('../', import.meta.url);
const pascal = (q: string) => q.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase());

describe('the contract', () => {
  it('has its generated types as the schemas give them (npm run contract)', async () => {
    for (const [file, text] of Object.entries(await generated())) {
      expect(readFileSync(new URL(file, ROOT), 'utf8'), `${file} is stale: run npm run contract`).toBe(text);
    }
  });

  it('gives every question its facts, in the schema and in the OpenAPI document', () => {
    const api = buildOpenApi() as { paths: Record<string, { post?: { summary?: string; requestBody?: unknown } }>; components: { schemas: Record<string, unknown> } };
    for (const q of QUESTIONS) {
      expect(Object.keys(factsSchema.$defs), q).toContain(q);
      expect(api.components.schemas[`Facts${pascal(q)}`], q).toBeDefined();
      expect(api.paths[`/api/v1/decisions/${q}`]?.post, q).toBeDefined();
      expect(JSON.stringify(api.paths[`/api/v1/decisions/${q}`])).toContain(QUESTION_WORDS[q]);
    }
  });

  it('is the list of questions the policy format names', () => {
    // The enum's null lets a YAML key be left empty.
    expect(policySchema.$defs.Question.enum.filter((q) => q !== null)).toEqual(QUESTIONS);
  });

  it('shows a field added to the facts schema in the generated types', async () => {
    const changed = structuredClone(factsSchema) as { $defs: { Patron: { properties: Record<string, unknown> } } };
    changed.$defs.Patron.properties.card_expires = { $ref: '#/$defs/Date', description: 'When the patron’s card expires.' };
    const types = await factsTypes(changed);
    const patron = types.slice(types.indexOf('export interface Patron {'));
    expect(patron.slice(0, patron.indexOf('\n}\n'))).toMatch(/When the patron’s card expires\.\n   \*\/\n  card_expires\?: string;$/);
    expect(await factsTypes()).not.toContain('card_expires');
  });

  it('is what the engine checks facts against: a field the schema lacks is refused at its pointer', () => {
    const sum = loadShipped().versions.find((p) => p.institution === 'sum')!;
    const facts = { patron: { category: 'students', card_expires: '2027-09-30' }, item: { status: 'regular' } };
    expect(factProblems(sum, 'checkout', facts, parseInstant('2027-03-01T10:00:00+01:00')).map((p) => p.pointer)).toEqual(['/patron/card_expires']);
  });

  it('words a broken rule the same in a request body and in its facts', () => {
    const sum = loadShipped().versions.find((p) => p.institution === 'sum')!;
    const at = parseInstant('2027-03-01T10:00:00+01:00');
    expect(check('DecisionRequest', { institution: 'sum', facts: 5, trace: 'yes' })).toEqual([
      { pointer: '/facts', message: 'must be a map of keys' },
      { pointer: '/trace', message: 'must be true or false' },
    ]);
    expect(factProblems(sum, 'checkout', { patron: 5, item: { status: 'regular' } }, at)).toEqual([{ pointer: '/patron', message: 'must be a map of keys (got 5)' }]);
    expect(check('SimulationRequest', { baseline: '139/2013', cases: [] })).toEqual([{ pointer: '/cases', message: 'must not be an empty list' }]);
  });

  it('says a missing or an unknown key in a request body as in a policy', () => {
    expect(check('DecisionRequest', { institution: 'sum' })).toEqual([{ pointer: '/facts', message: 'missing required key "facts"' }]);
    expect(check('SimulationRequest', { baseline: '139/2013', candidat: '7/2027' })).toEqual([{ pointer: '/candidat', message: 'unknown key "candidat" — did you mean candidate?' }]);
    const text = readFileSync(new URL('policies/sum/139-2013.yaml', ROOT), 'utf8').replace('\nname:', '\nnmae:');
    expect(parsePolicy(text, 'sum/139-2013.yaml').errors.map((e) => e.message)).toContain('unknown key "nmae" — did you mean name?');
  });
});
