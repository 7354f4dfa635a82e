/**
 * When to try a request again, and how long to wait first. A pure policy (the request sender runs the loop), so its
 * rules are testable without a server:
 * - GET, PUT and DELETE are repeatable (Distr's PUTs are full replacements, quirk 5): they are retried on 429, 502,
 *   503, 504 and on connection failures, with capped exponential backoff and full jitter, bounded in attempts and in
 *   total time.
 * - A POST is retried only when Distr certainly did not process it: a 429 (the rate limiter answers before any
 *   handler runs) or a connection that was never established. Any other failure after the body left (a reset, a
 *   timeout, a 502/503/504 from a proxy) leaves its outcome unknown: the caller must look before creating again.
 * - A 429 is waited out as Distr asks (`X-RateLimit-Reset`, else `Retry-After`), but never longer than
 *   `maxRateLimitWaitMs`: a spent hourly budget becomes an error saying when it resets, not an hour of silence.
 *
 * undici ships a RetryAgent / `interceptors.retry`; it is not used because it retries POSTs on the same terms as
 * other methods once configured for them, cannot tell "never sent" from "sent, no answer", has no total-time bound,
 * and would bypass the client-side rate limiter (each retry must take a slot) and the `onRequest` observer (each
 * attempt is reported).
 */
import type { RetryOptions } from "./distrClient";
import type { RateLimits } from "./dialect";
import type { HttpMethod } from "./transport";

export const DEFAULT_RETRY_OPTIONS: Required<RetryOptions> = {
  maxAttempts: 5,
  maxElapsedMs: 60_000,
  minDelayMs: 250,
  maxDelayMs: 8_000,
};

/** Long enough to wait out a per-minute window (two of them, see rateLimiter.ts), far shorter than an hour. */
export const DEFAULT_MAX_RATE_LIMIT_WAIT_MS = 150_000;

const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);

export type AttemptSummary =
  | { readonly kind: "response"; readonly status: number; readonly headers: Readonly<Record<string, string>> }
  | { readonly kind: "no-response"; readonly requestSent: boolean; readonly transient: boolean };

export type RateLimitWindowName = "second" | "minute" | "hour";

export type RetryDecision =
  /** Not a failure the policy handles (success, or a 4xx/500 answer): the caller reads the response. */
  | { readonly action: "done" }
  | { readonly action: "retry"; readonly delayMs: number; readonly rateLimited: boolean }
  /** Retryable, but the attempts or the time budget are spent. */
  | { readonly action: "give-up"; readonly reason: "attempts" | "time" | "permanent" }
  /** A POST that may have been processed: settle by looking, never by sending again. */
  | { readonly action: "outcome-unknown" }
  /** Distr asks for a wait longer than `maxRateLimitWaitMs`. */
  | {
      readonly action: "rate-limit-too-long";
      readonly resumeAt: number;
      readonly window: RateLimitWindowName | undefined;
    };

export interface AttemptContext {
  readonly method: HttpMethod;
  readonly outcome: AttemptSummary;
  /** 1 for the first attempt. */
  readonly attempt: number;
  /** Time spent on this request so far, without waits for rate limits. */
  readonly elapsedMs: number;
  readonly now: number;
}

export interface RetryPolicyOptions extends RetryOptions {
  readonly maxRateLimitWaitMs?: number;
  /** The dialect's limits, to name the window a 429 came from. */
  readonly serverLimits?: RateLimits;
  /** [0, 1) source for jitter; injectable for tests. */
  readonly random?: () => number;
}

export class RetryPolicy {
  readonly maxAttempts: number;
  readonly maxElapsedMs: number;
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
  readonly maxRateLimitWaitMs: number;
  private readonly serverLimits: RateLimits | undefined;
  private readonly random: () => number;

  constructor(options: RetryPolicyOptions = {}) {
    this.maxAttempts = Math.max(1, Math.floor(options.maxAttempts ?? DEFAULT_RETRY_OPTIONS.maxAttempts));
    this.maxElapsedMs = options.maxElapsedMs ?? DEFAULT_RETRY_OPTIONS.maxElapsedMs;
    this.minDelayMs = options.minDelayMs ?? DEFAULT_RETRY_OPTIONS.minDelayMs;
    this.maxDelayMs = Math.max(this.minDelayMs, options.maxDelayMs ?? DEFAULT_RETRY_OPTIONS.maxDelayMs);
    this.maxRateLimitWaitMs = options.maxRateLimitWaitMs ?? DEFAULT_MAX_RATE_LIMIT_WAIT_MS;
    this.serverLimits = options.serverLimits;
    this.random = options.random ?? Math.random;
  }

