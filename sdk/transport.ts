/**
 * One HTTP exchange with the hub, over undici: base URL, `Authorization: AccessToken …`, a timeout on every request,
 * and no plain http to anything but loopback. Retries, limits and parsing live in the layers above; this layer only
 * reports what happened, including whether a request that got no answer may have reached Distr (a POST must then be
 * settled by looking, never by sending it again blindly).
 */
import { isIP } from "node:net";
import { Agent } from "undici";
import type { Dispatcher } from "undici";
import { ACCESS_TOKEN_PATTERN, API_PREFIX } from "./dialect";
import { engineGoneReason, sendUnlessEngineGone } from "./engineWatchdog";
import { DistrApiError, redactTokens } from "./errors";

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

export interface TransportRequest {
  readonly method: HttpMethod;
  /** Path below the API prefix, e.g. `/customer-organizations`; or a full path when `raw` is set. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  /** Send without credentials (the dialect probe, quirk 1: nothing is counted, the token is not needed). */
  readonly anonymous?: boolean;
}

export type TransportOutcome =
  | {
      readonly kind: "response";
      readonly status: number;
      readonly headers: Readonly<Record<string, string>>;
      readonly body: string;
    }
  | {
      readonly kind: "no-response";
      /** False only when the request certainly never left (connection refused, connect timeout, DNS). */
      readonly requestSent: boolean;
      /** Worth another attempt (a certificate error, say, is not). */
      readonly transient: boolean;
      /** What happened, in words, without the token. */
      readonly reason: string;
      /** A copy of the underlying error reduced to name, code and redacted message (never headers). */
      readonly cause: Error;
    };

export interface TransportOptions {
  readonly host: string;
  readonly token: string;
  readonly allowInsecureHttp?: boolean;
  readonly requestTimeoutMs?: number;
  /** Another undici dispatcher (a MockAgent in tests that need an answer no real server gives). */
  readonly dispatcher?: Dispatcher;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
const CONNECT_TIMEOUT_MS = 10_000;

/** Connection failures that happen before any byte of the request is written. */
const NOT_SENT_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EHOSTDOWN",
  "ENETDOWN",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/** TLS failures: nothing was sent, and trying again will not help. */
const PERMANENT_CODE = /^(ERR_TLS_|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT|UNABLE_TO_|ERR_SSL_)/;

function isLoopback(hostname: string): boolean {
  const bare = hostname.startsWith("[") ? hostname.slice(1, -1) : hostname;
  if (bare === "localhost" || bare.endsWith(".localhost")) {
    return true;
  }
  if (isIP(bare) === 4) {
    return bare.startsWith("127.");
  }
  return bare === "::1" || bare === "0:0:0:0:0:0:0:1" || bare.startsWith("::ffff:127.");
}

/** The hub's base URL as given (`https://app.distr.sh`), validated; a trailing `/api/v1` or `/` is dropped. */
export function normalizeHost(host: string, allowInsecureHttp: boolean): URL {
  let url: URL;
  try {
    url = new URL(host.trim());
  } catch {
    throw new DistrApiError({
      kind: "configuration",
      hint: `the Distr host ${JSON.stringify(redactTokens(host))} is not a URL: give it as https://<host>[:port]`,
    });
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new DistrApiError({
      kind: "configuration",
      hint: `the Distr host must be an http(s) URL, got ${url.protocol}`,
    });
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new DistrApiError({
      kind: "configuration",
      hint: "the Distr host must not carry credentials, a query or a fragment: pass the token separately",
    });
  }
  if (url.protocol === "http:" && !allowInsecureHttp && !isLoopback(url.hostname)) {
    throw new DistrApiError({
      kind: "configuration",
      hint:
        `refusing plain http to ${url.hostname}: the access token would travel unencrypted. Use https, or allow ` +
        "plain http for a trusted network the way you set Distr up: `pulumi config set distr:allowInsecureHttp true` " +
        "(the provider, the review of a stack), --allow-insecure-http (pulumi-distr export), " +
        "allowInsecureHttp: true (the sdk client)",
    });
  }
  let basePath = url.pathname.replace(/\/+$/, "");
  if (basePath.endsWith(API_PREFIX)) {
    basePath = basePath.slice(0, -API_PREFIX.length);
  }
  url.pathname = basePath === "" ? "/" : basePath;
  return url;
}

function validateToken(token: string): void {
  if (!ACCESS_TOKEN_PATTERN.test(token)) {
    // Quirk 20: 2.x answers a short token with a 500; catch it here. The token itself is never repeated.
    throw new DistrApiError({
      kind: "configuration",
      hint: `the Distr access token must be a personal access token: "distr-" followed by 32 hex characters (got ${token.length} characters)`,
    });
  }
}

/** Errors may come from another realm (jest's sandbox, worker threads): read them by shape, not `instanceof`. */
function errorField(error: unknown, field: "code" | "name" | "message" | "cause"): unknown {
  return typeof error === "object" && error !== null ? (error as Record<string, unknown>)[field] : undefined;
}

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current !== undefined; depth++) {
    const code = errorField(current, "code");
    if (typeof code === "string") {
      return code;
    }
    current = errorField(current, "cause");
  }
  return undefined;
}

