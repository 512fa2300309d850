// The regula command: parses the verb and its flags, dispatches, and turns failures into exit codes.
import { parseArgs } from 'node:util';
import { consolidate } from './commands/consolidate.ts';
import { decide } from './commands/decide.ts';
import { diff } from './commands/diff.ts';
import { simulate } from './commands/simulate.ts';
import { test } from './commands/test.ts';
import { validate } from './commands/validate.ts';
import { InputError } from '../io/policy-files.ts';
import { err, EXIT, out, type Command } from './common.ts';

// Verbs mirror the HTTP API to come (OPA-style): the same names, the same answers.
const COMMANDS: Command[] = [validate, test, decide, consolidate, diff, simulate];

const HELP = `Usage: regula <command> [options]

Library lending regulations as versioned policies, decided by a rules engine.

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(12)} ${c.summary}`).join('\n')}

  keys         make or list API keys on the service's store (regula keys --help)

Run regula <command> --help for a command's arguments and options.

Exit status: 0 all well, 1 checks failed, 2 usage or input errors.`;

async function main(argv: string[]): Promise<number> {
  const [verb, ...rest] = argv;
  if (verb === undefined) {
    err(HELP);
    return EXIT.USAGE;
  }
  if (verb === '--help' || verb === '-h' || verb === 'help') {
    const cmd = COMMANDS.find((c) => c.name === rest[0]);
    out(cmd ? cmd.help : HELP);
    return EXIT.OK;
  }
  const cmd = COMMANDS.find((c) => c.name === verb);
  if (!cmd) {
    err(`regula: unknown command "${verb}" — one of ${COMMANDS.map((c) => c.name).join(', ')} (regula --help)`);
    return EXIT.USAGE;
  }
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      options: { ...cmd.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    if (values.help) {
      out(cmd.help);
      return EXIT.OK;
    }
    return await cmd.run(values, positionals);
  } catch (e) {
    // parseArgs reports unknown or malformed flags with a code; both are usage errors.
    const code = (e as { code?: string }).code;
    // A UsageError, or a file that cannot be read (io/), is an input error.
    if (e instanceof InputError || code?.startsWith('ERR_PARSE_ARGS')) {
      err(`regula ${verb}: ${(e as Error).message}`);
      if (code?.startsWith('ERR_PARSE_ARGS')) err(`Run regula ${verb} --help for its options.`);
      return EXIT.USAGE;
    }
    err(`regula ${verb}: internal error: ${(e as Error).stack ?? String(e)}`);
    return EXIT.FAILED;
  }
}

// `regula … | head` closes the pipe early: stop quietly, as other command-line tools do.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? EXIT.OK);
  throw e;
});

process.exitCode = await main(process.argv.slice(2));
