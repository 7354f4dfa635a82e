/**
 * The client's model of Distr's limiter (slidingWindow.ts), the phase it learns from headers (windowPhase.ts), and
 * the limiter built on both, driven by an injected clock and checked against the local Distr's own limiter
 * (local-distr/rateLimit.ts, which models httprate for the server side).
 */
import { DistrRateLimiter } from "../../local-distr/rateLimit";
import { DIALECT_SPECS } from "../../sdk/dialect";
import type { RateLimits } from "../../sdk/dialect";
import { LEDGER_RETENTION_MS, MAX_SEND_DELAY_MS, RateLimiter, RateLimitWaitTooLong } from "../../sdk/rateLimiter";
import { InProcessLedger, type LedgerState, type RequestLedger } from "../../sdk/requestLedger";
import { earliestAdmission, hubAdmits, hubEstimate } from "../../sdk/slidingWindow";
import { learnPhases, phaseFromReset, withSkewMargin } from "../../sdk/windowPhase";
import type { Clock } from "../../sdk/clock";
import { FakeClock } from "./fakeClock";

const UNLIMITED: RateLimits = { perSecond: Infinity, perMinute: Infinity, perHour: Infinity };
const MINUTE = 60_000;
const HOUR = 3_600_000;
/** A UTC minute and hour boundary. */
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

describe("Distr's sliding-window estimate (httprate)", () => {
  it("counts a send at the window's first instant in the current window, one an instant earlier in the previous", () => {
    expect(hubEstimate([T0], T0, MINUTE, 0)).toBe(1);
    // At T0 the previous window is [T0-60s, T0) and weighs (60 s left)/60 s = 1.
    expect(hubEstimate([T0 - 1], T0, MINUTE, 0)).toBe(1);
    // A quarter into the window, the previous window weighs three quarters.
    expect(hubEstimate([T0 - 1], T0 + MINUTE / 4, MINUTE, 0)).toBe(0.75);
    expect(hubEstimate([T0 - 1, T0 + 1], T0 + MINUTE / 4, MINUTE, 0)).toBe(1.75);
    // Two windows back counts nothing.
    expect(hubEstimate([T0 - MINUTE - 1], T0 + 1, MINUTE, 0)).toBe(0);
  });

  it("weighs 300 sends of the previous minute by the time left in the current one", () => {
    const previous = Array.from({ length: 300 }, (_, i) => T0 - MINUTE + i * 100);
    expect(hubEstimate(previous, T0 + 20_000, MINUTE, 0)).toBeCloseTo(200, 9);
    expect(hubEstimate(previous, T0 + 59_999, MINUTE, 0)).toBeCloseTo(300 / MINUTE, 9);
  });

  it("refuses as httprate does: round(estimate) + 1 > limit", () => {
    expect(hubAdmits(298.49, 300)).toBe(true);
    expect(hubAdmits(299.49, 300)).toBe(true);
    expect(hubAdmits(299.5, 300)).toBe(false);
    expect(hubAdmits(300, 300)).toBe(false);
  });

  it("places windows at the origin's phase: 2.x at UTC multiples, 3.x at the hub's start", () => {
    const hubStart = T0 + 17_250;
    // The same send is in the current window for 3.x (window began at hub start + k min) and the previous for 2.x.
    expect(hubEstimate([T0 + 20_000], T0 + 80_000, MINUTE, 0)).toBeCloseTo(40 / 60, 9);
    expect(hubEstimate([T0 + 20_000], T0 + 80_000, MINUTE, hubStart)).toBeCloseTo((60 - 2.75) / 60, 9);
  });
});

