/**
 * One error type for everything the Distr API client can fail with. Its message says what failed, with which
 * request, Distr's own words, and what to do. It never carries the token: requests are described by method and
 * path only, and Distr's text is redacted before it is stored (octokit/request-error does the same).
 */

export type DistrErrorKind =
  /** 401: token unknown, expired, malformed or missing. */
  | "unauthorized"
  /** 403 `licensing not enabled for organization`. */
  | "licensing-not-enabled"
  /** Other 403s: role too low, customer user, email not verified, object of another organization. */
  | "forbidden"
  /** 404, or a 500 `not found` on customer update (quirk 18). */
  | "not-found"
  /** 400 `… with this name already exists` (quirk 13). */
  | "name-taken"
  /** 400 `could not delete … because it is still in use`, 409 `customer is not empty`. */
  | "in-use"
  /** 3.x 409 `cannot narrow entitlement scope: …`; 2.x 400 `narrowing down license scope is not allowed yet`. */
  | "scope-narrowing-rejected"
  /** 429 beyond what the client may wait, or the client's own hourly budget spent. */
  | "rate-limited"
  /** Other 400s: Distr rejected the request. */
  | "bad-request"
  /** 5xx, or a 200 with an empty body (a rolled-back transaction, quirk 3). */
  | "server-error"
  /** No response: connection refused or reset, timeout. */
  | "connection"
  /** A response that does not match the schema of its endpoint. */
  | "invalid-response"
  /** A client option is wrong (host, token format, plain http). */
  | "configuration"
  /** 403 `<feature> not enabled for organization` for a feature other than licensing (`vendor_billing`). */
  | "feature-not-enabled"
  /** The hub's Distr version has no such API (license keys on 2.x). */
  | "not-supported"
  /**
   * 3.x license keys, 409 JSON: an update would change what running deployments render (confirm to re-deploy
   * them), or a delete would break deployments that reference the key. `affectedDeployments` lists them.
   */
  | "deployments-affected";

export interface DistrApiErrorDetails {
  readonly kind: DistrErrorKind;
  readonly method?: string;
  /** Path below the host, e.g. `/api/v1/application-entitlements/…`; never a query string with secrets. */
  readonly path?: string;
  readonly status?: number;
  /** Distr's plain-text error body, trimmed and redacted. */
  readonly distrMessage?: string;
  /** What the user can do about it. */
  readonly hint?: string;
  readonly cause?: unknown;
  /** With kind `deployments-affected`: the deployments Distr named. */
  readonly affectedDeployments?: readonly AffectedDeploymentRef[];
}

/** A deployment as Distr names it in a license key conflict (section 8.4). */
export interface AffectedDeploymentRef {
  readonly deploymentTargetId: string;
  readonly deploymentTargetName: string;
  readonly deploymentId: string;
  readonly applicationName: string;
}

const TOKEN_PATTERN = /distr-[0-9a-fA-F]{6,}/g;

/** Removes anything that looks like a Distr access token from a text. */
export function redactTokens(text: string): string {
  return text.replace(TOKEN_PATTERN, "distr-***");
}

export class DistrApiError extends Error {
  readonly kind: DistrErrorKind;
  readonly method: string | undefined;
  readonly path: string | undefined;
  readonly status: number | undefined;
  readonly distrMessage: string | undefined;
  readonly hint: string | undefined;
  readonly affectedDeployments: readonly AffectedDeploymentRef[] | undefined;

  constructor(details: DistrApiErrorDetails) {
    super(DistrApiError.describe(details), details.cause === undefined ? undefined : { cause: details.cause });
    this.name = "DistrApiError";
    this.kind = details.kind;
    this.method = details.method;
    this.path = details.path;
    this.status = details.status;
    this.distrMessage = details.distrMessage === undefined ? undefined : redactTokens(details.distrMessage);
    this.hint = details.hint;
    this.affectedDeployments = details.affectedDeployments;
  }

  private static describe(details: DistrApiErrorDetails): string {
    const request = details.method && details.path ? `${details.method} ${details.path}` : "Distr API";
    const status = details.status === undefined ? "" : ` answered ${details.status}`;
    const text = details.distrMessage ? `: ${redactTokens(details.distrMessage)}` : "";
    const hint = details.hint ? ` (${details.hint})` : "";
    return `${request}${status}${text}${hint}`;
  }
}

export function isDistrApiError(error: unknown, kind?: DistrErrorKind): error is DistrApiError {
  return error instanceof DistrApiError && (kind === undefined || error.kind === kind);
}
