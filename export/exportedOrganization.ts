/**
 * What an export writes, decided once for every output format: which customers and licenses, under which Pulumi
 * resource names, adopted how, granting exactly what Distr grants in the words programs use (version names, tag
 * names, "all"), and what cannot be said that way (kept by id, reported as a warning, never dropped silently).
 *
 * Pure: a snapshot in, a description out (organizationSnapshot.ts reads Distr).
 */
import { slugify } from "../catalog/schema";
import { DEFAULT_CUSTOMER_FEATURES, type Application, type ApplicationLicense } from "../sdk/schemas";
import type { Artifact, ArtifactLicense, Customer, LicenseKey } from "../sdk/schemas";
import { sortNames } from "../provider/selection";
import type { OrganizationSnapshot } from "./organizationSnapshot";

/** `"all"` (Distr's empty list: everything, future ones included) or exact names. */
export type ExportedSelection = "all" | readonly string[];

export type ExportedAdopt = true | { readonly id: string };

export interface ExportedCustomer {
  readonly id: string;
  /** Pulumi resource name, also the catalog key: unique, lower case, digits and dashes. */
  readonly key: string;
  readonly name: string;
  /** Only when they differ from Distr's default for new customers. */
  readonly features?: readonly string[];
  /** By name when no other customer of the organization has it, else by id (quirk: names are not unique). */
  readonly adopt: ExportedAdopt;
  readonly licenses: readonly ExportedLicense[];
  /** Only when the snapshot has keys (export --format import). */
  readonly licenseKeys: readonly ExportedLicenseKey[];
}

interface ExportedLicenseBase {
  readonly id: string;
  readonly name: string;
  /** Pulumi resource name: `<customer key>-<license key>`, or `<license key>` without customer. */
  readonly resourceName: string;
  /** Set when the resource name cannot be derived from the license name (see catalog grants' `key`). */
  readonly key?: string;
  readonly expiresAt?: string;
  /** By name in its scope, or by id where pulumi-distr would not find it by name (a name with outer spaces). */
  readonly adopt: ExportedAdopt;
}

export interface ExportedApplicationLicense extends ExportedLicenseBase {
  readonly kind: "application";
  readonly application: string;
  readonly versions: ExportedSelection;
  /** Registry credentials exist; the password is never exported (it is read from secret config). */
  readonly registry?: { readonly url: string; readonly username: string; readonly passwordConfig: string };
}

export interface ExportedArtifactLicense extends ExportedLicenseBase {
  readonly kind: "artifact";
  readonly artifacts: ReadonlyArray<{ readonly artifact: string; readonly tags: ExportedSelection }>;
}

export type ExportedLicense = ExportedApplicationLicense | ExportedArtifactLicense;

/**
 * A license key (Distr 3.x) as the plugin imports it: by id, under `<customer key>-<key name>` (or `<key name>`
 * without customer). Its content (payload, dates, template) is what the plugin's read reports.
 */
export interface ExportedLicenseKey {
  readonly id: string;
  readonly name: string;
  readonly resourceName: string;
  /** The id of the template it is rendered from, when it has one. */
  readonly template?: string;
}

/** A license template (Distr 3.x, `vendor_billing`), under its name. */
export interface ExportedLicenseTemplate {
  readonly id: string;
  readonly name: string;
  readonly resourceName: string;
}

export interface ExportWarning {
  /** The Distr object, like `application license "acme-pro" (id …)`. */
  readonly subject: string;
  readonly message: string;
}

export interface ExportedOrganization {
  readonly host: string;
  readonly dialect: OrganizationSnapshot["dialect"];
  readonly customers: readonly ExportedCustomer[];
  readonly licensesWithoutCustomer: readonly ExportedLicense[];
  readonly licenseKeysWithoutCustomer: readonly ExportedLicenseKey[];
  readonly licenseTemplates: readonly ExportedLicenseTemplate[];
  readonly warnings: readonly ExportWarning[];
}