describe("earliestAdmission (the next send Distr admits whatever the phase it may have)", () => {
  const window = (limit: number, originMs?: number, uncertaintyMs = 0) => ({
    limit,
    lengthMs: MINUTE,
    phase: originMs === undefined ? undefined : { originMs, uncertaintyMs },
  });

  it("admits at once below the limit and at the exact instant the estimate falls below limit - 0.5 above it", () => {
    const full = Array.from({ length: 300 }, () => T0);
    expect(earliestAdmission(full.slice(0, 299), T0, window(300, 0))).toBe(T0);
    // 300 sends in [T0, T0+60s): refused until the next window, then 300 × (1 - f) < 299.5 → f > 0.5/300.
    const admitted = earliestAdmission(full, T0, window(300, 0));
    expect(admitted).toBe(Math.floor(T0 + MINUTE + (0.5 / 300) * MINUTE) + 1);
    expect(hubAdmits(hubEstimate(full, admitted, MINUTE, 0), 300)).toBe(true);
    expect(hubAdmits(hubEstimate(full, admitted - 1, MINUTE, 0), 300)).toBe(false);
  });

  it("takes the worst phase of the skew margin: sends just before a boundary may be in the current window", () => {
    // 299 sends 0.3 s before the boundary at T0: with the exact phase they fade from T0 on; if the hub's window began
    // 0.5 s earlier they are its current window and fade only a window later.
    const sends = Array.from({ length: 299 }, () => T0 - 300);
    sends.push(T0 + 10);
    const exact = earliestAdmission(sends, T0 + 10, window(300, 0));
    const margin = withSkewMargin({ originMs: 0, uncertaintyMs: 0 }, 500);
    const skewed = earliestAdmission(sends, T0 + 10, { limit: 300, lengthMs: MINUTE, phase: margin });
    expect(exact).toBeLessThan(T0 + 1_000);
    expect(skewed).toBeGreaterThan(T0 + MINUTE - 500);
    for (const shift of [-500, -300, 0, 250, 500]) {
      expect(hubAdmits(hubEstimate(sends, skewed, MINUTE, shift), 300)).toBe(true);
    }
  });

  it("paces the per-second window, whose phase is never known, at 24 per second whatever its phase", async () => {
    const clock = new FakeClock(T0 + 123);
    const limiter = new RateLimiter({ limits: { ...UNLIMITED, perSecond: 30 }, clock });
    const times: number[] = [];
    for (let i = 0; i < 300; i++) {
      await limiter.acquire(Infinity);
      times.push(clock.now());
    }
    // A fifth of the limit stays unused (rateLimiter.ts): 300 sends take about 12.5 s, not the 20 s of a pacer
    // that kept the limit within any two seconds.
    expect(times[299]! - times[0]!).toBeGreaterThan(12_000);
    expect(times[299]! - times[0]!).toBeLessThan(13_000);
    for (const originMs of [0, 137, 500, 999]) {
      expect(refusedByDistr(times, { ...UNLIMITED, perSecond: 30 }, originMs)).toBe(0);
    }
  });
});

describe("learning the window phase from X-RateLimit-Reset", () => {
  it("reads a 2.x (UTC-aligned) and a 3.x (hub start) hourly reset, and the minute phase from both", () => {
    const utc = learnPhases({}, { resetSeconds: (T0 + HOUR) / 1000, windowLengthMs: HOUR, now: T0 + 5_000 });
    expect(utc.hour).toEqual({ originMs: T0 + HOUR, uncertaintyMs: 1000 });
    const hubStart = T0 - 1_234_567;
    const reset = Math.floor((hubStart + HOUR) / 1000);
    const started = learnPhases({}, { resetSeconds: reset, windowLengthMs: HOUR, now: T0 });
    expect(started).toEqual({ hour: phaseFromReset(reset), minute: phaseFromReset(reset) });
    // The hub's true window start lies within the learned second.
    const offset = (((hubStart - started.hour!.originMs) % HOUR) + HOUR) % HOUR;
    expect(offset).toBeLessThan(1000);
  });

  it("keeps a phase that later resets agree with, and replaces it when the hub restarted", () => {
    const known = learnPhases(
      {},
      { resetSeconds: 1_800_000_000, windowLengthMs: HOUR, now: 1_800_000_000_000 - 60_000 },
    );
    const same = learnPhases(known, { resetSeconds: 1_800_003_600, windowLengthMs: HOUR, now: 1_800_003_000_000 });
    expect(same).toBe(known);
    const minuteAgrees = learnPhases(known, {
      resetSeconds: 1_800_000_060,
      windowLengthMs: MINUTE,
      now: 1_800_000_030_000,
    });
    expect(minuteAgrees).toBe(known);
    const restarted = learnPhases(known, {
      resetSeconds: 1_800_000_077,
      windowLengthMs: MINUTE,
      now: 1_800_000_030_000,
    });
    expect(restarted).toEqual({ minute: phaseFromReset(1_800_000_077) });
  });

  it("ignores per-second resets and resets that cannot be the current window's", () => {
    const now = 1_800_000_000_000;
    expect(learnPhases({}, { resetSeconds: now / 1000 + 1, windowLengthMs: 1000, now })).toEqual({});
    expect(learnPhases({}, { resetSeconds: now / 1000 + 3 * 3600, windowLengthMs: HOUR, now })).toEqual({});
  });
});

