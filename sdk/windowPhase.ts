/**
 * Where Distr's rate-limit windows start, learned from its `X-RateLimit-Reset` headers (distr-api.md section 3):
 * the Unix second at which the current window of the limiter that set the header ends. Distr 2.x (httprate v0.15.0)
 * aligns windows to UTC multiples of their length; 3.x (v0.16.0) to the instant the hub's limiters were created,
 * so the hourly reset is not at the top of the hour. The three limiters are created together at hub start, so the
 * hourly phase also gives the per-minute one (60 s divides 3600 s); the per-second phase is below the header's
 * resolution and stays unknown.
 *
 * A success carries the hourly limiter's headers (the last limiter sets them); a 429 the rejecting limiter's. A
 * reset that does not fit the known phase means the hub restarted (new phase, counters empty): the new one wins.
 */
import type { WindowPhase } from "./slidingWindow";

/**
 * Room on either side of the phase for clock skew between client and hub, the time a request travels, and a
 * process that sends a little after its slot (a loaded machine's timers fire late).
 */
export const CLOCK_SKEW_MARGIN_MS = 1_000;

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

/** The phase a reset header tells for a window of `lengthMs`: it ended within the second `resetSeconds`. */
export function phaseFromReset(resetSeconds: number): WindowPhase {
  return { originMs: resetSeconds * 1000, uncertaintyMs: 1000 };
}

/** True when a window of `lengthMs` with this phase may end at `resetSeconds` (the hub did not restart). */
export function phaseFits(phase: WindowPhase, resetSeconds: number, lengthMs: number): boolean {
  const offset = (((resetSeconds * 1000 - phase.originMs) % lengthMs) + lengthMs) % lengthMs;
  return offset <= phase.uncertaintyMs || lengthMs - offset <= phase.uncertaintyMs;
}

/** The phase widened by the skew margin, as the window model should assume it. */
export function withSkewMargin(
  phase: WindowPhase | undefined,
  marginMs = CLOCK_SKEW_MARGIN_MS,
): WindowPhase | undefined {
  return phase === undefined
    ? undefined
    : { originMs: phase.originMs - marginMs, uncertaintyMs: phase.uncertaintyMs + 2 * marginMs };
}

export interface ResetObservation {
  /** `X-RateLimit-Reset`, Unix seconds. */
  readonly resetSeconds: number;
  /** Length of the window that set it (hour on success; on a 429 the rejecting limiter's). */
  readonly windowLengthMs: number;
  /** Client time when the answer arrived. */
  readonly now: number;
}

/** What is known of the per-minute and hourly phases (the per-second one is never known). */
export interface LearnedPhases {
  readonly minute?: WindowPhase;
  readonly hour?: WindowPhase;
}

/**
 * The phases to keep after an observation. An hourly reset tells both phases; a per-minute one only the minute's
 * (and, if it contradicts the known hourly phase, that the hub restarted: the hourly phase is then unknown). Resets
 * of per-second windows tell nothing finer than a second and are ignored, as are resets that cannot belong to the
 * current window (further than a window length away, or long past: a wrong clock or a proxy's header).
 */
export function learnPhases(known: LearnedPhases, observation: ResetObservation): LearnedPhases {
  const { resetSeconds, windowLengthMs, now } = observation;
  if (windowLengthMs !== HOUR_MS && windowLengthMs !== MINUTE_MS) return known;
  const untilReset = resetSeconds * 1000 - now;
  if (!Number.isFinite(untilReset) || untilReset < -MINUTE_MS || untilReset > windowLengthMs + MINUTE_MS) {
    return known;
  }
  const told = phaseFromReset(resetSeconds);
  if (windowLengthMs === HOUR_MS) {
    return known.hour !== undefined && phaseFits(known.hour, resetSeconds, HOUR_MS)
      ? known
      : { hour: told, minute: told };
  }
  if (known.minute !== undefined && phaseFits(known.minute, resetSeconds, MINUTE_MS)) return known;
  return { minute: told };
}
