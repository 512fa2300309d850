// The OpenAPI 3.1 document, built from the route table and the same schema objects the request
// bodies are validated against: what the docs say is what the service checks.
import factsSchema from '../contract/facts.schema.json' with { type: 'json' };
import { readFileSync } from 'node:fs';
import { PROBLEMS, problemType, type ProblemKind } from './problem.ts';
import { ROUTES, type Route } from './routes.ts';
import { INTERNAL, SCHEMAS, type JsonSchema } from '../contract/api/index.ts';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string; description?: string };

export const API_VERSION = pkg.version;

/**
 * `#/$defs/X` → `#/components/schemas/<name(X)>`, everywhere in a schema; ajv's `errorMessage`
 * (plain words for its errors) and the generator's `tsType`, not OpenAPI keywords, left out.
 */
function toComponents(v: unknown, name: (def: string) => string = (def) => def): unknown {
  if (Array.isArray(v)) return v.map((x) => toComponents(x, name));
  if (!v || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === 'errorMessage' || k === 'tsType') continue;
    out[k] = k === '$ref' && typeof x === 'string' ? x.replace(/^#\/\$defs\/(.+)$/, (_, def: string) => `#/components/schemas/${name(def)}`) : toComponents(x, name);
  }
  return out;
}

const schemaRef = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** The engine's facts schema as components named Facts<Def>: FactsCheckout, FactsPatron, … */
const factsName = (def: string) => `Facts${def.replace(/(?:^|-)(\w)/g, (_, c: string) => c.toUpperCase())}`;
function factsComponents(): Record<string, unknown> {
  return Object.fromEntries(Object.entries(factsSchema.$defs).map(([def, s]) => [factsName(def), toComponents(s, factsName)]));
}

const PROBLEM_CONTENT = { 'application/problem+json': { schema: schemaRef('Problem') } };

const STATUS_WORDS: Record<number, string> = {
  400: 'The request (body or a parameter) is not valid; `errors` names each field by JSON pointer.',
  401: 'No API key, or one that is not known.',
  403: 'The key’s role may not do this.',
  404: 'No such institution, version or resource.',
  406: 'No representation in the format asked for.',
  409: 'Conflicts with the stored state (a label taken, a version that is not a draft).',
  412: 'The version was changed since it was read; the current version is in the body.',
  413: 'The body is too large.',
  415: 'The body is in a format this route does not read.',
  422: 'Understood but cannot be carried out: policy YAML errors (with line and column), facts the policy does not know (with JSON pointer), failing tests.',
  428: 'An If-Match header is needed.',
  429: 'Too many keys this service does not know from this address (REGULA_KEY_FAILURES_PER_MINUTE): Retry-After says when the next is looked up; keys verified before are let in meanwhile.',
  500: 'Something went wrong on our side.',
  503: 'The database cannot be reached (Retry-After says when to try again); decisions under loaded policies, for keys verified recently, are still answered.',
};

const HEADER_SCHEMAS: Record<string, { description: string }> = {
  ETag: { description: 'A version: its revision, "<id>:<revision>" (send it back in If-Match). An explanation: the version’s content hash and the language (send it in If-None-Match).' },
  Location: { description: 'Where the new resource is.' },
  'Content-Language': { description: 'en or pl when the texts are in that language only (Accept-Language); absent when in both.' },
};

