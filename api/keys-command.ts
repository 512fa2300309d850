// `regula keys …` (bin/regula.js sends the verb here): API keys made or listed on the service's own
// store — the PGlite folder (REGULA_DATA_DIR, ./data) or the PostgreSQL server (DATABASE_URL) the
// service would open — for when the admin key printed at the first start has scrolled away. The
// key is printed once, as at the first start; the store keeps its hash and an audit event says who
// made it ("cli").
import { parseArgs } from 'node:util';
import { ROLES, type Role } from '../contract/roles.ts';
import { ConfigError, loadConfig } from './config.ts';
import { makeKey, storeOptions } from './server.ts';
import { openStore } from './store/index.ts';

const HELP = `Usage: regula keys create --role <role> [--name <name>]
       regula keys list

On the store the service uses (REGULA_DATA_DIR, default ./data; or DATABASE_URL):
  create   makes an API key and prints it once (roles: ${ROLES.join(', ')}; name default: the role)
  list     the keys there are: id, name, role, made, revoked (never the keys themselves)

With PGlite the service must be stopped first (one process per folder); on PostgreSQL it may run.

Exit status: 0 done, 1 the store could not be opened, 2 usage errors.`;

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { role: { type: 'string' }, name: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true });
  } catch (e) {
    process.stderr.write(`regula keys: ${(e as Error).message}\n`);
    return 2;
  }
  const [verb, ...extra] = parsed.positionals;
  if (parsed.values.help || verb === undefined) {
    (parsed.values.help ? process.stdout : process.stderr).write(`${HELP}\n`);
    return parsed.values.help ? 0 : 2;
  }
  if ((verb !== 'create' && verb !== 'list') || extra.length) {
    process.stderr.write(`regula keys: ${extra.length ? `unexpected argument "${extra[0]}"` : `unknown command "${verb}" — create or list`} (regula keys --help)\n`);
    return 2;
  }
  const role = parsed.values.role;
  if (verb === 'create' && !ROLES.includes(role as Role)) {
    process.stderr.write(`regula keys create: --role must be one of ${ROLES.join(', ')}${role === undefined ? '' : ` (got "${role}")`}\n`);
    return 2;
  }
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`regula: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  let store;
  try {
    store = await openStore(storeOptions(config));
    await store.migrate();
  } catch (e) {
    await store?.close().catch(() => {});
    process.stderr.write(`regula keys: cannot open the store: ${(e as Error).message}\n`);
    return 1;
  }
  try {
    if (verb === 'list') {
      for (const k of await store.keys.list()) process.stdout.write(`${k.id}  ${k.role.padEnd(11)} ${k.name}  made ${k.createdAt}${k.revokedAt ? `, revoked ${k.revokedAt}` : ''}\n`);
      return 0;
    }
    const { key, row } = await store.keys.create(parsed.values.name ?? role!, role as Role, { actor: 'cli', detail: { made_by: 'regula keys create' } }, makeKey());
    process.stdout.write(`Key ${row.id} (${row.role}, "${row.name}") on ${store.location} — shown this once, store it now:\n${key}\n`);
    return 0;
  } finally {
    await store.close();
  }
}

process.exitCode = await main(process.argv.slice(3));
