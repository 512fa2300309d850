// Every screen of the console on a phone (390 px) and a wide laptop (1440 px), in English and in
// Polish: nothing scrolls sideways, axe finds nothing, and a screenshot of each is written to
// test-output/screenshots/layout/ (docs/screenshots/ holds the README's copies). The readings show
// no key or value of the policy format.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatWords } from '../fixtures/format-words.ts';
import { ADMIN_KEY, a11y, call, launch, SCREENSHOTS, startStack, type Browser, type Stack } from './harness.ts';

const DRAFT = 'example/2027';
const enc = encodeURIComponent;

/** The screens, each with what shows it is ready (and, for some, a step that opens a panel). */
const SCREENS: Array<{ name: string; path: string; ready: string; open?: string; reading?: boolean }> = [
  { name: 'home', path: '/', ready: '[data-testid="institution-sum"]' },
  { name: 'institution', path: '/institutions/sum', ready: 'main h1' },
  { name: 'version', path: `/institutions/sum/versions/${enc('139/2013')}`, ready: '[data-testid="policy-view"]', reading: true },
  { name: 'new-draft', path: `/institutions/sum/new?from=${enc('139/2013')}`, ready: 'main h1' },
  { name: 'editor', path: `/institutions/sum/edit/${DRAFT}`, ready: '.cm-content' },
  { name: 'editor-matrix', path: `/institutions/sum/edit/${DRAFT}`, ready: '.cm-content', open: '[data-testid="tab-matrix"]' },
  { name: 'tests', path: `/institutions/sum/tests/${DRAFT}`, ready: '[data-testid="run-tests"]', open: '[data-testid="run-tests"]' },
  { name: 'diff', path: `/institutions/sum/diff?from=${enc('139/2013')}&to=${enc(DRAFT)}`, ready: '[data-testid="changes"]' },
  { name: 'publish', path: `/institutions/sum/publish/${DRAFT}`, ready: '[data-testid="test-summary"]' },
  { name: 'simulator', path: '/simulator?institution=sum', ready: '[data-testid="decide"]' },
  { name: 'impact', path: `/impact?institution=sum&baseline=${enc('139/2013')}&candidate=${enc(DRAFT)}`, ready: '[data-testid="run-impact"]' },
  { name: 'audit', path: '/audit', ready: '[data-testid="audit"]' },
  { name: 'decision-log', path: '/decision-log', ready: 'main h1' },
  { name: 'keys', path: '/keys', ready: 'main h1' },
];
const WIDTHS = [390, 1440] as const;
const LANGS = ['en', 'pl'] as const;
const WORDS = formatWords();

/** The elements that reach past the window's right edge, deepest first (to say what to fix). */
function wider(page: Browser['page']): Promise<string[]> {
  return page.evaluate(() => {
    type El = { tagName: string; className: unknown; querySelector(s: string): El | null; getBoundingClientRect(): { right: number } };
    const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<El>; documentElement: { clientWidth: number } } }).document;
    const edge = doc.documentElement.clientWidth + 1;
    const g = globalThis as unknown as { getComputedStyle(e: unknown): { overflowX: string } };
    // What scrolls inside its own box (a table, the sections' strip) does not widen the page.
    const clipped = (e: El) => {
      for (let p = (e as unknown as { parentElement: El | null }).parentElement; p; p = (p as unknown as { parentElement: El | null }).parentElement) if (g.getComputedStyle(p).overflowX !== 'visible') return true;
      return false;
    };
    const over = [...(doc.querySelectorAll('body *') as unknown as El[])].filter((e) => e.getBoundingClientRect().right > edge && !clipped(e));
    const name = (e: El) => `${e.tagName.toLowerCase()}${typeof e.className === 'string' && e.className ? '.' + e.className.trim().split(/\s+/)[0] : ''}`;
    // The deepest: those none of whose descendants reach past the edge.
    const deepest = over.filter((e) => !over.some((o) => o !== e && (e as unknown as { contains(n: unknown): boolean }).contains(o)));
    return [...new Set(deepest.map(name))].slice(0, 4);
  });
}

let stack: Stack;
let b: Browser;

beforeAll(async () => {
  stack = await startStack();
  const yaml = readFileSync(join('examples', 'sum-candidate.yaml'), 'utf8');
  const made = await call(stack, 'POST', '/api/v1/institutions/sum/versions', ADMIN_KEY, { yaml });
  expect(made.status, made.text).toBe(201);
  b = await launch();
  // Signed in as the admin in every page this browser opens (the console keeps the key per tab).
  await b.context.addInitScript({ content: `sessionStorage.setItem('regula.key', ${JSON.stringify(ADMIN_KEY)});` });
}, 180_000);

afterAll(async () => {
  await b?.close();
  await stack?.close();
}, 60_000);

describe('every screen at 390 px and 1440 px, in both languages', { timeout: 120_000 }, () => {
  for (const s of SCREENS) {
    it(s.name, async () => {
      const { page } = b;
      const problems: string[] = [];
      for (const lang of LANGS) {
        await page.addInitScript({ content: `localStorage.setItem('regula.lang', ${JSON.stringify(lang)});` });
        for (const width of WIDTHS) {
          await page.setViewportSize({ width, height: 860 });
          await page.goto(stack.url + s.path);
          await page.locator(s.ready).first().waitFor();
          if (s.open) await page.locator(s.open).click();
          await page.waitForLoadState('networkidle');
          const where = `${s.name} ${width}px ${lang}`;
          const overflow = await page.evaluate(() => {
            const d = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
            return d.scrollWidth - d.clientWidth;
          });
          if (overflow > 0) problems.push(`${where}: scrolls sideways by ${overflow} px (${(await wider(page)).join(', ')})`);
          for (const p of await a11y(page)) problems.push(`${where}: ${p}`);
          if (s.reading) {
            // The entries' values, not the assumptions' own prose nor the paragraphs quoted (rules, notes).
            const text = await page.evaluate(() => {
              type N = { textContent: string | null; cloneNode(deep: boolean): N; querySelectorAll(s: string): ArrayLike<{ remove(): void }> };
              const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<N> } }).document;
              return [...(doc.querySelectorAll('[data-testid="policy-view"] article.entry:not([data-entry^="rules."]):not([data-entry^="notes."]) dl.fields') as unknown as N[])]
                .map((dl) => {
                  const c = dl.cloneNode(true);
                  for (const d of [...(c.querySelectorAll('details') as unknown as Array<{ remove(): void }>)]) d.remove();
                  return c.textContent ?? '';
                })
                .join(' ');
            });
            expect(text.length).toBeGreaterThan(1000);
            for (const w of WORDS) if (text.includes(w)) problems.push(`${where}: the reading shows "${w}"`);
          }
          await page.screenshot({ path: join(SCREENSHOTS, 'layout', `${s.name}-${width}-${lang}.png`), fullPage: true });
        }
      }
      expect(problems).toEqual([]);
      expect(b.errors).toEqual([]);
    });
  }
});