function operation(r: Route, opts: OpenApiOptions): Record<string, unknown> {
  const responses: Record<string, unknown> = {};
  for (const [status, res] of Object.entries(r.responses)) {
    const content: Record<string, unknown> = {};
    if (res.schema) content['application/json'] = { schema: schemaRef(res.schema) };
    if (res.yaml) content['application/yaml'] = { schema: { type: 'string' } };
    if (res.text) content[res.text] = { schema: { type: 'string' } };
    responses[status] = {
      description: res.description,
      ...(Object.keys(content).length ? { content } : {}),
      ...(res.headers ? { headers: Object.fromEntries(res.headers.map((h) => [h, { ...HEADER_SCHEMAS[h], schema: { type: 'string' } }])) } : {}),
    };
  }
  const problems = new Set<number>(r.problems ?? []);
  // A body, or any parameter, may not fit: a path parameter too (a NUL, or longer than any id: api/app.ts).
  if (r.body || r.stream || r.params?.length) problems.add(400);
  if (r.body) problems.add(413);
  if (r.permission !== 'public') problems.add(401).add(403).add(429);
  if (r.params?.some((p) => p.in === 'path')) problems.add(404);
  problems.add(500);
  if (r.id !== 'health') problems.add(503); // everything but health may need the database
  for (const s of [...problems].sort()) responses[String(s)] = { description: STATUS_WORDS[s] ?? 'A problem.', content: PROBLEM_CONTENT };

  const op: Record<string, unknown> = {
    operationId: r.id,
    tags: [r.tag],
    summary: r.summary,
    ...(r.description ? { description: r.description } : {}),
    ...(r.params?.length
      ? { parameters: r.params.map((p) => ({ name: p.name, in: p.in, required: p.in === 'path' ? true : Boolean(p.required), description: p.description, schema: toComponents(p.schema) })) }
      : {}),
    responses,
  };
  if (r.stream) op.requestBody = { required: true, description: r.stream.description, content: { [r.stream.type]: { schema: { type: 'string' } } } };
  if (r.body) {
    // A decision's body, with the facts of its question spelt out.
    const schema = r.body.facts ? { allOf: [schemaRef(r.body.schema)], properties: { facts: schemaRef(factsName(r.body.facts)) } } : schemaRef(r.body.schema);
    const content: Record<string, unknown> = { 'application/json': { schema } };
    if (r.body.yaml) content['application/yaml'] = { schema: { type: 'string', description: 'The policy YAML itself.' } };
    op.requestBody = { required: !r.body.optional, ...(r.body.description ? { description: r.body.description } : {}), content };
  }
  if (r.permission === 'public') op.security = [];
  else if (r.permission === 'decide' && opts.openDecisions) op.security = [{ bearerKey: [] }, { headerKey: [] }, {}];
  return op;
}

const DESCRIPTION = `Every answer names the paragraph of the regulation it rests on and the version (with its content hash) it was decided under.

**Keys.** Send an API key as \`Authorization: Bearer <key>\` or \`X-API-Key: <key>\`. Roles: **admin** (everything), **editor** (read policies, create and update drafts, validate, test, diff, decisions), **compliance** (read policies, diff, test, simulate, audit trail, decision log, decisions), **circulation** (decisions only). Without a key: 401; a role that may not: 403. Decisions need no key when the service runs with REGULA_OPEN_DECISIONS=true, or from the desk networks REGULA_OPEN_DECISIONS lists.

**Problems.** Every error is \`application/problem+json\` (RFC 9457) with \`type\`, \`title\`, \`status\`, \`detail\`; bad request bodies list each field's JSON pointer in \`errors\`, policy YAML errors their \`line\` and \`column\`. Kinds: ${Object.keys(PROBLEMS)
  .map((k) => `\`${problemType(k as ProblemKind)}\``)
  .join(', ')}.

**Versions in URLs.** Labels such as 139/2013 are percent-encoded in a path: \`/api/v1/institutions/sum/versions/139%2F2013\`.

**Money** is integer grosze; **instants** are ISO-8601 with an offset (Europe/Warsaw).`;

export interface OpenApiOptions {
  /** Decisions need no key on this service (REGULA_OPEN_DECISIONS). */
  openDecisions?: boolean;
}

export function buildOpenApi(opts: OpenApiOptions = {}): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of ROUTES) (paths[r.path] ??= {})[r.method] = operation(r, opts);
  const schemas: Record<string, unknown> = {};
  for (const [name, s] of Object.entries(SCHEMAS)) if (!INTERNAL.has(name)) schemas[name] = toComponents(s as JsonSchema);
  Object.assign(schemas, factsComponents());
  return {
    openapi: '3.1.1',
    jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base',
    info: {
      title: 'Regula API',
      version: pkg.version,
      summary: 'Library lending regulations as versioned policies, decided by a rules engine.',
      description: DESCRIPTION,
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: '/', description: 'This service' }],
    tags: [
      { name: 'decisions', description: 'Questions a circulation system asks.' },
      { name: 'policies', description: 'Institutions, versions, drafts, tests, diffs, publishing.' },
      { name: 'simulations', description: 'What a candidate version would change.' },
      { name: 'records', description: 'Audit trail and decision log.' },
      { name: 'keys', description: 'API keys and roles.' },
      { name: 'service', description: 'Health and readiness.' },
    ],
    paths,
    components: {
      schemas,
      securitySchemes: {
        bearerKey: { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer <key>' },
        headerKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
      },
    },
    security: [{ bearerKey: [] }, { headerKey: [] }],
  };
}
