// What every verb shares: exit codes, the usage error, output, reading data files.
import type { ParseArgsConfig } from 'node:util';
import { formatError } from '../engine/errors/index.ts';
import { loadYaml } from '../engine/policy/index.ts';
import { InputError, readText } from '../io/policy-files.ts';

/** 0 all well; 1 the checks found problems; 2 the command could not be carried out as asked. */
export const EXIT = { OK: 0, FAILED: 1, USAGE: 2 } as const;

/** A usage or input error: the message says what and where; main prints it and exits 2 (as for
 * any InputError, e.g. a file io/ cannot read). */
export class UsageError extends InputError {
  override readonly name: string = 'UsageError';
}

export type Options = NonNullable<ParseArgsConfig['options']>;
export type Values = Record<string, string | boolean | Array<string | boolean> | undefined>;

export interface Command {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** The full --help text. */
  help: string;
  options: Options;
  run(values: Values, positionals: string[]): Promise<number> | number;
}

export function out(text = ''): void {
  process.stdout.write(text.endsWith('\n') || text === '' ? text || '\n' : `${text}\n`);
}

export function err(text: string): void {
  process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function str(v: Values[string]): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function lang(v: Values[string]): 'en' | 'pl' {
  const l = str(v) ?? 'en';
  if (l !== 'en' && l !== 'pl') throw new UsageError(`--lang ${l}: expected en or pl`);
  return l;
}

/** The common options of the verbs that print a result. */
export const JSON_OPTION = { json: { type: 'boolean' } } as const satisfies Options;
export const LANG_OPTION = { lang: { type: 'string' } } as const satisfies Options;

/** Line and column (1-based) of a character offset. */
function position(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `${before.length}:${(before.at(-1)?.length ?? 0) + 1}`;
}

/**
 * A JSON or YAML data file (facts, simulation cases): `.json` is read as JSON, anything else
 * (and stdin, `-`) as YAML, which also reads JSON. Syntax errors name file:line:column.
 */
export function readData(file: string, what = 'file'): unknown {
  const text = readText(file, what);
  const name = file === '-' ? '<stdin>' : file;
  if (file.endsWith('.json')) {
    try {
      return JSON.parse(text);
    } catch (e) {
      const msg = (e as Error).message;
      const at = /position (\d+)/.exec(msg);
      const where = at ? position(text, Number(at[1])) : /end of JSON/.test(msg) ? position(text, text.trimEnd().length) : '1:1';
      throw new UsageError(`${name}:${where}: invalid JSON: ${msg.replace(/ in JSON at position.*$/, '')}`);
    }
  }
  const { value, errors } = loadYaml(text, name);
  const first = errors[0];
  if (first) throw new UsageError(`${formatError(first).split('\n')[0]}`);
  return value;
}

/** JSON Lines: one JSON value a line, blank lines skipped (large case files stream this way). */
export function readJsonLines(file: string, what = 'file'): unknown[] {
  const name = file === '-' ? '<stdin>' : file;
  return readText(file, what)
    .split('\n')
    .map((line, i) => [line.trim(), i + 1] as const)
    .filter(([line]) => line !== '')
    .map(([line, n]) => {
      try {
        return JSON.parse(line) as unknown;
      } catch (e) {
        throw new UsageError(`${name}:${n}:1: invalid JSON: ${(e as Error).message.replace(/ in JSON at position.*$/, '')}`);
      }
    });
}

/** Amounts in decisions are grosze; people read złoty. */
export const MONEY_VALUES = new Set(['fee', 'fee_uncapped', 'amount', 'forfeited_amount', 'refund', 'substitute_max_price', 'payment_min', 'payment_max', 'cap']);
