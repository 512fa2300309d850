// Institutions and their versions: the timeline, one version (JSON or YAML), drafts created and
// updated under optimistic locking (ETag / If-Match), validation, tests, diffs, publishing.
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { gaps, overlaps } from '../../engine/analysis/index.ts';
import { diffPolicies } from '../../engine/diff/index.ts';
import { inForce } from '../../engine/version/index.ts';
import { formatInstant, parseInstant } from '../../engine/time/index.ts';
import { listed, quote } from '../../engine/errors/index.ts';
import { actor, badParameters, body, etag, queryBool, type Ctx, type Deps } from '../context.ts';
import { asIfPublished, checkTests, checkVersion, fieldErrors, runTests, type CheckedVersion, type TestOutcome } from '../policy-text.ts';
import { setHeader } from '../store/header.ts';
import { ProblemError, type FieldError } from '../problem.ts';
import { ConflictError, type VersionAudit, type VersionRow } from '../store/types.ts';

export function versionMeta(r: VersionRow) {
  return {
    id: r.id,
    institution: r.institution,
    label: r.label,
    status: r.status,
    effective_from: r.consolidated.effective_from, // as the document says it (store/header.ts)
    author: r.author,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
    updated_by: r.updatedBy,
    published_at: r.publishedAt,
    published_by: r.publishedBy,
    revision: r.revision,
    hash: r.hash,
    etag: etag(r),
  };
}

function versionDetail(r: VersionRow, consolidated: boolean) {
  let document: unknown;
  try {
    document = consolidated ? r.consolidated : parseYaml(r.yaml);
  } catch {
    document = r.consolidated;
  }
  return { ...versionMeta(r), consolidated, document, tests_yaml: r.testsYaml };
}

export function versionPath(r: Pick<VersionRow, 'institution' | 'label'>): string {
  return `/api/v1/institutions/${encodeURIComponent(r.institution)}/versions/${encodeURIComponent(r.label)}`;
}

async function findRow(deps: Deps, id: string, label: string): Promise<VersionRow> {
  const row = await deps.store.versions.get(id, label);
  if (!row) throw new ProblemError('not-found', `${id} has no version "${label}"`);
  return row;
}

async function institutionExists(deps: Deps, id: string): Promise<boolean> {
  return (await deps.store.versions.listInstitutions()).some((i) => i.id === id);
}

/** The audit event a version write stores with it (the store adds the institution, label and hashes). */
function versionAudit(c: Ctx, action: string, detail: VersionAudit['detail']): VersionAudit {
  return { actor: actor(c), action, detail };
}

/** The most changes an update's audit event says in words (a draft rewritten whole says hundreds). */
const AUDIT_CHANGES = 50;

/** What a draft's save changed, in words (the diff's sentences, both languages), for the audit trail. */
function updateDetail(row: VersionRow, v: CheckedVersion, testsYaml: string): VersionAudit['detail'] {
  const changes = diffPolicies(row.consolidated, v.consolidated);
  return {
    ...(v.doc.version === row.label ? {} : { renamed_from: row.label }),
    changes: changes.slice(0, AUDIT_CHANGES).map((ch) => ch.text),
    ...(changes.length > AUDIT_CHANGES ? { changes_total: changes.length } : {}),
    ...(testsYaml === row.testsYaml ? {} : { tests_changed: true }),
  };
}

function invalidPolicy(errors: FieldError[]): ProblemError {
  const first = errors[0];
  const detail = `${errors.length} error${errors.length === 1 ? '' : 's'} in the policy YAML${first ? `; the first, at line ${first.line}, column ${first.column}: ${first.message}` : ''}`;
  return new ProblemError('invalid-policy', detail, { errors });
}

function invalidTests(errors: FieldError[]): ProblemError {
  const first = errors[0];
  return new ProblemError('invalid-tests', `${errors.length} error${errors.length === 1 ? '' : 's'} in tests_yaml${first ? `; the first, at line ${first.line}, column ${first.column}: ${first.message}` : ''}`, { errors });
}

/** The version's YAML checked for this institution, as a draft. */
function checkedDraft(id: string, yaml: string, others: VersionRow[]): CheckedVersion {
  const checked = checkVersion(id, yaml, others);
  if (!checked.ok) throw invalidPolicy(fieldErrors(checked.errors));
  const v = checked.value;
  if (v.doc.status !== 'draft') {
    const { line, column } = lineOf(yaml, 'status');
    throw invalidPolicy([{ pointer: '/status', line, column, message: `status: a version is stored as a draft — write status: draft (publishing makes it published), not ${v.doc.status}` }]);
  }
  return v;
}

