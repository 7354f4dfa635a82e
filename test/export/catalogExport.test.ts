/** The pure half of export: a snapshot in, catalog text out (no Distr, no process). */
import { parseDocument } from "yaml";
import { expandCatalog } from "../../catalog/expand";
import { parseCatalog } from "../../catalog/load";
import { describeOrganization, renderCatalog } from "../../export";
import type { OrganizationSnapshot } from "../../export/organizationSnapshot";
import type { Application, ApplicationLicense, Artifact, ArtifactLicense, Customer } from "../../sdk/schemas";

const AT = "2026-01-01T00:00:00Z";
const customer = (id: string, name: string): Customer => ({
  id,
  name,
  createdAt: AT,
  features: ["deployment_targets", "artifacts"],
});
const application: Application = {
  id: "app",
  name: "hello-distr",
  type: "docker",
  createdAt: AT,
  versions: [
    { id: "v1", name: "1.0.0", createdAt: AT, archivedAt: AT },
    { id: "v2", name: "2.0.0", createdAt: AT },
  ],
};
const artifact: Artifact = {
  id: "art",
  name: "hello-distr/backend",
  createdAt: AT,
  versions: [
    {
      id: "d1",
      digest: `sha256:${"1".repeat(64)}`,
      createdAt: AT,
      tags: [
        { id: "t1", name: "2.1.0" },
        { id: "t2", name: "latest" },
      ],
    },
  ],
};
const appLicense = (
  id: string,
  name: string,
  customerId: string | undefined,
  versions: string[],
  expiresAt?: string,
): ApplicationLicense => ({
  id,
  name,
  createdAt: AT,
  applicationId: "app",
  ...(customerId ? { customerOrganizationId: customerId } : {}),
  ...(expiresAt ? { expiresAt } : {}),
  versions: versions.map((v) => ({ id: v })),
});
const artifactLicense = (id: string, name: string, customerId: string, versionIds: string[]): ArtifactLicense => ({
  id,
  name,
  createdAt: AT,
  customerOrganizationId: customerId,
  artifacts: [{ artifactId: "art", versionIds }],
});

function snapshot(): OrganizationSnapshot {
  const customers = [customer("c1", "ACME Corp"), customer("c2", "Globex"), customer("c3", "Initech")];
  return {
    host: "https://distr.example.com",
    dialect: "3",
    allCustomers: customers,
    customers,
    applicationLicenses: [
      appLicense("l1", "acme-pro", "c1", ["v1", "v2"], "2027-01-01T00:00:00Z"),
      appLicense("l2", "globex-pro", "c2", ["v2", "v1"]),
      appLicense("l3", "initech-all", "c3", []),
      appLicense("l4", "vendor trial", undefined, ["v2"]),
    ],
    artifactLicenses: [artifactLicense("a1", "acme-images", "c1", ["d1"])],
    withLicensesWithoutCustomer: true,
    applications: new Map([["app", application]]),
    artifacts: new Map([["art", artifact]]),
    licenseKeys: [],
    licenseTemplates: [],
  };
}

describe("the catalog an export writes", () => {
  const text = renderCatalog(describeOrganization(snapshot()), { at: new Date(AT), packageVersion: "1.2.3" });
  const raw = parseDocument(text).toJS() as {
    plans: Record<string, unknown>;
    customers: Array<{ name: string; grants: Array<Record<string, unknown>> }>;
    grantsWithoutCustomer: Array<Record<string, unknown>>;
  };

  it("gives customers with identical grants one plan (archived versions listed by name) and writes the rest inline", () => {
    expect(raw.plans).toEqual({
      "hello-distr-1-0-0-2-0-0": {
        description: "shared by 2 licenses",
        applications: { "hello-distr": ["1.0.0", "2.0.0"] },
      },
    });
    expect(raw.customers.map((c) => [c.name, c.grants])).toEqual([
      [
        "ACME Corp",
        [
          { plan: "hello-distr-1-0-0-2-0-0", name: "acme-pro", expiresAt: "2027-01-01T00:00:00Z", adopt: true },
          { name: "acme-images", artifacts: { "hello-distr/backend": ["2.1.0", "latest"] }, adopt: true },
        ],
      ],
      ["Globex", [{ plan: "hello-distr-1-0-0-2-0-0", name: "globex-pro", adopt: true }]],
      ["Initech", [{ name: "initech-all", applications: { "hello-distr": "all" }, adopt: true }]],
    ]);
    expect(raw.grantsWithoutCustomer).toEqual([
      { name: "vendor trial", applications: { "hello-distr": ["2.0.0"] }, adopt: true },
    ]);
  });

  it("is a catalog whose licenses are exactly the organization's, under their Distr names", () => {
    const contents = expandCatalog(parseCatalog(text, "exported.yaml"));
    expect(contents.applicationLicenses.map((l) => [l.resourceName, l.name, l.customer, l.versions])).toEqual([
      ["acme-corp-acme-pro", "acme-pro", "acme-corp", ["1.0.0", "2.0.0"]],
      ["globex-globex-pro", "globex-pro", "globex", ["1.0.0", "2.0.0"]],
      ["initech-initech-all", "initech-all", "initech", "all"],
      ["vendor-trial", "vendor trial", undefined, ["2.0.0"]],
    ]);
    expect(
      text.startsWith(
        "# Exported from https://distr.example.com (Distr 3.x) by pulumi-distr 1.2.3 at 2026-01-01T00:00:00.000Z: 3 customers, 5 licenses.\n",
      ),
    ).toBe(true);
  });
});
