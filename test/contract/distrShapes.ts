/**
 * The JSON shapes Distr answers with, written out from distr-api.md (§4.1, §5.2, §6.2, §9, 2.x B3-B6) for the
 * contract suite alone. Deliberately not sdk/schemas: a field the client's schema and the local server got wrong
 * together must still fail here.
 */
import { z } from "zod";

/** §4.1: `imageId`, `imageUrl`, `partnerOrganizationId` omitted when null; list elements add the two counts. */
export const CustomerSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  name: z.string(),
  imageId: z.string().optional(),
  imageUrl: z.string().optional(),
  features: z.array(z.string()),
  partnerOrganizationId: z.string().optional(),
  userCount: z.number().optional(),
  deploymentTargetCount: z.number().optional(),
});
export type Customer = z.infer<typeof CustomerSchema>;

/** §9.1: a full ApplicationVersion (`archivedAt` only when archived; chart fields only for Helm). */
export const ApplicationVersionSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  archivedAt: z.string().optional(),
  name: z.string(),
  linkTemplate: z.string().optional(),
  applicationId: z.string().optional(),
  chartType: z.string().optional(),
  chartName: z.string().optional(),
  chartUrl: z.string().optional(),
  chartVersion: z.string().optional(),
});

/** §9.1 (B6: no `imageId` on 2.x); `versions` is `null` where nested in a license. */
export const ApplicationSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  name: z.string(),
  type: z.enum(["docker", "kubernetes"]),
  imageId: z.string().optional(),
  imageUrl: z.string().optional(),
  versions: z.array(ApplicationVersionSchema).nullable().optional(),
});

/** §5.2: `versions` always present (`[]` = all); `expiresAt`, owner and `registry*` omitted when null. */
export const ApplicationLicenseSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  name: z.string(),
  expiresAt: z.string().optional(),
  applicationId: z.string(),
  customerOrganizationId: z.string().optional(),
  registryUrl: z.string().optional(),
  registryUsername: z.string().optional(),
  registryPassword: z.string().optional(),
  versions: z.array(ApplicationVersionSchema.partial().required({ id: true })),
  application: z.object({ id: z.string(), name: z.string() }).optional(),
  customerOrganization: z.object({ id: z.string(), name: z.string() }).optional(),
});
export type ApplicationLicense = z.infer<typeof ApplicationLicenseSchema>;

/** §9.2: a digest row with its tags. */
const ArtifactVersionSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  digest: z.string(),
  manifestContentType: z.string().optional(),
  tags: z.array(z.object({ id: z.string(), name: z.string() })),
  size: z.number().optional(),
  inferredType: z.string().optional(),
});

/** §9.2 (`versions` only on GET by id; 2.x omits it when empty, B6). */
export const ArtifactSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  name: z.string(),
  versions: z.array(ArtifactVersionSchema).optional(),
});

/** §6.2: `artifacts` omitted when there are no selections; `versionIds` `[]`/null = all versions. */
export const ArtifactLicenseSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  name: z.string(),
  expiresAt: z.string().optional(),
  customerOrganizationId: z.string().optional(),
  artifacts: z.array(z.object({ artifactId: z.string(), versionIds: z.array(z.string()).nullable() })).optional(),
});
export type ArtifactLicense = z.infer<typeof ArtifactLicenseSchema>;

/** §2.4: `GET /organization`; `features` must contain `licensing` for any license route. */
export const OrganizationSchema = z.object({
  id: z.string(),
  name: z.string(),
  slug: z.string().nullable().optional(),
  features: z.array(z.string()),
  subscriptionType: z.string().optional(),
});