/** A copy safe to keep as `cause`: name, code and redacted message only (undici errors may carry sockets). */
function sanitizedCause(error: unknown): Error {
  const message = errorField(error, "message");
  const name = errorField(error, "name");
  const copy = new Error(redactTokens(typeof message === "string" ? message : String(error)));
  copy.name = typeof name === "string" ? name : "Error";
  const code = errorCode(error);
  if (code !== undefined) {
    Object.defineProperty(copy, "code", { value: code, enumerable: true });
  }
  copy.stack = `${copy.name}: ${copy.message}`;
  return copy;
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) {
      flat[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
    }
  }
  return flat;
}

export class Transport {
  /** The hub's base URL without a trailing slash, e.g. `https://app.distr.sh`. */
  readonly host: string;
  readonly requestTimeoutMs: number;
  private readonly origin: string;
  private readonly basePath: string;
  readonly #authorization: string;
  readonly #dispatcher: Dispatcher;
  readonly #ownsDispatcher: boolean;

  constructor(options: TransportOptions) {
    const url = normalizeHost(options.host, options.allowInsecureHttp ?? false);
    validateToken(options.token);
    this.origin = url.origin;
    this.basePath = url.pathname === "/" ? "" : url.pathname;
    this.host = `${this.origin}${this.basePath}`;
    this.requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    if (!(this.requestTimeoutMs > 0)) {
      throw new DistrApiError({ kind: "configuration", hint: "requestTimeoutMs must be positive" });
    }
    this.#authorization = `AccessToken ${options.token}`;
    this.#ownsDispatcher = options.dispatcher === undefined;
    this.#dispatcher =
      options.dispatcher ??
      new Agent({
        connectTimeout: Math.min(CONNECT_TIMEOUT_MS, this.requestTimeoutMs),
        headersTimeout: this.requestTimeoutMs,
        bodyTimeout: this.requestTimeoutMs,
      });
  }

  /** The request's path as errors and observers show it: below the host, without the query. */
  displayPath(request: Pick<TransportRequest, "path">): string {
    return `${this.basePath}${API_PREFIX}${request.path}`;
  }

  async exchange(request: TransportRequest): Promise<TransportOutcome> {
    const query =
      request.query && Object.keys(request.query).length > 0 ? `?${new URLSearchParams(request.query)}` : "";
    const headers: Record<string, string> = { accept: "application/json" };
    if (!request.anonymous) {
      headers.authorization = this.#authorization;
    }
    let body: string | undefined;
    if (request.body !== undefined) {
      body = JSON.stringify(request.body);
      headers["content-type"] = "application/json";
    }
    // headersTimeout/bodyTimeout bound each phase; this signal bounds the whole exchange.
    const signal = AbortSignal.timeout(this.requestTimeoutMs);
    // The one gate every attempt passes, first or retry: once the engine that started this process is gone, nothing
    // more leaves (engineWatchdog.ts); an exchange already under way is counted so that the exit waits for it.
    const outcome = await sendUnlessEngineGone(async (): Promise<TransportOutcome> => {
      try {
        const response = await this.#dispatcher.request({
          origin: this.origin,
          path: `${this.displayPath(request)}${query}`,
          method: request.method,
          headers,
          body,
          signal,
        });
        const text = await response.body.text();
        return {
          kind: "response",
          status: response.statusCode,
          headers: flattenHeaders(response.headers),
          body: text,
        };
      } catch (error) {
        return this.noResponse(error, signal.aborted);
      }
    });
    return outcome ?? this.notSentEngineGone();
  }

  async close(): Promise<void> {
    if (this.#ownsDispatcher) {
      await this.#dispatcher.close();
    }
  }

  /** Certainly not sent, and not worth another attempt: the retry policy gives up at once (never "outcome unknown"). */
  private notSentEngineGone(): TransportOutcome {
    const reason = `not sent: ${engineGoneReason() ?? "the engine is gone"}`;
    const cause = new Error(reason);
    cause.name = "EngineGone";
    cause.stack = `${cause.name}: ${cause.message}`;
    return { kind: "no-response", requestSent: false, transient: false, reason, cause };
  }

  private noResponse(error: unknown, timedOut: boolean): TransportOutcome {
    const code = errorCode(error);
    const cause = sanitizedCause(error);
    if (timedOut || code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT") {
      return {
        kind: "no-response",
        requestSent: true,
        transient: true,
        reason: `no response within ${this.requestTimeoutMs} ms`,
        cause,
      };
    }
    if (code !== undefined && NOT_SENT_CODES.has(code)) {
      return {
        kind: "no-response",
        requestSent: false,
        transient: true,
        reason: `could not connect to ${this.origin} (${code})`,
        cause,
      };
    }
    if (code !== undefined && PERMANENT_CODE.test(code)) {
      return {
        kind: "no-response",
        requestSent: false,
        transient: false,
        reason: `TLS handshake with ${this.origin} failed (${code})`,
        cause,
      };
    }
    return {
      kind: "no-response",
      requestSent: true,
      transient: true,
      reason: `the connection was closed before a response arrived (${code ?? cause.name})`,
      cause,
    };
  }
}
