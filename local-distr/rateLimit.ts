/**
 * Distr's per-user rate limits (distr-api.md section 3, B2, quirk 19): three go-chi/httprate sliding-window
 * counters in a chain (per second, per minute, per hour), keyed by user. A request rejected by a later limiter was
 * counted by the earlier ones; the rejecting limiter does not count it. Headers are `Set`, so on success the last
 * (hourly) limiter's values remain; a 429 carries the rejecting limiter's values and `Retry-After` = its full window.
 * httprate v0.16.0 (3.x) aligns windows to the limiter's creation, v0.15.0 (2.x) to UTC boundaries.
 */
import type { RateLimits } from "../sdk/dialect";
import { COMMON_TEXTS } from "../sdk/errorTexts";
import { goError, withHeaders, type DistrResponse } from "./responses";

export type RateLimitDecision =
  { allowed: true; headers: Record<string, string> } | { allowed: false; response: DistrResponse };

interface WindowCounts {
  window: number;
  current: number;
  previous: number;
}

/** One httprate limiter: `limit` requests per `windowMs`, a sliding-window estimate per key. */
class SlidingWindowLimiter {
  private readonly counts = new Map<string, WindowCounts>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly originMs: number,
  ) {}

  private windowStart(now: number): number {
    return now - ((((now - this.originMs) % this.windowMs) + this.windowMs) % this.windowMs);
  }

  private countsAt(key: string, windowStart: number): WindowCounts {
    const entry = this.counts.get(key);
    if (!entry || entry.window < windowStart - this.windowMs) return { window: windowStart, current: 0, previous: 0 };
    if (entry.window === windowStart) return entry;
    // The stored window is the one before the current one.
    return { window: windowStart, current: 0, previous: entry.current };
  }

  /** httprate's `OnLimit`: false and counted when allowed; true (not counted) when over the limit. */
  check(key: string, now: number): { limited: boolean; headers: Record<string, string> } {
    const windowStart = this.windowStart(now);
    const counts = this.countsAt(key, windowStart);
    const elapsed = now - windowStart;
    const rate = Math.round((counts.previous * (this.windowMs - elapsed)) / this.windowMs + counts.current);
    const headers: Record<string, string> = {
      "X-RateLimit-Limit": String(this.limit),
      "X-RateLimit-Reset": String(Math.floor((windowStart + this.windowMs) / 1000)),
    };
    if (rate + 1 > this.limit) {
      headers["X-RateLimit-Remaining"] = String(this.limit - rate);
      headers["Retry-After"] = String(Math.floor(this.windowMs / 1000));
      return { limited: true, headers };
    }
    this.counts.set(key, { ...counts, current: counts.current + 1 });
    headers["X-RateLimit-Remaining"] = String(this.limit - rate - 1);
    return { limited: false, headers };
  }

  reset(): void {
    this.counts.clear();
  }
}

export interface RateLimiterOptions {
  readonly limits: RateLimits;
  /** "process-start": windows begin at `startedAtMs` (httprate v0.16.0, 3.x); "utc": at UTC boundaries (2.x). */
  readonly alignment: "process-start" | "utc";
  readonly startedAtMs: number;
  readonly now?: () => number;
}

/** The chain of Distr's three per-user limiters. */
export class DistrRateLimiter {
  private readonly limiters: SlidingWindowLimiter[];
  private readonly now: () => number;
  /** Windows of every length begin at `origin + k·length` (epoch ms): 0 for UTC alignment. */
  readonly origin: number;

  constructor(options: RateLimiterOptions) {
    const origin = options.alignment === "utc" ? 0 : options.startedAtMs;
    this.origin = origin;
    this.now = options.now ?? Date.now;
    this.limiters = [
      new SlidingWindowLimiter(options.limits.perSecond, 1_000, origin),
      new SlidingWindowLimiter(options.limits.perMinute, 60_000, origin),
      new SlidingWindowLimiter(options.limits.perHour, 3_600_000, origin),
    ];
  }

  /** Counts a request of `userId` (key as Distr builds it: `authkey-<user>:`). */
  admit(userId: string): RateLimitDecision {
    const key = `authkey-${userId}:`;
    const now = this.now();
    let headers: Record<string, string> = {};
    for (const limiter of this.limiters) {
      const result = limiter.check(key, now);
      headers = { ...headers, ...result.headers };
      if (result.limited) {
        return { allowed: false, response: withHeaders(goError(429, COMMON_TEXTS.tooManyRequests), headers) };
      }
    }
    return { allowed: true, headers };
  }

  reset(): void {
    for (const limiter of this.limiters) limiter.reset();
  }
}
