/**
 * Plain HTTP to a Distr hub for the contract suite. Deliberately not the sdk client: retries, caching, rate limiting
 * and error classification there would hide exactly the server behaviour these tests pin down. Every request is
 * counted (the real-hub budget is printed at the end) and, against a real hub, paced below its per-user limits.
 */
import { Agent, FormData, request } from "undici";
import type { RateLimits } from "./dialect";

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

/**
 * Keeps a real hub's per-user limits out of the way. httprate estimates `previous window × (1 − elapsed) + current
 * window` over fixed windows whose alignment we cannot know (3.x: hub start), and that estimate never exceeds the
 * number of requests in the last two window lengths: so that number is what the pacer bounds, with a margin.
 */
class RequestPacer {
  private readonly sentAt: number[] = [];
  private readonly windows: ReadonlyArray<{ lengthMs: number; budget: number }>;

  constructor(limits: RateLimits) {
    this.windows = [
      { lengthMs: 2 * 1000, budget: limits.perSecond - 5 },
      { lengthMs: 2 * 60_000, budget: limits.perMinute - 5 },
      { lengthMs: 2 * 3_600_000, budget: limits.perHour - 50 },
    ];
  }

  async waitForSlot(): Promise<void> {
    const longest = Math.max(...this.windows.map((w) => w.lengthMs));
    for (;;) {
      const now = Date.now();
      while ((this.sentAt[0] ?? now) <= now - longest) this.sentAt.shift();
      let waitMs = 0;
      for (const window of this.windows) {
        const inWindow = this.sentAt.filter((t) => t > now - window.lengthMs);
        const mustExpire = inWindow[inWindow.length - window.budget];
        if (mustExpire !== undefined) waitMs = Math.max(waitMs, mustExpire + window.lengthMs - now + 1);
      }
      if (waitMs <= 0) {
        this.sentAt.push(now);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }
}

export class DistrHttp {
  private readonly agent = new Agent({ keepAliveTimeout: 1000, connections: 64 });
  private readonly pacer: RequestPacer | undefined;
  private sent = 0;

  constructor(
    readonly host: string,
    readonly token: string,
    options: { pace?: RateLimits } = {},
  ) {
    this.pacer = options.pace ? new RequestPacer(options.pace) : undefined;
  }

  /** How many requests this client sent (the real-hub budget report). */
  get requestCount(): number {
    return this.sent;
  }

  async send(req: DistrRequest): Promise<DistrResponse> {
    await this.pacer?.waitForSlot();
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
