import { z } from "zod";

/** `/license-templates` element (section 8.7): a Go `text/template` that renders a license key payload. */
export const LicenseTemplateSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  name: z.string(),
  payloadTemplate: z.string(),
  expirationGracePeriodDays: z.number().int(),
});
export type LicenseTemplate = z.infer<typeof LicenseTemplateSchema>;

/** Create and update body: all three fields, every time (a full replacement). */
export interface LicenseTemplateRequest {
  name: string;
  payloadTemplate: string;
  expirationGracePeriodDays: number;
}

/** The organization feature license templates need (granted by Distr's staff, not by a plan; section 8.7). */
export const VENDOR_BILLING_FEATURE = "vendor_billing";
