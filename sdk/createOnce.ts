/**
 * Creating a Distr object exactly once. Distr has no idempotency keys, so a POST whose answer was lost (a timeout,
 * a reset after the body left, a 502/503/504 from a proxy) may or may not have created the object. Sending it again
 * blindly could create a second one (customer names are not even unique); failing would leave an object Pulumi does
 * not know about. Instead the caller looks the object up (by name in its uniqueness scope) and only posts again when
 * it is not there.
 */
import type { Clock } from "./clock";
import { DistrApiError } from "./errors";
import type { PostOutcome } from "./requestSender";
import type { RetryPolicy } from "./retryPolicy";

export interface CreateOnceOptions<T> {
  readonly post: () => Promise<PostOutcome<T>>;
  /** After an unknown outcome: the object that POST created, if it exists (read fresh, not from a cache). */
  readonly findCreated: () => Promise<T | undefined>;
  readonly policy: RetryPolicy;
  readonly clock: Clock;
}

export async function createOnce<T>(options: CreateOnceOptions<T>): Promise<T> {
  for (let round = 1; ; round++) {
    const outcome = await options.post();
    if (outcome.known) {
      return outcome.value;
    }
    const created = await options.findCreated();
    if (created !== undefined) {
      return created;
    }
    if (round >= options.policy.maxAttempts) {
      const { error } = outcome;
      throw new DistrApiError({
        kind: error.kind,
        method: error.method,
        path: error.path,
        status: error.status,
        distrMessage: error.distrMessage,
        hint: `${error.hint ?? "no answer"}; a lookup afterwards found nothing created, after ${round} tries nothing was written`,
        cause: error.cause,
      });
    }
    await options.clock.sleep(options.policy.backoffMs(round));
  }
}
