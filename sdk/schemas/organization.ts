import { z } from "zod";

/** `GET /organization`: used to check a token and that the `licensing` feature is on (section 2.4). */
export const OrganizationSchema = z.object({
  id: z.string(),
  name: z.string(),
  slug: z.string().nullable().optional(),
  features: z.array(z.string()),
  subscriptionType: z.string().optional(),
});
export type Organization = z.infer<typeof OrganizationSchema>;

export const LICENSING_FEATURE = "licensing";