export function describeOrganization(snapshot: OrganizationSnapshot): ExportedOrganization {
  const warnings: ExportWarning[] = [];
  const customerKeys = new UniqueNames();
  const resourceNames = { application: new UniqueNames(), artifact: new UniqueNames(), key: new UniqueNames() };
  const nameCount = new Map<string, number>();
  for (const customer of snapshot.allCustomers) nameCount.set(customer.name, (nameCount.get(customer.name) ?? 0) + 1);

  const exportLicenses = (customerKey: string | undefined, customerId: string | undefined): ExportedLicense[] => {
    const licenses: ExportedLicense[] = [];
    const own = <T extends { customerOrganizationId?: string | undefined; name: string }>(list: readonly T[]) =>
      list.filter((l) => l.customerOrganizationId === customerId).sort((a, b) => compareText(a.name, b.name));
    for (const license of own(snapshot.applicationLicenses)) {
      if (!manageableName(license, "application license", warnings)) continue;
      const naming = nameLicense(license, customerKey, resourceNames.application);
      licenses.push(applicationLicenseOf(license, naming, snapshot.applications.get(license.applicationId), warnings));
    }
    for (const license of own(snapshot.artifactLicenses)) {
      if (!manageableName(license, "artifact license", warnings)) continue;
      const naming = nameLicense(license, customerKey, resourceNames.artifact);
      const exported = artifactLicenseOf(license, naming, snapshot.artifacts, warnings);
      if (exported) licenses.push(exported);
    }
    return licenses;
  };

  // Distr accepts a blank customer name (section 4.1); a Customer resource needs one.
  const blank = snapshot.customers.filter((customer) => customer.name.trim() === "");
  for (const customer of blank) {
    const licenses = [...snapshot.applicationLicenses, ...snapshot.artifactLicenses].filter(
      (license) => license.customerOrganizationId === customer.id,
    ).length;
    warnings.push({
      subject: `customer ${JSON.stringify(customer.name)} (id ${customer.id})`,
      message:
        `its name is blank, which pulumi-distr cannot manage: not exported, nor its ${licenses} licenses; ` +
        "name it in Distr and export again",
    });
  }
  const customers = snapshot.customers
    .filter((customer) => !blank.includes(customer))
    .map((customer): ExportedCustomer => {
      const key = customerKeys.claim(slugify(customer.name) || "customer");
      const ambiguous = (nameCount.get(customer.name) ?? 0) > 1 || customer.name !== customer.name.trim();
      return {
        id: customer.id,
        key,
        name: customer.name,
        ...featuresOf(customer),
        adopt: ambiguous ? { id: customer.id } : true,
        licenses: exportLicenses(key, customer.id),
        licenseKeys: exportLicenseKeys(snapshot.licenseKeys, key, customer.id, resourceNames.key, warnings),
      };
    });
  const licensesWithoutCustomer = snapshot.withLicensesWithoutCustomer ? exportLicenses(undefined, undefined) : [];
  const licenseKeysWithoutCustomer = exportLicenseKeys(
    snapshot.licenseKeys,
    undefined,
    undefined,
    resourceNames.key,
    warnings,
  );
  const templateNames = new UniqueNames();
  const licenseTemplates = [...snapshot.licenseTemplates]
    .sort((a, b) => compareText(a.name, b.name))
    .map((template) => ({
      id: template.id,
      name: template.name,
      resourceName: templateNames.claim(slugify(template.name) || "template"),
    }));
  for (const customer of snapshot.customers) {
    if (customer.name.trim() !== "" && customer.name !== customer.name.trim()) {
      warnings.push({
        subject: `customer ${JSON.stringify(customer.name)} (id ${customer.id})`,
        message:
          "its name starts or ends with a space, which pulumi-distr trims: the first `up` renames it to " +
          `${JSON.stringify(customer.name.trim())}`,
      });
    }
  }
  return {
    host: snapshot.host,
    dialect: snapshot.dialect,
    customers,
    licensesWithoutCustomer,
    licenseKeysWithoutCustomer,
    licenseTemplates,
    warnings,
  };
}

