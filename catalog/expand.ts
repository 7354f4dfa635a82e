/**
 * Turns the catalog into the list of Distr objects it stands for: one customer per catalog customer, and per grant
 * one application license per application of the plan plus one artifact license for the plan's artifacts.
 *
 * Names are derived, never random, because they are both the Pulumi resource names (URNs: a changed name is a
 * replacement) and the license names in Distr: `<customer key>-<plan>-<application>` and
 * `<customer key>-<plan>-artifacts`. They contain the customer key because Distr 2.x keeps license names unique per
 * vendor organization (quirk 13), so "pro" could not be used twice.
 */
import type { CustomerFeature } from "../sdk/schemas/customer";
import {
  slugify,
  type CatalogAdopt,
  type Grant,
  type LicenseCatalog,
  type RegistryGrant,
  type TagSelection,
  type VersionSelection,
} from "./schema";

export interface CustomerSpec {
  /** Pulumi resource name (the customer key). */
  readonly resourceName: string;
  readonly name: string;
  readonly features?: readonly CustomerFeature[];
  readonly adopt?: CatalogAdopt;
}

export interface ApplicationLicenseSpec {
  readonly resourceName: string;
  /** The `resourceName` of the customer holding the license; absent for a license without customer. */
  readonly customer?: string;
  readonly name: string;
  readonly application: string;
  readonly versions: VersionSelection;
  readonly expiresAt?: string;
  readonly adopt?: CatalogAdopt;
  readonly registry?: RegistryGrant;
  /** Where it comes from, for messages: `customers[0].grants[1]`. */
  readonly source: string;
}

export interface ArtifactLicenseSpec {
  readonly resourceName: string;
  readonly customer?: string;
  readonly name: string;
  readonly artifacts: ReadonlyArray<{ readonly artifact: string; readonly tags: TagSelection }>;
  readonly expiresAt?: string;
  readonly adopt?: CatalogAdopt;
  readonly source: string;
}

/** A license template of the catalog (Distr 3.x); resource and Distr name are its key. */
export interface LicenseTemplateSpec {
  readonly resourceName: string;
  readonly name: string;
  readonly payloadTemplate: string;
  readonly expirationGracePeriodDays?: number;
}

/** The license key a grant of a plan with `licenseKey:` issues, named `<customer key>-<plan>-key`. */
export interface LicenseKeySpec {
  readonly resourceName: string;
  readonly customer: string;
  readonly name: string;
  readonly payload?: Readonly<Record<string, unknown>>;
  /** The `resourceName` of a LicenseTemplateSpec. */
  readonly template?: string;
  readonly notBefore?: string;
  readonly expiresAt?: string;
  readonly source: string;
}

export interface CatalogContents {
  readonly customers: readonly CustomerSpec[];
  readonly applicationLicenses: readonly ApplicationLicenseSpec[];
  readonly artifactLicenses: readonly ArtifactLicenseSpec[];
  readonly licenseTemplates?: readonly LicenseTemplateSpec[];
  readonly licenseKeys?: readonly LicenseKeySpec[];
}

/** A resource name that two grants would both produce (e.g. customer "a-b" + plan "c" and "a" + "b-c"). */
export interface NameCollision {
  readonly name: string;
  /** Whether the colliding name is also the license name in Distr (generated names), not only the resource's. */
  readonly licenseName: boolean;
  readonly sources: readonly [string, string];
}

interface Emitted {
  readonly applicationLicenses: ApplicationLicenseSpec[];
  readonly artifactLicenses: ArtifactLicenseSpec[];
  readonly licenseKeys: LicenseKeySpec[];
}

