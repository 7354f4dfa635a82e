/**
 * Adoption of an existing license, the same for application and artifact licenses: `adopt: { id }` names it,
 * `adopt: true` finds it by name in its uniqueness scope (quirk 13); without `adopt`, a license of the same name makes
 * Distr refuse the create, and the error says which license it is and how to adopt it.
 */
import { DIALECT_SPECS } from "../sdk/dialect";
import type { DistrClient } from "../sdk/distrClient";
import { adoptHint, type Adopt } from "./adoption";
import { DistrResourceError } from "./resourceError";

/** The two license kinds, as messages name them. */
export type LicenseNoun = "application license" | "artifact license";

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
    // Both nouns start with a vowel.
    `an ${noun} named ${JSON.stringify(desired.name)} already exists ${scope} (id ${existing.id}); ` +
      `${adoptHint(existing.id)}, or choose another name`,
    { cause },
  );
}
