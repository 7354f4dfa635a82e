/**
 * A customer-level change: a customer created, renamed, given or denied portal features, or deleted (Distr deletes
 * its licenses with it, quirk 16).
 */
import { z } from "zod";
import { customerSnapshotSchema, type CustomerSnapshot } from "./licenseSnapshot";

export const customerChangeSchema = z.object({
  resource: z.string(),
  urn: z.string().optional(),
  id: z.string().optional(),
  action: z.enum(["create", "update", "replace", "delete"]),
  before: customerSnapshotSchema.optional(),
  after: customerSnapshotSchema.optional(),
  renamedFrom: z.string().optional(),
  featuresGained: z.array(z.string()),
  featuresLost: z.array(z.string()),
});
export type CustomerChange = z.infer<typeof customerChangeSchema>;

export function compareCustomers(
  before: CustomerSnapshot | undefined,
  after: CustomerSnapshot | undefined,
  identity: { resource: string; urn?: string; id?: string; action: CustomerChange["action"] },
): CustomerChange {
  const had = before?.features ?? [];
  const has = after?.features ?? [];
  return {
    resource: identity.resource,
    ...(identity.urn !== undefined ? { urn: identity.urn } : {}),
    ...(identity.id !== undefined ? { id: identity.id } : {}),
    action: identity.action,
    ...(before ? { before } : {}),
    ...(after ? { after } : {}),
    ...(before && after && before.name !== after.name ? { renamedFrom: before.name } : {}),
    featuresGained: has.filter((feature) => !had.includes(feature)),
    featuresLost: had.filter((feature) => !has.includes(feature)),
  };
}