export function expandCatalog(catalog: LicenseCatalog): CatalogContents {
  const customers: CustomerSpec[] = [];
  const emitted: Emitted = { applicationLicenses: [], artifactLicenses: [], licenseKeys: [] };
  const licenseTemplates: LicenseTemplateSpec[] = Object.entries(catalog.licenseTemplates ?? {}).map(
    ([key, template]) => ({
      resourceName: `template-${key}`,
      name: key,
      payloadTemplate: template.payloadTemplate,
      ...(template.expirationGracePeriodDays !== undefined
        ? { expirationGracePeriodDays: template.expirationGracePeriodDays }
        : {}),
    }),
  );

  catalog.customers.forEach((customer, customerIndex) => {
    customers.push({
      resourceName: customer.key,
      name: customer.name,
      ...(customer.features ? { features: customer.features } : {}),
      ...(customer.adopt ? { adopt: customer.adopt } : {}),
    });
    customer.grants.forEach((grant, grantIndex) =>
      expandGrant(catalog, grant, customer.key, `customers[${customerIndex}].grants[${grantIndex}]`, emitted),
    );
  });
  catalog.grantsWithoutCustomer?.forEach((grant, index) =>
    expandGrant(catalog, grant, undefined, `grantsWithoutCustomer[${index}]`, emitted),
  );
  return { customers, ...emitted, licenseTemplates };
}

/**
 * One grant's licenses. A grant with `name` is exactly one license (the schema checks it) whose resource is named
 * `<customer key>-<grant key or the name in lower case with dashes>`; otherwise names are generated.
 */
function expandGrant(
  catalog: LicenseCatalog,
  grant: Grant,
  customerKey: string | undefined,
  source: string,
  emitted: Emitted,
): void {
  const contents = grant.plan === undefined ? grant : catalog.plans[grant.plan];
  if (!contents) return; // the schema rejects unknown plans; nothing to expand
  const named =
    grant.name === undefined
      ? undefined
      : {
          name: grant.name,
          resourceName: [customerKey, grant.key ?? slugify(grant.name)].filter((part) => part !== undefined).join("-"),
        };
  const generated = (suffix: string) => {
    const name = `${customerKey ?? ""}-${grant.plan ?? ""}-${suffix}`;
    return { name, resourceName: name };
  };
  const common = {
    ...(customerKey !== undefined ? { customer: customerKey } : {}),
    ...(grant.expiresAt ? { expiresAt: grant.expiresAt } : {}),
    ...(grant.adopt ? { adopt: grant.adopt } : {}),
    source,
  };
  for (const [application, versions] of Object.entries(contents.applications ?? {})) {
    emitted.applicationLicenses.push({
      ...(named ?? generated(slugifyResourcePart(application))),
      application,
      versions,
      ...common,
      ...(grant.registry ? { registry: grant.registry } : {}),
    });
  }
  const artifacts = Object.entries(contents.artifacts ?? {}).map(([artifact, tags]) => ({ artifact, tags }));
  if (artifacts.length > 0) {
    emitted.artifactLicenses.push({ ...(named ?? generated("artifacts")), artifacts, ...common });
  }
  const key = grant.plan === undefined ? undefined : catalog.plans[grant.plan]?.licenseKey;
  if (key && customerKey !== undefined) {
    const name = `${customerKey}-${grant.plan}-key`;
    const notBefore = grant.notBefore ?? key.notBefore;
    const expiresAt = grant.expiresAt ?? key.expiresAt;
    emitted.licenseKeys.push({
      resourceName: name,
      customer: customerKey,
      name,
      ...(key.payload !== undefined ? { payload: key.payload } : {}),
      ...(key.template !== undefined ? { template: `template-${key.template}` } : {}),
      // Validity belongs to a payload revision; a template key gets its revisions from Distr's billing.
      ...(key.payload !== undefined && notBefore !== undefined ? { notBefore } : {}),
      ...(key.payload !== undefined && expiresAt !== undefined ? { expiresAt } : {}),
      source,
    });
  }
}

/** Pairs of grants that would produce the same resource name (checked by the loader). */
export function findNameCollisions(contents: CatalogContents): NameCollision[] {
  const collisions: NameCollision[] = [];
  for (const licenses of [contents.applicationLicenses, contents.artifactLicenses]) {
    const seen = new Map<string, string>();
    for (const license of licenses) {
      const earlier = seen.get(license.resourceName);
      if (earlier !== undefined) {
        collisions.push({
          name: license.resourceName,
          licenseName: license.resourceName === license.name,
          sources: [earlier, license.source],
        });
      }
      seen.set(license.resourceName, license.source);
    }
  }
  return collisions;
}

/** Application names may contain characters that are awkward in URNs and license names (`/`, spaces). */
function slugifyResourcePart(value: string): string {
  return value
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}
