// Loans for the impact comparison from CSV or JSON (the differing cases come as CSV from the service).
import { isQuestion } from '../../../contract/questions.ts';
import type { SimulationCase } from './types.ts';

/** RFC 4180 CSV (comma, or semicolon as Polish spreadsheets write it), quotes and all. */
export function parseCsv(text: string): string[][] {
  const src = text.replace(/^\uFEFF/, '');
  const firstLine = src.split(/\r?\n/, 1)[0] ?? '';
  const sep = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (quoted) {
      if (c === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === sep) {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      row.push(field);
      field = '';
      if (row.some((f) => f !== '')) rows.push(row);
      row = [];
    } else field += c;
  }
  row.push(field);
  if (row.some((f) => f !== '')) rows.push(row);
  return rows;
}

export class LoansError extends Error {}

/**
 * Cases from a CSV with a header row. Columns (any order; only `at` and `category` or `facts`
 * are required): id, question (checkout | return; default checkout), at, category,
 * item_status, loan_type, loans (volumes of that loan type out now), rights_valid_until and
 * registered (dates: where rights lapse every year the engine needs one), due, checked_out,
 * facts (JSON merged over the rest).
 */
export function casesFromCsv(text: string): SimulationCase[] {
  const rows = parseCsv(text);
  if (rows.length < 2) throw new LoansError('The CSV needs a header row and at least one loan.');
  const header = rows[0]!.map((h) => h.trim().toLowerCase());
  const col = (name: string) => header.indexOf(name);
  if (col('at') < 0) throw new LoansError('The CSV has no "at" column (the instant of each case).');
  return rows.slice(1).map((r, i) => {
    const get = (name: string) => {
      const c = col(name);
      return c >= 0 ? (r[c] ?? '').trim() : '';
    };
    const question = get('question') || 'checkout';
    if (!isQuestion(question)) throw new LoansError(`Row ${i + 2}: unknown question "${question}".`);
    const loanType = get('loan_type');
    const patron: Record<string, unknown> = {};
    if (get('category')) patron.category = get('category');
    for (const date of ['rights_valid_until', 'registered']) if (get(date)) patron[date] = get(date);
    if (get('loans')) {
      const n = Number(get('loans'));
      if (!Number.isInteger(n) || n < 0) throw new LoansError(`Row ${i + 2}: "loans" must be a whole number.`);
      if (loanType) patron.loans = { [loanType]: n };
    }
    let facts: Record<string, unknown> = {};
    if (question === 'return' || question === 'renewal') {
      const loan: Record<string, unknown> = { loan_type: loanType, due: get('due') };
      if (get('checked_out')) loan.checked_out = get('checked_out');
      facts = { patron, loan };
    } else {
      facts = { patron, item: { status: get('item_status') } };
      if (loanType) facts.loan_type = loanType;
    }
    if (get('facts')) {
      try {
        facts = merge(facts, JSON.parse(get('facts')) as Record<string, unknown>);
      } catch {
        throw new LoansError(`Row ${i + 2}: "facts" is not JSON.`);
      }
    }
    return { id: get('id') || `row-${i + 2}`, question, at: get('at'), facts };
  });
}

function merge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const av = out[k];
    out[k] = av && v && typeof av === 'object' && typeof v === 'object' && !Array.isArray(v) ? merge(av as Record<string, unknown>, v as Record<string, unknown>) : v;
  }
  return out;
}

/** Cases from JSON: a list of cases, or { cases: [...] }. */
export function casesFromJson(text: string): SimulationCase[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new LoansError(`Not JSON: ${(e as Error).message}`);
  }
  const list = Array.isArray(data) ? data : (data as { cases?: unknown })?.cases;
  if (!Array.isArray(list)) throw new LoansError('The JSON must be a list of cases or { "cases": [...] }.');
  return list.map((c, i) => {
    const o = c as Partial<SimulationCase>;
    if (!o || typeof o !== 'object' || typeof o.at !== 'string' || typeof o.facts !== 'object') throw new LoansError(`Case ${i + 1}: needs "at" and "facts".`);
    return { id: o.id ?? `case-${i + 1}`, question: o.question ?? 'checkout', at: o.at, facts: o.facts as Record<string, unknown> };
  });
}

export function casesFromFile(name: string, text: string): SimulationCase[] {
  return /\.json$/i.test(name) || /^\s*[[{]/.test(text) ? casesFromJson(text) : casesFromCsv(text);
}
