import { z } from "zod";
import { ApplicationVersionSchema } from "./application";

/**
 * Application license (2.x) / application entitlement (3.x): identical JSON in both dialects (section 5.2).
 * `versions: []` means all versions, future ones included (section 5.4).
 */
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
  // 2.x mis-maps every field but `id` of these (quirk 2): compare versions by id only.
  versions: z.array(ApplicationVersionSchema.partial().required({ id: true })),
  application: z.object({ id: z.string(), name: z.string() }).optional(),
  customerOrganization: z.object({ id: z.string(), name: z.string() }).optional(),
});
export type ApplicationLicense = z.infer<typeof ApplicationLicenseSchema>;

/**
 * Create and update body. Updates are full replacements (quirk 5) and must carry `id` so that Distr enforces the
 * owner and application rules (quirk 7). Registry fields: all three or none (quirk 10).
 */
export interface ApplicationLicenseRequest {
  id?: string;
  name: string;
  expiresAt?: string;
  applicationId: string;
  customerOrganizationId?: string;
  registryUrl?: string;
  registryUsername?: string;
  registryPassword?: string;
  versions: Array<{ id: string }>;
}
