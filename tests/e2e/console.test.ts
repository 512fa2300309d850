// The admin console end to end: the real API, the built console, headless Chromium. One story,
// step by step: sign in, read, draft, edit a limit in the grid, a validation error at its line, a
// conflicting save, tests, a simulated case, an impact comparison, publishing for next month,
// the audit trail, the language switch — and the acceptance story (SUM's PhD limit 10 → 12).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { formatInstant, fromLocal, toLocal } from '../../engine/time/index.ts';
import { ADMIN_KEY, call, launch, shot, startStack, type Browser, type Stack } from './harness.ts';

const DRAFT = '12/2026';
const SUM_LABEL = '139/2013';
const AT_10 = 'PhD student at the limit of 10 is refused the 11th volume';
const enc = encodeURIComponent;

/** The first of next month, 00:00 Warsaw, and an instant a week into it, as ISO and as datetime-local. */
function nextMonth() {
  const today = toLocal(Date.now()).date;
  let [y, m] = today.split('-').map(Number) as [number, number];
  m += 1;
  if (m > 12) [y, m] = [y + 1, 1];
  const ym = `${y}-${String(m).padStart(2, '0')}`;
  return {
    first: formatInstant(fromLocal(`${ym}-01`, 0)),
    week: formatInstant(fromLocal(`${ym}-07`, 10 * 60)),
    weekInput: `${ym}-07T10:00:00`,
    today: formatInstant(fromLocal(today, 10 * 60)),
    todayInput: `${today}T10:00:00`,
  };
}
const NEXT = nextMonth();
/** SUM's rights lapse every year (§ 5 ust. 2): the desks send how long they run. */
const RIGHTS = `${Number(NEXT.week.slice(0, 4)) + 1}-09-30`;

/** Text content with no-break spaces as plain ones (Intl puts them in amounts and dates). */
const text = async (l: { textContent(): Promise<string | null> }) => ((await l.textContent()) ?? '').replace(/[\u00a0\u202f]/g, ' ').trim();

let stack: Stack;
let b: Browser;
let bobKey: string;

beforeAll(async () => {
  stack = await startStack();
  bobKey = (await stack.api.store.keys.create('bob', 'editor', { actor: 'test' })).key;
  b = await launch();
}, 180_000);

afterAll(async () => {
  await b?.close();
  await stack?.close();
}, 60_000);

/** Errors in the browser console fail the story (checked after every step); so do the
 * accessibility problems axe-core finds on each screen (checked with every screenshot). */
function noConsoleErrors() {
  expect(b.errors, b.errors.join('\n')).toEqual([]);
}

type Responses = { on(e: 'response', f: (r: { url(): string; json(): Promise<unknown> }) => void): unknown; off(e: 'response', f: (r: { url(): string; json(): Promise<unknown> }) => void): unknown };

/** Watches the page's answers: the explanations it reads, and the versions (link and hash) its decisions name. */
function explanationReads(page: Responses) {
  const explained: string[] = [];
  const versions = new Set<string>();
  const seen = async (r: { url(): string; json(): Promise<unknown> }) => {
    const at = new URL(r.url()).pathname;
    if (at.endsWith('/explanation')) explained.push(at);
    else if (at.startsWith('/api/v1/decisions/')) {
      const d = (await r.json().catch(() => null)) as { explanation?: string; policy?: { hash: string } } | null;
      if (d?.explanation) versions.add(`${d.explanation}#${d.policy?.hash}`);
    }
  };
  page.on('response', seen);
  return {
    stop: () => {
      page.off('response', seen);
      return { explained, versions };
    },
  };
}

