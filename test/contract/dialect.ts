/**
 * The two Distr dialects as the contract suite knows them, written out from Distr's source (distr-api.md A.1, §3,
 * B2) and deliberately not imported from sdk/dialect.ts: the suite is the independent evidence that the client's
 * and the local server's shared constants are right, so it must not read them.
 */

/** Distr 3.x (entitlement routes) or 2.x (license routes). */
export type Dialect = "3" | "2";

export const DIALECTS: readonly Dialect[] = ["3", "2"];

export interface RateLimits {
  readonly perSecond: number;
  readonly perMinute: number;
  readonly perHour: number;
}

/** httprate limits per user (3.x internal/routing: 30/s, 300/min since 2.17.0, 2000/h; 2.7.1: 30/s, 60/min, 2000/h). */
export const DISTR_RATE_LIMITS: Readonly<Record<Dialect, RateLimits>> = {
  "3": { perSecond: 30, perMinute: 300, perHour: 2000 },
  "2": { perSecond: 30, perMinute: 60, perHour: 2000 },
};

/** The dialect probe of quirk 1: exists on 3.x (401 without credentials), falls through to a 404 on 2.x. */
export const PROBE_PATH = "/api/v1/application-entitlements";