/** A customer's keys (or the customer-less ones) by name, named like its licenses; blank names cannot be managed. */
function exportLicenseKeys(
  keys: readonly LicenseKey[],
  customerKey: string | undefined,
  customerId: string | undefined,
  taken: UniqueNames,
  warnings: ExportWarning[],
): ExportedLicenseKey[] {
  const own = keys
    .filter((key) => key.customerOrganizationId === customerId)
    .sort((a, b) => compareText(a.name, b.name));
  const exported: ExportedLicenseKey[] = [];
  for (const key of own) {
    if (key.name.trim() === "" || key.name !== key.name.trim()) {
      // Distr cannot rename a key (section 8.4): a trimmed name would replace it, so it stays out.
      warnings.push({
        subject: `license key ${JSON.stringify(key.name)} (id ${key.id})`,
        message:
          "its name is blank or starts or ends with a space, which pulumi-distr trims, and Distr cannot rename a key: " +
          "not exported (managing it would replace it)",
      });
      continue;
    }
    const { resourceName } = nameLicense(key, customerKey, taken);
    exported.push({
      id: key.id,
      name: key.name,
      resourceName,
      ...(key.licenseTemplateId !== undefined ? { template: key.licenseTemplateId } : {}),
    });
  }
  return exported;
}

function featuresOf(customer: Customer): { features?: string[] } {
  const defaults = new Set<string>(DEFAULT_CUSTOMER_FEATURES);
  const same = customer.features.length === defaults.size && customer.features.every((f) => defaults.has(f));
  return same ? {} : { features: [...customer.features] };
}

interface LicenseNaming {
  readonly resourceName: string;
  readonly key?: string;
  readonly adopt: ExportedAdopt;
}

/**
 * Distr 2.x accepts blank license names (quirk 14), which no pulumi-distr license can have; names with outer spaces
 * are trimmed by the resources, so they are adopted by id and renamed by the first `up` (said in a warning).
 */
function manageableName(license: { id: string; name: string }, noun: string, warnings: ExportWarning[]): boolean {
  const subject = `${noun} ${JSON.stringify(license.name)} (id ${license.id})`;
  if (license.name.trim() === "") {
    warnings.push({
      subject,
      message:
        "its name is blank (Distr 2.x allows that), which pulumi-distr cannot manage: not exported; name it in Distr and export again",
    });
    return false;
  }
  if (license.name !== license.name.trim()) {
    warnings.push({
      subject,
      message:
        "its name starts or ends with a space, which pulumi-distr trims: adopted by id, and the first `up` renames " +
        `it to ${JSON.stringify(license.name.trim())}`,
    });
  }
  return true;
}

/** `<customer key>-<license name in lower case with dashes>`, or with an explicit key where that is empty or taken. */
function nameLicense(
  license: { id: string; name: string },
  customerKey: string | undefined,
  taken: UniqueNames,
): LicenseNaming {
  const adopt: ExportedAdopt = license.name === license.name.trim() ? true : { id: license.id };
  const prefix = customerKey === undefined ? "" : `${customerKey}-`;
  const derived = slugify(license.name);
  if (derived !== "" && !taken.has(`${prefix}${derived}`)) {
    return { resourceName: taken.claim(`${prefix}${derived}`), adopt };
  }
  const base = derived || "license";
  for (let n = 2; ; n++) {
    const key = `${base}-${n}`;
    if (!taken.has(`${prefix}${key}`)) return { resourceName: taken.claim(`${prefix}${key}`), key, adopt };
  }
}