describe('admin console', { timeout: 90_000 }, () => {
  it('signs in with an API key and learns its role', async () => {
    const { page } = b;
    await page.goto(stack.url + '/');
    await page.waitForURL(/\/signin/);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await shot(page, '01-sign-in')).toEqual([]);
    await page.getByLabel('API key').fill('not-a-key-at-all');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'does not accept' }).waitFor();
    b.errors.length = 0; // the refused key's 401 is the point of this check
    await page.getByLabel('API key').fill(ADMIN_KEY);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Institutions and versions' }).waitFor();
    await expect(page.getByTestId('role').textContent()).resolves.toContain('administrator');
    // The key is kept for the tab only.
    expect(await page.evaluate(() => (globalThis as unknown as { sessionStorage: Storage }).sessionStorage.getItem('regula.key'))).toBe(ADMIN_KEY);
    for (const id of ['pb', 'sum', 'umk', 'uwm']) await page.getByTestId(`institution-${id}`).waitFor();
    await page.getByRole('list', { name: 'Versions of uwm along time' }).getByRole('link', { name: '27/2022' }).waitFor();
    expect(await shot(page, '02-institutions')).toEqual([]);
    noConsoleErrors();
  });

  it('shows a version consolidated, each rule with its paragraph and assumptions', async () => {
    const { page } = b;
    await page.getByTestId('institution-sum').getByRole('link').first().click();
    await page.getByRole('table').getByRole('link', { name: SUM_LABEL }).first().click();
    const view = page.getByTestId('policy-view');
    await view.waitFor();
    const phd = view.locator('#limits-phd-students');
    await expect(phd.locator('.cite').first().textContent()).resolves.toBe('§ 7');
    const assumption = phd.locator('details.assumption-text').first();
    await expect(assumption.locator('summary').textContent()).resolves.toContain('lending-desk-limits');
    await assumption.locator('summary').click();
    await expect(assumption.textContent()).resolves.toContain('§ 7 gives volumes per category');
    expect(await shot(page, '03-version-consolidated')).toEqual([]);
    await page.getByRole('tab', { name: 'As written (YAML)' }).click();
    await page.locator('.cm-content').first().waitFor();
    noConsoleErrors();
  });

  it('creates a draft for next month and edits a limit in the grid: the YAML changes, nothing else', async () => {
    const { page } = b;
    await page.goto(`${stack.url}/institutions/sum/new?from=${enc(SUM_LABEL)}`);
    // The label field is empty until typed in (no example that looks filled in).
    await expect(page.getByLabel('Label of the new version').getAttribute('placeholder')).resolves.toBeNull();
    await page.getByLabel('Label of the new version').fill(DRAFT);
    await page.getByLabel('Takes effect (Europe/Warsaw)').fill(NEXT.first.slice(0, 16));
    await page.getByTestId('create-draft').click();
    await page.waitForURL(/\/edit\//);
    await page.getByRole('heading', { name: `Editing ${DRAFT}` }).waitFor();
    await page.getByRole('tab', { name: 'Rules matrix' }).click();
    const matrix = page.getByTestId('rules-matrix');
    // The regulation's order: § 4 ust. 1 lists staff, students, doctoral students…; the loan types' own terms come first.
    await expect(matrix.locator('tbody th').evaluateAll((ths) => ths.slice(0, 4).map((th) => th.textContent?.trim()))).resolves.toEqual(['All categories (the loan type’s own terms)', 'SUM staff', 'SUM students', 'SUM doctoral students']);
    await expect(text(page.getByTestId('cell-phd-students-long-term'))).resolves.toBe('30 days up to 10 at once renewals: no count limit PLN 0.50 per started day');
    // External readers borrow only against a deposit (§ 4 ust. 1): a limit of 0 for other home loans.
    await expect(text(page.getByTestId('cell-external-long-term'))).resolves.toBe('not lent (limit 0)');
    await page.getByTestId('cell-phd-students-long-term').click();
    const cell = page.getByTestId('limit-phd-students-phd-students-long-term');
    await expect(cell.inputValue()).resolves.toBe('10');
    expect(await shot(page, '04-editor-rules-matrix')).toEqual([]);
    await cell.fill('12');
    await cell.press('Tab');
    // The changed line is highlighted in the YAML; the limit counts the 1- and 2-day loans too, so their cells say 12.
    await page.locator('.cm-line.cm-flash').filter({ hasText: 'max: 12' }).waitFor();
    await expect(text(page.getByTestId('cell-phd-students-one-day'))).resolves.toContain('up to 12 at once');
    await page.getByTestId('save').click();
    await page.getByTestId('save-state').filter({ hasText: 'Saved' }).waitFor();
    const saved = await call(stack, 'GET', `/api/v1/institutions/sum/versions/${enc(DRAFT)}?format=yaml`, ADMIN_KEY);
    const before = (await call(stack, 'GET', `/api/v1/institutions/sum/versions/${enc(SUM_LABEL)}?format=yaml`, ADMIN_KEY)).text.split('\n');
    const after = saved.text.split('\n');
    // A new act: the header says the draft, the source its number and no date of the old act;
    // the repository's schema hint is gone. The rest — comments, order — as it was, but the one limit.
    const header = /^(version|effective_from|status): |^  (number|date): |^# yaml-language-server/;
    expect(after.filter((l) => header.test(l))).toEqual([`version: "${DRAFT}"`, `effective_from: "${NEXT.first}"`, 'status: draft', `  number: ${DRAFT}`]);
    const body = (lines: string[]) => lines.filter((l) => !header.test(l)).join('\n').replace(/^#\n/, '').split('\n');
    const [b0, a0] = [body(before), body(after)];
    expect(a0.length).toBe(b0.length);
    expect(a0.filter((l, i) => l !== b0[i])).toEqual(['    max: 12']);
    noConsoleErrors();
  });

  it('gives doctoral students a 60-day loan period in the matrix, for them only, without touching the YAML', async () => {
    const { page } = b;
    await page.getByTestId('cell-phd-students-long-term').click();
    const form = page.getByTestId('cell-form');
    await expect(text(form.locator('p').first())).resolves.toBe('SUM doctoral students takes the loan type’s terms. A period or renewal changed here holds for SUM doctoral students only.');
    await page.getByTestId('cell-period').fill('60');
    await page.getByTestId('cell-period').press('Tab');
    await page.locator('.cm-line.cm-flash').filter({ hasText: 'days: 60' }).waitFor();
    await expect(text(page.getByTestId('cell-phd-students-long-term'))).resolves.toMatch(/^60 days /);
    await expect(text(page.getByTestId('cell-students-long-term'))).resolves.toMatch(/^30 days /);
    await expect(page.getByTestId('cell-phd-students-long-term').locator('.ownval').first().textContent()).resolves.toBe('60 days');
    await page.getByTestId('save').click();
    await page.getByTestId('save-state').filter({ hasText: 'Saved' }).waitFor();
    const doc = parse((await call(stack, 'GET', `/api/v1/institutions/sum/versions/${enc(DRAFT)}?format=yaml`, ADMIN_KEY)).text);
    expect(doc.loan_types['long-term'].by_category).toEqual({ 'phd-students': { due: { kind: 'period', closed_day: 'next-open-day', days: 60 } } });
    expect(doc.loan_types['long-term'].due.days).toBe(30);
    noConsoleErrors();
  });

  it('marks a validation error at its line as you type, and clears it when fixed', async () => {
    const { page } = b;
    const editor = page.getByTestId('yaml-editor');
    await editor.click();
    await page.keyboard.press('Control+End'); // the empty line after the last newline
    const lines = (await call(stack, 'GET', `/api/v1/institutions/sum/versions/${enc(DRAFT)}?format=yaml`, ADMIN_KEY)).text.replace(/\n$/, '').split('\n').length;
    await page.keyboard.type('limitz: 3', { delay: 10 });
    await page.getByRole('tab', { name: /Problems/ }).click();
    const at = page.getByTestId('problem-line');
    await at.first().waitFor();
    // The error is on the line typed (the text's last line + 1), marked in the gutter too.
    await expect(at.first().textContent()).resolves.toBe(`line ${lines + 1}:1`);
    await page.locator('.cm-lint-marker-error').first().waitFor();
    await expect(page.getByTestId('problems').textContent()).resolves.toContain('limitz');
    expect(await shot(page, '05-editor-validation-error')).toEqual([]);
    await at.first().click(); // goes to the line
    await page.keyboard.press('End');
    await page.keyboard.press('Shift+Home');
    await page.keyboard.press('Backspace');
    await page.getByText('The policy is valid.').waitFor();
    await expect(page.locator('.cm-lint-marker-error').count()).resolves.toBe(0);
    // A valid entry that can never take effect is a warning, in words: at most 2 volumes in any
    // checkout leaves SUM's 5 per order to the reading room (§ 19 ust. 1) nothing to refuse.
    const text = (await call(stack, 'GET', `/api/v1/institutions/sum/versions/${enc(DRAFT)}?format=yaml`, ADMIN_KEY)).text.split('\n');
    const perCheckout = text.indexOf('per_checkout:');
    const last = text.findIndex((l, i) => i > perCheckout && /^\S/.test(l)) - 1; // the section's last line
    await page.keyboard.press('Control+Alt+g'); // CodeMirror's go to line
    await page.keyboard.type(String(last + 1));
    await page.keyboard.press('Enter');
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Shift+Home'); // whatever indentation the editor gave the new line
    await page.keyboard.type('  all: { loan_types: "*", max: 2 }', { delay: 5 });
    // (SUM's fees have no cap, on purpose: those warnings stay throughout.)
    const findings = () => page.getByTestId('findings').textContent();
    await expect.poll(findings).toMatch(/per_checkout\.reading-room-order · per_checkout\.all: per-checkout limit reading-room-order \(§ 19 ust\. 1\) never refuses on its own/);
    expect(await findings()).toMatch(/fees\.overdue: fee overdue \(§ 9 ust\. 4\) has no cap/);
    await page.keyboard.press('Shift+Home');
    await page.keyboard.press('Shift+Home');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace'); // and the line itself
    await expect.poll(findings).not.toMatch(/per_checkout/);
    await page.getByTestId('save-state').filter({ hasText: 'No changes' }).or(page.getByTestId('save-state').filter({ hasText: 'Saved' })).waitFor();
    noConsoleErrors();
  });

  it('completes keys from the policy schema', async () => {
    const { page } = b;
    await page.getByTestId('yaml-editor').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('per_ch', { delay: 20 });
    await page.locator('.cm-tooltip-autocomplete').getByText('per_checkout').waitFor();
    await page.keyboard.press('Escape');
    await page.keyboard.press('Shift+Home');
    await page.keyboard.press('Backspace');
    await page.getByTestId('save-state').filter({ hasText: 'Saved' }).waitFor();
    noConsoleErrors();
  });

  it('shows a save that someone else made meanwhile side by side, and loses neither', async () => {
    const { page } = b;
    // Bob, an editor, saves the draft from his own client.
    const current = await call<{ tests_yaml: string }>(stack, 'GET', `/api/v1/institutions/sum/versions/${enc(DRAFT)}`, bobKey);
    const theirs = (await call(stack, 'GET', `/api/v1/institutions/sum/versions/${enc(DRAFT)}?format=yaml`, bobKey)).text.replace('name: Biblioteka Śląskiego', '# Bob was here\nname: Biblioteka Śląskiego');
    const put = await call(stack, 'PUT', `/api/v1/institutions/sum/versions/${enc(DRAFT)}`, bobKey, { yaml: theirs, tests_yaml: current.data.tests_yaml }, { 'if-match': current.etag! });
    expect(put.status).toBe(200);
    // Meanwhile the fee goes up in the form, and the draft is saved.
    await page.getByRole('tab', { name: 'Fees' }).click();
    const rate = page.locator('#fee-overdue-rate');
    await expect(rate.inputValue()).resolves.toBe('0.50');
    await rate.fill('0.60');
    await rate.press('Tab');
    await page.locator('.cm-line.cm-flash').filter({ hasText: 'rate: 60' }).waitFor();
    await page.getByTestId('save').click();
    const conflict = page.getByTestId('conflict');
    await conflict.waitFor();
    await expect(conflict.textContent()).resolves.toMatch(/saved again .*revision 4\)\.\s*It was saved by bob\./);
    await conflict.locator('.cm-line').filter({ hasText: '# Bob was here' }).first().waitFor();
    await conflict.locator('.cm-line').filter({ hasText: 'rate: 60' }).first().waitFor();
    // Both texts are kept: mine in this browser until one is chosen.
    const kept = await page.evaluate(() => (globalThis as unknown as { localStorage: Storage }).localStorage.getItem('regula.unsaved.sum.12/2026'));
    expect(kept).toContain('rate: 60');
    expect(await shot(page, '06-editor-conflict')).toEqual([]);
    await page.getByTestId('keep-mine').click();
    await page.getByTestId('save-state').filter({ hasText: 'Saved' }).waitFor();
    const saved = (await call(stack, 'GET', `/api/v1/institutions/sum/versions/${enc(DRAFT)}?format=yaml`, ADMIN_KEY)).text;
    expect(saved).toContain('    rate: 60');
    expect(parse(saved).limits['phd-students'].max).toBe(12);
    noConsoleErrors();
  });

  it('keeps unsaved YAML through a lost connection', async () => {
    const { page, context } = b;
    await page.getByRole('tab', { name: 'Fees' }).click();
    const cap = page.locator('#fee-overdue-cap');
    await cap.fill('20');
    await cap.press('Tab');
    await page.locator('.cm-line.cm-flash').filter({ hasText: 'cap: 2000' }).waitFor();
    await context.setOffline(true);
    await page.getByTestId('save').click();
    await page.getByTestId('error').filter({ hasText: 'cannot be reached' }).waitFor();
    await context.setOffline(false);
    b.errors.length = 0; // the browser logs the failed request itself
    await page.reload();
    await page.getByTestId('restored').waitFor();
    await page.getByRole('tab', { name: 'Fees' }).click();
    await expect(page.locator('#fee-overdue-cap').inputValue()).resolves.toBe('20.00');
    await page.getByTestId('save').click();
    await page.getByTestId('save-state').filter({ hasText: 'Saved' }).waitFor();
    expect(parse((await call(stack, 'GET', `/api/v1/institutions/sum/versions/${enc(DRAFT)}?format=yaml`, ADMIN_KEY)).text).fees.overdue.cap).toBe(2000);
    noConsoleErrors();
  });

  it('runs the draft\'s tests under the draft itself: the cases of the old limit fail', async () => {
    const { page } = b;
    await page.getByRole('tab', { name: 'Test cases' }).click();
    await page.getByTestId('run-tests').click();
    const summary = page.getByTestId('test-summary');
    await summary.waitFor();
    await expect(summary.textContent()).resolves.toMatch(new RegExp(`\\d+ passed.*[1-9]\\d* failed.*of ${DRAFT}, the candidate`, 's'));
    // The shipped case of the limit of 10, decided under the draft (limit 12), not under 139/2013.
    const at10 = page.getByTestId('test-results').locator('tr').filter({ hasText: AT_10 });
    await expect(text(at10.getByTestId('decided-under'))).resolves.toBe(`${DRAFT} the candidate`);
    await expect(at10.textContent()).resolves.toContain('outcome: expected refuse, got allow');
    expect(await shot(page, '07-editor-tests')).toEqual([]);
    await page.goto(`${stack.url}/institutions/sum/tests/${DRAFT}`);
    await page.getByTestId('test-results').waitFor();
    expect(await shot(page, '08-tests')).toEqual([]);
    noConsoleErrors();
  });

  it('simulates one case under two versions side by side and turns it into test cases', async () => {
    const { page } = b;
    // A decision names its assumptions by id: the console reads each version's explanation once.
    const reads = explanationReads(page);
    await page.goto(`${stack.url}/simulator?institution=sum`);
    await page.getByTestId('category').selectOption('phd-students');
    await page.getByTestId('item-status').selectOption('regular');
    await page.getByTestId('loans-out').fill('11');
    await page.getByTestId('at').fill(NEXT.weekInput);
    await page.getByTestId('compare').check();
    await page.getByTestId('version-b').selectOption(DRAFT);
    await page.getByTestId('decide').click();
    const decisions = page.getByTestId('decision');
    await decisions.nth(1).waitFor();
    await expect.poll(() => decisions.count()).toBe(2);
    await expect(decisions.nth(0).getByTestId('outcome').textContent()).resolves.toBe('refused');
    await expect(decisions.nth(0).textContent()).resolves.toContain('LIMIT_REACHED');
    await expect(decisions.nth(0).locator('.cite').first().textContent()).resolves.toBe('§ 7');
    // What decided it, the entries the decision read, in the policy's own words: § 7's limit of 10 among them.
    const decided = page.getByTestId('decided-entries').first();
    await expect(text(decided.locator('article[data-entry="limits.phd-students"]'))).resolves.toMatch(/^SUM doctoral students § 7 .*At most 10 volumes at once/);
    await expect(text(page.getByTestId('decided-entries').nth(1).locator('article[data-entry="limits.phd-students"]'))).resolves.toContain('At most 12 volumes at once');
    await expect(decisions.nth(1).getByTestId('outcome').textContent()).resolves.toBe('allowed');
    // The due instant on the Warsaw clock, whatever the browser's own zone (New York here).
    await expect(decisions.nth(1).getByTestId('value-due').textContent()).resolves.toMatch(/23:59:59 (CET|CEST)/);
    // 139/2013 refuses on § 7's limit, with the assumption that limit rests on, in words.
    await expect(decisions.nth(0).locator('ul.assumptions').textContent()).resolves.toContain('lending-desk-limits: § 7 gives volumes per category');
    expect(await shot(page, '09-simulator-two-versions')).toEqual([]);
    await page.getByLabel('Name of the case').fill('PhD student with 11 volumes borrows a 12th (limit 12 from next month)');
    await page.getByTestId('add-case').click();
    await page.getByText(`Test case added to draft ${DRAFT}.`).waitFor();

    await page.getByTestId('loans-out').fill('12');
    await page.getByTestId('decide').click();
    // The answer to this click replaces the one shown: wait for it.
    await expect.poll(() => decisions.nth(1).getByTestId('outcome').textContent()).toBe('refused');
    const { explained, versions } = reads.stop();
    expect(versions.size).toBeGreaterThanOrEqual(2);
    expect(explained.length).toBe(versions.size);
    await page.getByLabel('Name of the case').fill('PhD student at the limit of 12 is refused the 13th volume');
    await page.getByTestId('add-case').click();
    await page.getByText(`Test case added to draft ${DRAFT}.`).waitFor();
    const tests = parse((await call<{ tests_yaml: string }>(stack, 'GET', `/api/v1/institutions/sum/versions/${enc(DRAFT)}`, ADMIN_KEY)).data.tests_yaml).cases as Array<{ name: string; expect: { outcome: string; reasons: string[] } }>;
    expect(tests.slice(-2).map((c) => [c.name, c.expect.outcome, c.expect.reasons])).toEqual([
      ['PhD student with 11 volumes borrows a 12th (limit 12 from next month)', 'allow', []],
      ['PhD student at the limit of 12 is refused the 13th volume', 'refuse', ['LIMIT_REACHED']],
    ]);

    // A late return: the fee and its breakdown.
    await page.getByLabel('Return').check();
    await page.getByTestId('loan-type').selectOption('long-term');
    await page.locator('#due').fill(NEXT.weekInput.replace('T10:00:00', 'T23:59:59'));
    await page.getByTestId('at').fill(NEXT.weekInput.replace(/-07T/, '-10T'));
    await page.getByTestId('decide').click();
    await expect(text(decisions.nth(0).getByTestId('value-fee'))).resolves.toBe('PLN 1.50');
    await expect(text(decisions.nth(1).getByTestId('value-fee'))).resolves.toBe('PLN 1.80');
    // Three started days at one rate: one row of the breakdown, with its count.
    await expect.poll(() => decisions.nth(1).locator('table.breakdown tbody tr').count()).toBe(1);
    await expect(text(decisions.nth(1).locator('table.breakdown tbody tr td').nth(1))).resolves.toBe('3');
    expect(await shot(page, '10-simulator-return-fee')).toEqual([]);
    // Another institution: its own versions and tables, in its regulation's order — and nothing
    // asked of it by SUM's labels (a 404 would show in the browser's console).
    await page.getByLabel('Checkout', { exact: true }).check();
    await page.locator('#inst').selectOption('pb');
    await expect.poll(() => page.getByTestId('category').locator('option').evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value).slice(0, 3))).toEqual(['staff', 'students', 'postgraduates']);
    await expect.poll(() => page.getByTestId('item-status').inputValue()).toBe('regular');
    noConsoleErrors();
  });

  it('runs the draft\'s tests with the new cases', async () => {
    const { page } = b;
    await page.goto(`${stack.url}/institutions/sum/tests/${DRAFT}`);
    const summary = page.getByTestId('test-summary');
    await summary.waitFor();
    await expect(summary.textContent()).resolves.toMatch(/\d+ passed.*[1-9]\d* failed/s);
    const at12 = page.getByTestId('test-results').locator('tr').filter({ hasText: 'PhD student at the limit of 12 is refused the 13th volume' });
    await expect(text(at12.locator('td').first())).resolves.toBe('pass');
    noConsoleErrors();
  });

  it('compares two versions side by side and in words', async () => {
    const { page } = b;
    await page.goto(`${stack.url}/institutions/sum/diff?from=${enc(SUM_LABEL)}&to=${enc(DRAFT)}`);
    const changes = page.getByTestId('changes');
    await changes.waitFor();
    await expect(changes.textContent()).resolves.toMatch(/10 → 12/);
    await expect(changes.textContent()).resolves.toMatch(/0,50 zł → 0,60 zł|PLN 0.50 → PLN 0.60|50 → 60/);
    await page.locator('.sbs .cm-changedLine').first().waitFor();
    expect(await shot(page, '11-diff')).toEqual([]);
    noConsoleErrors();
  });

  it('runs an impact comparison with a progress bar, a chart, the differing cases and a CSV', async () => {
    const { page } = b;
    await page.goto(`${stack.url}/impact?institution=sum&baseline=${enc(SUM_LABEL)}&candidate=${enc(DRAFT)}`);
    await expect.poll(() => page.getByTestId('candidate').inputValue()).toBe(DRAFT);
    await expect.poll(() => page.getByTestId('baseline').inputValue()).toBe(SUM_LABEL);
    // Enough loans for the run to be seen running: chunks of 10,000 go by in a fraction of a second.
    await page.getByTestId('n').fill('300000');
    await page.getByTestId('run-impact').click();
    await page.getByRole('progressbar').waitFor();
    expect(await shot(page, '12-impact-progress')).toEqual([]);
    const result = page.getByTestId('impact-result');
    await result.waitFor({ timeout: 60_000 });
    await expect(page.getByRole('progressbar').count()).resolves.toBe(0);
    await page.locator('figure.chart svg rect').first().waitFor();
    // The rate went up and a cap came in: the fees change one way or the other.
    await expect(text(page.getByTestId('total-fees').locator('td').nth(2))).resolves.toMatch(/^[+−]PLN [\d,.]+$/);
    await expect(text(page.getByTestId('total-refusals').locator('td').nth(2))).resolves.toMatch(/^−\d/);
    await page.getByTestId('differences').locator('tbody tr').first().waitFor();
    // Each change in words, in the console's language (the engine says it in both).
    await expect(text(page.getByTestId('differences').locator('tbody tr ul.ch li').first())).resolves.toMatch(/^(refused → allowed|fee |reasons: )/);
    expect(await shot(page, '13-impact-result')).toEqual([]);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-csv').click()]);
    const csv = await download.path().then((p) => import('node:fs').then((fs) => fs.readFileSync(p!, 'utf8')));
    expect(csv.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe('place,id,question,at,category,loan_type,item_status,baseline_outcome,candidate_outcome,baseline_codes,candidate_codes,baseline_due,candidate_due,baseline_fee,candidate_fee,changes');
    expect(csv.split('\r\n').length).toBeGreaterThan(3);

    // Loans from a file.
    await page.getByLabel('Load loans from a file (CSV or JSON)').check();
    await page.getByTestId('file').setInputFiles({
      name: 'loans.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`id,question,at,category,item_status,loan_type,loans,rights_valid_until,due\nphd-11,checkout,${NEXT.week},phd-students,regular,long-term,11,${RIGHTS},\nstaff-3,checkout,${NEXT.week},staff,regular,long-term,3,${RIGHTS},\n`),
    });
    await page.getByText('2 loans read from loans.csv.').waitFor();
    await page.getByTestId('run-impact').click();
    await page.getByText('2 cases decided; 1 decided differently.').waitFor({ timeout: 60_000 });
    await page.getByTestId('differences').getByText('phd-11').waitFor();

    // Real traffic: what a desk asked (the simulator's what-ifs above are not logged), replayed.
    const desk = (await stack.api.store.keys.create('desk-7', 'circulation', { actor: 'test' })).key;
    for (const loans of [9, 10, 11]) {
      const asked = await call(stack, 'POST', '/api/v1/decisions/checkout', desk, { institution: 'sum', at: NEXT.week, facts: { patron: { category: 'phd-students', loans: { 'long-term': loans }, rights_valid_until: RIGHTS }, item: { status: 'regular' } } });
      expect(asked.status).toBe(200);
    }
    await page.getByTestId('source-log').check();
    await page.getByTestId('run-impact').click();
    // Under the draft the 11th and 12th volumes, refused today (limit 10), are lent — and every
    // long-term loan of a doctoral student falls due 60 days on, not 30.
    await page.getByText('3 cases decided; 3 decided differently.').waitFor({ timeout: 60_000 });

    // A run started too large is cancelled from its progress bar.
    await page.getByLabel('Generate sample loans from the policy’s own tables').check();
    await page.getByTestId('n').fill('200000');
    await page.getByTestId('run-impact').click();
    await page.getByRole('progressbar').waitFor();
    await page.getByTestId('cancel-impact').click();
    await expect(text(page.getByTestId('impact-cancelled'))).resolves.toMatch(/^Cancelled after [\d,]+ of 200,000 cases: nothing was compared in full\.$/);
    await expect.poll(() => page.getByRole('progressbar').count()).toBe(0);
    await expect.poll(() => page.getByTestId('run-impact').isEnabled()).toBe(true);

    // Earlier runs stay listed, and one that finished can be shown again (and linked to).
    const earlier = page.getByTestId('earlier');
    await expect.poll(() => text(earlier.locator('tbody tr').first().locator('td').nth(4))).toBe('cancelled');
    const first = earlier.locator('tbody tr').filter({ hasText: '300,000 / 300,000' });
    await expect(text(first.locator('td').nth(4))).resolves.toBe('done');
    await first.getByRole('link', { name: 'Show' }).click();
    await page.getByTestId('impact-result').waitFor();
    await page.locator('figure.chart svg rect').first().waitFor();
    expect(await shot(page, '13b-impact-earlier')).toEqual([]);
    noConsoleErrors();
  });

  it('lists what the desks asked, and what they were answered: the decision log', async () => {
    const { page } = b;
    await page.goto(`${stack.url}/decision-log`);
    const log = page.getByTestId('decision-log');
    await log.locator('tbody tr').first().waitFor();
    // The desk's three checkouts (the simulator's what-ifs are not there), newest first.
    const rows = log.locator('tbody tr');
    await expect(rows.count()).resolves.toBe(3);
    await expect(text(rows.first().locator('td').nth(1))).resolves.toBe('desk-7'); // the key that asked
    await expect(text(rows.first().locator('td').nth(6))).resolves.toBe('refused LIMIT_REACHED'); // 11 out, limit 10
    await expect(text(rows.nth(2).locator('td').nth(6))).resolves.toBe('allowed');
    await rows.first().locator('summary').click();
    await expect(text(rows.first().locator('pre'))).resolves.toContain('"long-term": 11');
    // Filtered by the answer and by its reason code, in the service.
    const answers = await rows.locator('td:nth-child(7)').allTextContents();
    const refusedN = answers.filter((a) => a.trim().startsWith('refused')).length;
    const limitN = answers.filter((a) => a.includes('LIMIT_REACHED')).length;
    expect(refusedN).toBeGreaterThan(0);
    await page.getByTestId('log-outcome').selectOption('refuse');
    await expect.poll(() => rows.count()).toBe(refusedN);
    await page.getByTestId('log-outcome').selectOption('');
    await expect.poll(() => rows.count()).toBe(3);
    await page.getByTestId('log-code').fill('limit_reached');
    await page.getByTestId('log-code').press('Enter');
    await page.getByTestId('log-code').blur();
    await expect.poll(() => rows.count()).toBe(limitN);
    await expect(text(rows.first().locator('td').nth(6))).resolves.toBe('refused LIMIT_REACHED');
    await page.getByTestId('log-code').fill('');
    await page.getByTestId('log-code').blur();
    await expect.poll(() => rows.count()).toBe(3);
    await expect(page.getByTestId('log-off').count()).resolves.toBe(0);
    expect(await shot(page, '13c-decision-log')).toEqual([]);
    noConsoleErrors();
  });

  it('warns before publishing about an entry that can never take effect', async () => {
    const { page } = b;
    const path = `/api/v1/institutions/sum/versions/${enc(DRAFT)}`;
    const current = await call<{ tests_yaml: string }>(stack, 'GET', path, ADMIN_KEY);
    const yaml = (await call(stack, 'GET', `${path}?format=yaml`, ADMIN_KEY)).text;
    const capped = yaml.replace(/^per_checkout:\n/m, 'per_checkout:\n  all: { loan_types: "*", max: 2 }\n');
    const put = await call(stack, 'PUT', path, ADMIN_KEY, { yaml: capped, tests_yaml: current.data.tests_yaml }, { 'if-match': current.etag! });
    expect(put.status, put.text).toBe(200);
    await page.goto(`${stack.url}/institutions/sum/publish/${DRAFT}`);
    const warning = page.getByTestId('publish-findings');
    await expect.poll(() => warning.textContent()).toMatch(/per_checkout\.reading-room-order · per_checkout\.all: per-checkout limit reading-room-order \(§ 19 ust\. 1\) never refuses on its own/);
    // Put back: nothing to warn about.
    const back = await call(stack, 'PUT', path, ADMIN_KEY, { yaml, tests_yaml: current.data.tests_yaml }, { 'if-match': put.etag! });
    expect(back.status, back.text).toBe(200);
    noConsoleErrors();
  });

  it('refuses to publish while a case fails, naming it, and lists the changes no case exercises', async () => {
    const { page } = b;
    // The draft also gets an item status for exhibits, read in the building only: no case asks about one.
    const path = `/api/v1/institutions/sum/versions/${enc(DRAFT)}`;
    const current = await call<{ tests_yaml: string }>(stack, 'GET', path, ADMIN_KEY);
    const yaml = (await call(stack, 'GET', `${path}?format=yaml`, ADMIN_KEY)).text.replace(
      '\nitem_statuses:\n',
      '\nitem_statuses:\n  exhibition: { label: { en: Items on exhibition, pl: eksponaty wystawy }, cite: § 12, on_site_only: true }\n',
    );
    expect(parse(yaml).item_statuses.exhibition.on_site_only).toBe(true);
    const put = await call(stack, 'PUT', path, ADMIN_KEY, { yaml, tests_yaml: current.data.tests_yaml }, { 'if-match': current.etag! });
    expect(put.status, put.text).toBe(200);

    await page.goto(`${stack.url}/institutions/sum/publish/${DRAFT}`);
    await page.getByTestId('test-summary').waitFor();
    await expect(page.getByTestId('test-summary').textContent()).resolves.toMatch(/[1-9]\d* failed/);
    const at10 = page.getByTestId('test-results').locator('tr').filter({ hasText: AT_10 });
    await expect(text(at10.getByTestId('decided-under'))).resolves.toBe(`${DRAFT} the candidate`);
    const uncovered = page.getByTestId('publish-uncovered');
    await expect(text(uncovered)).resolves.toMatch(/^Changes no test case exercises .*: item_statuses\.exhibition: Item status added: Items on exhibition$/s);
    // The limit and the fee changed too, and cases read them (some fail).
    for (const entry of ['limits.phd-students', 'fees.overdue']) await expect(uncovered.textContent()).resolves.not.toContain(entry);
    await page.getByTestId('confirm').check();
    await page.getByTestId('publish').click();
    const failing = page.getByTestId('publish-failing');
    await failing.waitFor();
    await expect(text(failing)).resolves.toContain(`${AT_10}: outcome: expected refuse, got allow`);
    await expect(page.getByTestId('error').textContent()).resolves.toContain(`"${AT_10}"`);
    b.errors.length = 0; // the refused publish's 422 is the point of this check
    expect(await shot(page, '14a-publish-refused')).toEqual([]);
    expect((await call<{ status: string }>(stack, 'GET', path, ADMIN_KEY)).data.status).toBe('draft');

    // The cases that state the old rules keep them: pinned to 139/2013, where they hold.
    const run = await call<{ cases: Array<{ name: string; passed: boolean }> }>(stack, 'POST', `${path}/test`, ADMIN_KEY);
    const old = new Set(run.data.cases.filter((c) => !c.passed).map((c) => c.name));
    const tests = parse(current.data.tests_yaml) as { cases: Array<{ name: string; version?: string }> };
    for (const c of tests.cases) if (old.has(c.name)) c.version = SUM_LABEL;
    const fixed = await call(stack, 'PUT', path, ADMIN_KEY, { yaml, tests_yaml: stringify(tests) }, { 'if-match': put.etag! });
    expect(fixed.status, fixed.text).toBe(200);
    noConsoleErrors();
  });

  it('publishes the draft for next month after its tests and impact', async () => {
    const { page } = b;
    await page.goto(`${stack.url}/institutions/sum/publish/${DRAFT}`);
    // Only the fees without a cap, as SUM's regulation has them (its assumption fee-rate).
    await expect.poll(() => text(page.getByTestId('publish-findings'))).toMatch(/fees without a cap fees\.deposit-loan-overdue: fee deposit-loan-overdue .* has no cap/);
    expect(await text(page.getByTestId('publish-findings'))).not.toMatch(/per_checkout/);
    await expect.poll(() => page.getByTestId('effective').inputValue()).toBe(NEXT.first.slice(0, 16));
    await page.getByTestId('test-summary').waitFor();
    await expect(page.getByTestId('test-summary').textContent()).resolves.toMatch(/0 failed/);
    await expect(page.getByTestId('test-results').locator('tr').filter({ hasText: AT_10 }).count()).resolves.toBe(0); // only failed cases are listed
    // A warning, not a refusal: the change is still untested.
    await expect(page.getByTestId('publish-uncovered').textContent()).resolves.toContain('item_statuses.exhibition');
    // Visiting runs no comparison: the latest shows, said to be older than the draft's last save.
    await expect(text(page.getByTestId('impact-when'))).resolves.toMatch(/^The latest comparison of the two, started .*, on 3 loans\. The draft has been saved since: run it again/);
    await page.getByTestId('run-publish-impact').click();
    await expect.poll(() => text(page.getByTestId('impact-when')), { timeout: 60_000 }).toMatch(/on 1,000 loans\.$/);
    await page.getByTestId('impact-result').waitFor({ timeout: 60_000 });
    await page.getByText(/limit 10 → 12|10 → 12/).first().waitFor();
    await page.getByTestId('confirm').check();
    expect(await shot(page, '14-publish')).toEqual([]);
    await page.getByTestId('publish').click();
    await page.getByTestId('published').waitFor();
    const list = (await call<{ versions: Array<{ label: string; status: string; effective_from: string }> }>(stack, 'GET', '/api/v1/institutions/sum/versions', ADMIN_KEY)).data.versions;
    expect(list.find((v) => v.label === DRAFT)).toMatchObject({ status: 'published', effective_from: NEXT.first });
    await page.goto(`${stack.url}/institutions/sum`);
    await page.getByRole('list', { name: 'Versions of sum along time' }).getByText('scheduled').waitFor();
    expect(await shot(page, '15-institution-timeline')).toEqual([]);
    noConsoleErrors();
  });

  it('decides next month under the new limit (12) and today under the old (10)', async () => {
    const facts = { patron: { category: 'phd-students', loans: { 'long-term': 11 }, rights_valid_until: RIGHTS }, item: { status: 'regular' } };
    const next = await call<{ outcome: string; policy: { version: string } }>(stack, 'POST', '/api/v1/decisions/checkout', ADMIN_KEY, { institution: 'sum', at: NEXT.week, facts });
    const today = await call<{ outcome: string; policy: { version: string }; reasons: Array<{ code: string }> }>(stack, 'POST', '/api/v1/decisions/checkout', ADMIN_KEY, { institution: 'sum', at: NEXT.today, facts });
    expect([next.data.outcome, next.data.policy.version]).toEqual(['allow', DRAFT]);
    expect([today.data.outcome, today.data.policy.version, today.data.reasons.map((r) => r.code)]).toEqual(['refuse', SUM_LABEL, ['LIMIT_REACHED']]);

    // A doctoral student's long-term loan next month is due 60 days on (the matrix's change); a student's 30.
    const due = async (category: string) =>
      (await call<{ values: { due: string } }>(stack, 'POST', '/api/v1/decisions/checkout', ADMIN_KEY, { institution: 'sum', at: NEXT.week, facts: { patron: { category, rights_valid_until: RIGHTS }, item: { status: 'regular' }, loan_type: 'long-term' } })).data.values.due;
    const days = async (category: string) => Math.round((Date.parse(await due(category)) - Date.parse(NEXT.week)) / 86_400_000);
    expect(await days('phd-students')).toBeGreaterThanOrEqual(60);
    expect(await days('students')).toBeLessThan(40);

    // The same in the simulator, with the version in force at each instant.
    const { page } = b;
    await page.goto(`${stack.url}/simulator?institution=sum`);
    await page.getByTestId('category').selectOption('phd-students');
    await page.getByTestId('item-status').selectOption('regular');
    await page.getByTestId('loans-out').fill('11');
    for (const [at, outcome, version, limit] of [
      [NEXT.weekInput, 'allowed', DRAFT, null],
      [NEXT.todayInput, 'refused', SUM_LABEL, 'at most 10 volumes'],
    ] as const) {
      await page.getByTestId('at').fill(at);
      await page.getByTestId('decide').click();
      const d = page.getByTestId('decision');
      await d.getByText(`under version ${version}`).waitFor();
      await expect(d.getByTestId('outcome').textContent()).resolves.toBe(outcome);
      if (limit) await d.getByText(limit).waitFor();
    }
    expect(await shot(page, '16-simulator-today')).toEqual([]);
    noConsoleErrors();
  });

  it('shows the audit trail: who changed what and when', async () => {
    const { page } = b;
    await page.goto(`${stack.url}/audit`);
    const table = page.getByTestId('audit');
    await table.waitFor();
    const publish = table.locator('tr').filter({ hasText: 'version.publish' }).filter({ hasText: DRAFT });
    await expect(publish.textContent()).resolves.toContain('admin');
    await table.locator('tr').filter({ hasText: 'version.update' }).filter({ hasText: 'bob' }).first().waitFor();
    await page.getByLabel('Who').fill('bob');
    await page.getByRole('button', { name: 'Show' }).click();
    await expect.poll(() => table.locator('tbody tr').count()).toBe(1);
    expect(await shot(page, '17-audit')).toEqual([]);
    noConsoleErrors();
  });

  it('pages a long audit trail: the newest events first, older ones on asking', async () => {
    const { page } = b;
    // A hundred keys made by the admin: with the publish above, more admin events than a page.
    for (let i = 1; i <= 100; i++) expect((await call(stack, 'POST', '/api/v1/keys', ADMIN_KEY, { name: `desk-${i}`, role: 'circulation' })).status).toBe(201);
    await page.getByLabel('Who').fill('admin');
    await page.getByRole('button', { name: 'Show' }).click();
    const table = page.getByTestId('audit');
    const publish = table.locator('tr').filter({ hasText: 'version.publish' }).filter({ hasText: DRAFT });
    await page.getByText('The 100 newest events; there are older ones.').waitFor();
    expect(await publish.count()).toBe(0);
    await page.getByTestId('audit-older').click();
    await publish.waitFor();
    await expect.poll(() => table.locator('tbody tr').count()).toBeGreaterThan(100);
    expect(await page.getByTestId('audit-older').count()).toBe(0);
    await page.getByRole('status').filter({ hasText: /^\d+ events$/ }).waitFor();
    noConsoleErrors();
  });

  it('switches to Polish and remembers it', async () => {
    const { page } = b;
    await page.getByTestId('lang-pl').click();
    await page.getByRole('heading', { name: 'Dziennik zmian' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Dziennik zmian' }).waitFor();
    expect(await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { lang: string } } }).document.documentElement.lang)).toBe('pl');
    // Dates in Polish, on the Warsaw clock.
    await expect(page.getByTestId('audit').locator('tbody time').first().textContent()).resolves.toMatch(/\d{1,2} [a-ząćęłńóśźż]{3,4} \d{4}, \d{2}:\d{2}:\d{2} CES?T/);
    expect(await shot(page, '18-audit-polish')).toEqual([]);
    await page.goto(`${stack.url}/simulator?institution=sum`);
    await page.getByTestId('category').selectOption('phd-students');
    await page.getByLabel('Zwrot').check();
    await page.getByTestId('loan-type').selectOption('long-term');
    await page.locator('#due').fill(NEXT.weekInput.replace('T10:00:00', 'T23:59:59'));
    await page.getByTestId('at').fill(NEXT.weekInput.replace(/-07T/, '-10T'));
    await page.getByTestId('decide').click();
    await expect(text(page.getByTestId('value-fee'))).resolves.toBe('1,80 zł');
    expect(await shot(page, '19-simulator-polish')).toEqual([]);
    await page.goto(`${stack.url}/`);
    await page.getByRole('heading', { name: 'Instytucje i wersje' }).waitFor();
    await page.setViewportSize({ width: 820, height: 1180 });
    expect(await shot(page, '20-institutions-tablet-polish')).toEqual([]);
    await page.goto(`${stack.url}/institutions/sum/versions/${DRAFT}`);
    await page.getByTestId('policy-view').waitFor();
    expect(await shot(page, '21-version-tablet-polish')).toEqual([]);
    await page.goto(`${stack.url}/impact?institution=sum&baseline=${enc(SUM_LABEL)}&candidate=${enc(DRAFT)}`);
    await page.getByTestId('run-impact').click();
    await page.getByTestId('impact-result').waitFor({ timeout: 60_000 });
    await expect(text(page.getByTestId('differences').locator('tbody tr ul.ch li').first())).resolves.toMatch(/^(odmowa → dozwolone|opłata |powody: )/);
    expect(await shot(page, '22-impact-tablet-polish')).toEqual([]);
    await page.getByTestId('lang-en').click();
    await page.setViewportSize({ width: 1280, height: 900 });
    noConsoleErrors();
  });

  it('makes a key for a desk, shows it once, and revokes it', async () => {
    const { page } = b;
    await page.goto(`${stack.url}/keys`);
    await page.getByRole('heading', { name: 'API keys' }).waitFor();
    await page.getByTestId('key-name').fill('Desk 3, reading room');
    await page.getByTestId('key-role').selectOption('circulation');
    await page.getByTestId('make-key').click();
    const key = await text(page.getByTestId('the-key'));
    expect(key).toMatch(/^rk_/);
    // One click puts it on the clipboard.
    await b.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.url });
    await page.getByTestId('copy-key').click();
    await page.getByText('Copied to the clipboard.').waitFor();
    await expect(page.evaluate('navigator.clipboard.readText()')).resolves.toBe(key);
    const row = page.getByTestId('keys').locator('tbody tr').filter({ hasText: 'Desk 3, reading room' });
    // Named by its id, nothing of the key; the admin's own key is marked as the one signed in with.
    const keys = (await call<{ keys: Array<{ id: string; name: string }> }>(stack, 'GET', '/api/v1/keys', ADMIN_KEY)).data.keys;
    const id = keys.find((k) => k.name === 'Desk 3, reading room')!.id;
    await expect(text(row.locator('td').nth(2))).resolves.toBe(id.slice(0, 8));
    expect(await row.locator('td').nth(2).getAttribute('title')).toBe(id);
    await expect(text(page.getByTestId('made-key'))).resolves.toContain(`Key ${id.slice(0, 8)} for Desk 3, reading room`);
    expect(await page.getByTestId('keys').textContent()).not.toContain(key.slice(0, 8));
    const me = (await call<{ id: string }>(stack, 'GET', '/api/v1/me', ADMIN_KEY)).data.id;
    await expect(text(page.getByTestId('keys').locator('tbody tr').filter({ hasText: me.slice(0, 8) }).locator('td').first())).resolves.toMatch(/\(the key you signed in with\)$/);
    expect(await shot(page, '23-keys')).toEqual([]);
    // The desk decides with it; once revoked, it is refused.
    const checkout = { institution: 'sum', facts: { patron: { category: 'staff', rights_valid_until: RIGHTS }, item: { status: 'regular' } } };
    expect((await call(stack, 'POST', '/api/v1/decisions/checkout', key, checkout)).status).toBe(200);
    // Revoking the key signed in with says first that it signs the console out (dismissed here).
    const own = page.getByTestId('keys').locator('tbody tr').filter({ hasText: me.slice(0, 8) });
    const warned = new Promise<string>((resolve) => page.once('dialog', (d) => (resolve(d.message()), void d.dismiss())));
    await own.getByRole('button', { name: /^Revoke the key of / }).click();
    await expect(warned).resolves.toMatch(/is the key you signed in with: revoking it signs you out of the console at once/);
    page.once('dialog', (d) => void d.accept());
    await row.getByRole('button', { name: 'Revoke the key of Desk 3, reading room' }).click();
    await expect.poll(() => text(row.locator('td').nth(4))).toMatch(/^revoked /);
    await expect.poll(async () => (await call(stack, 'POST', '/api/v1/decisions/checkout', key, checkout)).status).toBe(401);
    // The audit trail names it the same way: its name and id.
    await page.goto(`${stack.url}/audit`);
    const revokedRow = page.getByTestId('audit').locator('tbody tr').filter({ hasText: 'key.revoke' }).first();
    await expect(text(revokedRow.locator('td').nth(2))).resolves.toContain(`Desk 3, reading room · ${id.slice(0, 8)}`);
    expect(await page.getByTestId('audit').textContent()).not.toContain(key.slice(0, 8));
    noConsoleErrors();
  });

  it('offers an editor only what the role may do', async () => {
    const page = await b.context.newPage();
    const seen: string[] = [];
    page.on('console', (m) => m.type() === 'error' && seen.push(m.text()));
    page.on('pageerror', (e) => seen.push(`uncaught: ${e.message}`));
    await page.goto(`${stack.url}/signin`);
    await page.getByLabel('API key').fill(bobKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Institutions and versions' }).waitFor();
    await expect(page.getByTestId('role').textContent()).resolves.toContain('editor');
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav.getByRole('link').allTextContents()).resolves.toEqual(['Institutions', 'Simulator']);
    await page.goto(`${stack.url}/institutions/sum`);
    await page.getByTestId('versions').waitFor();
    await expect(page.getByRole('link', { name: 'Publish' }).count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: 'Retire' }).count()).resolves.toBe(0);
    await page.getByRole('link', { name: 'New draft', exact: true }).waitFor();
    // The keys page, typed in: no form to make one, only who may.
    await page.goto(`${stack.url}/keys`);
    await page.getByTestId('keys-admin-only').waitFor();
    await expect(page.getByTestId('make-key').count()).resolves.toBe(0);
    // Without GET /api/v1/me the role is found by probing: the browser logs the probes' 403s.
    expect(seen.filter((m) => !/status of 403/.test(m))).toEqual([]);
    await page.close();
  });

  it('left no error in the browser console', () => {
    noConsoleErrors();
  });
});
