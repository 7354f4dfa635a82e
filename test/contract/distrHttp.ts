/**
 * Plain HTTP to a Distr hub for the contract suite. Deliberately not the sdk client: retries, caching, rate limiting
 * and error classification there would hide exactly the server behaviour these tests pin down. Every request is
 * counted (the real-hub budget is printed at the end) and, against a real hub, paced below its per-user limits
 * (hubPacer.ts); there a 429 is waited out as the hub says and the request sent again (Distr's rate limiter answers
 * before any handler runs, so nothing was processed), since it tells nothing about the route under test.
 */
import { Agent, FormData, request } from "undici";
import type { RateLimits } from "./dialect";
import { HubPacer, type HubBudget } from "./hubPacer";

/** A 429 asking for a longer wait than this (the hourly budget) fails the request instead of stalling the suite. */
const MAX_THROTTLE_WAIT_MS = 5 * 60_000;

export interface DistrRequest {
  readonly method: "GET" | "POST" | "PUT" | "DELETE" | "PATCH";
  /** Path including `/api/v1` (see DistrPaths) and an optional query string. */
  readonly path: string;
  /** Serialised with JSON.stringify. */
  readonly json?: unknown;
  /** Sent verbatim (malformed JSON, oversized bodies). */
  readonly rawBody?: string;
  readonly form?: FormData;
  /** Content-Type of a JSON or raw body; default `application/json` (Distr does not check it). */
  readonly contentType?: string;
  /**
   * The Authorization header value. Default `AccessToken <the target's token>`; `null` sends no header.
   * Use `token` to send another organization's PAT in the normal scheme.
   */
  readonly authorization?: string | null;
  readonly token?: string;
}

export interface DistrResponse {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly body: string;
  /** One header, repeated values joined with ", " as HTTP allows. */
  header(name: string): string | undefined;
  /** All values of a header, split at commas (for Allow, which chi sends as one line per method). */
  headerValues(name: string): string[];
}

export class DistrHttp {
  private readonly agent = new Agent({ keepAliveTimeout: 1000, connections: 64 });
  private readonly pacer: HubPacer | undefined;
  private sent = 0;

  constructor(
    readonly host: string,
    readonly token: string,
    options: { pace?: RateLimits } = {},
  ) {
    this.pacer = options.pace ? new HubPacer(options.pace, HubPacer.ledgerFileFor(host, token)) : undefined;
  }

  /** How many requests this client sent (the real-hub budget report). */
  get requestCount(): number {
    return this.sent;
  }

  /** Against a paced hub: 429s waited out, time spent waiting, and the hourly budget the hub reported last. */
  paceSummary(): { throttled: number; waitedMs: number; budget: HubBudget | undefined } | undefined {
    return this.pacer?.summary();
  }

  async send(req: DistrRequest): Promise<DistrResponse> {
    for (;;) {
      await this.pacer?.waitForSlot();
      const response = await this.exchange(req);
      const waitMs = this.pacer?.observe(response.status, response.header);
      if (waitMs === undefined) return response;
      if (waitMs > MAX_THROTTLE_WAIT_MS) {
        throw new Error(
          `${req.method} ${req.path}: the hub answered 429 and asks to wait ${Math.round(waitMs / 60_000)} min ` +
            `(X-RateLimit-Limit ${response.header("X-RateLimit-Limit")}, reset at ` +
            `${new Date(Number(response.header("X-RateLimit-Reset")) * 1000).toISOString()}): this user's budget is ` +
            `spent; run the suite again after the reset`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }

  private async exchange(req: DistrRequest): Promise<DistrResponse> {
    this.sent += 1;
    const headers: Record<string, string> = {};
    const authorization =
      req.authorization === undefined ? `AccessToken ${req.token ?? this.token}` : req.authorization;
    if (authorization !== null) headers["authorization"] = authorization;
    let body: string | FormData | undefined;
    if (req.form !== undefined) {
      body = req.form;
    } else if (req.rawBody !== undefined) {
      body = req.rawBody;
      headers["content-type"] = req.contentType ?? "application/json";
    } else if (req.json !== undefined) {
      body = JSON.stringify(req.json);
      headers["content-type"] = req.contentType ?? "application/json";
    }
    const res = await request(`${this.host}${req.path}`, {
      method: req.method,
      headers,
      body,
      dispatcher: this.agent,
    });
    const text = await res.body.text();
    const raw = res.headers;
    const valuesOf = (name: string): string[] => {
      const value = raw[name.toLowerCase()];
      if (value === undefined) return [];
      return Array.isArray(value) ? value : [value];
    };
    return {
      method: req.method,
      path: req.path,
      status: res.statusCode,
      body: text,
      header: (name) => {
        const values = valuesOf(name);
        return values.length === 0 ? undefined : values.join(", ");
      },
      headerValues: (name) =>
        valuesOf(name)
          .flatMap((v) => v.split(","))
          .map((v) => v.trim())
          .filter((v) => v !== ""),
    };
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}
