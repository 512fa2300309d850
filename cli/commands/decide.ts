// regula decide: one question answered under the version in force, as a person or a program reads it.
import { resolve, sep } from 'node:path';
import { decide as decideQuestion, isQuestion, QUESTIONS, FactsError, inLanguage, withTexts, type Decision } from '../../engine/decision/index.ts';
import type { FeeRun } from '../../engine/fee/index.ts';
import { Undecidable } from '../../engine/errors/index.ts';
import { formatError } from '../../engine/policy/index.ts';
import { formatMoney } from '../../engine/money/index.ts';
import { buildInstitutions, decidingVersion, NoVersion } from '../../engine/version/index.ts';
import { parseSupportedInstant } from '../../engine/time/index.ts';
import { err, EXIT, JSON_OPTION, lang, LANG_OPTION, MONEY_VALUES, out, readData, str, UsageError, type Command } from '../common.ts';
import { collect, readPolicies } from '../../io/policy-files.ts';

export const decide: Command = {
  name: 'decide',
  summary: 'answer one question (checkout, renewal, return, …) for given facts at an instant',
  help: `Usage: regula decide <institution> <question> --facts <file|-> [options]

Decides <question> for <institution> under the policy version in force at --at.
Questions: ${QUESTIONS.join(', ')}.

Options:
  --facts <file>      the facts: a .json or .yaml file, or - for standard input (required)
  --at <instant>      ISO-8601 with offset, e.g. 2026-11-23T10:00:00+01:00, in 1996–2100 (default: now)
  --policies <dir>    the policies folder (default: policies)
  --version <label>   decide under this version instead of the one in force
  --trace             list the rules that fired
  --lang en|pl        language of the messages (default en; with --json: both unless given)
  --json              print the Decision object as JSON, with the texts of its assumptions (assumption_texts, as the API's ?explain=full)

Exit status: 0 decided (whatever the outcome), 1 the institution's policies have errors (or state nothing to decide this by),
2 usage or input errors (unknown institution, question or version; bad instant; facts that
cannot be read or that name something the policy does not know — the JSON pointer says where).`,
  options: {
    facts: { type: 'string' },
    at: { type: 'string' },
    policies: { type: 'string' },
    version: { type: 'string' },
    trace: { type: 'boolean' },
    ...LANG_OPTION,
    ...JSON_OPTION,
  },
  run(values, positionals) {
    const [institution, question, ...extra] = positionals;
    if (!institution || !question) throw new UsageError('give an institution and a question, e.g. regula decide sum checkout --facts facts.json');
    if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"`);
    if (!isQuestion(question)) throw new UsageError(`unknown question "${question}" — one of ${QUESTIONS.join(', ')}`);
    const l = lang(values.lang);
    const factsFile = str(values.facts);
    if (!factsFile) throw new UsageError('--facts <file> is required (- reads standard input)');
    const atText = str(values.at);
    let at: number;
    try {
      at = atText === undefined ? Date.now() : parseSupportedInstant(atText);
    } catch (e) {
      throw new UsageError(`--at ${atText}: ${(e as Error).message}`);
    }

    const dir = str(values.policies) ?? 'policies';
    const policies = readPolicies(collect([dir]).policies);
    const { institutions, errors: setErrors } = buildInstitutions(policies.versions);
    // Errors elsewhere do not stop this institution's decision; its own do.
    const instDir = resolve(dir, institution) + sep;
    const ownFiles = new Set(policies.versions.filter((v) => v.doc.institution === institution).map((v) => resolve(v.file)));
    const own = [...policies.errors, ...setErrors].filter((e) => resolve(e.file).startsWith(instDir) || ownFiles.has(resolve(e.file)));
    if (own.length) {
      for (const e of own) out(formatError(e));
      return EXIT.FAILED;
    }
    const inst = institutions.get(institution);
    if (!inst) throw new UsageError(`unknown institution "${institution}" in ${dir} — known: ${[...institutions.keys()].join(', ') || 'none'}`);
    const label = str(values.version);
    let policy;
    try {
      policy = decidingVersion(inst, at, label);
    } catch (e) {
      throw e instanceof NoVersion ? new UsageError(e.message) : e;
    }

    const facts = readData(factsFile, 'facts file');
    if (facts === null || typeof facts !== 'object' || Array.isArray(facts)) throw new UsageError(`${factsFile}: the facts must be a map (an object), e.g. { patron: …, item: … }`);
    let decision: Decision;
    try {
      decision = withTexts(decideQuestion(policy, question, facts as never, at, { trace: Boolean(values.trace) }), policy.doc);
    } catch (e) {
      if (e instanceof FactsError) throw new UsageError(`${factsFile === '-' ? '<stdin>' : factsFile}: ${e.message}`);
      if (e instanceof Undecidable) {
        err(`regula decide: ${institution} ${policy.version} cannot decide this ${question}: ${e.message}`);
        return EXIT.FAILED;
      }
      throw e;
    }
    // As the API: JSON in both languages unless one is asked for.
    const json = () => JSON.stringify(values.lang === undefined ? decision : inLanguage(decision, l), null, 2);
    out(values.json ? json() : render(decision, l));
    return EXIT.OK;
  },
};

