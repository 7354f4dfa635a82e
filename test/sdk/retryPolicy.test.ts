import type { AttemptSummary } from "../../sdk/retryPolicy";
import { RetryPolicy } from "../../sdk/retryPolicy";
import type { HttpMethod } from "../../sdk/transport";

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const response = (status: number, headers: Record<string, string> = {}): AttemptSummary => ({
  kind: "response",
  status,
  headers,
});
const noResponse = (requestSent: boolean, transient = true): AttemptSummary => ({
  kind: "no-response",
  requestSent,
  transient,
});

function decide(policy: RetryPolicy, method: HttpMethod, outcome: AttemptSummary, attempt = 1, elapsedMs = 0) {
  return policy.decide({ method, outcome, attempt, elapsedMs, now: NOW });
}

describe("RetryPolicy", () => {
  const policy = new RetryPolicy({ random: () => 0.5 });

  it.each(["GET", "PUT", "DELETE"] as const)("retries %s on 429, 502, 503, 504 and lost connections", (method) => {
    for (const outcome of [response(502), response(503), response(504), noResponse(true), noResponse(false)]) {
      expect(decide(policy, method, outcome)).toMatchObject({ action: "retry", rateLimited: false });
    }
    expect(decide(policy, method, response(429, { "retry-after": "1" }))).toMatchObject({
      action: "retry",
      rateLimited: true,
    });
  });

  it.each([200, 204, 400, 401, 403, 404, 409, 500])("hands a %s answer back without retrying", (status) => {
    expect(decide(policy, "GET", response(status))).toEqual({ action: "done" });
    expect(decide(policy, "POST", response(status))).toEqual({ action: "done" });
  });

  it("retries a POST only when Distr certainly did not process it", () => {
    expect(decide(policy, "POST", response(429, { "retry-after": "1" }))).toMatchObject({ action: "retry" });
    expect(decide(policy, "POST", noResponse(false))).toMatchObject({ action: "retry" });
    for (const outcome of [response(502), response(503), response(504), noResponse(true)]) {
      expect(decide(policy, "POST", outcome)).toEqual({ action: "outcome-unknown" });
    }
  });

  it("does not retry a failure that another attempt cannot fix (a TLS certificate error)", () => {
    expect(decide(policy, "GET", noResponse(false, false))).toEqual({ action: "give-up", reason: "permanent" });
  });

  it("backs off exponentially with jitter, capped at maxDelayMs", () => {
    const low = new RetryPolicy({ minDelayMs: 100, maxDelayMs: 1_000, random: () => 0 });
    const high = new RetryPolicy({ minDelayMs: 100, maxDelayMs: 1_000, random: () => 0.999999 });
    expect([1, 2, 3, 4, 5, 6].map((attempt) => low.backoffMs(attempt))).toEqual([100, 100, 100, 100, 100, 100]);
    expect([1, 2, 3, 4, 5, 6].map((attempt) => high.backoffMs(attempt))).toEqual([100, 200, 400, 800, 1_000, 1_000]);
  });

  it("gives up when the attempts are spent", () => {
    const limited = new RetryPolicy({ maxAttempts: 3 });
    expect(decide(limited, "GET", response(503), 2)).toMatchObject({ action: "retry" });
    expect(decide(limited, "GET", response(503), 3)).toEqual({ action: "give-up", reason: "attempts" });
  });

  it("gives up when the next wait would exceed the time budget", () => {
    const limited = new RetryPolicy({ maxElapsedMs: 1_000, minDelayMs: 400, maxDelayMs: 400 });
    expect(decide(limited, "GET", response(503), 1, 500)).toMatchObject({ action: "retry", delayMs: 400 });
    expect(decide(limited, "GET", response(503), 2, 700)).toEqual({ action: "give-up", reason: "time" });
  });

  it("waits out a 429 until X-RateLimit-Reset when that comes before Retry-After", () => {
    const decision = decide(
      new RetryPolicy({ random: () => 0 }),
      "GET",
      response(429, { "retry-after": "60", "x-ratelimit-reset": String(NOW / 1000 + 12) }),
    );
    expect(decision).toEqual({ action: "retry", delayMs: 12_000, rateLimited: true });
  });

  it("never lets a hub clock far ahead stretch the wait beyond Retry-After", () => {
    const decision = decide(
      new RetryPolicy({ random: () => 0 }),
      "GET",
      response(429, { "retry-after": "1", "x-ratelimit-reset": String(NOW / 1000 + 3_000) }),
    );
    expect(decision).toEqual({ action: "retry", delayMs: 1_000, rateLimited: true });
  });

  it("refuses to wait out a spent hourly budget longer than maxRateLimitWaitMs and says which window and when", () => {
    const reset = NOW + 45 * 60_000;
    const decision = decide(
      new RetryPolicy({ maxRateLimitWaitMs: 120_000 }),
      "GET",
      response(429, { "retry-after": "3600", "x-ratelimit-limit": "2000", "x-ratelimit-reset": String(reset / 1000) }),
    );
    expect(decision).toEqual({ action: "rate-limit-too-long", resumeAt: reset, window: "hour" });
  });

  it("names the window of a 429 from the dialect's limits when Retry-After is missing", () => {
    const named = new RetryPolicy({ serverLimits: { perSecond: 30, perMinute: 300, perHour: 2000 } });
    expect(named.rateLimitWindow({ "x-ratelimit-limit": "300" })).toBe("minute");
    expect(named.rateLimitWindow({ "retry-after": "1" })).toBe("second");
    expect(named.rateLimitWindow({})).toBeUndefined();
  });
});
