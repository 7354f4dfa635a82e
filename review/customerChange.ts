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
  /** The engine creates the resource, but the provider takes over this existing customer (`adopt`). */
  adopted: z.object({ id: z.string(), changed: z.boolean() }).optional(),
});
export type CustomerChange = z.infer<typeof customerChangeSchema>;

export function compareCustomers(
  before: CustomerSnapshot | undefined,
  after: CustomerSnapshot | undefined,
  identity: { resource: string; urn?: string; id?: string; action: CustomerChange["action"]; adopted?: boolean },
): CustomerChange {
  const had = before?.features ?? [];
  const has = after?.features ?? [];
  const renamed = before !== undefined && after !== undefined && before.name !== after.name;
  const gained = has.filter((feature) => !had.includes(feature));
  const lost = had.filter((feature) => !has.includes(feature));
  return {
    resource: identity.resource,
    ...(identity.urn !== undefined ? { urn: identity.urn } : {}),
    ...(identity.id !== undefined ? { id: identity.id } : {}),
    action: identity.action,
    ...(before ? { before } : {}),
    ...(after ? { after } : {}),
    ...(renamed && before ? { renamedFrom: before.name } : {}),
    featuresGained: gained,
    featuresLost: lost,
    ...(identity.adopted && identity.id !== undefined
      ? { adopted: { id: identity.id, changed: renamed || gained.length > 0 || lost.length > 0 } }
      : {}),
  };
}