/** Where a top-level key is in the YAML text (for errors found after parsing). */
function lineOf(yaml: string, key: string): { line: number; column: number } {
  const i = yaml.split('\n').findIndex((l) => l.startsWith(`${key}:`));
  return { line: i < 0 ? 1 : i + 1, column: 1 };
}

function testCases(text: string) {
  const t = checkTests(text);
  if (!t.ok) throw invalidTests(fieldErrors(t.errors));
  return t.value;
}

/** 412 unless an If-Match value names the row's current revision (or is *). */
function ifMatch(c: Ctx, row: VersionRow, required: boolean): void {
  const header = c.req.header('if-match');
  if (header === undefined || header.trim() === '') {
    if (required) throw new ProblemError('precondition-required', 'send If-Match with the ETag the version was read with (GET it first), so a change made meanwhile is not overwritten');
    return;
  }
  const tags = header.split(',').map((t) => t.trim().replace(/^W\//, ''));
  if (tags.includes('*') || tags.includes(etag(row))) return;
  throw stale(row);
}

function stale(current: VersionRow): ProblemError {
  return new ProblemError(
    'precondition-failed',
    `${current.institution} ${current.label} is at revision ${current.revision} now; read it again, apply your change to the current text, and send it with If-Match: ${etag(current)}`,
    { current: versionDetail(current, false) },
    { etag: etag(current) },
  );
}

/**
 * A store write that refuses: a stale revision is a 412 with the version as it is now; the rest — a
 * version no longer in the status the change needs (StatusError, 409), a duplicate label — are
 * the typed store errors app.ts answers.
 */
function storeRefusal(e: unknown): never {
  if (e instanceof ConflictError) throw stale(e.current);
  throw e;
}

// ---- reading ---------------------------------------------------------------------------

export async function listInstitutions(c: Ctx, deps: Deps): Promise<Response> {
  const list = await deps.store.versions.listInstitutions();
  const now = Date.now();
  const institutions = await Promise.all(
    list.map(async (i) => {
      const loaded = await deps.policies.get(i.id);
      const current = loaded ? inForce(loaded.institution, now) : undefined;
      return {
        id: i.id,
        name: i.name,
        created_at: i.createdAt,
        in_force: current ? { version: current.version, effective_from: current.doc.effective_from, hash: current.hash } : null,
        versions: loaded?.rows.size ?? 0,
      };
    }),
  );
  return c.json({ institutions });
}

export async function listVersions(c: Ctx, deps: Deps): Promise<Response> {
  const id = c.req.param('id') as string;
  const rows = await deps.store.versions.list(id);
  if (!rows.length && !(await institutionExists(deps, id))) throw new ProblemError('not-found', `no institution "${id}"`);
  const at = (r: VersionRow) => Date.parse(r.effectiveFrom);
  const versions = [...rows].sort((a, b) => at(a) - at(b) || a.label.localeCompare(b.label)).map(versionMeta);
  return c.json({ institution: id, versions });
}

export async function getVersion(c: Ctx, deps: Deps): Promise<Response> {
  const errors: FieldError[] = [];
  const consolidated = queryBool(c, 'consolidated', errors);
  const format = c.req.query('format');
  if (format !== undefined && format !== 'json' && format !== 'yaml') errors.push({ parameter: 'format', message: `must be json or yaml (got ${quote(format)})` });
  badParameters(errors);
  const row = await findRow(deps, c.req.param('id') as string, c.req.param('label') as string);
  const tag = etag(row);
  const noneMatch = c.req.header('if-none-match');
  if (noneMatch && noneMatch.split(',').map((t) => t.trim().replace(/^W\//, '')).includes(tag)) return c.body(null, 304, { etag: tag });
  const accept = c.req.header('accept') ?? '';
  const yamlAccepted = /\b(application|text)\/(x-)?yaml\b/i.test(accept);
  const jsonAccepted = accept === '' || /application\/json|application\/\*|\*\/\*/i.test(accept);
  let asYaml = format === 'yaml' || (format === undefined && yamlAccepted && !/application\/json/i.test(accept));
  if (format === undefined && !yamlAccepted && !jsonAccepted) throw new ProblemError('not-acceptable', `a version is served as application/json or application/yaml, not ${accept}`);
  if (format === 'json') asYaml = false;
  if (asYaml) {
    const text = consolidated ? toYaml(row.consolidated, { lineWidth: 0, aliasDuplicateObjects: false }) : row.yaml;
    return c.body(text, 200, { 'content-type': 'application/yaml; charset=utf-8', etag: tag, vary: 'Accept' });
  }
  return c.json(versionDetail(row, consolidated), 200, { etag: tag, vary: 'Accept' });
}

// ---- drafts ----------------------------------------------------------------------------

export async function createVersion(c: Ctx, deps: Deps): Promise<Response> {
  const id = c.req.param('id') as string;
  const { yaml, tests_yaml } = body<{ yaml: string; tests_yaml?: string }>(c);
  const rows = await deps.store.versions.list(id);
  const v = checkedDraft(id, yaml, rows);
  if (rows.some((r) => r.label === v.doc.version)) {
    throw new ProblemError('conflict', `${id} already has a version "${v.doc.version}" — give the new one its own version: label, or change the draft with PUT ${versionPath({ institution: id, label: v.doc.version })}`, {
      errors: [{ pointer: '/version', ...lineOf(yaml, 'version'), message: `version "${v.doc.version}" exists` }],
    });
  }
  const testsYaml = tests_yaml ?? '';
  testCases(testsYaml);
  if (!rows.length && !(await institutionExists(deps, id))) await deps.store.versions.upsertInstitution(id, v.doc.name ?? id);
  let row: VersionRow;
  try {
    ({ row } = await deps.policies.save(id, () => deps.store.versions.create(
      {
        institution: id,
        label: v.doc.version,
        status: 'draft',
        yaml,
        consolidated: v.consolidated,
        hash: v.hash,
        effectiveFrom: v.doc.effective_from,
        testsYaml,
        author: actor(c),
      },
      versionAudit(c, 'version.create', { status: 'draft', effective_from: formatInstant(parseInstant(v.doc.effective_from)) }),
    )));
  } catch (e) {
    if (await deps.store.versions.get(id, v.doc.version)) throw new ProblemError('conflict', `${id} already has a version "${v.doc.version}"`);
    throw e;
  }
  return c.json(versionMeta(row), 201, { etag: etag(row), location: versionPath(row) });
}

export async function updateVersion(c: Ctx, deps: Deps): Promise<Response> {
  const id = c.req.param('id') as string;
  const label = c.req.param('label') as string;
  if (!c.req.header('if-match')?.trim()) throw new ProblemError('precondition-required', 'send If-Match with the ETag the draft was read with (GET it first), so a change made meanwhile is not overwritten');
  const row = await findRow(deps, id, label);
  if (row.status !== 'draft') throw new ProblemError('not-a-draft', `${id} ${label} is ${row.status}; a ${row.status} version never changes — create a new version instead`);
  ifMatch(c, row, true);
  const { yaml, tests_yaml } = body<{ yaml: string; tests_yaml?: string }>(c);
  const rows = (await deps.store.versions.list(id)).filter((r) => r.id !== row.id);
  const v = checkedDraft(id, yaml, rows);
  if (v.doc.version !== row.label && rows.some((r) => r.label === v.doc.version)) {
    throw new ProblemError('conflict', `${id} already has a version "${v.doc.version}"`, { errors: [{ pointer: '/version', ...lineOf(yaml, 'version'), message: `version "${v.doc.version}" exists` }] });
  }
  const testsYaml = tests_yaml ?? row.testsYaml;
  testCases(testsYaml);
  let updated: VersionRow;
  try {
    const content = { yaml, consolidated: v.consolidated, hash: v.hash, effectiveFrom: v.doc.effective_from, testsYaml, label: v.doc.version };
    ({ row: updated } = await deps.policies.save(id, () => deps.store.versions.updateDraft(row.id, row.revision, content, versionAudit(c, 'version.update', updateDetail(row, v, testsYaml)))));
  } catch (e) {
    storeRefusal(e);
  }
  return c.json(versionMeta(updated), 200, { etag: etag(updated), ...(updated.label === label ? {} : { location: versionPath(updated) }) });
}

// ---- checks ----------------------------------------------------------------------------

export async function validate(c: Ctx, deps: Deps): Promise<Response> {
  const id = c.req.param('id') as string;
  const { yaml, tests_yaml } = body<{ yaml: string; tests_yaml?: string }>(c);
  const rows = await deps.store.versions.list(id);
  const checked = checkVersion(id, yaml, rows);
  const tests = tests_yaml === undefined ? undefined : checkTests(tests_yaml);
  const testErrors = tests && !tests.ok ? fieldErrors(tests.errors) : [];
  if (!checked.ok) return c.json({ valid: false, errors: fieldErrors(checked.errors), test_errors: testErrors, gaps: [], findings: [] });
  const v = checked.value;
  return c.json({ valid: testErrors.length === 0, version: v.doc.version, hash: v.hash, errors: [], test_errors: testErrors, gaps: gaps(v.consolidated), findings: overlaps(v.consolidated) });
}

/**
 * The version's own tests with it in force from `effective`: a draft as the candidate (every case
 * without `version:` decided under it), another version as the published timeline decides them.
 */
function ownTests(id: string, row: VersionRow, rows: VersionRow[], effective: string): TestOutcome {
  const inst = asIfPublished(id, rows, row.consolidated, row.hash, effective);
  return runTests(inst, testCases(row.testsYaml), row.status === 'draft' ? row.label : undefined);
}

export async function testVersion(c: Ctx, deps: Deps): Promise<Response> {
  const id = c.req.param('id') as string;
  const row = await findRow(deps, id, c.req.param('label') as string);
  const effective = body<{ effective_from?: string }>(c).effective_from ?? row.consolidated.effective_from;
  const run = ownTests(id, row, await deps.store.versions.list(id), effective);
  return c.json({ institution: id, version: row.label, effective_from: effective, ...run });
}

export async function diff(c: Ctx, deps: Deps): Promise<Response> {
  const id = c.req.param('id') as string;
  const from = c.req.query('from');
  const to = c.req.query('to');
  const errors: FieldError[] = [];
  if (!from) errors.push({ parameter: 'from', message: 'from is required: the older version label' });
  if (!to) errors.push({ parameter: 'to', message: 'to is required: the newer version label' });
  badParameters(errors);
  const [a, b] = await Promise.all([deps.store.versions.get(id, from as string), deps.store.versions.get(id, to as string)]);
  const missing = [...(a ? [] : [{ parameter: 'from', message: `${id} has no version "${from}"` }]), ...(b ? [] : [{ parameter: 'to', message: `${id} has no version "${to}"` }])];
  if (missing.length) throw new ProblemError('not-found', missing.map((m) => m.message).join('; '), { errors: missing });
  return c.json({ institution: id, from: a!.label, to: b!.label, changes: diffPolicies(a!.consolidated, b!.consolidated) });
}

// ---- publishing ------------------------------------------------------------------------

/** How many failing cases a refused publish names in its detail (all are in `failing`). */
const FAILING_NAMED = 3;

export async function publishVersion(c: Ctx, deps: Deps): Promise<Response> {
  const id = c.req.param('id') as string;
  const label = c.req.param('label') as string;
  const row = await findRow(deps, id, label);
  if (row.status !== 'draft') throw new ProblemError('not-a-draft', `${id} ${label} is already ${row.status}; only a draft can be published`);
  ifMatch(c, row, false);
  const effective = body<{ effective_from?: string }>(c).effective_from ?? row.consolidated.effective_from;
  const rows = await deps.store.versions.list(id);
  const run = ownTests(id, row, rows, effective);
  if (run.failed) {
    const failing = run.cases.filter((t) => !t.passed);
    const total = run.passed + run.failed;
    const named = listed(failing.map((t) => quote(t.name)), FAILING_NAMED);
    throw new ProblemError('tests-failing', `${run.failed} of ${total} test case${total === 1 ? '' : 's'} fail${run.failed === 1 ? 's' : ''} under ${label} in force from ${effective}: ${named}; fix the draft or its tests, then publish again`, {
      passed: run.passed,
      failed: run.failed,
      failing,
    });
  }
  // The published text says so itself: status and effective_from are set in the YAML (comments kept),
  // checked and consolidated again (store/header.ts: the document is their one home).
  const yaml = setHeader(row.yaml, { status: 'published', effective_from: effective });
  const checked = checkVersion(id, yaml, rows.filter((r) => r.id !== row.id));
  if (!checked.ok) throw invalidPolicy(fieldErrors(checked.errors));
  // One write: the published text, the status and the audit event, all or nothing.
  let published: VersionRow;
  try {
    const content = { yaml, consolidated: checked.value.consolidated, hash: checked.value.hash, effectiveFrom: effective, testsYaml: row.testsYaml, label: row.label };
    const audit = versionAudit(c, 'version.publish', { effective_from: effective, tests_passed: run.passed, untested: run.uncovered.map((u) => u.entry) });
    ({ row: published } = await deps.policies.save(id, () => deps.store.versions.setStatus(row.id, row.revision, { status: 'published', content }, audit)));
  } catch (e) {
    storeRefusal(e);
  }
  return c.json(versionMeta(published), 200, { etag: etag(published) });
}

export async function retireVersion(c: Ctx, deps: Deps): Promise<Response> {
  const id = c.req.param('id') as string;
  const label = c.req.param('label') as string;
  const row = await findRow(deps, id, label);
  if (row.status !== 'published') throw new ProblemError('conflict', `${id} ${label} is ${row.status}; only a published version can be retired`);
  ifMatch(c, row, false);
  let retired: VersionRow;
  try {
    ({ row: retired } = await deps.policies.save(id, () => deps.store.versions.setStatus(row.id, row.revision, { status: 'retired' }, versionAudit(c, 'version.retire', null))));
  } catch (e) {
    storeRefusal(e);
  }
  return c.json(versionMeta(retired), 200, { etag: etag(retired) });
}
