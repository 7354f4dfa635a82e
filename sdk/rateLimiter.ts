/**
 * Client-side rate limiter: keeps every process that uses one Distr user inside that user's budgets (distr-api.md
 * section 3 / B2, quirk 19) at the full rate Distr admits, so that neither bulk work nor the next operation meets
 * a 429.
 *
 * Each request reserves a send time in the request ledger (requestLedger.ts: shared by the processes of this
 * machine, or in-process as a fallback) at the earliest moment at which Distr's own sliding-window estimate admits
 * it in every window (slidingWindow.ts), given the window phases learned from Distr's headers (windowPhase.ts).
 * Reservations are in order, so a process never takes a slot that another one already counted on.
 *
 * A 429 (another machine spending the same user's budget) holds every process until the reset Distr announces.
 * A slot further away than the caller may wait (a spent hourly budget) is an error saying when the budget frees up.
 */
import type { Clock } from "./clock";
import { systemClock } from "./clock";
import type { RateLimits } from "./dialect";
import type { LedgerState, RequestLedger } from "./requestLedger";
import { InProcessLedger } from "./requestLedger";
import type { WindowSpec } from "./slidingWindow";
import { earliestAdmission } from "./slidingWindow";
import type { LearnedPhases } from "./windowPhase";
import { learnPhases, withSkewMargin } from "./windowPhase";

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

/**
 * Per second, a fifth of the limit stays unused. Its windows' phase is unknown (finer than the headers), and a
 * process or hub that stalls for a few hundred milliseconds sends or receives the requests of that span together,
 * packing them into one of Distr's windows: what a per-minute or hourly window shrugs off (the skew margin covers
 * it), a one-second window does not. Bursts go at 24 per second instead of 30; sustained work is bound by the
 * per-minute limit anyway.
 */
export const PER_SECOND_HEADROOM_SHARE = 0.2;

/**
 * How late after its slot a request may still leave. Beyond it the slot is given back and a new one reserved: the
 * window model places each send at its slot, with a skew margin (windowPhase.ts) that must also cover travel time
 * and clock skew, so a departure later than this could land in a window the model did not count it in.
 */
export const MAX_SEND_DELAY_MS = 250;

/** How long sends matter: Distr's estimate reaches back two lengths of its longest window. */
export const LEDGER_RETENTION_MS = 2 * 3_600_000 + 60_000;

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
  /** Where sends are recorded; default: this limiter's own, in-process. */
  readonly ledger?: RequestLedger;
}

/** The earliest slot for the next send, from the ledger's state and the limits. */
export function forecastSlot(state: LedgerState, limits: RateLimits, now: number): SlotForecast {
  const base = Math.max(now, state.heldUntil);
  let at = Math.max(base, state.sends[state.sends.length - 1] ?? base);
  let window: SlotForecast["window"] = state.heldUntil > now && state.heldUntil >= at ? "server" : undefined;
  for (const { window: name, limit, lengthMs } of WINDOWS) {
    const spec: WindowSpec = {
      limit: limits[limit],
      lengthMs,
      phase: withSkewMargin(name === "second" ? undefined : state.phases[name]),
      headroom:
        name === "second" && limits[limit] !== Infinity ? Math.floor(limits[limit] * PER_SECOND_HEADROOM_SHARE) : 0,
    };
    const admitted = earliestAdmission(state.sends, base, spec);
    if (admitted > at) {
      at = admitted;
      window = name;
    }
  }
  return { at, window };
}

/** Inserts `value` into the ascending `sorted` (slots of other processes may lie later than this one). */
function insertSorted(sorted: number[], value: number): void {
  let index = sorted.length;
  while (index > 0 && (sorted[index - 1] as number) > value) index--;
  sorted.splice(index, 0, value);
}

/** Removes one entry equal to `value` (a slot given back); fewer sends only lower every estimate. */
function removeOne(sorted: number[], value: number): void {
  const index = sorted.lastIndexOf(value);
  if (index >= 0) sorted.splice(index, 1);
}

export class RateLimiter {
  readonly limits: RateLimits;
  private readonly clock: Clock;
  private readonly ledger: RequestLedger;
  /** The phases as last seen, so that a header that teaches nothing new costs no ledger write. */
  private knownPhases: LearnedPhases = {};

