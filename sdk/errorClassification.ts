/**
 * Turns a non-success answer of Distr into a DistrApiError with a kind and a hint. Distr answers with plain-text
 * bodies and inconsistent status codes (quirk 18): a name conflict is a 400, an unknown customer on update a 500
 * `not found`, narrowing a 409 on 3.x and a 400 on 2.x. The texts come from sdk/errorTexts.ts, never retyped here.
 */
import type { Dialect } from "./dialect";
import { DIALECT_SPECS, DIALECTS } from "./dialect";
import { COMMON_TEXTS, DIALECT_TEXTS, NARROWING_IN_USE_PREFIX } from "./errorTexts";
import type { DistrErrorKind } from "./errors";
import { DistrApiError } from "./errors";

/** Which Distr object a request is about, for the wording of hints. */
export type DistrSubject =
  "customer" | "applicationLicense" | "artifactLicense" | "application" | "artifact" | "organization" | "dialect";

export interface FailedExchange {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** Distr's body as received (plain text, often empty, 2.x sometimes repeats the line). */
  readonly body: string;
  readonly dialect: Dialect | undefined;
  readonly subject: DistrSubject;
}

/** Distr's text, trimmed, with a line printed twice (2.x customer errors, section B3) collapsed to one. */
export function distrText(body: string): string {
  const lines = body
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  const unique = lines.filter((line, index) => lines.indexOf(line) === index);
  return unique.join("; ").slice(0, 1_000);
}

function subjectNoun(subject: DistrSubject, dialect: Dialect | undefined): string {
  const noun = DIALECT_SPECS[dialect ?? "3"].noun;
  switch (subject) {
    case "customer":
      return "customer";
    case "applicationLicense":
      return `application ${noun}`;
    case "artifactLicense":
      return `artifact ${noun}`;
    default:
      return subject;
  }
}

/** Texts of the request's dialect first, then of the other (a hub between releases may mix wording). */
function dialectTexts(dialect: Dialect | undefined) {
  const order = dialect === undefined ? DIALECTS : [dialect, ...DIALECTS.filter((d) => d !== dialect)];
  return order.map((d) => DIALECT_TEXTS[d]);
}

function classify(exchange: FailedExchange, text: string): { kind: DistrErrorKind; hint: string } {
  const { status, subject, dialect } = exchange;
  const noun = subjectNoun(subject, dialect);
  const texts = dialectTexts(dialect);
  const scope = DIALECT_SPECS[dialect ?? "3"].nameScope === "customer" ? "per customer" : "per organization";

  if (status === 401) {
    return {
      kind: "unauthorized",
      hint: "Distr rejected the token: use a personal access token (distr- followed by 32 hex characters) of this organization that is neither expired nor deleted",
    };
  }
  if (status === 403) {
    if (text === COMMON_TEXTS.licensingNotEnabled) {
      return {
        kind: "licensing-not-enabled",
        hint: "the organization has no `licensing` feature: license management needs a Distr plan that includes licensing",
      };
    }
    if (text === COMMON_TEXTS.emailNotVerified) {
      return { kind: "forbidden", hint: "the token's user has not verified their email address in Distr" };
    }
    if (text === COMMON_TEXTS.insufficientPermissions) {
      return {
        kind: "forbidden",
        hint: "the token's role is too low: writes need read_write, deleting a customer needs admin (3.x); a customer user's token cannot manage licenses",
      };
    }
    if (texts.some((t) => text === t.customerLimitReached)) {
      return {
        kind: "forbidden",
        hint: "the subscription's customer limit is reached or the subscription has ended",
      };
    }
    return {
      kind: "forbidden",
      hint: text
        ? "Distr refused the request"
        : `the ${noun} belongs to another organization or is not visible to this token`,
    };
  }
  if (status === 404) {
    return { kind: "not-found", hint: `the ${noun} does not exist (any more) in this organization` };
  }
  if (status === 429) {
    return { kind: "rate-limited", hint: "Distr's per-user rate limit is spent" };
  }
  if (status === 400) {
    if (texts.some((t) => text === t.applicationLicenseNameTaken || text === t.artifactLicenseNameTaken)) {
      return {
        kind: "name-taken",
        hint: `names of ${noun}s are unique ${scope}: choose another name or import the existing one`,
      };
    }
    if (texts.some((t) => text === t.deleteInUse)) {
      return { kind: "in-use", hint: `a deployment still uses the ${noun}: remove or move that deployment first` };
    }
    if (texts.some((t) => text === t.narrowingRejected)) {
      return {
        kind: "scope-narrowing-rejected",
        hint: `this Distr version refuses to remove versions from an ${noun}: replace it (delete and create) instead`,
      };
    }
    return { kind: "bad-request", hint: "Distr rejected the request" };
  }
  if (status === 409) {
    if (text.startsWith(NARROWING_IN_USE_PREFIX) || text.startsWith("cannot narrow")) {
      return {
        kind: "scope-narrowing-rejected",
        hint: "a deployment runs a version the update removes: upgrade that deployment first, or keep the version",
      };
    }
    if (text === COMMON_TEXTS.customerNotEmpty) {
      return { kind: "in-use", hint: "something outside this customer still references its licenses" };
    }
    return { kind: "bad-request", hint: "Distr reported a conflict" };
  }
  if (
    status === 500 &&
    subject === "customer" &&
    exchange.method === "PUT" &&
    text === COMMON_TEXTS.customerNotFoundOnUpdate
  ) {
    // Quirk 18: updating an unknown (or another organization's) customer is a 500 `not found`.
    return { kind: "not-found", hint: "the customer does not exist (any more) in this organization" };
  }
  if (status >= 500) {
    return {
      kind: "server-error",
      hint: "Distr failed to handle the request; try again, and report it if it persists",
    };
  }
  return { kind: "bad-request", hint: `unexpected answer ${status}` };
}

export function classifyFailure(exchange: FailedExchange, extraHint?: string): DistrApiError {
  const text = distrText(exchange.body);
  const { kind, hint } = classify(exchange, text);
  return new DistrApiError({
    kind,
    method: exchange.method,
    path: exchange.path,
    status: exchange.status,
    distrMessage: text || undefined,
    hint: extraHint ? `${hint}; ${extraHint}` : hint,
  });
}
