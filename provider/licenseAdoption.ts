/**
 * Adoption of an existing license, the same for application and artifact licenses and, for finding it, license
 * keys: `adopt: { id }` names it,
 * `adopt: true` finds it by name in its uniqueness scope (quirk 13); without `adopt`, a license of the same name makes
 * Distr refuse the create, and the error says which license it is and how to adopt it.
 */
import { DIALECT_SPECS } from "../sdk/dialect";
import type { DistrClient } from "../sdk/distrClient";
import { sameIdSet } from "../sdk/nameScope";
import type {
  ApplicationLicense,
  ApplicationLicenseRequest,
  ArtifactLicense,
  ArtifactLicenseRequest,
} from "../sdk/schemas";
import { adoptHint, type Adopt } from "./adoption";
import { DistrResourceError } from "./resourceError";

/** The two license kinds, as messages name them. */
export type LicenseNoun = "application license" | "artifact license" | "license key";

/** What adoption needs of the client's license collection. */
export interface LicenseLookup<License> {
  get(id: string): Promise<License | undefined>;
  findByName(name: string, customerOrganizationId: string | undefined): Promise<License | undefined>;
}

export interface DesiredLicense {
  readonly name: string;
  readonly customer?: string | undefined;
  readonly adopt?: Adopt | undefined;
}

/** The license to adopt, or undefined to create one. */
export async function licenseToAdopt<License>(
  licenses: LicenseLookup<License>,
  noun: LicenseNoun,
  desired: DesiredLicense,
): Promise<License | undefined> {
  const { adopt } = desired;
  if (typeof adopt === "object") {
    const license = await licenses.get(adopt.id);
    if (!license) {
      throw new DistrResourceError(
        "adoption",
        `cannot adopt ${noun} ${JSON.stringify(adopt.id)}: Distr has no ${noun} with this id`,
      );
    }
    return license;
  }
  if (adopt === true) return licenses.findByName(desired.name, desired.customer);
  return undefined;
}

/**
 * Takes over an existing license: sends the update only when Distr's license differs from the request, so adopting
 * objects that already match (an exported organization, see export/) writes nothing to Distr.
 */
export async function adoptLicense<License>(
  existing: License,
  alreadyMatches: (license: License) => boolean,
  update: () => Promise<License>,
): Promise<License> {
  return alreadyMatches(existing) ? existing : update();
}

/**
 * Whether Distr's application license already is what the request asks for: then adopting it sends no PUT, and an
 * interrupted create's leftover is exactly the license the retry would make (interruptedCreate.ts).
 */
export function applicationLicenseMatches(license: ApplicationLicense, request: ApplicationLicenseRequest): boolean {
  return (
    license.name === request.name &&
    license.applicationId === request.applicationId &&
    license.customerOrganizationId === request.customerOrganizationId &&
    license.expiresAt === request.expiresAt &&
    license.registryUrl === request.registryUrl &&
    license.registryUsername === request.registryUsername &&
    license.registryPassword === request.registryPassword &&
    // Compared by id only: Distr 2.x mis-maps every other field of the nested versions (quirk 2).
    sameIdSet(
      license.versions.map((version) => version.id),
      request.versions.map((version) => version.id),
    )
  );
}

/** The same for an artifact license: name, owner, expiry, and per artifact the same digest ids (none = all). */
export function artifactLicenseMatches(license: ArtifactLicense, request: ArtifactLicenseRequest): boolean {
  const selections = license.artifacts ?? [];
  return (
    license.name === request.name &&
    license.customerOrganizationId === request.customerOrganizationId &&
    license.expiresAt === request.expiresAt &&
    sameIdSet(
      selections.map((selection) => selection.artifactId),
      request.artifacts.map((selection) => selection.artifactId),
    ) &&
    request.artifacts.every((wanted) => {
      const current = selections.find((selection) => selection.artifactId === wanted.artifactId);
      return current !== undefined && sameIdSet(current.versionIds ?? [], wanted.versionIds);
    })
  );
}

/** Distr refused a create for the name: the error names the existing license and how to adopt it. */
export async function licenseNameTaken(
  client: DistrClient,
  licenses: LicenseLookup<{ readonly id: string }>,
  noun: LicenseNoun,
  desired: DesiredLicense,
  cause: Error,
): Promise<Error> {
  const existing = await licenses.findByName(desired.name, desired.customer);
  const dialect = await client.dialect();
  const scope = DIALECT_SPECS[dialect].nameScope === "customer" ? "for this customer" : "in this Distr organization";
  if (!existing) return cause;
  return new DistrResourceError(
    "already-exists",
    // Both license nouns start with a vowel (keys report a taken name themselves, licenseKey.ts).
    `an ${noun} named ${JSON.stringify(desired.name)} already exists ${scope} (id ${existing.id}); ` +
      `${adoptHint(existing.id)}, or choose another name`,
    { cause },
  );
}
