/**
 * Turns a non-success answer of Distr into a DistrApiError with a kind and a hint. Distr answers with plain-text
 * bodies and inconsistent status codes (quirk 18): a name conflict is a 400, an unknown customer on update a 500
 * `not found`, narrowing a 409 on 3.x and a 400 on 2.x. The texts come from sdk/errorTexts.ts, never retyped here.
 */
import type { Dialect } from "./dialect";
import { DIALECT_SPECS, DIALECTS } from "./dialect";
import { COMMON_TEXTS, DIALECT_TEXTS, LICENSE_KEY_TEXTS, NARROWING_IN_USE_PREFIX } from "./errorTexts";
import type { AffectedDeploymentRef, DistrErrorKind } from "./errors";
import { DistrApiError } from "./errors";
import { AffectedDeploymentsConflictSchema } from "./schemas/licenseKey";

/** Which Distr object a request is about, for the wording of hints. */
export type DistrSubject =
  | "customer"
  | "applicationLicense"
  | "artifactLicense"
  | "application"
  | "artifact"
  | "organization"
  | "dialect"
  | "licenseKey"
  | "licenseTemplate";

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
    case "licenseKey":
      return "license key";
    case "licenseTemplate":
      return "license template";
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
    const feature = /^(\w+) not enabled for organization$/.exec(text)?.[1];
    if (feature !== undefined) {
      return {
        kind: "feature-not-enabled",
        hint: `the organization has no \`${feature}\` feature: Distr's staff grant it (it is part of no plan)`,
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
  if (status === 422 && text === LICENSE_KEY_TEXTS.noRevisionYet) {
    return {
      kind: "bad-request",
      hint: "a template key gets its first revision when Distr's billing renders the template; until then it has no token",
    };
  }
  if (status === 400) {
    if (texts.some((t) => text === t.applicationLicenseNameTaken || text === t.artifactLicenseNameTaken)) {
      return {
        kind: "name-taken",
        hint: `names of ${noun}s are unique ${scope}: choose another name or import the existing one`,
      };
    }
    if (text === LICENSE_KEY_TEXTS.keyNameTaken || text === LICENSE_KEY_TEXTS.templateNameTaken) {
      return {
        kind: "name-taken",
        hint:
          subject === "licenseTemplate"
            ? "license template names are unique per organization: choose another name"
            : "license key names are unique per customer: choose another name",
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

/** The deployments of a license key 409 (JSON, section 8.4/8.6), or undefined for any other answer. */
function affectedDeploymentsOf(exchange: FailedExchange): AffectedDeploymentRef[] | undefined {
  if (exchange.status !== 409 || exchange.subject !== "licenseKey") return undefined;
  let json: unknown;
  try {
    json = JSON.parse(exchange.body);
  } catch {
    return undefined;
  }
  const parsed = AffectedDeploymentsConflictSchema.safeParse(json);
  return parsed.success ? parsed.data.affectedDeployments : undefined;
}

/** `deployment target "prod" (application "hello-distr", deployment 1f…)`, one per deployment. */
export function describeAffectedDeployments(deployments: readonly AffectedDeploymentRef[]): string {
  return deployments
    .map(
      (d) =>
        `deployment target ${JSON.stringify(d.deploymentTargetName)} (application ${JSON.stringify(d.applicationName)}, deployment ${d.deploymentId})`,
    )
    .join(", ");
}

function deploymentsAffected(
  exchange: FailedExchange,
  deployments: AffectedDeploymentRef[],
  extraHint: string | undefined,
): DistrApiError {
  const count = `${deployments.length} deployment${deployments.length === 1 ? "" : "s"}`;
  const hint =
    exchange.method === "DELETE"
      ? `${count} of the key's customer reference the key in their templates; remove the reference and re-deploy them first`
      : `the change would alter what ${count} of the key's customer render; confirm it to re-deploy them with the new key`;
  return new DistrApiError({
    kind: "deployments-affected",
    method: exchange.method,
    path: exchange.path,
    status: exchange.status,
    distrMessage: describeAffectedDeployments(deployments),
    hint: extraHint ? `${hint}; ${extraHint}` : hint,
    affectedDeployments: deployments,
  });
}

export function classifyFailure(exchange: FailedExchange, extraHint?: string): DistrApiError {
  const affected = affectedDeploymentsOf(exchange);
  if (affected !== undefined) return deploymentsAffected(exchange, affected, extraHint);
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
