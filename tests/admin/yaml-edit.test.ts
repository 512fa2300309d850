// The console's form views write into the YAML as written: comments, order and layout stay.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { appendCase, applyEdit, applyEdits } from '../../admin/src/lib/yaml-edit.ts';

const SUM = readFileSync('policies/sum/139-2013.yaml', 'utf8');
const SUM_TESTS = readFileSync('policies/sum/tests/cases.yaml', 'utf8');

function changedLines(a: string, b: string): string[] {
  const x = a.split('\n');
  const y = b.split('\n');
  const out: string[] = [];
  for (let i = 0; i < Math.max(x.length, y.length); i++) if (x[i] !== y[i]) out.push(`${x[i]} → ${y[i]}`);
  return out;
}

describe('applyEdit', () => {
  it('changes a limit in a flow map and nothing else', () => {
    const doc = parseDocument(SUM).toJS();
    const id = Object.entries(doc.limits as Record<string, { categories: string[]; max: number }>).find(([, l]) => l.categories.includes('phd-students'))![0];
    const out = applyEdit(SUM, { path: ['limits', id, 'max'], value: 12 });
    expect(changedLines(SUM, out)).toHaveLength(1);
    expect(parseDocument(out).getIn(['limits', id, 'max'])).toBe(12);
    expect(out.split('\n').length).toBe(SUM.split('\n').length);
  });

  it('keeps the quoting of a money string', () => {
    const fees = parseDocument(SUM).toJS().fees as Record<string, { rate: unknown }>;
    const [id] = Object.keys(fees);
    const out = applyEdit(SUM, { path: ['fees', id!, 'rate'], value: '0,60 zł' });
    expect(changedLines(SUM, out)).toHaveLength(1);
    expect(parseDocument(out).getIn(['fees', id!, 'rate'])).toBe('0,60 zł');
  });

  it('adds a key to a block map under its last sibling, comments kept', () => {
    const src = '# head\na:\n  b: 1 # note\n  c:\n    d: 2\n# tail\ne: 3\n';
    const out = applyEdit(src, { path: ['a', 'x'], value: 5 });
    expect(out).toBe('# head\na:\n  b: 1 # note\n  c:\n    d: 2\n  x: 5\n# tail\ne: 3\n');
  });

  it('adds a whole section to an amendment that lacks it', () => {
    const src = 'version: "2"\namends: "1"\n# the change\n';
    const out = applyEdit(src, { path: ['limits', 'phd', 'max'], value: 12 });
    expect(parseDocument(out).toJS()).toEqual({ version: '2', amends: '1', limits: { phd: { max: 12 } } });
    expect(out.startsWith('version: "2"\namends: "1"\n')).toBe(true);
    expect(out).toContain('# the change');
  });

  it('adds to a flow map in place', () => {
    const src = 'limits:\n  phd: { categories: [phd], loan_types: [long-term], cite: § 7 } # c\n';
    const out = applyEdit(src, { path: ['limits', 'phd', 'max'], value: 12 });
    expect(out).toBe('limits:\n  phd: { categories: [phd], loan_types: [long-term], cite: § 7, max: 12 } # c\n');
  });

  it('deletes a key of a block map', () => {
    const src = 'a:\n  b: 1\n  c: 2 # gone\n  d: 3\n';
    expect(applyEdit(src, { path: ['a', 'c'], value: undefined })).toBe('a:\n  b: 1\n  d: 3\n');
  });

  it('applies several edits in turn', () => {
    const src = 'fees:\n  f: { rate: 50, per: { days: 1 }, cap: "20 zł" }\n';
    const out = applyEdits(src, [
      { path: ['fees', 'f', 'rate'], value: 60 },
      { path: ['fees', 'f', 'per'], value: { hours: 24 } },
      { path: ['fees', 'f', 'cap'], value: '25 zł' },
    ]);
    expect(out).toBe('fees:\n  f: { rate: 60, per: { hours: 24 }, cap: "25 zł" }\n');
  });
});

describe('appendCase', () => {
  const item = {
    name: 'PhD student with 11 volumes borrows a 12th',
    question: 'checkout',
    at: '2026-12-01T10:00:00+01:00',
    facts: { patron: { category: 'phd-students', loans: { 'long-term': 11 } }, item: { status: 'regular' } },
    expect: { outcome: 'allow', reasons: [] },
  };

  it('appends to the shipped tests without touching them', () => {
    const out = appendCase(SUM_TESTS, item);
    expect(out.startsWith(SUM_TESTS)).toBe(true);
    const cases = parseDocument(out).toJS().cases as unknown[];
    expect(cases[cases.length - 1]).toEqual(item);
    expect(out.slice(SUM_TESTS.length)).toContain("  - name: PhD student with 11 volumes borrows a 12th\n    question: checkout\n");
    expect(out).toContain('patron: { category: phd-students, loans: { long-term: 11 } }');
  });

  it('starts a list in an empty text', () => {
    expect(parseDocument(appendCase('', item)).toJS()).toEqual({ cases: [item] });
    expect(parseDocument(appendCase('cases: []\n', item)).toJS()).toEqual({ cases: [item] });
  });
});
