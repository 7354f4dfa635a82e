/**
 * Assertions on raw Distr responses. Each compares a small summary object with toEqual, so a failure shows status,
 * content type and body of what the server really answered next to what Distr answers.
 */
import type { z } from "zod";
import type { DistrResponse } from "./distrHttp";

/** Go's http.Error: `text/plain; charset=utf-8`, `X-Content-Type-Options: nosniff`, message + "\n" (section 10). */
export const PLAIN_TEXT = "text/plain; charset=utf-8";
/** Distr's RespondJSON sets exactly this; Go's encoder ends the body with "\n". */
export const JSON_CONTENT_TYPE = "application/json";

function summary(res: DistrResponse): {
  request: string;
  status: number;
  contentType: string | undefined;
  body: string;
} {
  return {
    request: `${res.method} ${res.path}`,
    status: res.status,
    contentType: res.header("content-type"),
    body: res.body,
  };
}

/** A plain-text error exactly as Go's http.Error writes it. */
export function expectPlainTextError(res: DistrResponse, status: number, text: string): void {
  expect(summary(res)).toEqual({
    request: `${res.method} ${res.path}`,
    status,
    contentType: PLAIN_TEXT,
    body: `${text}\n`,
  });
  expect(res.header("x-content-type-options")).toBe("nosniff");
}

/** A plain-text error whose exact text comes from PostgreSQL or Go internals: only its start is part of the contract. */
export function expectPlainTextErrorStartingWith(res: DistrResponse, status: number, prefix: string): void {
  expect({ ...summary(res), body: res.body.slice(0, prefix.length) }).toEqual({
    request: `${res.method} ${res.path}`,
    status,
    contentType: PLAIN_TEXT,
    body: prefix,
  });
  expect(res.body.endsWith("\n")).toBe(true);
}

/** A status with an empty body (Distr's `w.WriteHeader(status)` without a message). */
export function expectEmpty(res: DistrResponse, status: number): void {
  expect({ request: `${res.method} ${res.path}`, status: res.status, body: res.body }).toEqual({
    request: `${res.method} ${res.path}`,
    status,
    body: "",
  });
}

/** A status and any plain-text body (PostgreSQL error texts we cannot predict). */
export function expectStatus(res: DistrResponse, status: number): void {
  expect({
    request: `${res.method} ${res.path}`,
    status: res.status,
    body: res.status === status ? "" : res.body,
  }).toEqual({ request: `${res.method} ${res.path}`, status, body: "" });
}

/** 200 JSON as Distr's RespondJSON writes it, parsed with the wire schema; returns the parsed value. */
export function expectJson<T extends z.ZodType>(res: DistrResponse, schema: T, status = 200): z.infer<T> {
  expect({ ...summary(res), body: res.status === status ? "<json>" : res.body }).toEqual({
    request: `${res.method} ${res.path}`,
    status,
    contentType: JSON_CONTENT_TYPE,
    body: "<json>",
  });
  // Go's json.Encoder terminates every document with a newline; an empty 200 would be quirk 3 (rolled back).
  expect(res.body.endsWith("\n")).toBe(true);
  return schema.parse(JSON.parse(res.body));
}

/** The raw JSON document (to check which keys are present: omitempty fields must be absent, not null). */
export function rawJson(res: DistrResponse): Record<string, unknown> {
  const parsed: unknown = JSON.parse(res.body);
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new Error(`expected a JSON object from ${res.method} ${res.path}, got ${res.body}`);
  }
  return parsed as Record<string, unknown>;
}

export function rawJsonArray(res: DistrResponse): Array<Record<string, unknown>> {
  const parsed: unknown = JSON.parse(res.body);
  if (!Array.isArray(parsed)) throw new Error(`expected a JSON array from ${res.method} ${res.path}, got ${res.body}`);
  return parsed as Array<Record<string, unknown>>;
}

/** 204 No Content: no body. */
export function expectNoContent(res: DistrResponse): void {
  expectEmpty(res, 204);
}

/** chi's 405: empty body and one `Allow` value per method the route has. */
export function expectMethodNotAllowed(res: DistrResponse, allowed: readonly string[]): void {
  expect({
    request: `${res.method} ${res.path}`,
    status: res.status,
    body: res.body,
    allow: [...res.headerValues("allow")].sort(),
  }).toEqual({ request: `${res.method} ${res.path}`, status: 405, body: "", allow: [...allowed].sort() });
}

/** RFC 3339 in UTC with at most microseconds and Go's trailing-zero trimming (section 10). */
export const DISTR_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{0,5}[1-9])?Z$/;
