// What every handler is given: the store and the in-memory parts of the service, and the
// request's principal and (validated) body.
import type { Context } from 'hono';
import { parseSupportedInstant } from '../engine/time/index.ts';
import { quote } from '../engine/errors/index.ts';
import type { KeyCache, Principal } from './auth.ts';
import type { Config } from './config.ts';
import type { DecisionLog } from './decision-log.ts';
import type { Metrics } from './metrics.ts';
import type { PolicyCache } from './policies.ts';
import { ProblemError, type FieldError } from './problem.ts';
import type { SimulationRunner } from './simulations.ts';
import type { Store } from './store/index.ts';
import type { VersionRow } from './store/types.ts';

export interface Deps {
  store: Store;
  policies: PolicyCache;
  config: Config;
  keys: KeyCache;
  decisionLog: DecisionLog;
  simulations: SimulationRunner;
  metrics: Metrics;
  startedAt: number;
  log: (message: string) => void;
}

export type Env = {
  Variables: {
    principal: Principal;
    body: unknown;
    /** A batch's requests holding text no store can keep, by index (api/body.ts). */
    unkept?: ReadonlyMap<number, FieldError[]>;
  };
};
export type Ctx = Context<Env>;
export type Handler = (c: Ctx, deps: Deps) => Promise<Response> | Response;

export function body<T>(c: Ctx): T {
  return c.get('body') as T;
}

export function actor(c: Ctx): string {
  return c.get('principal').name;
}

export function etag(row: Pick<VersionRow, 'id' | 'revision'>): string {
  return `"${row.id}:${row.revision}"`;
}

/**
 * A query parameter checked: an instant (as the bodies' instants: with its offset, a date that
 * exists — 2026-02-30 is not rolled over into March — in the supported years), a whole number in
 * a range, or text.
 */
export function queryInstant(c: Ctx, name: string, errors: FieldError[]): string | undefined {
  const v = c.req.query(name);
  if (v === undefined || v === '') return undefined;
  try {
    return new Date(parseSupportedInstant(v)).toISOString();
  } catch (e) {
    errors.push({ parameter: name, message: `must be an instant with its offset, e.g. 2026-11-23T10:00:00+01:00: ${(e as Error).message}` });
    return undefined;
  }
}

export function queryInt(c: Ctx, name: string, min: number, max: number, errors: FieldError[]): number | undefined {
  const v = c.req.query(name);
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) {
    errors.push({ parameter: name, message: `must be a whole number from ${min} to ${max} (got ${quote(v)})` });
    return undefined;
  }
  return n;
}

export function queryBool(c: Ctx, name: string, errors: FieldError[]): boolean {
  const v = c.req.query(name);
  if (v === undefined || v === '' || v === 'false' || v === '0') return false;
  if (v === 'true' || v === '1') return true;
  errors.push({ parameter: name, message: `must be true or false (got ${quote(v)})` });
  return false;
}

export function badParameters(errors: FieldError[]): void {
  if (!errors.length) return;
  throw new ProblemError('invalid-parameter', errors.map((e) => `${e.parameter}: ${e.message}`).join('; '), { errors });
}
