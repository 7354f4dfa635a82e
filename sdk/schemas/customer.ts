import { z } from "zod";

/** Customer features Distr knows (section 4.1; `oidc_providers` exists on 3.x builds after 3.1.0). */
export const CUSTOMER_FEATURES = [
  "deployment_targets",
  "artifacts",
  "alerts",
  "support_bundles",
  "oidc_providers",
] as const;
/**
 * A part of the customer portal a customer's users may use: `deployment_targets`, `artifacts`, `alerts` (needs
 * `deployment_targets`), `support_bundles`, `oidc_providers`; the last three need Distr 3.x.
 */
export type CustomerFeature = (typeof CUSTOMER_FEATURES)[number];

/** What Distr stores when a customer is created (features are ignored on create, quirk 6). */
export const DEFAULT_CUSTOMER_FEATURES: readonly CustomerFeature[] = ["deployment_targets", "artifacts"];

/** `GET/POST/PUT /customer-organizations` element. Unknown fields are tolerated (stripped). */
export const CustomerSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  name: z.string(),
  imageId: z.string().optional(),
  imageUrl: z.string().optional(),
  // A newer hub may know features we do not: read them as strings, validate inputs against CUSTOMER_FEATURES.
  features: z.array(z.string()),
  partnerOrganizationId: z.string().optional(),
  userCount: z.number().optional(),
  deploymentTargetCount: z.number().optional(),
});
export type Customer = z.infer<typeof CustomerSchema>;

/** Request body of create and (full-replacement, quirk 5) update. */
export interface CustomerRequest {
  name: string;
  imageId?: string;
  features?: string[];
}
