import { describe, expect, it } from 'vitest';
import { checkReferences, formatError, parsePolicy, validatePolicy, type PolicyError } from '../engine/policy/index.ts';
import { formatMoney, MONEY_PATTERN, parseMoney } from '../engine/money/index.ts';
import { parseTestFile } from '../engine/testing/index.ts';
import policySchema from '../engine/policy/policy.schema.json' with { type: 'json' };

// Line numbers in the assertions below count from this text's first line (line 1 = institution).
const MINIMAL = `institution: demo
name: Demo Library
version: "1/2026"
effective_from: 2026-10-01T00:00:00+02:00
status: published
source:
  title: Regulamin wypożyczalni
assumptions:
  opening-hours: { en: Hours assumed., pl: Godziny przyjęte. }
calendars:
  main:
    hours: { mon-fri: "08:00-20:00", sat: "09:00-15:00" }
    assumption: opening-hours
patron_categories:
  students: { label: { en: Students, pl: Studenci } }
  staff: { label: { en: Staff, pl: Pracownicy } }
loan_types:
  long-term:
    label: { en: Long-term, pl: Długoterminowe }
    due: { kind: period, months: 2 }
  overnight:
    label: { en: Overnight, pl: Na noc }
    due: { kind: time-of-day, time: "09:00", day: next-open-day }
limits:
  students-long:
    categories: [students]
    loan_types: [long-term]
    max: 5
fees:
  late:
    loan_types: "*"
    rate: 0,20 zł
    per: { days: 1 }
    cap: "1 000,50 zł"
`;

/** MINIMAL with line `n` (1-based) replaced. */
function withLine(n: number, line: string): string {
  const lines = MINIMAL.split('\n');
  lines[n - 1] = line;
  return lines.join('\n');
}

function only(errors: PolicyError[]): PolicyError {
  expect(errors.map(formatError)).toHaveLength(1);
  return errors[0] as PolicyError;
}

