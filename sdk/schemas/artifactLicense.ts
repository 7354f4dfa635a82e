import { z } from "zod";

/** One artifact selected by an artifact license; `versionIds` empty or null = all versions, future ones included. */
export const ArtifactSelectionSchema = z.object({
  artifactId: z.string(),
  versionIds: z.array(z.string()).nullable(),
});
export type ArtifactSelection = z.infer<typeof ArtifactSelectionSchema>;

/**
 * Artifact license (2.x) / artifact entitlement (3.x), section 6.2. `artifacts` is omitted when empty (quirk 11);
 * create/update responses echo the request, so state is re-read from the list.
 */
export const ArtifactLicenseSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  name: z.string(),
  expiresAt: z.string().optional(),
  customerOrganizationId: z.string().optional(),
  artifacts: z.array(ArtifactSelectionSchema).optional(),
});
export type ArtifactLicense = z.infer<typeof ArtifactLicenseSchema>;

export interface ArtifactLicenseRequest {
  id?: string;
  name: string;
  expiresAt?: string;
  customerOrganizationId?: string;
  artifacts: Array<{ artifactId: string; versionIds: string[] }>;
}
