/**
 * Client-side rate limiter: keeps the client inside Distr's per-user budgets (distr-api.md section 3 / B2, quirk 19)
 * so that a stack of a hundred licenses never sees a 429.
 *
 * Distr (go-chi/httprate) estimates the rate as `previous window × remaining fraction + current window` and refuses
 * a request when that estimate reaches the limit. A request therefore weighs on the estimate for up to two window
 * lengths, and a client that merely keeps `limit` requests inside every window can still be estimated at almost
 * twice the limit (a burst at the end of one window followed by a burst at the start of the next). The hub's window
 * boundaries are unknown to us (3.x aligns them to the hub's start), so the limiter keeps at most `limit` requests
 * inside any span of two window lengths (plus a small margin for network jitter): then Distr's estimate stays below
 * the limit whatever its alignment. Bursts of a full window's budget stay possible; the sustained rate is half of it.
 *
 * One limiter per process per host and token (`sharedRateLimiter`): Distr counts per user, so every client of a
 * Pulumi program that uses the same token must draw from the same budget.
 */
import type { RateLimits } from "./dialect";
import type { Clock } from "./clock";
import { systemClock } from "./clock";

export type RateLimitWindow = "second" | "minute" | "hour";

const WINDOWS: ReadonlyArray<{
  readonly window: RateLimitWindow;
  readonly limit: keyof RateLimits;
  readonly lengthMs: number;
}> = [
  { window: "second", limit: "perSecond", lengthMs: 1_000 },
  { window: "minute", limit: "perMinute", lengthMs: 60_000 },
  { window: "hour", limit: "perHour", lengthMs: 3_600_000 },
];

/** How long a request is remembered for one window: two window lengths plus a jitter margin (see above). */
export function countingSpanMs(windowLengthMs: number): number {
  return 2 * windowLengthMs + Math.min(1_000, windowLengthMs * 0.05);
}

/** When the next request may be sent, and which window holds it back (undefined: nothing does). */
export interface SlotForecast {
  readonly at: number;
  readonly window: RateLimitWindow | "server" | undefined;
}

/** Thrown by `acquire` when the next slot is further away than the caller may wait. */
export class RateLimitWaitTooLong extends Error {
  constructor(
    readonly forecast: SlotForecast,
    readonly limits: RateLimits,
  ) {
    super(`next request slot at ${new Date(forecast.at).toISOString()} (${forecast.window ?? "no"} window)`);
    this.name = "RateLimitWaitTooLong";
  }
}

export interface RateLimiterOptions {
  readonly limits: RateLimits;
  readonly clock?: Clock;
}

export class RateLimiter {
  readonly limits: RateLimits;
  private readonly clock: Clock;
  /** Reserved send times, ascending (FIFO: a reservation is never earlier than the previous one). */
  private readonly reserved: number[] = [];
  /** Set from a 429 of the hub: another client of the same user spent a window; nothing goes out before this. */
  private heldUntil = 0;
  private readonly longestSpanMs: number;

  constructor(options: RateLimiterOptions) {
    for (const { limit } of WINDOWS) {
      const value = options.limits[limit];
      if (!(value === Infinity || (Number.isInteger(value) && value > 0))) {
        throw new RangeError(`rate limit ${limit} must be a positive integer or Infinity, got ${String(value)}`);
      }
    }
    this.limits = { ...options.limits };
    this.clock = options.clock ?? systemClock;
    this.longestSpanMs = Math.max(
      0,
      ...WINDOWS.filter((w) => this.limits[w.limit] !== Infinity).map((w) => countingSpanMs(w.lengthMs)),
    );
  }

  /** The earliest time the next request could go out, without reserving it. */
  forecast(): SlotForecast {
    const now = this.clock.now();
    this.forget(now);
    let at = now;
    let window: SlotForecast["window"] = undefined;
    const last = this.reserved[this.reserved.length - 1];
    if (last !== undefined && last > at) {
      at = last;
    }
    if (this.heldUntil > at) {
      at = this.heldUntil;
      window = "server";
    }
    for (const { window: name, limit, lengthMs } of WINDOWS) {
      const budget = this.limits[limit];
      if (budget === Infinity || this.reserved.length < budget) {
        continue;
      }
      // The budget-th most recent reservation must have left the counting span before the next one may go.
      const oldestCounted = this.reserved[this.reserved.length - budget];
      if (oldestCounted !== undefined && oldestCounted + countingSpanMs(lengthMs) > at) {
        at = oldestCounted + countingSpanMs(lengthMs);
        window = name;
      }
    }
    return { at, window };
  }

  /**
   * Reserves the next slot and waits for it. Fails with `RateLimitWaitTooLong` (reserving nothing) when the slot is
   * more than `maxWaitMs` away, so that a spent hourly budget becomes an error instead of an hour of silence.
   */
  async acquire(maxWaitMs: number): Promise<void> {
    const slot = this.forecast();
    const waitMs = slot.at - this.clock.now();
    if (waitMs > maxWaitMs) {
      throw new RateLimitWaitTooLong(slot, this.limits);
    }
    this.reserved.push(slot.at);
    if (waitMs > 0) {
      await this.clock.sleep(waitMs);
    }
  }

  /** The hub answered 429: hold every request of this limiter until `time` (epoch ms). */
  holdUntil(time: number): void {
    this.heldUntil = Math.max(this.heldUntil, time);
  }

  private forget(now: number): void {
    let stale = 0;
    while (stale < this.reserved.length && (this.reserved[stale] ?? Infinity) <= now - this.longestSpanMs) {
      stale++;
    }
    if (stale > 0) {
      this.reserved.splice(0, stale);
    }
  }
}

const sharedLimiters = new Map<string, RateLimiter>();

/**
 * The process-wide limiter for one budget (a key made of host and a hash of the token, never the token itself) and
 * one set of limits. Clients with an injected clock get their own limiter: they are tests.
 */
export function sharedRateLimiter(key: string, limits: RateLimits): RateLimiter {
  const fullKey = `${key} ${limits.perSecond}/${limits.perMinute}/${limits.perHour}`;
  let limiter = sharedLimiters.get(fullKey);
  if (limiter === undefined) {
    limiter = new RateLimiter({ limits });
    sharedLimiters.set(fullKey, limiter);
  }
  return limiter;
}