describe('parsePolicy', () => {
  it('loads a valid minimal policy with no errors and money in grosze', () => {
    const { doc, errors } = parsePolicy(MINIMAL, 'demo.yaml');
    expect(errors).toEqual([]);
    expect(doc.institution).toBe('demo');
    expect(doc.loan_types?.overnight?.due).toEqual({ kind: 'time-of-day', time: '09:00', day: 'next-open-day' });
    expect(doc.fees?.late?.rate).toBe(20);
    expect(doc.fees?.late?.cap).toBe(100050);
  });

  it('reports a typo key at the key, with a suggestion', () => {
    const e = only(parsePolicy(withLine(19, '    lable: { en: Long-term, pl: Długoterminowe }'), 'demo.yaml').errors);
    expect(e).toMatchObject({ line: 19, column: 5, pointer: '/loan_types/long-term/lable' });
    expect(e.message).toBe('loan_types.long-term: unknown key "lable" — did you mean label?');
  });

  it('reports a wrong due kind at the kind, naming the rule and the kinds', () => {
    const e = only(parsePolicy(withLine(23, '    due: { kind: tomorow, time: "09:00", day: next-open-day }'), 'demo.yaml').errors);
    expect(e).toMatchObject({ line: 23, column: 18, pointer: '/loan_types/overnight/due/kind' });
    expect(e.message).toBe('loan_types.overnight.due: unknown kind "tomorow" — expected one of period, time-of-day, after-opening, before-closing');
  });

  it('reports a key that does not belong to the due kind', () => {
    const e = only(parsePolicy(withLine(20, '    due: { kind: period, months: 2, time: "09:00" }'), 'demo.yaml').errors);
    expect(e).toMatchObject({ line: 20, column: 37, pointer: '/loan_types/long-term/due/time' });
    expect(e.message).toMatch(/^loan_types\.long-term\.due: unknown key "time"/);
  });

  it('reports an instant without offset', () => {
    const e = only(parsePolicy(withLine(4, 'effective_from: 2026-10-01T00:00:00'), 'demo.yaml').errors);
    expect(e).toMatchObject({ line: 4, column: 17, pointer: '/effective_from' });
    expect(e.message).toBe('effective_from must be an instant with its offset, on a date that exists in the years 1996–2100, e.g. 2026-10-01T00:00:00+02:00 (got "2026-10-01T00:00:00")');
  });

  it('reports a count that is not a number', () => {
    const e = only(parsePolicy(withLine(28, '    max: thirty'), 'demo.yaml').errors);
    expect(e).toMatchObject({ line: 28, column: 10, pointer: '/limits/students-long/max' });
    expect(e.message).toBe('limits.students-long.max must be a whole number from 0 to 36 600 (got "thirty")');
  });

  it('reports an unknown loan type in a limit at the list item', () => {
    const e = only(parsePolicy(withLine(27, '    loan_types: [long-term, overnite]'), 'demo.yaml').errors);
    expect(e).toMatchObject({ line: 27, column: 29, pointer: '/limits/students-long/loan_types/1' });
    expect(e.message).toBe('limits.students-long.loan_types: unknown loan type "overnite" — did you mean overnight? (loan_types has long-term, overnight)');
  });

  it('reports an unknown assumption id', () => {
    const e = only(parsePolicy(withLine(13, '    assumption: opening-hour'), 'demo.yaml').errors);
    expect(e).toMatchObject({ line: 13, column: 17, pointer: '/calendars/main/assumption' });
    expect(e.message).toMatch(/^calendars\.main\.assumption: unknown assumption "opening-hour" — did you mean opening-hours\?/);
  });

  it('reports a YAML syntax error at its place', () => {
    const e = only(parsePolicy(withLine(12, '    hours: { mon-fri: "08:00-20:00", sat: "09:00-15:00"'), 'demo.yaml').errors);
    expect(e.line).toBe(13);
    expect(e.column).toBe(5);
    expect(e.message).toMatch(/^YAML syntax: /);
    expect(formatError(e)).toMatch(/^demo\.yaml:13:5: YAML syntax: /);
  });

  it('reports a missing required key at the entry that lacks it', () => {
    const e = only(parsePolicy(withLine(20, '    window: { while_open: true }'), 'demo.yaml').errors);
    expect(e).toMatchObject({ line: 18, column: 3, pointer: '/loan_types/long-term' });
    expect(e.message).toBe('loan_types.long-term: missing required key "due"');
  });

  it('reports a bad money string', () => {
    const e = only(parsePolicy(withLine(32, '    rate: 20 PLN'), 'demo.yaml').errors);
    expect(e).toMatchObject({ line: 32, column: 11, pointer: '/fees/late/rate' });
    expect(e.message).toMatch(/^fees\.late\.rate must be whole grosze/);
  });

  it('reports an id that is not lower-case at the key', () => {
    const e = only(parsePolicy(withLine(15, '  Students: { label: { en: Students, pl: Studenci } }'), 'demo.yaml').errors);
    expect(e).toMatchObject({ line: 15, column: 3, pointer: '/patron_categories/Students' });
    expect(e.message).toMatch(/^patron_categories: key "Students" must be an id/);
  });

  it('asks for quotes when YAML reads a version label as a number', () => {
    const e = only(parsePolicy(withLine(3, 'version: 2026'), 'demo.yaml').errors);
    expect(e).toMatchObject({ line: 3, column: 10 });
    expect(e.message).toBe('version must be text (got 2026) — put it in quotes');
  });

  it('refuses null outside amendments', () => {
    const e = only(parsePolicy(withLine(28, '    max:'), 'demo.yaml').errors);
    expect(e).toMatchObject({ line: 28, column: 5, pointer: '/limits/students-long/max' });
    expect(e.message).toMatch(/^limits\.students-long\.max must not be empty/);
  });

  it('requires the complete-version keys unless the document amends another', () => {
    const header = MINIMAL.split('\n').slice(0, 7).join('\n');
    const complete = parsePolicy(header, 'demo.yaml').errors;
    const why = ' (a complete version needs it; an amendment says amends: "<version>" instead)';
    expect(complete.map((e) => [e.line, e.column, e.message])).toEqual(
      ['calendars', 'patron_categories', 'loan_types', 'limits'].map((k) => [1, 1, `missing required key "${k}"${why}`]),
    );
    const amendment = `${header}\namends: "1/2025"\nlimits:\n  staff-long: null\n  students-long: { max: 6 }\nloan_types:\n  long-term: { renewal: { max: null } }\n`;
    const { doc, errors } = parsePolicy(amendment, 'demo-2.yaml');
    expect(errors).toEqual([]);
    expect(doc.limits?.['staff-long']).toBeNull();
  });

  it('still forbids null list items in an amendment', () => {
    const header = MINIMAL.split('\n').slice(0, 7).join('\n');
    const e = only(parsePolicy(`${header}\namends: "1/2025"\nlimits:\n  x: { loan_types: [null] }\n`, 'a.yaml').errors);
    expect(e.pointer).toBe('/limits/x/loan_types/0');
  });

  it('gives one message for a missing period length', () => {
    const e = only(parsePolicy(withLine(20, '    due: { kind: period }'), 'demo.yaml').errors);
    expect(e.pointer).toBe('/loan_types/long-term/due');
    expect(e.message).toBe('loan_types.long-term.due: a period due rule needs months, days, hours or minutes');
  });

  it('checks rule conditions recursively', () => {
    const rules = `rules:\n  r:\n    question: checkout\n    outcome: refuse\n    code: POPULAR\n    message: { en: a, pl: b }\n    when:\n      all:\n        - { fact: loan_type, operator: equal, value: long-term }\n        - { fact: item, operator: equals, value: true }\n`;
    const e = only(parsePolicy(MINIMAL + rules, 'demo.yaml').errors);
    expect(e).toMatchObject({ line: 44, column: 35, pointer: '/rules/r/when/all/1/operator' });
    expect(e.message).toMatch(/^rules\.r\.when\.all\[1\]: unknown operator "equals" — did you mean equal\?/);
  });

  it('asks for a list with in and notIn', () => {
    const rules = `rules:\n  r:\n    question: checkout\n    outcome: refuse\n    code: POPULAR\n    message: { en: a, pl: b }\n    when:\n      all:\n        - { fact: loan_type, operator: in, value: long-term }\n`;
    const e = only(parsePolicy(MINIMAL + rules, 'demo.yaml').errors);
    expect(e).toMatchObject({ line: 43, pointer: '/rules/r/when/all/0/value' });
    expect(e.message).toMatch(/must be a list: in and notIn compare with a list of values/);
  });
});

