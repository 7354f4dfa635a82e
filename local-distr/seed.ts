/**
 * The demo vendor everybody's tests and examples use (names fixed in helpers' common context): one organization
 * "Distr Demo Vendor" with licensing, no customers, two applications and three artifacts.
 */
import { tokenKeyHex } from "./auth";
import { addApplicationVersion, addArtifactTag, createApplication, createArtifact } from "./catalog";
import { nowDistrTime } from "./distrTime";
import type { DistrState, OrganizationRow, Role } from "./store";
import { newUuid } from "./uuid";

export const SEED_ORGANIZATION_NAME = "Distr Demo Vendor";
export const LICENSING_FEATURE = "licensing";
/** License templates (3.x): granted by Distr's staff, not by a plan; the demo vendor has it. */
export const VENDOR_BILLING_FEATURE = "vendor_billing";

export const SEED_APPLICATIONS: ReadonlyArray<{
  name: string;
  type: "docker" | "kubernetes";
  versions: readonly string[];
  archived: readonly string[];
}> = [
  {
    name: "hello-distr",
    type: "docker",
    versions: ["1.0.0", "1.1.0", "1.2.0", "2.0.0", "2.1.0", "2.2.0", "2.3.0", "2.4.0-rc.1", "3.0.0-beta.1"],
    archived: ["1.0.0"],
  },
  { name: "hello-distr-helm", type: "kubernetes", versions: ["1.0.0", "1.1.0", "2.0.0"], archived: [] },
];

/** Tags in push order; a tag listed with `sameDigestAs` points to that tag's digest. */
export const SEED_ARTIFACTS: ReadonlyArray<{
  name: string;
  tags: ReadonlyArray<string | { tag: string; sameDigestAs: string }>;
}> = [
  { name: "hello-distr/backend", tags: ["1.0.0", "1.1.0", "2.0.0", "2.1.0", { tag: "latest", sameDigestAs: "2.1.0" }] },
  { name: "hello-distr/frontend", tags: ["1.0.0", "2.0.0", "2.1.0", "2.2.0"] },
  { name: "hello-distr/chart", tags: ["1.2.0", "1.3.0", "1.4.0"] },
];

function slugify(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

/** A vendor organization with one admin user and its PAT. */
export function addVendorOrganization(
  state: DistrState,
  options: { name: string; licensing: boolean; role: Role; token: string; subscriptionType?: string },
): OrganizationRow {
  const createdAt = nowDistrTime();
  const organization: OrganizationRow = {
    id: newUuid(),
    createdAt,
    name: options.name,
    slug: slugify(options.name),
    features: options.licensing ? [LICENSING_FEATURE] : [],
    subscriptionType: options.subscriptionType ?? "enterprise",
  };
  const userId = newUuid();
  state.organizations.push(organization);
  state.users.push({ id: userId, createdAt, email: `${organization.slug}@example.com`, name: `${options.name} Admin` });
  state.memberships.push({ userId, organizationId: organization.id, role: options.role });
  state.accessTokens.push({
    id: newUuid(),
    createdAt,
    keyHex: tokenKeyHex(options.token),
    userId,
    organizationId: organization.id,
  });
  return organization;
}

/** Fills an empty state with the demo vendor and its catalog. `catalog: false` leaves the organization bare. */
export function seedDemoVendor(
  state: DistrState,
  token: string,
  options: { catalog: boolean; vendorBilling?: boolean },
): OrganizationRow {
  const organization = addVendorOrganization(state, {
    name: SEED_ORGANIZATION_NAME,
    licensing: true,
    role: "admin",
    token,
  });
  if (options.vendorBilling) organization.features.push(VENDOR_BILLING_FEATURE);
  if (!options.catalog) return organization;
  for (const spec of SEED_APPLICATIONS) {
    const application = createApplication(state, organization.id, spec.name, spec.type);
    for (const version of spec.versions) {
      addApplicationVersion(state, application, version, { archived: spec.archived.includes(version) });
    }
  }
  for (const spec of SEED_ARTIFACTS) {
    const artifact = createArtifact(state, organization.id, spec.name);
    const digests = new Map<string, string>();
    for (const entry of spec.tags) {
      const tag = typeof entry === "string" ? entry : entry.tag;
      const digest: string | undefined = typeof entry === "string" ? undefined : digests.get(entry.sameDigestAs);
      addArtifactTag(state, artifact, tag, digest === undefined ? {} : { digest });
      const row = state.artifactVersions.find((r) => r.artifactId === artifact.id && r.name === tag);
      if (row) digests.set(tag, row.digest);
    }
  }
  return organization;
}
