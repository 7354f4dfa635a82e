/**
 * Sends one logical request to Distr: takes a rate-limit slot per attempt, runs the exchange, reports it to the
 * `onRequest` observer, applies the retry policy, and turns the final answer into a parsed value or a DistrApiError.
 * The Distr object modules describe endpoints and call this; they never see HTTP.
 */
import type { z } from "zod";
import type { Clock } from "./clock";
import type { Dialect } from "./dialect";
import type { RequestEvent } from "./distrClient";
import type { DistrSubject } from "./errorClassification";
import { classifyFailure } from "./errorClassification";
import { DistrApiError } from "./errors";
import type { RateLimiter } from "./rateLimiter";
import { RateLimitWaitTooLong } from "./rateLimiter";
import type { AttemptSummary, RetryPolicy } from "./retryPolicy";
import type { HttpMethod, Transport, TransportOutcome } from "./transport";

export interface SenderRequest<T> {
  readonly method: HttpMethod;
  /** Path below `/api/v1`. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  readonly subject: DistrSubject;
  /** Schema of the success body; without one the body is ignored (204s). */
  readonly schema?: z.ZodType<T>;
  /** A 200 with an empty body means the transaction was rolled back (quirk 3), not "no data". */
  readonly emptyMeansRollback?: boolean;
  /** Without credentials and without a rate-limit slot (the dialect probe: Distr counts nothing). */
  readonly anonymous?: boolean;
}

/**
 * A POST either created its object, or its outcome is unknown and the caller must settle it by looking. A POST that
 * failed for sure (Distr answered with an error) throws.
 */
export type PostOutcome<T> =
  { readonly known: true; readonly value: T } | { readonly known: false; readonly error: DistrApiError };

export interface RequestSenderOptions {
  readonly transport: Transport;
  readonly policy: RetryPolicy;
  readonly limiter: RateLimiter | undefined;
  readonly clock: Clock;
  readonly dialect: Dialect | undefined;
  readonly onRequest?: (event: RequestEvent) => void;
}

export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  const minutes = Math.round(ms / 60_000);
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

function formatIssuePath(path: ReadonlyArray<PropertyKey>): string {
  if (path.length === 0) return "(the body)";
  return path
    .map((segment, index) =>
      typeof segment === "number" ? `[${segment}]` : `${index === 0 ? "" : "."}${String(segment)}`,
    )
    .join("");
}

export class RequestSender {
  readonly dialect: Dialect | undefined;
  private readonly transport: Transport;
  private readonly policy: RetryPolicy;
  private readonly limiter: RateLimiter | undefined;
  private readonly clock: Clock;
  private readonly onRequest: ((event: RequestEvent) => void) | undefined;

  constructor(options: RequestSenderOptions) {
    this.transport = options.transport;
    this.policy = options.policy;
    this.limiter = options.limiter;
    this.clock = options.clock;
    this.dialect = options.dialect;
    this.onRequest = options.onRequest;
  }

  /** The path as errors and observers show it (below the host, with `/api/v1`). */
  displayPath(path: string): string {
    return this.transport.displayPath({ path });
  }

  /** Sends a request whose outcome the policy can always settle (GET, PUT, DELETE); throws DistrApiError. */
  async send<T>(request: SenderRequest<T>): Promise<T> {
    const outcome = await this.run(request);
    if (!outcome.known) {
      throw outcome.error;
    }
    return outcome.value;
  }

  /** Sends a POST; an unknown outcome is returned, not thrown, so that the caller can look before trying again. */
  async post<T>(request: Omit<SenderRequest<T>, "method">): Promise<PostOutcome<T>> {
    return this.run({ ...request, method: "POST" });
  }

  private async run<T>(request: SenderRequest<T>): Promise<PostOutcome<T>> {
    const path = this.transport.displayPath(request);
    const started = this.clock.now();
    let rateLimitWaitMs = 0;
    /** An earlier attempt of this write may have been processed (a DELETE answered 404 later has then succeeded). */
    let earlierAttemptUncertain = false;

    for (let attempt = 1; ; attempt++) {
      if (this.limiter && !request.anonymous) {
        const waitStart = this.clock.now();
        try {
          await this.limiter.acquire(this.policy.maxRateLimitWaitMs);
        } catch (error) {
          if (error instanceof RateLimitWaitTooLong) {
            throw this.clientBudgetSpent(request.method, path, error);
          }
          throw error;
        }
        rateLimitWaitMs += this.clock.now() - waitStart;
      }

      const exchangeStart = this.clock.now();
      const outcome = await this.transport.exchange(request);
      const now = this.clock.now();
      if (this.limiter && !request.anonymous && outcome.kind === "response") {
        await this.limiter.observe(outcome.status, outcome.headers);
      }
      this.report({
        method: request.method,
        path,
        status: outcome.kind === "response" ? outcome.status : undefined,
        attempt,
        durationMs: now - exchangeStart,
      });

      const summary: AttemptSummary =
        outcome.kind === "response"
          ? { kind: "response", status: outcome.status, headers: outcome.headers }
          : { kind: "no-response", requestSent: outcome.requestSent, transient: outcome.transient };
      const elapsedMs = now - started - rateLimitWaitMs;
      const decision = this.policy.decide({ method: request.method, outcome: summary, attempt, elapsedMs, now });

      switch (decision.action) {
        case "done":
          if (outcome.kind !== "response") {
            throw new Error("retry policy settled an exchange without a response");
          }
          return this.finish(request, path, outcome, earlierAttemptUncertain);
        case "retry":
          if (outcome.kind === "no-response" ? outcome.requestSent : outcome.status !== 429) {
            earlierAttemptUncertain = true;
          }
          if (decision.rateLimited) {
            if (this.limiter) {
              await this.limiter.holdUntil(now + decision.delayMs);
            } else {
              await this.clock.sleep(decision.delayMs);
              rateLimitWaitMs += decision.delayMs;
            }
          } else {
            await this.clock.sleep(decision.delayMs);
          }
          continue;
        case "outcome-unknown":
          return { known: false, error: this.failure(request, path, outcome, attempt, now - started, "unknown") };
        case "rate-limit-too-long":
          throw this.serverBudgetSpent(request.method, path, decision.resumeAt, decision.window, now);
        case "give-up":
          throw this.failure(request, path, outcome, attempt, now - started, decision.reason);
      }
    }
  }

