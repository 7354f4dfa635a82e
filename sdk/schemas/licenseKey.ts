import { z } from "zod";

/**
 * A license key's payload: a JSON object (Distr rejects anything else with 400 `invalid JSON payload: …`, section
 * 8.3). It comes back from a `jsonb` column, so key order and whitespace are Distr's, never the request's.
 */
export const LicenseKeyPayloadSchema = z.record(z.string(), z.unknown());
export type LicenseKeyPayload = z.infer<typeof LicenseKeyPayloadSchema>;

/**
 * `GET /license-keys` element and `POST` answer (section 8.2): the key with its latest revision. `payload`,
 * `notBefore`, `expiresAt` and `lastRevisedAt` are absent while a template key has no revision.
 */
export const LicenseKeySchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  name: z.string(),
  description: z.string().optional(),
  payload: LicenseKeyPayloadSchema.optional(),
  notBefore: z.string().optional(),
  expiresAt: z.string().optional(),
  lastRevisedAt: z.string().optional(),
  customerOrganizationId: z.string().optional(),
  licenseTemplateId: z.string().optional(),
});
export type LicenseKey = z.infer<typeof LicenseKeySchema>;

/** One deployment whose rendered values a license key change would alter, or that references a deleted key. */
export const AffectedDeploymentSchema = z.object({
  deploymentTargetId: z.string(),
  deploymentTargetName: z.string(),
  deploymentId: z.string(),
  applicationName: z.string(),
});
export type AffectedDeployment = z.infer<typeof AffectedDeploymentSchema>;

/** The 409 body of a key update without `confirm=true`, and of a delete that deployments still reference. */
export const AffectedDeploymentsConflictSchema = z.object({
  affectedDeployments: z.array(AffectedDeploymentSchema),
});

/** `PUT /license-keys/{id}` answer: the key plus the deployments that were re-deployed (`[]` when none). */
export const LicenseKeyUpdateSchema = LicenseKeySchema.extend({
  affectedDeployments: z.array(AffectedDeploymentSchema),
});
export type LicenseKeyUpdate = z.infer<typeof LicenseKeyUpdateSchema>;

/** `GET /license-keys/{id}/revisions` element (newest first), each with the token of that revision. */
export const LicenseKeyRevisionSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  notBefore: z.string(),
  expiresAt: z.string(),
  payload: LicenseKeyPayloadSchema,
  token: z.string(),
});
export type LicenseKeyRevision = z.infer<typeof LicenseKeyRevisionSchema>;

export const LicenseKeyTokenSchema = z.object({ token: z.string() });

/**
 * Create body: a payload key (`payload`, `notBefore`, `expiresAt`) or a template key (`licenseTemplateId`; its
 * revisions come from Distr's billing, section 8.3). Times in UTC (quirk 17).
 */
export type LicenseKeyCreateRequest = {
  name: string;
  description?: string;
  customerOrganizationId?: string;
} & (
  | { payload: LicenseKeyPayload; notBefore: string; expiresAt: string; licenseTemplateId?: undefined }
  | { licenseTemplateId: string; payload?: undefined; notBefore?: undefined; expiresAt?: undefined }
);

/**
 * Update body (section 8.4): `description` and `licenseTemplateId` are full replacement (omitted = cleared),
 * `notBefore`, `expiresAt`, `payload` partial (omitted = kept). `name` and the customer cannot change.
 */
export interface LicenseKeyUpdateRequest {
  description?: string;
  licenseTemplateId?: string;
  notBefore?: string;
  expiresAt?: string;
  payload?: LicenseKeyPayload;
}
