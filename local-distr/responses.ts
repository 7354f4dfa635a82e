/**
 * What a handler answers, as a value: the server writes it (and faults may tamper with it). The constructors
 * reproduce how Distr's Go handlers write responses (distr-api.md section 10).
 */
import { COMMON_TEXTS } from "../sdk/errorTexts";
import { encodeGoJson } from "./goJson";

export interface DistrResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** The value behind a JSON body, kept so that a `malformed-response` fault can remove a field. */
  readonly json?: unknown;
}

/** `RespondJSON`: `application/json`, Go's encoder (trailing newline). */
export function jsonResponse(value: unknown, status = 200): DistrResponse {
  return { status, headers: { "Content-Type": "application/json" }, body: encodeGoJson(value), json: value };
}

/** `http.Error(w, message, status)`: plain text, nosniff, message + "\n". */
export function goError(status: number, message: string): DistrResponse {
  return {
    status,
    headers: { "Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff" },
    body: message + "\n",
  };
}

/** `w.WriteHeader(status)` without a body (many of Distr's 4xx/5xx and every 204). */
export function emptyResponse(status: number, headers: Record<string, string> = {}): DistrResponse {
  return { status, headers, body: "" };
}

/** chi's NotFound handler (`http.NotFound`). */
export function pageNotFound(): DistrResponse {
  return goError(404, COMMON_TEXTS.pageNotFound);
}

/** chi's 405: empty body with the allowed methods. */
export function methodNotAllowed(allowed: readonly string[]): DistrResponse {
  return emptyResponse(405, { Allow: allowed.join(", ") });
}

export function withHeaders(response: DistrResponse, headers: Record<string, string>): DistrResponse {
  return { ...response, headers: { ...headers, ...response.headers } };
}