describe('checkReferences', () => {
  it('runs on a document in memory, pointing at the top without a source', () => {
    const { doc } = parsePolicy(MINIMAL, 'demo.yaml');
    const broken = { ...doc, holds: { pickup_open_days: 3, sanction: 'nope' } };
    const [e] = checkReferences(broken, 'demo.yaml');
    expect(e).toMatchObject({ line: 1, column: 1, pointer: '/holds/sanction', message: 'holds.sanction: unknown sanction "nope" — sanctions is empty' });
    expect(validatePolicy(broken, 'demo.yaml')).toEqual([]);
  });
});

describe('parseTestFile', () => {
  it('loads cases and reports a bad question with its place', () => {
    const good = `cases:\n  - name: a case\n    question: checkout\n    at: 2026-11-23T10:00:00+01:00\n    facts: { patron: { category: students } }\n    expect: { outcome: refuse, reasons: [LIMIT_REACHED] }\n`;
    expect(parseTestFile(good, 't.yaml').errors).toEqual([]);
    const e = only(parseTestFile(good.replace('question: checkout', 'question: chekout'), 't.yaml').errors);
    expect(e).toMatchObject({ line: 3, column: 15, pointer: '/cases/0/question' });
    expect(e.message).toBe('cases[0]: unknown question "chekout" — did you mean checkout? (expected one of checkout, renewal, return, standing, hold-pickup, deposit, deposit-refund, lost-item, payment, charge)');
    const missing = only(parseTestFile(good.replace('    at: 2026-11-23T10:00:00+01:00\n', ''), 't.yaml').errors);
    expect(missing).toMatchObject({ line: 2, column: 5, message: 'cases[0]: missing required key "at"' });
  });
});

describe('money', () => {
  it('parses grosze and written amounts', () => {
    expect(parseMoney(2000)).toBe(2000);
    expect(parseMoney('20 zł')).toBe(2000);
    expect(parseMoney('0,20 zł')).toBe(20);
    expect(parseMoney('0.20 zł')).toBe(20);
    expect(parseMoney('0,2 zł')).toBe(20);
    expect(parseMoney('1 000,50 zł')).toBe(100050);
    expect(parseMoney('1\u00a0000,50\u00a0zł')).toBe(100050);
    expect(parseMoney('12zł')).toBe(1200);
  });

  it('refuses anything else with a clear message', () => {
    for (const bad of ['20', '20 PLN', '1,5,0 zł', '0,205 zł', '10 00 zł', '-5 zł', '']) expect(() => parseMoney(bad)).toThrow(/is not an amount/);
    expect(() => parseMoney(1.5)).toThrow(/whole grosze/);
    expect(() => parseMoney(-1)).toThrow(/whole grosze/);
  });

  it('formats without floating point', () => {
    expect(formatMoney(2000, 'pl')).toBe('20,00 zł');
    expect(formatMoney(2000, 'en')).toBe('PLN 20.00');
    expect(formatMoney(5, 'pl')).toBe('0,05 zł');
    expect(formatMoney(100050, 'pl')).toBe('1 000,50 zł');
    expect(formatMoney(123456789, 'en')).toBe('PLN 1,234,567.89');
    expect(formatMoney(-150, 'pl')).toBe('-1,50 zł');
    expect(parseMoney(formatMoney(100050, 'pl'))).toBe(100050);
  });

  it('keeps the schema pattern equal to the parser', () => {
    expect((policySchema.$defs.Money.then as { pattern: string }).pattern).toBe(MONEY_PATTERN.source);
  });
});
