/**
 * Distr 3.x `GET /licenses` (section 7): one element per customer, customers without anything included, with the
 * customer's application and artifact entitlements, in one request instead of three list calls. It leaves out
 * customer-less entitlements (quirk 24), so a reader that needs those still lists them; Distr 2.x has no such route.
 */
import { z } from "zod";
import type { ContextProvider } from "./clientContext";
import { DistrApiError } from "./errors";
import { ApplicationLicenseSchema, ArtifactLicenseSchema, CustomerSchema } from "./schemas";

/** The route below `/api/v1` (3.x only). */
export const LICENSE_SNAPSHOT_ROUTE = "/licenses";

export const CustomerLicensesSchema = z.object({
  customerOrganization: CustomerSchema,
  applicationEntitlements: z.array(ApplicationLicenseSchema),
  artifactEntitlements: z.array(ArtifactLicenseSchema),
});
export type CustomerLicenses = z.infer<typeof CustomerLicensesSchema>;

const SnapshotSchema = z.array(CustomerLicensesSchema);

export async function readLicenseSnapshot(context: ContextProvider): Promise<CustomerLicenses[]> {
  const { dialect, sender } = await context();
  if (dialect !== "3") {
    throw new DistrApiError({
      kind: "configuration",
      method: "GET",
      path: sender.displayPath(LICENSE_SNAPSHOT_ROUTE),
      hint: "Distr 2.x has no grouped GET /licenses; list customers and licenses instead",
    });
  }
  return sender.send({ method: "GET", path: LICENSE_SNAPSHOT_ROUTE, subject: "customer", schema: SnapshotSchema });
}
