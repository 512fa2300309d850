// Which version decides: one rule for the service, the CLI and a policy's test cases.
import { describe, expect, it } from 'vitest';
import { decidingVersion, NoVersion, type Institution } from '../engine/version/index.ts';
import { parseInstant } from '../engine/time/index.ts';
import { loadShipped } from './fixtures/shipped.ts';

const sum: Institution = { id: 'sum', name: 'sum', versions: loadShipped().versions.filter((v) => v.institution === 'sum'), chains: new Map(), files: new Map() };
const t = parseInstant;

describe('the version that decides', () => {
  it('is the published version in force at the instant, or the one named', () => {
    const inForce = decidingVersion(sum, t('2026-11-23T10:00:00+01:00'));
    expect(inForce.doc.status).toBe('published');
    expect(inForce.effectiveFrom).toBeLessThanOrEqual(t('2026-11-23T10:00:00+01:00'));
    for (const v of sum.versions) expect(decidingVersion(sum, t('2000-01-01T00:00:00+01:00'), v.version)).toBe(v);
  });

  it('says what is missing, with the versions there are', () => {
    const missing = (at: string, label?: string) => {
      try {
        decidingVersion(sum, t(at), label);
      } catch (e) {
        expect(e).toBeInstanceOf(NoVersion);
        return { missing: (e as NoVersion).missing, message: (e as Error).message };
      }
      throw new Error('a version decided');
    };
    expect(missing('2000-01-01T00:00:00+01:00')).toEqual({ missing: 'at', message: expect.stringMatching(/^no published version of sum is in force at 2000-01-01T00:00:00\+01:00 — versions: 139\/2013 \(published, from /) });
    expect(missing('2026-11-23T10:00:00+01:00', '9/1999')).toEqual({ missing: 'version', message: expect.stringMatching(/^sum has no version "9\/1999" — versions: 139\/2013 /) });
  });
});
