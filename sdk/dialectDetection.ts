/**
 * Which Distr dialect a hub speaks (section A.1, quirk 1), asked once per process and host. The probe goes out
 * without credentials: the 3.x route answers 401 (never 404), while on 2.x the unknown path falls through to a
 * router without authentication and answers `404 page not found`. Neither is counted by Distr's rate limiter.
 */
import type { Dialect } from "./dialect";
import { API_PREFIX, DIALECT_PROBE_PATH } from "./dialect";
import { COMMON_TEXTS } from "./errorTexts";
import { DistrApiError, isDistrApiError } from "./errors";
import type { RequestSender } from "./requestSender";

const detected = new Map<string, Promise<Dialect>>();

/** The dialect of `host`, probing through `sender` only the first time in this process. */
export function detectDialect(host: string, sender: RequestSender): Promise<Dialect> {
  let dialect = detected.get(host);
  if (dialect === undefined) {
    const probing = probeDialect(sender).catch((error: unknown) => {
      // A failed probe is not an answer: the next caller probes again.
      if (detected.get(host) === probing) {
        detected.delete(host);
      }
      throw error;
    });
    dialect = probing;
    detected.set(host, probing);
  }
  return dialect;
}

/** Forgets detected dialects (a test that restarts a different hub on the same address). */
export function forgetDetectedDialects(): void {
  detected.clear();
}

async function probeDialect(sender: RequestSender): Promise<Dialect> {
  const path = DIALECT_PROBE_PATH.slice(API_PREFIX.length);
  try {
    await sender.send({ method: "GET", path, subject: "dialect", anonymous: true });
    return "3";
  } catch (error) {
    if (!isDistrApiError(error)) {
      throw error;
    }
    if (error.status === 401 || error.status === 403 || error.status === 429) {
      return "3";
    }
    if (error.status === 404 && error.distrMessage === COMMON_TEXTS.pageNotFound) {
      return "2";
    }
    if (error.status === undefined) {
      throw error;
    }
    throw new DistrApiError({
      kind: "invalid-response",
      method: "GET",
      path: sender.displayPath(path),
      status: error.status,
      distrMessage: error.distrMessage,
      hint: "could not tell the Distr version from this answer: is the host a Distr hub (without /api/v1)? Set the dialect explicitly to skip detection",
    });
  }
}
