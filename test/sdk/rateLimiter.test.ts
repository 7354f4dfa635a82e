import { DIALECT_SPECS } from "../../sdk/dialect";
import type { RateLimits } from "../../sdk/dialect";
import { countingSpanMs, RateLimiter, RateLimitWaitTooLong } from "../../sdk/rateLimiter";
import { FakeClock } from "./fakeClock";

const UNLIMITED: RateLimits = { perSecond: Infinity, perMinute: Infinity, perHour: Infinity };

/** Acquires `count` slots one after another and returns when each went out, relative to the start. */
async function sendTimes(limiter: RateLimiter, clock: FakeClock, count: number, maxWaitMs = Infinity) {
  const start = clock.now();
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    await limiter.acquire(maxWaitMs);
    times.push(clock.now() - start);
  }
  return times;
}

/**
 * Distr's limiter (go-chi/httprate): a sliding-window counter, previous window weighted by its remaining fraction
 * plus the current one, with windows aligned to `originMs`; a request is refused when round(rate) + 1 > limit.
 */
function refusedBySlidingWindowCounter(sendTimesMs: number[], limit: number, windowMs: number, originMs: number) {
  const counts = new Map<number, number>();
  let refused = 0;
  for (const t of sendTimesMs) {
    const windowStart = t - ((((t - originMs) % windowMs) + windowMs) % windowMs);
    const previous = counts.get(windowStart - windowMs) ?? 0;
    const current = counts.get(windowStart) ?? 0;
    const rate = Math.round((previous * (windowMs - (t - windowStart))) / windowMs + current);
    if (rate + 1 > limit) {
      refused++;
    } else {
      counts.set(windowStart, current + 1);
    }
  }
  return refused;
}

describe("RateLimiter", () => {
  it("sends a full per-second budget at once, then holds the next request until the burst has left two windows", async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ limits: { ...UNLIMITED, perSecond: 3 }, clock });
    const times = await sendTimes(limiter, clock, 7);
    const span = countingSpanMs(1_000);
    expect(span).toBe(2_050);
    expect(times).toEqual([0, 0, 0, span, span, span, 2 * span]);
  });

  it("applies the per-minute budget independently of the per-second one", async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ limits: { perSecond: 2, perMinute: 4, perHour: Infinity }, clock });
    const times = await sendTimes(limiter, clock, 5);
    // Two per second-span, and the fifth waits for the first to leave the minute's counting span.
    expect(times.slice(0, 4)).toEqual([0, 0, 2_050, 2_050]);
    expect(times[4]).toBe(countingSpanMs(60_000));
  });

  it("fails instead of waiting when the per-hour budget frees up later than the caller may wait", async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ limits: { ...UNLIMITED, perHour: 3 }, clock });
    await sendTimes(limiter, clock, 3, 1_000);
    const error = await limiter.acquire(60_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitWaitTooLong);
    const { forecast } = error as RateLimitWaitTooLong;
    expect(forecast.window).toBe("hour");
    expect(forecast.at - clock.now()).toBe(countingSpanMs(3_600_000));
    // Nothing was reserved by the refused call: the forecast stays the same.
    expect(limiter.forecast().at).toBe(forecast.at);
  });

  it("waits for the per-hour budget when the caller allows it", async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ limits: { ...UNLIMITED, perHour: 2 }, clock });
    const times = await sendTimes(limiter, clock, 3);
    expect(times).toEqual([0, 0, 2 * 3_600_000 + 1_000]);
  });

  it("never delays anything when every window is unlimited", async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ limits: UNLIMITED, clock });
    expect(await sendTimes(limiter, clock, 500)).toEqual(new Array(500).fill(0));
    expect(clock.sleeps).toEqual([]);
  });

  it("hands out slots in call order to concurrent callers", async () => {
    // A clock whose sleepers wake only when the test moves time, so that each caller's wake-up time is observable.
    let time = 0;
    const sleepers: Array<{ wakeAt: number; wake: () => void }> = [];
    const clock = {
      now: () => time,
      sleep: (ms: number) => new Promise<void>((wake) => sleepers.push({ wakeAt: time + ms, wake })),
    };
    const limiter = new RateLimiter({ limits: { ...UNLIMITED, perSecond: 2 }, clock });
    const wokeAt: number[] = [];
    const callers = [0, 1, 2, 3, 4].map(async (caller) => {
      await limiter.acquire(Infinity);
      wokeAt[caller] = time;
    });
    for (let step = 0; step < 5; step++) {
      await new Promise((settle) => setImmediate(settle));
      const next = sleepers.sort((a, b) => a.wakeAt - b.wakeAt).shift();
      if (next) {
        time = next.wakeAt;
        next.wake();
      }
    }
    await Promise.all(callers);
    expect(wokeAt).toEqual([0, 0, 2_050, 2_050, 4_100]);
  });

  it("holds every request until the time a 429 of the hub named", async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ limits: UNLIMITED, clock });
    limiter.holdUntil(clock.now() + 60_000);
    expect(limiter.forecast()).toEqual({ at: clock.now() + 60_000, window: "server" });
    await expect(limiter.acquire(1_000)).rejects.toBeInstanceOf(RateLimitWaitTooLong);
    expect(await sendTimes(limiter, clock, 2)).toEqual([60_000, 60_000]);
  });

  it("rejects limits that are not positive integers", () => {
    expect(() => new RateLimiter({ limits: { ...UNLIMITED, perSecond: 0 } })).toThrow(/perSecond/);
    expect(() => new RateLimiter({ limits: { ...UNLIMITED, perMinute: 1.5 } })).toThrow(/perMinute/);
  });

  it.each(["3", "2"] as const)(
    "keeps a long burst at the Distr %s.x limits below what Distr's sliding-window counter refuses, whatever its window alignment",
    async (dialect) => {
      const limits = DIALECT_SPECS[dialect].rateLimits;
      const clock = new FakeClock();
      const limiter = new RateLimiter({ limits, clock });
      const start = clock.now();
      const times = (await sendTimes(limiter, clock, 700)).map((t) => t + start);
      for (const originMs of [0, 123, 499, 999, 31_337, 59_999]) {
        expect(refusedBySlidingWindowCounter(times, limits.perSecond, 1_000, originMs)).toBe(0);
        expect(refusedBySlidingWindowCounter(times, limits.perMinute, 60_000, originMs)).toBe(0);
      }
      // And the same schedule with a naive "limit per window" pacing would have been refused: the margin matters.
      const naive = Array.from(
        { length: 2 * limits.perSecond },
        (_, i) => start + (i < limits.perSecond ? 999 : 1_001),
      );
      expect(refusedBySlidingWindowCounter(naive, limits.perSecond, 1_000, 0)).toBeGreaterThan(0);
    },
  );
});
