/**
 * What one saved state of a stack grants: its licenses as the review sees them (review/licenseSnapshot.ts reads each
 * resource's outputs, as it does a preview step's old state), keyed by URN (the resource in the program; a license
 * replaced in Distr keeps its URN and gets a new id), with the customer named from the stack's own Customer
 * resources where the license's outputs do not carry the name.
 */
import {
  applicationLicenseSnapshotOf,
  artifactLicenseSnapshotOf,
  customerSnapshotOf,
  type LicenseSnapshot,
} from "../review/licenseSnapshot";
import { resourceKindOf, resourceNameOf } from "../review/resourceKinds";
import type { DeploymentResource } from "../review/deploymentDocument";

export interface StateLicense {
  readonly urn: string;
  /** The resource's name in the program. */
  readonly resource: string;
  /** The license's id in Distr. */
  readonly id: string | undefined;
  readonly snapshot: LicenseSnapshot;
}

export interface StateLicenses {
  /** By URN. */
  readonly licenses: ReadonlyMap<string, StateLicense>;
}

export function stateLicenses(resources: readonly DeploymentResource[]): StateLicenses {
  const customerNames = new Map<string, string>();
  for (const resource of resources) {
    if (resourceKindOf(resource.type) !== "customer" || resource.id === undefined || !resource.outputs) continue;
    customerNames.set(resource.id, customerSnapshotOf(resource.outputs).name);
  }
  const licenses = new Map<string, StateLicense>();
  for (const resource of resources) {
    const kind = resourceKindOf(resource.type);
    if ((kind !== "applicationLicense" && kind !== "artifactLicense") || !resource.outputs) continue;
    const snapshot =
      kind === "applicationLicense"
        ? applicationLicenseSnapshotOf(resource.outputs)
        : artifactLicenseSnapshotOf(resource.outputs);
    const customer = snapshot.customer;
    const name = customer?.id !== undefined ? customerNames.get(customer.id) : undefined;
    licenses.set(resource.urn, {
      urn: resource.urn,
      resource: resourceNameOf(resource.urn),
      id: resource.id,
      snapshot:
        customer && customer.name === undefined && name !== undefined
          ? { ...snapshot, customer: { ...customer, name } }
          : snapshot,
    });
  }
  return { licenses };
}
