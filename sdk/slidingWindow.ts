/**
 * Distr's rate-limit arithmetic, modelled exactly (go-chi/httprate, distr-api.md section 3 / B2): per window of
 * length L, the hub estimates `previous window's count × (time left in the current window / L) + current window's
 * count` and admits a request only while `round(estimate) + 1 <= limit`, i.e. while the estimate is below
 * `limit - 0.5`. Windows start at `origin + k·L`: UTC multiples of L in 2.x (httprate v0.15.0), the hub's start
 * instant in 3.x (v0.16.0), which the `X-RateLimit-Reset` headers reveal to the second (windowPhase.ts).
 *
 * The client does not know the phase exactly (the header has whole seconds, clocks differ a little, a request reaches
 * the hub a little after it leaves), so it takes the worst case over every phase still possible: the earliest time
 * at which the hub admits the next request whatever the phase in that range. With a phase known to a second or two
 * this costs almost nothing; with no phase known (the per-second window, whose phase is below the header's
 * resolution) it still admits an even stream at the full rate and only spaces out bursts.
 *
 * Pure functions over a sorted history of send times, so that tests drive them with plain numbers.
 */

/** Where a window may start: at `originMs + k·lengthMs + u` for some u in [0, uncertaintyMs]. */
export interface WindowPhase {
  readonly originMs: number;
  readonly uncertaintyMs: number;
}

export interface WindowSpec {
  readonly limit: number;
  readonly lengthMs: number;
  /** Undefined: any phase (nothing learned yet, or finer than the headers tell). */
  readonly phase: WindowPhase | undefined;
  /** Requests of the limit to leave unused as a safety margin; default 0. */
  readonly headroom?: number;
}

/** The hub's own rule (httprate `OnLimit`): `math.Round(rate) + 1 > limit` refuses. */
export function hubAdmits(estimate: number, limit: number): boolean {
  return Math.round(estimate) + 1 <= limit;
}

/** Number of entries of a sorted array that are < value. */
function countBelow(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] as number) < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

function modulo(value: number, length: number): number {
  return ((value % length) + length) % length;
}

/** httprate's estimate at `now` for windows starting at `windowStart + k·L`, over sends at or before `now`. */
export function hubEstimate(history: readonly number[], now: number, lengthMs: number, originMs: number): number {
  const windowStart = now - modulo(now - originMs, lengthMs);
  const current = countBelow(history, now + 1) - countBelow(history, windowStart);
  const previous = countBelow(history, windowStart) - countBelow(history, windowStart - lengthMs);
  return (previous * (windowStart + lengthMs - now)) / lengthMs + current;
}

/**
 * The window starts (of the window containing `at`) that the phase allows, as closed intervals within
 * (at - L, at]. A phase range of a full window or more allows every start.
 */
function possibleWindowStarts(at: number, window: WindowSpec): Array<readonly [number, number]> {
  const { lengthMs, phase } = window;
  if (phase === undefined || phase.uncertaintyMs >= lengthMs) {
    return [[at - lengthMs + 1e-6, at]];
  }
  const first = at - modulo(at - phase.originMs, lengthMs);
  const last = first + phase.uncertaintyMs;
  if (last <= at) return [[first, last]];
  return [
    [first, at],
    [at - lengthMs + 1e-6, last - lengthMs],
  ];
}

/**
 * The earliest time, not before `at` and not before the last send in `history` (sends are reserved in order), at
 * which the hub admits one more request in this window whatever its phase within `window.phase`.
 *
 * For one phase the counts of the current and previous window stay fixed until the next send, and the estimate
 * falls linearly until the window ends (then the current count becomes the previous one): a closed form. Over a
 * range of phases the counts change only where a window start crosses a send (`r`) or a previous-window start
 * crosses one (`r + L`), and between those points the admission time grows with the window start, so its maximum
 * is at one of those points or at the end of the range.
 */
export function earliestAdmission(history: readonly number[], at: number, window: WindowSpec): number {
  const { limit, lengthMs } = window;
  const start = Math.max(at, history[history.length - 1] ?? at);
  if (limit === Infinity) return start;
  const threshold = limit - 0.5 - (window.headroom ?? 0);
  const recent = history.slice(countBelow(history, start - 2 * lengthMs));
  let latest = start;
  for (const [low, high] of possibleWindowStarts(start, window)) {
    const candidates = [high];
    for (const send of recent) {
      for (const point of [send, send + lengthMs]) {
        if (point >= low && point <= high) candidates.push(point);
      }
    }
    for (const windowStart of candidates) {
      const current = recent.length - countBelow(recent, windowStart);
      const previous = countBelow(recent, windowStart) - countBelow(recent, windowStart - lengthMs);
      let admitted: number;
      if (current >= threshold) {
        // Not before the next window, where this window's count is the previous one and fades.
        admitted = windowStart + 2 * lengthMs - (threshold * lengthMs) / current;
      } else if (previous > 0) {
        admitted = windowStart + lengthMs - ((threshold - current) * lengthMs) / previous;
      } else {
        continue;
      }
      // Strictly after the instant the estimate reaches the threshold.
      latest = Math.max(latest, Math.floor(admitted) + 1);
    }
  }
  return latest;
}
