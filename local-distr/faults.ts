/**
 * Injected faults: what a flaky network or an overloaded hub does to a request. Tests queue them; each arriving
 * request takes the first queued fault that matches it, and a fault is used up after `times` requests (default 1).
 */
import { API_PREFIX } from "../sdk/dialect";
import { encodeGoJson } from "./goJson";
import { goError, type DistrResponse } from "./responses";

export type FaultMatch = { method?: string; path?: string | RegExp };

export type Fault =
  | {
      kind: "status";
      status: 429 | 500 | 502 | 503 | 504;
      times?: number;
      match?: FaultMatch;
      retryAfterSeconds?: number;
    }
  | { kind: "delay"; ms: number; times?: number; match?: FaultMatch }
  /** The socket is destroyed before anything happens: nothing is committed. */
  | { kind: "drop-connection"; times?: number; match?: FaultMatch }
  /** The request is fully handled (writes commit), then the socket is destroyed instead of answering. */
  | { kind: "commit-then-drop"; times?: number; match?: FaultMatch }
  /** A 200 JSON answer loses this top-level field (from the object, or from each element of a list). */
  | { kind: "malformed-response"; times?: number; match?: FaultMatch; omitField: string };

const STATUS_TEXTS: Record<number, string> = {
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

export class FaultError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FaultError";
  }
}

/** A path matcher string is the full path (`/api/v1/customer-organizations`) or the path below `/api/v1`. */
function matches(match: FaultMatch | undefined, method: string, path: string): boolean {
  if (!match) return true;
  if (match.method !== undefined && match.method.toUpperCase() !== method.toUpperCase()) return false;
  if (match.path === undefined) return true;
  if (match.path instanceof RegExp) return match.path.test(path);
  return match.path === path || API_PREFIX + match.path === path;
}

function validate(fault: Fault): void {
  const times = fault.times ?? 1;
  if (!Number.isInteger(times) || times < 1)
    throw new FaultError(`fault ${fault.kind}: times must be a positive integer`);
  if (fault.kind === "delay" && !(fault.ms >= 0)) throw new FaultError("fault delay: ms must be >= 0");
  if (fault.kind === "status" && !(fault.status in STATUS_TEXTS)) {
    throw new FaultError(`fault status: ${String(fault.status)} is not one of 429, 500, 502, 503, 504`);
  }
}

export class FaultQueue {
  private queue: Array<{ fault: Fault; remaining: number }> = [];

  inject(faults: readonly Fault[]): void {
    for (const fault of faults) {
      validate(fault);
      this.queue.push({ fault, remaining: fault.times ?? 1 });
    }
  }

  clear(): void {
    this.queue = [];
  }

  /** The fault this request suffers, if any; consumes one use of it. */
  take(method: string, path: string): Fault | undefined {
    const index = this.queue.findIndex((entry) => matches(entry.fault.match, method, path));
    if (index < 0) return undefined;
    const entry = this.queue[index]!;
    entry.remaining -= 1;
    if (entry.remaining === 0) this.queue.splice(index, 1);
    return entry.fault;
  }

  get pending(): number {
    return this.queue.length;
  }
}

/** The answer of a `status` fault: Go's http.Error with the status text, `Retry-After` when asked for. */
export function faultStatusResponse(fault: Extract<Fault, { kind: "status" }>): DistrResponse {
  const response = goError(fault.status, STATUS_TEXTS[fault.status] ?? "Error");
  if (fault.retryAfterSeconds === undefined) return response;
  return { ...response, headers: { ...response.headers, "Retry-After": String(fault.retryAfterSeconds) } };
}

/** A 200 JSON response with one top-level field removed; other responses pass unchanged. */
export function omitField(response: DistrResponse, field: string): DistrResponse {
  if (response.status !== 200 || response.json === undefined) return response;
  const strip = (value: unknown): unknown => {
    if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
    const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    delete copy[field];
    return copy;
  };
  const json = Array.isArray(response.json) ? response.json.map(strip) : strip(response.json);
  return { ...response, json, body: encodeGoJson(json) };
}
