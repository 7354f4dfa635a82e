/**
 * Distr's own error texts (plain text bodies, quirk 18), as the real hub writes them, per dialect. The local Distr
 * server answers with these, the client classifies by them, and the contract tests assert them against a real hub.
 * Bodies are written by Go's http.Error, which appends "\n"; these constants are without it.
 */
import type { Dialect } from "./dialect";

export const COMMON_TEXTS = {
  unauthorized: "Unauthorized",
  tooManyRequests: "Too Many Requests",
  internalServerError: "Internal Server Error",
  pageNotFound: "404 page not found",
  licensingNotEnabled: "licensing not enabled for organization",
  insufficientPermissions: "insufficient permissions",
  emailNotVerified: "email not verified",
  nameRequired: "name is required",
  applicationRequired: "application is required",
  applicationChange: "Changing the application is not allowed",
  applicationIdQueryInvalid: "applicationId is not a valid UUID",
  duplicateArtifact: "cannot select same artifact multiple times",
  duplicateArtifactVersion: "cannot select same version of artifact multiple times",
  customerNotFoundOnUpdate: "not found",
  customerNotEmpty: "customer is not empty",
  customerFeatureAlertsRequiresDeploymentTargets:
    "validation failed: feature alerts requires feature deployment_targets",
} as const;

/** `invalid customer organization feature: <v>` (3.x decoder error for an unknown feature). */
export function invalidCustomerFeature(feature: string): string {
  return `invalid customer organization feature: ${feature}`;
}

/** `<param> is not a valid UUID` for license path ids (3.x: applicationEntitlementId, 2.x: applicationLicenseId). */
export function invalidUuidParam(param: string): string {
  return `${param} is not a valid UUID`;
}

export interface DialectTexts {
  readonly applicationLicenseNameTaken: string;
  readonly artifactLicenseNameTaken: string;
  readonly ownerChange: string;
  readonly deleteInUse: string;
  /** 2.x only: any narrowing is refused with this text (400). */
  readonly narrowingRejected: string;
  readonly customerLimitReached: string;
}

export const DIALECT_TEXTS: Readonly<Record<Dialect, DialectTexts>> = {
  "3": {
    applicationLicenseNameTaken: "An entitlement with this name already exists",
    artifactLicenseNameTaken: "An artifact entitlement with this name already exists",
    ownerChange: "Changing the entitlement owner is not allowed",
    deleteInUse: "could not delete entitlement because it is still in use",
    narrowingRejected: "narrowing down license scope is not allowed yet",
    customerLimitReached: "forbidden: customer limit reached",
  },
  "2": {
    applicationLicenseNameTaken: "A license with this name already exists",
    artifactLicenseNameTaken: "An artifact license with this name already exists",
    ownerChange: "Changing the license owner is not allowed",
    deleteInUse: "could not delete license because it is still in use",
    narrowingRejected: "narrowing down license scope is not allowed yet",
    customerLimitReached: "customer limit reached",
  },
};

/** 3.x 409 when a deployment's latest revision uses a version the update removes (section 5.4). */
export function narrowingInUse(uses: ReadonlyArray<{ deploymentTarget: string; version: string }>): string {
  return `cannot narrow entitlement scope: ${uses
    .map((u) => `deployment target ${JSON.stringify(u.deploymentTarget)} uses version ${JSON.stringify(u.version)}`)
    .join(", ")}`;
}

/** Prefix of the 3.x narrowing conflict, for classification. */
export const NARROWING_IN_USE_PREFIX = "cannot narrow entitlement scope: ";

/** License keys and templates (3.x only, section 8): plain-text 400s/422s of `license_keys.go`/`license_templates.go`. */
export const LICENSE_KEY_TEXTS = {
  keyNameTaken: "A license key with this name already exists",
  templateNameTaken: "a license template with this name already exists",
  templateNotFound: "license template not found",
  notBeforeRequired: "notBefore is required",
  expiresAtRequired: "expiresAt is required",
  expiresAtNotAfterNotBefore: "expiresAt must be after notBefore",
  revisionFieldsRequired: "notBefore, expiresAt and payload are required to create a revision",
  noRevisionYet: "license key has no revision yet",
  tokenFailed: "failed to generate license key token",
  payloadTemplateRequired: "payloadTemplate is required",
  gracePeriodNegative: "expirationGracePeriodDays must be non-negative",
  licenseKeyIdInvalid: "licenseKeyId is not a valid UUID",
  licenseTemplateIdInvalid: "licenseTemplateId is not a valid UUID",
} as const;

/** `payload must not contain registered JWT claim "exp"` (Go's %q quoting). */
export function registeredClaimInPayload(claim: string): string {
  return `payload must not contain registered JWT claim ${JSON.stringify(claim)}`;
}

/** `<feature> not enabled for organization` (FeatureFlagMiddleware, e.g. `vendor_billing`). */
export function featureNotEnabled(feature: string): string {
  return `${feature} not enabled for organization`;
}