  constructor(options: RateLimiterOptions) {
    for (const { limit } of WINDOWS) {
      const value = options.limits[limit];
      if (!(value === Infinity || (Number.isInteger(value) && value > 0))) {
        throw new RangeError(`rate limit ${limit} must be a positive integer or Infinity, got ${String(value)}`);
      }
    }
    this.limits = { ...options.limits };
    this.clock = options.clock ?? systemClock;
    this.ledger = options.ledger ?? new InProcessLedger(LEDGER_RETENTION_MS);
  }

  /** The earliest time the next request could go out, without reserving it. */
  forecast(): Promise<SlotForecast> {
    return this.ledger.transact(this.clock.now(), (state) => {
      this.knownPhases = state.phases;
      return forecastSlot(state, this.limits, this.clock.now());
    });
  }

  /**
   * Reserves the next slot and waits for it. Fails with `RateLimitWaitTooLong` (reserving nothing) when the slot is
   * more than `maxWaitMs` away, so that a spent hourly budget becomes an error instead of an hour of silence.
   *
   * The ledger records the slot, not the moment the request leaves, and the window model (with its skew margin)
   * is right only while the two stay close. So the slot is computed when the reservation runs, not when it was
   * asked for (a process starting a bulk job queues hundreds of reservations behind each other and the lock, seconds
   * on a loaded machine), and a slot the process slept for but woke up too late to use (its timers ran late) is
   * given back and reserved anew, instead of sending late into a window the model did not count it in. Once only:
   * the second slot is computed at the moment it is taken, and a machine whose timers are always late must still
   * make progress instead of giving slots back forever.
   */
  async acquire(maxWaitMs: number): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const slot = await this.ledger.transact(this.clock.now(), (state) => {
        this.knownPhases = state.phases;
        const now = this.clock.now();
        const forecast = forecastSlot(state, this.limits, now);
        const reserved = forecast.at - now <= maxWaitMs;
        if (reserved) insertSorted(state.sends, forecast.at);
        return { ...forecast, reserved };
      });
      if (!slot.reserved) throw new RateLimitWaitTooLong({ at: slot.at, window: slot.window }, this.limits);
      const waitMs = slot.at - this.clock.now();
      if (waitMs <= 0) return;
      await this.clock.sleep(waitMs);
      if (attempt > 1 || this.clock.now() - slot.at <= MAX_SEND_DELAY_MS) return;
      await this.ledger.transact(this.clock.now(), (state) => removeOne(state.sends, slot.at));
    }
  }

  /** Distr answered 429: hold every request of every process sharing the ledger until `time` (epoch ms). */
  async holdUntil(time: number): Promise<void> {
    await this.ledger.transact(this.clock.now(), (state) => {
      state.heldUntil = Math.max(state.heldUntil, time);
    });
  }

  /**
   * Learns the window phase from Distr's answer: `X-RateLimit-Reset` of the hourly limiter on success (identified
   * by `X-RateLimit-Limit`), of the rejecting limiter on a 429 (identified by `Retry-After` = its window length).
   */
  async observe(status: number, headers: Readonly<Record<string, string>>): Promise<void> {
    const resetSeconds = Number(headers["x-ratelimit-reset"]);
    if (!Number.isFinite(resetSeconds) || resetSeconds <= 0) return;
    let windowLengthMs: number | undefined;
    if (status === 429) {
      const retryAfter = Number(headers["retry-after"]);
      windowLengthMs = retryAfter === 60 || retryAfter === 3600 ? retryAfter * 1000 : undefined;
    } else if (Number(headers["x-ratelimit-limit"]) === this.limits.perHour) {
      windowLengthMs = 3_600_000;
    }
    if (windowLengthMs === undefined) return;
    const now = this.clock.now();
    const observation = { resetSeconds, windowLengthMs, now };
    if (learnPhases(this.knownPhases, observation) === this.knownPhases) return;
    await this.ledger.transact(now, (state) => {
      state.phases = learnPhases(state.phases, observation);
      this.knownPhases = state.phases;
    });
  }
}

const sharedLimiters = new Map<string, RateLimiter>();

/**
 * The process-wide limiter for one budget (a key made of host and a hash of the token, never the token itself) and
 * one set of limits, over the given ledger (created on first use).
 */
export function sharedRateLimiter(key: string, limits: RateLimits, ledger: () => RequestLedger): RateLimiter {
  const fullKey = `${key} ${limits.perSecond}/${limits.perMinute}/${limits.perHour}`;
  let limiter = sharedLimiters.get(fullKey);
  if (limiter === undefined) {
    limiter = new RateLimiter({ limits, ledger: ledger() });
    sharedLimiters.set(fullKey, limiter);
  }
  return limiter;
}