/** Replays send times through the local Distr's limiter (httprate's chain) and counts the 429s. */
function refusedByDistr(times: readonly number[], limits: RateLimits, startedAtMs: number): number {
  let now = 0;
  const distr = new DistrRateLimiter({ limits, alignment: "process-start", startedAtMs, now: () => now });
  let refused = 0;
  for (const time of times) {
    now = time;
    if (!distr.admit("user").allowed) refused++;
  }
  return refused;
}

/**
 * Virtual time with timers: `sleep` resolves when the test runs the clock to its wake-up time. `stallUntil` models
 * a blocked event loop: every timer due before that moment fires at that moment, together.
 */
class StallClock implements Clock {
  private timers: Array<{ at: number; wake: () => void }> = [];
  private stalledUntil = -Infinity;

  constructor(private time: number) {}

  now(): number {
    return this.time;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((wake) => this.timers.push({ at: this.time + Math.max(0, ms), wake }));
  }

  stallUntil(at: number): void {
    this.stalledUntil = at;
  }

  /** Lets every pending promise chain run (the limiter's reservations between timers). */
  async settle(): Promise<void> {
    for (let i = 0; i < 50; i++) await Promise.resolve();
  }

  /** Fires the timers in order of their wake-up time (those due during the stall at its end) until none is left. */
  async runAll(): Promise<void> {
    for (;;) {
      await this.settle();
      if (this.timers.length === 0) return;
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers[0]!;
      const firesAt = next.at < this.stalledUntil ? this.stalledUntil : next.at;
      this.time = Math.max(this.time, firesAt);
      const due = this.timers.filter((t) => (t.at < this.stalledUntil ? this.stalledUntil : t.at) <= this.time);
      this.timers = this.timers.filter((t) => !due.includes(t));
      for (const timer of due) timer.wake();
    }
  }
}

/** Sends `count` requests through `limiter`, learning from the local Distr's headers as the client does. */
async function run(limiter: RateLimiter, clock: FakeClock, count: number, limits: RateLimits, startedAtMs: number) {
  const distr = new DistrRateLimiter({ limits, alignment: "process-start", startedAtMs, now: () => clock.now() });
  const times: number[] = [];
  let refused = 0;
  for (let i = 0; i < count; i++) {
    await limiter.acquire(Infinity);
    times.push(clock.now());
    const decision = distr.admit("user");
    if (!decision.allowed) refused++;
    const headers = decision.allowed ? decision.headers : decision.response.headers;
    const lower = Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
    await limiter.observe(decision.allowed ? 200 : 429, lower);
  }
  return { times, refused };
}

