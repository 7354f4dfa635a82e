/**
 * The two Distr API dialects in the field (distr-api.md, section A). One source of truth for routes, wording and
 * limits: the client, the local Distr server and the tests all read them from here.
 */

/** Distr 3.x ("entitlements", the current release) or Distr 2.x ("licenses", routes before 2.12.0). */
export type Dialect = "3" | "2";

export const DIALECTS: readonly Dialect[] = ["3", "2"];

export interface RateLimits {
  readonly perSecond: number;
  readonly perMinute: number;
  readonly perHour: number;
}

export interface DialectSpec {
  readonly dialect: Dialect;
  /** What Distr calls a license in this dialect, for messages. */
  readonly noun: "entitlement" | "license";
  readonly routes: {
    readonly customers: string;
    readonly applicationLicenses: string;
    readonly artifactLicenses: string;
    readonly applications: string;
    readonly artifacts: string;
    readonly organization: string;
  };
  /** Path parameter names Distr puts into "<name> is not a valid UUID" (quirk 18). */
  readonly idParams: { readonly applicationLicense: string; readonly artifactLicense: string };
  /** Per-user budgets, shared by every token of the user (section 3 / B2, quirk 19). */
  readonly rateLimits: RateLimits;
  /** Where license names must be unique: per customer (3.x, migration 105) or per vendor organization (2.x). */
  readonly nameScope: "customer" | "organization";
  /** 3.x narrows unless a deployment uses a removed version (409); 2.x refuses any narrowing (400), quirk 8. */
  readonly narrowing: "allowed-unless-deployed" | "rejected";
  /** Signed license keys and their templates (section 8): 3.x only (2.12.0 and 2.18.0); undefined on 2.x. */
  readonly licenseKeyRoutes: LicenseKeyRoutes | undefined;
}

export interface LicenseKeyRoutes {
  /** Below `/api/v1`. */
  readonly licenseKeys: string;
  /** Below `/api/v1`; needs the organization feature `vendor_billing`. */
  readonly licenseTemplates: string;
  /** The full path (not under `/api/v1`) of the PEM public key that verifies license key tokens; no auth. */
  readonly publicKey: string;
}

export const API_PREFIX = "/api/v1";

export const DIALECT_SPECS: Readonly<Record<Dialect, DialectSpec>> = {
  "3": {
    dialect: "3",
    noun: "entitlement",
    routes: {
      customers: "/customer-organizations",
      applicationLicenses: "/application-entitlements",
      artifactLicenses: "/artifact-entitlements",
      applications: "/applications",
      artifacts: "/artifacts",
      organization: "/organization",
    },
    idParams: { applicationLicense: "applicationEntitlementId", artifactLicense: "artifactEntitlementId" },
    rateLimits: { perSecond: 30, perMinute: 300, perHour: 2000 },
    nameScope: "customer",
    narrowing: "allowed-unless-deployed",
    licenseKeyRoutes: {
      licenseKeys: "/license-keys",
      licenseTemplates: "/license-templates",
      publicKey: "/api/public/v1/license-keys/public-key",
    },
  },
  "2": {
    dialect: "2",
    noun: "license",
    routes: {
      customers: "/customer-organizations",
      applicationLicenses: "/application-licenses",
      artifactLicenses: "/artifact-licenses",
      applications: "/applications",
      artifacts: "/artifacts",
      organization: "/organization",
    },
    idParams: { applicationLicense: "applicationLicenseId", artifactLicense: "artifactLicenseId" },
    rateLimits: { perSecond: 30, perMinute: 60, perHour: 2000 },
    nameScope: "organization",
    narrowing: "rejected",
    licenseKeyRoutes: undefined,
  },
};

/**
 * Dialect detection probe (quirk 1): the 3.x route answers 401/200/403/429 and never 404; on 2.x the unknown path
 * falls through to the agent router and answers 404 without authentication or rate-limit accounting.
 */
export const DIALECT_PROBE_PATH = `${API_PREFIX}/application-entitlements`;

/**
 * Whether a request a hub answered was the dialect probe (sent without credentials: 401 on 3.x, 404 on 2.x), which
 * Distr's per-user limits do not count: request figures leave it out.
 */
export function isDialectProbe(request: { readonly path: string; readonly status?: number | undefined }): boolean {
  return request.path === DIALECT_PROBE_PATH && (request.status === 401 || request.status === 404);
}

/** Distr's personal access token format (section 2.2): `distr-` + 32 hex characters (16 bytes). */
export const ACCESS_TOKEN_PATTERN = /^distr-[0-9a-fA-F]{32}$/;

/** The hosted Distr instance, the default host when none is configured. */
export const DEFAULT_DISTR_HOST = "https://app.distr.sh";
