// regula simulate: many cases decided under the version in force and a proposed one.
import { compilePolicy, type CompiledPolicy } from '../../engine/version/index.ts';
import { formatError } from '../../engine/policy/index.ts';
import { formatMoney } from '../../engine/money/index.ts';
import { simulate as run, type SimulationCase, type SimulationResult } from '../../engine/simulation/index.ts';
import { err, EXIT, JSON_OPTION, out, readData, readJsonLines, str, UsageError, type Command } from '../common.ts';
import { dirname } from 'node:path';
import { consolidateFile } from '../../io/policy-files.ts';

/** How many differing cases the human output lists (--json gives them all). */
const SHOWN = 20;

export const simulate: Command = {
  name: 'simulate',
  summary: 'decide many cases under a baseline and a candidate version; totals and differences',
  help: `Usage: regula simulate <baseline> <candidate> --cases <file> [--json]

Consolidates and compiles both policy files, decides every case under each, and prints
the totals (refusals, fees, blocks, deposits forfeited, due dates moved) under both, and
the first ${SHOWN} cases whose answer differs.

The cases file is JSON (.json: a list, or { "cases": [...] }), JSON Lines (.jsonl,
.ndjson: one case a line) or YAML; each case is
  { "id": "…", "question": "checkout", "at": "2026-11-23T10:00:00+01:00", "facts": {…} }

Options:
  --cases <file>   the cases (required; - reads standard input as YAML/JSON)
  --json           print the whole result as JSON

Exit status: 0 simulated, 1 a policy file has errors, 2 usage or input errors.`,
  options: { cases: { type: 'string' }, ...JSON_OPTION },
  run(values, positionals) {
    const [a, b, ...extra] = positionals;
    if (!a || !b) throw new UsageError('give the baseline and the candidate policy files');
    if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"`);
    const file = str(values.cases);
    if (!file) throw new UsageError('--cases <file> is required');
    const baseline = compiled(a);
    const candidate = compiled(b, [dirname(a)]); // a draft may amend the baseline, wherever it is kept
    if (!baseline || !candidate) return EXIT.FAILED;
    const cases = readCases(file);
    const progress = process.stderr.isTTY && !values.json ? (done: number, total: number) => err(`\r${done}/${total}`) : undefined;
    const result = run(baseline, candidate, cases, progress);
    out(values.json ? JSON.stringify(result, null, 2) : render(result));
    return EXIT.OK;
  },
};

function compiled(file: string, alsoIn: string[] = []): CompiledPolicy | undefined {
  const c = consolidateFile(file, alsoIn);
  if (!c.doc || c.errors.length) {
    for (const e of c.errors) out(formatError(e));
    return undefined;
  }
  try {
    return compilePolicy(c.doc);
  } catch (e) {
    out(`${file}:1:1: ${(e as Error).message}`);
    return undefined;
  }
}

function readCases(file: string): SimulationCase[] {
  const data = /\.(jsonl|ndjson)$/.test(file) ? readJsonLines(file, 'cases file') : readData(file, 'cases file');
  const list = Array.isArray(data) ? data : (data as { cases?: unknown } | null)?.cases;
  if (!Array.isArray(list)) throw new UsageError(`${file}: expected a list of cases (or { cases: [...] })`);
  list.forEach((c, i) => {
    const where = `${file}: case ${i + 1}${c && typeof c === 'object' && 'id' in c ? ` (${String(c.id)})` : ''}`;
    if (!c || typeof c !== 'object') throw new UsageError(`${where}: expected a map with question, at and facts`);
    for (const k of ['question', 'at', 'facts'] as const) if (!(k in c)) throw new UsageError(`${where}: missing "${k}"`);
  });
  return list as SimulationCase[];
}

const zl = (g: number) => formatMoney(g, 'pl');
const signed = (n: number, f: (n: number) => string = String) => (n > 0 ? `+${f(n)}` : n < 0 ? `−${f(-n)}` : '±0');

export function render(r: SimulationResult): string {
  const { baseline: tb, candidate: tc, delta } = r.totals;
  const rows: Array<[string, string, string, string]> = [
    ['', 'baseline', 'candidate', 'change'],
    ['refusals', String(tb.refusals), String(tc.refusals), signed(delta.refusals)],
    ['fees', zl(tb.fees), zl(tc.fees), signed(delta.fees, zl)],
    ['blocks', String(tb.blocks), String(tc.blocks), signed(delta.blocks)],
    ['deposits forfeited', zl(tb.deposits_forfeited), zl(tc.deposits_forfeited), signed(delta.deposits_forfeited, zl)],
  ];
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((row) => row[i]!.length)));
  const lines = [`${r.cases} cases, ${r.differing} differ${r.errors.length ? `, ${r.errors.length} could not be decided` : ''}`, ''];
  for (const row of rows) lines.push(row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('   ').trimEnd());
  if (delta.due_shifted) lines.push('', `due dates moved in ${delta.due_shifted} allowed case${delta.due_shifted === 1 ? '' : 's'}: ${signed(delta.due_shift_minutes)} minutes in all`);
  if (r.differences.length) {
    lines.push('', r.differences.length > SHOWN ? `First ${SHOWN} of ${r.differences.length} differing cases:` : 'Differing cases:');
    for (const d of r.differences.slice(0, SHOWN)) lines.push(`  ${d.id} (${d.question}): ${d.changes.map((c) => c.en).join('; ')}`);
  }
  if (r.errors.length) {
    lines.push('', r.errors.length > SHOWN ? `First ${SHOWN} of ${r.errors.length} cases not decided:` : 'Cases not decided:');
    for (const e of r.errors.slice(0, SHOWN)) lines.push(`  ${e.id}: ${e.message}`);
  }
  return lines.join('\n');
}