  /** Capped exponential backoff with full jitter (between minDelayMs and the cap of this attempt). */
  backoffMs(attempt: number): number {
    const cap = Math.min(this.maxDelayMs, this.minDelayMs * 2 ** Math.max(0, attempt - 1));
    return Math.round(this.minDelayMs + (cap - this.minDelayMs) * this.random());
  }

  decide(context: AttemptContext): RetryDecision {
    const { method, outcome } = context;
    if (outcome.kind === "response" && !RETRYABLE_STATUSES.has(outcome.status)) {
      return { action: "done" };
    }
    if (outcome.kind === "no-response" && !outcome.transient) {
      return { action: "give-up", reason: "permanent" };
    }
    if (method === "POST") {
      const certainlyUnprocessed =
        (outcome.kind === "response" && outcome.status === 429) ||
        (outcome.kind === "no-response" && !outcome.requestSent);
      if (!certainlyUnprocessed) {
        return { action: "outcome-unknown" };
      }
    }
    if (outcome.kind === "response" && outcome.status === 429) {
      return this.decideRateLimited(context, outcome.headers);
    }
    if (context.attempt >= this.maxAttempts) {
      return { action: "give-up", reason: "attempts" };
    }
    const delayMs = this.backoffMs(context.attempt);
    if (context.elapsedMs + delayMs > this.maxElapsedMs) {
      return { action: "give-up", reason: "time" };
    }
    return { action: "retry", delayMs, rateLimited: false };
  }

  /** Which window a 429 came from: Distr sets the rejecting limiter's limit and `Retry-After` = its length. */
  rateLimitWindow(headers: Readonly<Record<string, string>>): RateLimitWindowName | undefined {
    const retryAfter = Number(headers["retry-after"]);
    if (retryAfter === 1) return "second";
    if (retryAfter === 60) return "minute";
    if (retryAfter === 3600) return "hour";
    const limit = Number(headers["x-ratelimit-limit"]);
    if (this.serverLimits && Number.isFinite(limit)) {
      if (limit === this.serverLimits.perSecond) return "second";
      if (limit === this.serverLimits.perMinute) return "minute";
      if (limit === this.serverLimits.perHour) return "hour";
    }
    return undefined;
  }

  /** When Distr will accept requests again after a 429, from its headers (undefined: it did not say). */
  rateLimitResumeAt(headers: Readonly<Record<string, string>>, now: number): number | undefined {
    let retryAfterAt: number | undefined;
    const retryAfter = headers["retry-after"];
    if (retryAfter !== undefined) {
      const seconds = Number(retryAfter);
      if (Number.isFinite(seconds) && seconds >= 0) {
        retryAfterAt = now + seconds * 1000;
      } else {
        const date = Date.parse(retryAfter);
        retryAfterAt = Number.isNaN(date) ? undefined : date;
      }
    }
    const reset = Number(headers["x-ratelimit-reset"]);
    // Retry-After is the window's full length, not the time left (section 3): the reset time is closer, but comes
    // from the hub's clock, so it may only shorten the wait Retry-After asks for, never lengthen it.
    const resetAt = Number.isFinite(reset) && reset > 0 ? reset * 1000 : undefined;
    if (retryAfterAt !== undefined && resetAt !== undefined && resetAt > now) {
      return Math.min(retryAfterAt, resetAt);
    }
    return retryAfterAt ?? resetAt;
  }

  private decideRateLimited(context: AttemptContext, headers: Readonly<Record<string, string>>): RetryDecision {
    const resumeAt = this.rateLimitResumeAt(headers, context.now);
    const window = this.rateLimitWindow(headers);
    if (resumeAt !== undefined && resumeAt - context.now > this.maxRateLimitWaitMs) {
      return { action: "rate-limit-too-long", resumeAt, window };
    }
    if (context.attempt >= this.maxAttempts) {
      return { action: "give-up", reason: "attempts" };
    }
    // A little jitter so that clients released by the same reset do not arrive in the same millisecond.
    const delayMs =
      resumeAt === undefined
        ? this.backoffMs(context.attempt)
        : Math.max(0, resumeAt - context.now) + Math.round(50 * this.random());
    return { action: "retry", delayMs, rateLimited: true };
  }
}