function applicationLicenseOf(
  license: ApplicationLicense,
  naming: LicenseNaming,
  application: Application | undefined,
  warnings: ExportWarning[],
): ExportedApplicationLicense {
  const subject = `application license ${JSON.stringify(license.name)} (id ${license.id})`;
  const versions: string[] = [];
  for (const { id } of license.versions) {
    // By id only: Distr 2.x mis-maps the other fields of a license's versions (quirk 2).
    const version = application?.versions?.find((v) => v.id === id);
    if (version) versions.push(version.name);
    else {
      versions.push(id);
      warnings.push({
        subject,
        message:
          `it grants version id ${id}, which is no version of application ` +
          `${JSON.stringify(application?.name ?? license.applicationId)}; kept by id`,
      });
    }
  }
  const registry =
    license.registryUrl !== undefined && license.registryUsername !== undefined
      ? {
          url: license.registryUrl,
          username: license.registryUsername,
          passwordConfig: `registryPassword-${naming.resourceName}`,
        }
      : undefined;
  if (registry) {
    warnings.push({
      subject,
      message:
        "it has registry credentials; the password is not exported: set it with " +
        `\`pulumi config set --secret ${registry.passwordConfig} <password>\` before \`pulumi up\``,
    });
  }
  return {
    kind: "application",
    id: license.id,
    name: license.name,
    ...naming,
    application: application?.name ?? license.application?.name ?? license.applicationId,
    versions: versions.length === 0 ? "all" : sortNames(versions),
    ...(license.expiresAt !== undefined ? { expiresAt: license.expiresAt } : {}),
    ...(registry ? { registry } : {}),
  };
}

function artifactLicenseOf(
  license: ArtifactLicense,
  naming: LicenseNaming,
  artifacts: ReadonlyMap<string, Artifact>,
  warnings: ExportWarning[],
): ExportedArtifactLicense | undefined {
  const subject = `artifact license ${JSON.stringify(license.name)} (id ${license.id})`;
  const selections = license.artifacts ?? [];
  if (selections.length === 0) {
    warnings.push({
      subject,
      message:
        "it selects no artifact (Distr allows that; pulumi-distr's ArtifactLicense needs at least one), so it is " +
        "not in the exported code: select an artifact in Distr and export again, or delete it",
    });
    return undefined;
  }
  const exported = selections.map((selection) => {
    const artifact = artifacts.get(selection.artifactId);
    const name = artifact?.name ?? selection.artifactId;
    const versionIds = [...new Set(selection.versionIds ?? [])];
    if (versionIds.length === 0) return { artifact: name, tags: "all" as const };
    const tags: string[] = [];
    for (const id of versionIds) {
      const version = artifact?.versions?.find((v) => v.id === id);
      if (!version) {
        tags.push(id);
        warnings.push({
          subject,
          message:
            `it grants version id ${id} of artifact ${name}, which Distr lists under no tag ` +
            "(a digest without tags); kept by id",
        });
      } else if (version.tags.length === 0) {
        // A digest grants content, not a name: without a tag the digest itself is the only way to say it.
        tags.push(version.digest);
        warnings.push({
          subject,
          message: `it grants digest ${version.digest} of artifact ${name}, which has no tag; kept by digest`,
        });
      } else {
        // Every tag of the digest: tags sharing a digest are granted together (the resource resolves tags to digests).
        tags.push(...version.tags.map((tag) => tag.name));
      }
    }
    return { artifact: name, tags: sortNames(tags) };
  });
  return {
    kind: "artifact",
    id: license.id,
    name: license.name,
    ...naming,
    artifacts: exported.sort((a, b) => compareText(a.artifact, b.artifact)),
    ...(license.expiresAt !== undefined ? { expiresAt: license.expiresAt } : {}),
  };
}

/** Plain code-point order: deterministic output whatever the locale. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Names handed out once: `claim` returns the name, or the name with `-2`, `-3`, … when it is taken. */
class UniqueNames {
  private readonly used = new Set<string>();

  has(name: string): boolean {
    return this.used.has(name);
  }

  claim(name: string): string {
    let candidate = name;
    for (let n = 2; this.used.has(candidate); n++) candidate = `${name}-${n}`;
    this.used.add(candidate);
    return candidate;
  }
}
