/**
 * Everything in a Distr organization that licensing is made of, read with list calls only: the export's reader
 * (export/organizationSnapshot.ts: customers, application and artifact licenses, and one detail read per
 * application and artifact that a license names, for version and tag names), plus the license keys on Distr 3.x.
 * The number of requests depends on the number of applications and artifacts, never on the number of licenses or
 * customers: no per-license GET. Reads only.
 */
import { readOrganizationSnapshot } from "../export/organizationSnapshot";
import type { Dialect } from "../sdk/dialect";
import type { DistrClient } from "../sdk/distrClient";
import type { Application, ApplicationLicense, Artifact, ArtifactLicense, Customer, LicenseKey } from "../sdk/schemas";

export interface DistrInventory {
  readonly host: string;
  readonly dialect: Dialect;
  readonly customers: readonly Customer[];
  readonly applicationLicenses: readonly ApplicationLicense[];
  readonly artifactLicenses: readonly ArtifactLicense[];
  /** Empty on Distr 2.x (no license keys there). */
  readonly licenseKeys: readonly LicenseKey[];
  /** The applications and artifacts the licenses name, with their versions (and tags), by id. */
  readonly applications: ReadonlyMap<string, Application>;
  readonly artifacts: ReadonlyMap<string, Artifact>;
}

export async function readDistrInventory(client: DistrClient): Promise<DistrInventory> {
  const snapshot = await readOrganizationSnapshot(client);
  const licenseKeys = snapshot.dialect === "3" ? await client.licenseKeys.list() : [];
  return {
    host: snapshot.host,
    dialect: snapshot.dialect,
    customers: snapshot.allCustomers,
    applicationLicenses: snapshot.applicationLicenses,
    artifactLicenses: snapshot.artifactLicenses,
    licenseKeys,
    applications: snapshot.applications,
    artifacts: snapshot.artifacts,
  };
}
