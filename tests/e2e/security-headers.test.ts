// The console and the API docs in a real browser under their Content-Security-Policy: every page
// renders with nothing blocked, and the headers that keep them out of frames and sniffing are sent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, launch, startStack, type Browser, type Stack } from './harness.ts';

let stack: Stack;
let b: Browser;

beforeAll(async () => {
  stack = await startStack();
  b = await launch();
}, 180_000);

afterAll(async () => {
  await b?.close();
  await stack?.close();
}, 60_000);

function expectPageHeaders(headers: Record<string, string>, what: string) {
  const csp = headers['content-security-policy'] ?? '';
  expect(csp, what).toContain("default-src 'none'");
  expect(csp, what).toContain("frame-ancestors 'none'");
  expect(csp, what).not.toContain('unsafe-inline');
  expect(csp, what).not.toContain('unsafe-eval');
  expect(headers['x-frame-options'], what).toBe('DENY');
  expect(headers['x-content-type-options'], what).toBe('nosniff');
  expect(headers['referrer-policy'], what).toBe('no-referrer');
}

describe('pages under their Content-Security-Policy', { timeout: 90_000 }, () => {
  it('renders the API docs with nothing blocked', async () => {
    const { page } = b;
    const res = await page.goto(`${stack.api.url}/api/docs`);
    expectPageHeaders(res!.headers(), '/api/docs');
    // Swagger UI has built the operations from /api/openapi.json: its script and styles ran.
    await page.getByText('/api/v1/decisions/checkout').first().waitFor();
    await page.getByText('/api/v1/decisions/checkout').first().click();
    await page.getByText('Request body').first().waitFor();
    expect(b.errors, b.errors.join('\n')).toEqual([]);
  });

  it('renders the console, signed in, with nothing blocked', async () => {
    const { page } = b;
    const res = await page.goto(`${stack.url}/signin`);
    if (stack.servedByApi) expectPageHeaders(res!.headers(), '/signin');
    await page.getByLabel('API key').fill(ADMIN_KEY);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Institutions and versions' }).waitFor();
    // The YAML editor (CodeMirror styles itself at run time) and a page with a progress bar.
    await page.goto(`${stack.url}/institutions/sum/edit/139%2F2013`);
    await page.locator('.cm-editor').first().waitFor();
    expect(b.errors, b.errors.join('\n')).toEqual([]);
    // And it is enforced: a style or script the console does not carry is refused, and said.
    await page.evaluate("const d = document.createElement('div'); d.setAttribute('style', 'color: red'); document.body.append(d); const s = document.createElement('script'); s.textContent = 'window.injected = 1'; document.body.append(s);");
    await expect.poll(() => b.errors.filter((e) => e.includes('CSP violation')).length).toBe(2);
    expect(await page.evaluate('window.injected')).toBeUndefined();
    b.errors.length = 0;
  });

  it('cannot be framed by another page', async () => {
    const { page } = b;
    await page.setContent(`<iframe src="${stack.url}/signin"></iframe>`, { waitUntil: 'load' });
    const frame = page.frames().find((f) => f !== page.mainFrame())!;
    // The browser shows its own error page instead of the console.
    expect(frame.url()).toMatch(/^chrome-error:/);
    expect(await frame.content()).not.toContain('__sveltekit');
    b.errors.length = 0; // the refusal is reported as a console error, which is the point here
  });
});
