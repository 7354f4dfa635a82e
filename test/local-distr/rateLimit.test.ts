import { DIALECT_SPECS } from "../../sdk/dialect";
import { startLocalDistr, type LocalDistr } from "../../local-distr";
import { DistrRateLimiter } from "../../local-distr/rateLimit";
import { call } from "./localDistrHttp";

describe("DistrRateLimiter (httprate sliding windows)", () => {
  const HOUR_START = Date.UTC(2026, 7, 1, 10, 0, 0);

  function limiter(alignment: "utc" | "process-start", startedAtMs: number, clock: { now: number }) {
    return new DistrRateLimiter({
      limits: { perSecond: 3, perMinute: 5, perHour: 8 },
      alignment,
      startedAtMs,
      now: () => clock.now,
    });
  }

  it("success headers show the hourly limiter: limit, remaining after this request, end of the hour window", () => {
    const clock = { now: HOUR_START + 10_500 };
    const decision = limiter("utc", 0, clock).admit("user");
    expect(decision).toEqual({
      allowed: true,
      headers: {
        "X-RateLimit-Limit": "8",
        "X-RateLimit-Remaining": "7",
        "X-RateLimit-Reset": String((HOUR_START + 3_600_000) / 1000),
      },
    });
  });

  it("the rejecting limiter's values and its full window as Retry-After, 429 Too Many Requests in plain text", () => {
    const clock = { now: HOUR_START + 100 };
    const limits = limiter("utc", 0, clock);
    for (let i = 0; i < 3; i++) expect(limits.admit("user").allowed).toBe(true);
    const rejected = limits.admit("user");
    if (rejected.allowed) throw new Error("expected a rejection");
    expect(rejected.response.status).toBe(429);
    expect(rejected.response.body).toBe("Too Many Requests\n");
    expect(rejected.response.headers).toMatchObject({
      "X-RateLimit-Limit": "3",
      "X-RateLimit-Remaining": "0",
      "X-RateLimit-Reset": String((HOUR_START + 1000) / 1000),
      "Retry-After": "1",
      "Content-Type": "text/plain; charset=utf-8",
    });
  });

  it("the per-minute limiter rejects with Retry-After 60 once the second windows have passed", () => {
    const clock = { now: HOUR_START };
    const limits = limiter("utc", 0, clock);
    for (let i = 0; i < 5; i++) {
      clock.now = HOUR_START + i * 2_000;
      expect(limits.admit("user").allowed).toBe(true);
    }
    clock.now = HOUR_START + 12_000;
    const rejected = limits.admit("user");
    if (rejected.allowed) throw new Error("expected a rejection");
    expect(rejected.response.headers).toMatchObject({ "X-RateLimit-Limit": "5", "Retry-After": "60" });
  });

  it("the previous window counts weighted by the part of it still inside the sliding window", () => {
    const clock = { now: HOUR_START + 900 };
    const limits = limiter("utc", 0, clock);
    for (let i = 0; i < 3; i++) limits.admit("user");
    // 0.75 s into the next second: 3 × 0.25 ≈ 1 still counts, so one more request fits, then it is full.
    clock.now = HOUR_START + 1_750;
    expect(limits.admit("user").allowed).toBe(true);
    expect(limits.admit("user").allowed).toBe(true);
    expect(limits.admit("user").allowed).toBe(false);
  });

  it("counters are per user", () => {
    const clock = { now: HOUR_START };
    const limits = limiter("utc", 0, clock);
    for (let i = 0; i < 3; i++) limits.admit("a");
    expect(limits.admit("a").allowed).toBe(false);
    expect(limits.admit("b").allowed).toBe(true);
  });

  it("3.x windows start at process start, 2.x windows at UTC boundaries", () => {
    const started = HOUR_START + 1_234_567;
    const clock = { now: started + 10_000 };
    const threeX = limiter("process-start", started, clock).admit("u");
    const twoX = limiter("utc", started, clock).admit("u");
    if (!threeX.allowed || !twoX.allowed) throw new Error("expected admission");
    expect(threeX.headers["X-RateLimit-Reset"]).toBe(String(Math.floor((started + 3_600_000) / 1000)));
    expect(twoX.headers["X-RateLimit-Reset"]).toBe(String((HOUR_START + 3_600_000) / 1000));
  });

  it("reset() forgets every counter", () => {
    const clock = { now: HOUR_START };
    const limits = limiter("utc", 0, clock);
    for (let i = 0; i < 3; i++) limits.admit("user");
    limits.reset();
    expect(limits.admit("user").allowed).toBe(true);
  });
});

describe("local Distr rate limiting over HTTP", () => {
  const running: LocalDistr[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((d) => d.close()));
  });
  async function start(options: Parameters<typeof startLocalDistr>[0]) {
    const distr = await startLocalDistr(options);
    running.push(distr);
    return distr;
  }

  it.each(["3", "2"] as const)("dialect %s: success responses carry the dialect's hourly budget", async (dialect) => {
    const distr = await start({ dialect });
    const first = await call(distr, "GET", "/organization");
    const second = await call(distr, "GET", "/organization");
    expect(first.headers.get("x-ratelimit-limit")).toBe(String(DIALECT_SPECS[dialect].rateLimits.perHour));
    expect(Number(first.headers.get("x-ratelimit-remaining"))).toBe(DIALECT_SPECS[dialect].rateLimits.perHour - 1);
    expect(Number(second.headers.get("x-ratelimit-remaining"))).toBe(DIALECT_SPECS[dialect].rateLimits.perHour - 2);
    const reset = Number(first.headers.get("x-ratelimit-reset"));
    expect(reset * 1000).toBeGreaterThan(Date.now());
    expect(reset * 1000).toBeLessThanOrEqual(Date.now() + 3_600_000);
  });

  it("partial overrides replace single limits; 401s are not counted; resetRateLimits starts over", async () => {
    const distr = await start({ rateLimits: { perMinute: 2 } });
    await call(distr, "GET", "/organization", { token: null });
    await call(distr, "GET", "/organization", { token: "distr-00000000000000000000000000000000" });
    expect((await call(distr, "GET", "/organization")).status).toBe(200);
    expect((await call(distr, "GET", "/organization")).status).toBe(200);
    const rejected = await call(distr, "GET", "/organization");
    expect(rejected.status).toBe(429);
    expect(rejected.headers.get("retry-after")).toBe("60");
    expect(rejected.headers.get("x-ratelimit-limit")).toBe("2");
    distr.control.resetRateLimits();
    expect((await call(distr, "GET", "/organization")).status).toBe(200);
  });

  it("rateLimits: false answers without rate-limit headers and never 429", async () => {
    const distr = await start({ rateLimits: false });
    const results = await Promise.all(Array.from({ length: 40 }, () => call(distr, "GET", "/organization")));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(results[0]!.headers.get("x-ratelimit-limit")).toBeNull();
  });
});