  private report(event: RequestEvent): void {
    try {
      this.onRequest?.(event);
    } catch {
      // An observer is for figures; its failure must not fail the request.
    }
  }

  private finish<T>(
    request: SenderRequest<T>,
    path: string,
    outcome: Extract<TransportOutcome, { kind: "response" }>,
    earlierAttemptUncertain: boolean,
  ): PostOutcome<T> {
    const { status, body } = outcome;
    if (status === 404 && request.method === "DELETE" && earlierAttemptUncertain) {
      // The earlier attempt deleted it and its answer was lost.
      return { known: true, value: undefined as T };
    }
    if (status < 200 || status >= 300) {
      throw classifyFailure({
        method: request.method,
        path,
        status,
        body,
        dialect: this.dialect,
        subject: request.subject,
      });
    }
    return { known: true, value: this.parse(request, path, status, body) };
  }

  private parse<T>(request: SenderRequest<T>, path: string, status: number, body: string): T {
    if (request.schema === undefined) {
      return undefined as T;
    }
    if (body.trim() === "") {
      if (request.emptyMeansRollback) {
        throw new DistrApiError({
          kind: "server-error",
          method: request.method,
          path,
          status,
          hint: "Distr answered with an empty body: its transaction was rolled back and nothing was written (quirk 3 of distr-api.md); try again, and report it if it persists",
        });
      }
      throw this.invalidResponse(request.method, path, status, "the body is empty");
    }
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      throw this.invalidResponse(request.method, path, status, "the body is not JSON");
    }
    const parsed = request.schema.safeParse(json);
    if (!parsed.success) {
      const issues = parsed.error.issues
        .slice(0, 3)
        .map((issue) => `${formatIssuePath(issue.path)}: ${issue.message}`)
        .join("; ");
      throw this.invalidResponse(request.method, path, status, `unexpected response field ${issues}`);
    }
    return parsed.data;
  }

  private invalidResponse(method: string, path: string, status: number, what: string): DistrApiError {
    return new DistrApiError({
      kind: "invalid-response",
      method,
      path,
      status,
      hint: `${what}; the hub may run a Distr version this client does not support`,
    });
  }

  private failure(
    request: SenderRequest<unknown>,
    path: string,
    outcome: TransportOutcome,
    attempts: number,
    elapsedMs: number,
    reason: "attempts" | "time" | "permanent" | "unknown",
  ): DistrApiError {
    const tally = `${attempts} attempt${attempts === 1 ? "" : "s"} in ${formatDuration(elapsedMs)}`;
    const why =
      reason === "unknown"
        ? `the ${request.method} may or may not have been processed (${tally})`
        : reason === "permanent"
          ? `not retried (${tally})`
          : `gave up after ${tally}${reason === "time" ? ", the time budget is spent" : ""}`;
    if (outcome.kind === "response") {
      return classifyFailure(
        {
          method: request.method,
          path,
          status: outcome.status,
          body: outcome.body,
          dialect: this.dialect,
          subject: request.subject,
        },
        why,
      );
    }
    return new DistrApiError({
      kind: "connection",
      method: request.method,
      path,
      hint:
        outcome.cause.name === "EngineGone"
          ? `${outcome.reason}; ${why}`
          : `${outcome.reason}; ${why}: check that ${this.transport.host} is reachable`,
      cause: outcome.cause,
    });
  }

  private serverBudgetSpent(
    method: string,
    path: string,
    resumeAt: number,
    window: string | undefined,
    now: number,
  ): DistrApiError {
    const budget =
      window === undefined ? "rate-limit budget" : `${window === "hour" ? "hourly" : `per-${window}`} budget`;
    return new DistrApiError({
      kind: "rate-limited",
      method,
      path,
      status: 429,
      hint: `Distr's ${budget} for this user (shared by all the user's tokens) is spent; it resets at ${new Date(resumeAt).toISOString()} (in ${formatDuration(resumeAt - now)}). Try again then, or raise maxRateLimitWaitMs to wait`,
    });
  }

  private clientBudgetSpent(method: string, path: string, error: RateLimitWaitTooLong): DistrApiError {
    const { window, at } = error.forecast;
    const inMs = at - this.clock.now();
    const budget =
      window === "server"
        ? "Distr's rate limit (a 429 told the client to hold off)"
        : window === "hour"
          ? `the hourly budget (${error.limits.perHour} requests, kept below Distr's per-user limit)`
          : `the per-${window ?? "?"} budget`;
    return new DistrApiError({
      kind: "rate-limited",
      method,
      path,
      hint: `${budget} is spent; the next request may go at ${new Date(at).toISOString()} (in ${formatDuration(inMs)}). Try again then, or raise maxRateLimitWaitMs to wait`,
    });
  }
}