const WORDS = {
  en: { allow: 'ALLOWED', refuse: 'REFUSED', info: 'ANSWER', at: 'at', values: 'Values', assumptions: 'Assumptions', policy: 'Policy', trace: 'Rules fired', assumes: 'assumes' },
  pl: { allow: 'DOZWOLONE', refuse: 'ODMOWA', info: 'ODPOWIEDŹ', at: 'w chwili', values: 'Wartości', assumptions: 'Założenia', policy: 'Regulamin', trace: 'Reguły', assumes: 'założenie' },
} as const;

const MARK = { refusal: '✗', sanction: '!', note: '•' } as const;

function show(key: string, v: unknown): string {
  if (typeof v === 'number' && MONEY_VALUES.has(key) && Number.isSafeInteger(v)) return `${formatMoney(v, 'pl')} (${v})`;
  if (v !== null && typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

const RUN_NOTES = { 'cap-reached': { en: 'cap reached', pl: 'osiągnięto górną granicę' }, 'over-cap': { en: 'over the cap', pl: 'ponad górną granicę' } } as const;

/** "1–40: 40 × 0,50 zł = 20,00 zł (2026-01-02T23:59:59+01:00 – 2026-02-11T23:59:59+01:00)". */
function feeRun(r: FeeRun, l: 'en' | 'pl'): string {
  const periods = r.count === 1 ? String(r.n) : `${r.n}–${r.n + r.count - 1}`;
  const when = r.from && r.to ? ` (${r.from} – ${r.to})` : '';
  return `${periods}: ${r.count} × ${formatMoney(r.amount_each, 'pl')} = ${formatMoney(r.amount, 'pl')}${when}${r.note ? `, ${RUN_NOTES[r.note][l]}` : ''}`;
}

/** The decision for a person at the desk: outcome, each reason with its paragraph, values, what it rests on. */
export function render(d: Decision, l: 'en' | 'pl'): string {
  const w = WORDS[l];
  const lines = [`${d.question} ${w.at} ${d.at}: ${w[d.outcome]}`];
  for (const r of d.reasons) {
    const extra = [r.cite, r.assumptions?.length ? `${w.assumes}: ${r.assumptions.join(', ')}` : undefined].filter(Boolean);
    lines.push(`  ${MARK[r.kind]} ${r.code}: ${r.message[l]}${extra.length ? `  [${extra.join('; ')}]` : ''}`);
  }
  const entries = Object.entries(d.values);
  if (entries.length) {
    lines.push(`${w.values}:`);
    for (const [k, v] of entries) {
      if (k === 'breakdown' && Array.isArray(v)) lines.push(`  ${k}:${v.length ? '' : ' —'}`, ...(v as FeeRun[]).map((run) => `    ${feeRun(run, l)}`));
      else lines.push(`  ${k}: ${show(k, v)}`);
    }
  }
  if (d.assumptions.length) {
    lines.push(`${w.assumptions}:`);
    for (const id of d.assumptions) lines.push(`  ${id}: ${d.assumption_texts?.[id]?.[l] ?? ''}`);
  }
  if (d.trace) lines.push(`${w.trace}: ${d.trace.join(', ') || '—'}`);
  lines.push(`${w.policy}: ${d.policy.institution} ${d.policy.version} (${d.policy.hash})`);
  return lines.join('\n');
}
