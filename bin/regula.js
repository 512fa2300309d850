#!/usr/bin/env node
// The regula command: `regula keys …` works on the service's store (api/keys-command.ts), every
// other verb on policy files (cli/, which imports nothing of the service).
if (process.argv[2] === 'keys') await import('../api/keys-command.ts');
else await import('../cli/main.ts');