describe("RateLimiter at Distr's limits", () => {
  it.each([
    ["3", T0 - 1_234_567],
    ["3", T0 - 17_999],
    ["2", 0],
  ] as const)(
    "sustains the full per-minute rate of Distr %s.x (hub start %p) without a single 429",
    async (dialect, startedAtMs) => {
      const limits = DIALECT_SPECS[dialect].rateLimits;
      const clock = new FakeClock(T0 + 7_777);
      const limiter = new RateLimiter({ limits, clock });
      const count = dialect === "3" ? 1_500 : 400;
      const { times, refused } = await run(limiter, clock, count, limits, startedAtMs);
      expect(refused).toBe(0);
      // A first window's worth at once, then the per-minute limit: (count - limit) / limit minutes, plus at most
      // one window for the phase of the first burst and a little for the skew margin.
      const minutes = (times[count - 1]! - times[0]!) / MINUTE;
      const ideal = (count - limits.perMinute) / limits.perMinute;
      expect(minutes).toBeLessThan(ideal + 1.05);
      expect(minutes).toBeGreaterThan(ideal - 1);
    },
  );

  it("fails fast, reserving nothing, when the hourly budget is spent, and names the hour", async () => {
    const clock = new FakeClock(T0);
    const limits = { perSecond: Infinity, perMinute: Infinity, perHour: 5 };
    const limiter = new RateLimiter({ limits, clock });
    for (let i = 0; i < 5; i++) await limiter.acquire(150_000);
    const error = await limiter.acquire(150_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitWaitTooLong);
    expect((error as RateLimitWaitTooLong).forecast.window).toBe("hour");
    expect((await limiter.forecast()).at).toBe((error as RateLimitWaitTooLong).forecast.at);
  });

  it("holds every request until a 429's reset", async () => {
    const clock = new FakeClock(T0);
    const limiter = new RateLimiter({ limits: UNLIMITED, clock });
    await limiter.holdUntil(T0 + 60_000);
    expect(await limiter.forecast()).toEqual({ at: T0 + 60_000, window: "server" });
    await limiter.acquire(Infinity);
    expect(clock.now()).toBe(T0 + 60_000);
  });

  it("computes a slot when its reservation runs, not when it was asked for (reservations queue up)", async () => {
    // A process starting a bulk job queues hundreds of reservations behind each other and the ledger's lock: here
    // each waits 3 s. A slot computed at the time it was asked for would lie 3 s before the request leaves.
    const clock = new FakeClock(T0 + 59_000);
    const inner = new InProcessLedger(LEDGER_RETENTION_MS);
    let state: LedgerState | undefined;
    const queued: RequestLedger = {
      location: "queued",
      transact: (now, change) => {
        clock.advance(3_000);
        return inner.transact(now, (s) => {
          state = s;
          return change(s);
        });
      },
    };
    const limiter = new RateLimiter({ limits: DIALECT_SPECS["3"].rateLimits, clock, ledger: queued });
    await limiter.acquire(Infinity);
    expect(state?.sends).toEqual([T0 + 62_000]);
    expect(clock.now()).toBe(T0 + 62_000);
  });

  it("a bulk job starting 1.5 s before a full window ends: its queued first reservations stay within the skew margin", async () => {
    // The scale benchmark's bulk update after a no-change `up`: the create, refresh and `up` left 292 requests in
    // Distr's current minute window, 1.5 s before it ends. The update's provider process asks for its first slots
    // all at once; each reservation waits for the one before it (the ledger's lock and file, 300 ms each on a loaded
    // machine), and each request leaves as soon as its reservation returns. Then the job goes on at the model's pace.
    const hubStart = T0 - 1_234_567;
    const limits = DIALECT_SPECS["3"].rateLimits;
    const boundary = hubStart + Math.ceil((T0 - hubStart) / MINUTE) * MINUTE;
    const clock = new FakeClock(boundary - 1_500);
    const filled = Array.from({ length: 292 }, (_, i) => boundary - 50_000 + i * 100);
    const inner = new InProcessLedger(LEDGER_RETENTION_MS, {
      sends: [...filled],
      heldUntil: 0,
      phases: learnPhases({}, { resetSeconds: Math.floor((hubStart + HOUR) / 1000), windowLengthMs: HOUR, now: T0 }),
    });
    let queueMs = 300;
    let queue: Promise<unknown> = Promise.resolve();
    const queued: RequestLedger = {
      location: "queued",
      // One transaction at a time (as FileLedger), each taking `queueMs` when its turn comes.
      transact: <T>(now: number, change: (state: LedgerState) => T) => {
        const run = queue.then(() => {
          clock.advance(queueMs);
          return inner.transact(now, change);
        });
        queue = run;
        return run;
      },
    };
    const limiter = new RateLimiter({ limits, clock, ledger: queued });
    const departures: number[] = [];
    await Promise.all(
      Array.from({ length: 7 }, async () => {
        await limiter.acquire(Infinity);
        departures.push(clock.now());
      }),
    );
    queueMs = 0;
    for (let i = 0; i < 120; i++) {
      await limiter.acquire(Infinity);
      departures.push(clock.now());
    }
    // Some of the first seven left after the boundary; Distr counts them in its next window.
    expect(departures.filter((at) => at >= boundary).length).toBeGreaterThan(120);
    expect(refusedByDistr([...filled, ...departures], limits, hubStart)).toBe(0);
  });

  it("a stalled process does not send the slots it slept through all at once (issue 17)", async () => {
    // 90 requests of one process wait for their slots (24 per second); the process stalls for 3 s (a loaded
    // machine: the event loop is busy, timers fire late), then every timer due meanwhile fires at once. Sending them
    // then puts 3 s worth of slots into one of Distr's seconds.
    const clock = new StallClock(T0 + 400);
    const limiter = new RateLimiter({ limits: { ...UNLIMITED, perSecond: 30 }, clock });
    const departures: number[] = [];
    const requests = Array.from({ length: 90 }, async () => {
      await limiter.acquire(Infinity);
      departures.push(clock.now());
    });
    await clock.settle();
    clock.stallUntil(T0 + 400 + 3_000);
    await clock.runAll();
    await Promise.all(requests);
    expect(departures).toHaveLength(90);
    for (const originMs of [0, 250, 500, 750]) {
      expect(
        refusedByDistr(
          [...departures].sort((a, b) => a - b),
          { ...UNLIMITED, perSecond: 30 },
          originMs,
        ),
      ).toBe(0);
    }
  });

  it("gives a slot back and reserves anew when the process could not use it in time", async () => {
    // The first wake-up comes 2 s late (a loaded machine): sending then would put the request into Distr's next
    // window, where the model did not count it.
    class LateClock extends FakeClock {
      lateOnce = 2_000;
      override async sleep(ms: number): Promise<void> {
        await super.sleep(ms + this.lateOnce);
        this.lateOnce = 0;
      }
    }
    const clock = new LateClock(T0);
    clock.lateOnce = 0;
    const ledger = new InProcessLedger(LEDGER_RETENTION_MS);
    const limiter = new RateLimiter({ limits: { ...UNLIMITED, perMinute: 300 }, clock, ledger });
    for (let i = 0; i < 300; i++) await limiter.acquire(Infinity);
    // The 301st waits for the next window; it wakes up 2 s after its slot and must take a new one.
    clock.lateOnce = 2_000;
    await limiter.acquire(Infinity);
    expect(clock.sleeps).toHaveLength(1);
    const sends = await ledger.transact(clock.now(), (state) => [...state.sends]);
    expect(sends).toHaveLength(301);
    const last = sends[sends.length - 1]!;
    // The slot it slept for plus the 2 s it came late: where it really left.
    expect(last).toBe(T0 + clock.sleeps[0]!);
    expect(clock.sleeps[0]).toBeGreaterThan(2_000);
    expect(clock.now() - last).toBeLessThanOrEqual(MAX_SEND_DELAY_MS);
    for (const originMs of [T0, T0 + 500, T0 - 500]) {
      expect(refusedByDistr([...sends.slice(0, -1), clock.now()], { ...UNLIMITED, perMinute: 300 }, originMs)).toBe(0);
    }
  });

  it("rejects limits that are not positive integers", () => {
    expect(() => new RateLimiter({ limits: { ...UNLIMITED, perSecond: 0 } })).toThrow(/perSecond/);
    expect(() => new RateLimiter({ limits: { ...UNLIMITED, perMinute: 1.5 } })).toThrow(/perMinute/);
  });
});
