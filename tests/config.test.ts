// The service's settings from the environment: defaults, each variable read, and a value that
// cannot be read stops the start naming the variable.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, networks } from '../api/config.ts';

describe('the configuration', () => {
  it('runs on defaults alone: port 3000, PGlite in ./data, decisions need a key, no log', () => {
    expect(loadConfig({})).toEqual({
      port: 3000,
      dataDir: './data',
      openDecisions: false,
      decisionLog: false,
      decisionLogDays: 30,
      policiesDir: 'policies',
      bodyLimitBytes: 20 * 1024 * 1024,
      keyGraceMinutes: 60,
      keyFailuresPerMinute: 30,
    });
  });

  it('reads every variable', () => {
    const env = {
      PORT: '8080',
      HOST: '127.0.0.1',
      DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/test',
      DATABASE_SCHEMA: 'lib',
      DATABASE_MIGRATION_URL: 'postgresql://regula_owner@127.0.0.1:5432/test',
      REGULA_DATA_DIR: '/var/lib/regula',
      REGULA_ADMIN_KEY: 'a-key-of-sixteen-chars',
      REGULA_OPEN_DECISIONS: 'yes',
      REGULA_DECISION_LOG: 'on',
      REGULA_DECISION_LOG_DAYS: '90',
      REGULA_POLICIES_DIR: 'my-policies',
      REGULA_BODY_LIMIT_MB: '2',
      REGULA_KEY_GRACE_MINUTES: '0',
      REGULA_KEY_FAILURES_PER_MINUTE: '0',
    };
    expect(loadConfig(env)).toEqual({
      port: 8080,
      hostname: '127.0.0.1',
      databaseUrl: 'postgresql://postgres@127.0.0.1:5432/test',
      schema: 'lib',
      databaseMigrationUrl: 'postgresql://regula_owner@127.0.0.1:5432/test',
      dataDir: '/var/lib/regula',
      adminKey: 'a-key-of-sixteen-chars',
      openDecisions: true,
      decisionLog: true,
      decisionLogDays: 90,
      policiesDir: 'my-policies',
      bodyLimitBytes: 2 * 1024 * 1024,
      keyGraceMinutes: 0,
      keyFailuresPerMinute: 0,
    });
  });

  it('opens decisions to desk networks only, when REGULA_OPEN_DECISIONS lists them', () => {
    expect(loadConfig({ REGULA_OPEN_DECISIONS: '10.12.0.0/16, 192.168.1.20,fd00::/8' })).toMatchObject({ openDecisions: true, openDecisionsFrom: ['10.12.0.0/16', '192.168.1.20', 'fd00::/8'] });
    expect(loadConfig({ REGULA_OPEN_DECISIONS: 'true' })).not.toHaveProperty('openDecisionsFrom');
    const list = networks(['10.12.0.0/16', '::1']);
    expect([list.check('10.12.200.3', 'ipv4'), list.check('10.13.0.1', 'ipv4'), list.check('::1', 'ipv6')]).toEqual([true, false, true]);
  });

  it.each([
    ['REGULA_OPEN_DECISIONS', '10.0.0.0/33', 'REGULA_OPEN_DECISIONS=10.0.0.0/33: "10.0.0.0/33" is neither true/false nor a network (e.g. 10.12.0.0/16 or 192.168.1.20)'],
    ['REGULA_OPEN_DECISIONS', 'desk-1', 'REGULA_OPEN_DECISIONS=desk-1: "desk-1" is neither true/false nor a network (e.g. 10.12.0.0/16 or 192.168.1.20)'],
    ['PORT', '70000', 'PORT=70000: expected a whole number from 0 to 65535'],
    ['REGULA_DECISION_LOG_DAYS', '0', 'REGULA_DECISION_LOG_DAYS=0: expected a whole number from 1 to 36500'],
    ['REGULA_KEY_GRACE_MINUTES', '1.5', 'REGULA_KEY_GRACE_MINUTES=1.5: expected a whole number from 0 to 10080'],
    ['REGULA_ADMIN_KEY', 'short', 'REGULA_ADMIN_KEY: use at least 16 characters'],
    ['DATABASE_MIGRATION_URL', 'postgresql://owner@db/lib', 'DATABASE_MIGRATION_URL: set DATABASE_URL too (the service’s own role; the migration role grants it what it needs)'],
  ])('refuses %s=%s, naming it', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new ConfigError(message));
  });
});
