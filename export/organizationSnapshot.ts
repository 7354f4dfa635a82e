/**
 * Reads what an export needs from a live Distr: the customers, their application and artifact licenses (and the
 * customer-less ones), and the applications and artifacts those licenses name, with their versions and tags.
 *
 * Requests are the currency (2,000 per hour): on Distr 3.x an export of chosen customers reads them and all their
 * licenses with the one grouped `GET /licenses` (section 7) instead of three lists; a whole-organization export
 * needs the two license lists anyway (the grouped read leaves out customer-less licenses, quirk 24), so it lists.
 * Applications and artifacts cost one list each plus one detail read per one that a license names. License keys and
 * templates (3.x only, section 8) are read when asked for: the organization (which features it has), the key list, and
 * the template list when the organization has `vendor_billing` (without it Distr answers 403).
 */
import type { Dialect } from "../sdk/dialect";
import type { DistrClient } from "../sdk/distrClient";
import type {
  Application,
  ApplicationLicense,
  Artifact,
  ArtifactLicense,
  Customer,
  LicenseKey,
  LicenseTemplate,
} from "../sdk/schemas";
import { VENDOR_BILLING_FEATURE } from "../sdk/schemas";
import { ExportError } from "./exportError";

export interface OrganizationSnapshot {
  readonly host: string;
  readonly dialect: Dialect;
  /** Every customer of the organization (names decide how customers are adopted), by Distr's order. */
  readonly allCustomers: readonly Customer[];
  /** The customers to export. */
  readonly customers: readonly Customer[];
  /** Licenses of the exported customers, plus the customer-less ones when the whole organization is exported. */
  readonly applicationLicenses: readonly ApplicationLicense[];
  readonly artifactLicenses: readonly ArtifactLicense[];
  /** Whether the licenses without customer are part of the export (only when no customers were chosen). */
  readonly withLicensesWithoutCustomer: boolean;
  /** The applications and artifacts the licenses name, with versions (and tags), by id. */
  readonly applications: ReadonlyMap<string, Application>;
  readonly artifacts: ReadonlyMap<string, Artifact>;
  /** License keys of the exported customers (plus the customer-less ones with the whole organization); [] unless asked. */
  readonly licenseKeys: readonly LicenseKey[];
  /** The whole organization's templates, or those the exported keys use; [] unless asked. */
  readonly licenseTemplates: readonly LicenseTemplate[];
}

export interface SnapshotOptions {
  /** Customer names to export (each must exist); all customers and customer-less licenses when absent or empty. */
  readonly customers?: readonly string[];
  /** Called after each step of reading: `done` of `total` reads. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Also read license keys and templates (Distr 3.x; nothing on 2.x, which has none). */
  readonly withLicenseKeys?: boolean;
}

export async function readOrganizationSnapshot(
  client: DistrClient,
  options: SnapshotOptions = {},
): Promise<OrganizationSnapshot> {
  const dialect = await client.dialect();
  const wanted = options.customers ?? [];
  const progress = options.onProgress ?? (() => undefined);
  // Organization, key list, template list: three reads more with keys.
  const keyReads = options.withLicenseKeys === true && dialect === "3" ? 3 : 0;
  let total = 3 + keyReads;
  let done = 0;
  const step = () => progress(++done, total);

  let allCustomers: Customer[];
  let applicationLicenses: ApplicationLicense[];
  let artifactLicenses: ArtifactLicense[];
  if (dialect === "3" && wanted.length > 0) {
    const grouped = await client.licenseSnapshot();
    total = 1 + keyReads;
    step();
    allCustomers = grouped.map((entry) => entry.customerOrganization);
    applicationLicenses = grouped.flatMap((entry) => entry.applicationEntitlements);
    artifactLicenses = grouped.flatMap((entry) => entry.artifactEntitlements);
  } else {
    [allCustomers, applicationLicenses, artifactLicenses] = await Promise.all([
      client.customers.list().finally(step),
      client.applicationLicenses.list().finally(step),
      client.artifactLicenses.list().finally(step),
    ]);
  }

  const customers = selectCustomers(allCustomers, wanted);
  const exported = new Set(customers.map((customer) => customer.id));
  const belongs = (license: { customerOrganizationId?: string | undefined }) =>
    license.customerOrganizationId === undefined ? wanted.length === 0 : exported.has(license.customerOrganizationId);
  applicationLicenses = applicationLicenses.filter(belongs);
  artifactLicenses = artifactLicenses.filter(belongs);

  const applicationIds = [...new Set(applicationLicenses.map((license) => license.applicationId))];
  const artifactIds = [
    ...new Set(artifactLicenses.flatMap((license) => (license.artifacts ?? []).map((s) => s.artifactId))),
  ];
  total += applicationIds.length + artifactIds.length;
  const applications = new Map<string, Application>();
  const artifacts = new Map<string, Artifact>();
  // One at a time (one GET by id each): an export is not in a hurry.
  for (const id of applicationIds) {
    const application = await client.lookups.applicationById(id);
    if (application) applications.set(id, application);
    step();
  }
  for (const id of artifactIds) {
    const artifact = await client.lookups.artifactById(id);
    if (artifact) artifacts.set(id, artifact);
    step();
  }
  const { licenseKeys, licenseTemplates } =
    keyReads > 0
      ? await readLicenseKeys(client, { wanted: wanted.length > 0, exported, step })
      : { licenseKeys: [], licenseTemplates: [] };
  return {
    host: client.host,
    dialect,
    allCustomers,
    customers,
    applicationLicenses,
    artifactLicenses,
    withLicensesWithoutCustomer: wanted.length === 0,
    applications,
    artifacts,
    licenseKeys,
    licenseTemplates,
  };
}

async function readLicenseKeys(
  client: DistrClient,
  scope: { readonly wanted: boolean; readonly exported: ReadonlySet<string>; readonly step: () => void },
): Promise<{ licenseKeys: LicenseKey[]; licenseTemplates: LicenseTemplate[] }> {
  const features = (await client.organization()).features;
  scope.step();
  const licenseKeys = (await client.licenseKeys.list()).filter((key) =>
    key.customerOrganizationId === undefined ? !scope.wanted : scope.exported.has(key.customerOrganizationId),
  );
  scope.step();
  if (!features.includes(VENDOR_BILLING_FEATURE)) {
    scope.step();
    return { licenseKeys, licenseTemplates: [] };
  }
  const used = new Set(licenseKeys.flatMap((key) => (key.licenseTemplateId ? [key.licenseTemplateId] : [])));
  const licenseTemplates = (await client.licenseTemplates.list()).filter(
    (template) => !scope.wanted || used.has(template.id),
  );
  scope.step();
  return { licenseKeys, licenseTemplates };
}

function selectCustomers(all: readonly Customer[], wanted: readonly string[]): Customer[] {
  if (wanted.length === 0) return [...all];
  const missing = wanted.filter((name) => !all.some((customer) => customer.name === name));
  if (missing.length > 0) {
    const names = [...new Set(all.map((customer) => JSON.stringify(customer.name)))];
    throw new ExportError(
      "unknown-customer",
      `Distr has no customer named ${missing.map((name) => JSON.stringify(name)).join(", ")}; ` +
        `its customers are ${names.length > 0 ? names.join(", ") : "(none)"}. Names are matched exactly.`,
    );
  }
  return all.filter((customer) => wanted.includes(customer.name));
}
