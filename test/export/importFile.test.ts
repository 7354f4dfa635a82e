/**
 * `pulumi-distr export --format import`: the file `pulumi import --file` takes. The pure half (a described
 * organization in, the engine's import file out: plugin type tokens, unique names, ids, provider and parent through
 * `nameTable`) and the read of a real local Distr (both dialects; keys and templates on 3.x), with the requests it
 * costs. The engine round trip (import with 0 writes, empty next preview) is in test/engine/pluginImport.test.ts.
 */
import {
  describeOrganization,
  exportOrganization,
  IMPORT_TYPES,
  importFileOf,
  importFileSchema,
  renderImportFile,
} from "../../export";
import type { OrganizationSnapshot } from "../../export/organizationSnapshot";
import { startLocalDistr, type LocalDistr } from "../../local-distr";
import { createDistrClient } from "../../sdk/client";
import type { Application, ApplicationLicense, Artifact, ArtifactLicense, Customer } from "../../sdk/schemas";
import type { LicenseKey, LicenseTemplate } from "../../sdk/schemas";
import { seedAcmeLicenses } from "../sdk/harness";

const AT = "2026-01-01T00:00:00Z";
const customer = (id: string, name: string): Customer => ({ id, name, createdAt: AT, features: [] });
const application: Application = {
  id: "app",
  name: "hello-distr",
  type: "docker",
  createdAt: AT,
  versions: [{ id: "v2", name: "2.0.0", createdAt: AT }],
};
const artifact: Artifact = { id: "art", name: "hello-distr/backend", createdAt: AT, versions: [] };
const appLicense = (id: string, name: string, customerId?: string): ApplicationLicense => ({
  id,
  name,
  createdAt: AT,
  applicationId: "app",
  ...(customerId ? { customerOrganizationId: customerId } : {}),
  versions: [{ id: "v2" }],
});
const artifactLicense = (id: string, name: string, customerId: string): ArtifactLicense => ({
  id,
  name,
  createdAt: AT,
  customerOrganizationId: customerId,
  artifacts: [{ artifactId: "art", versionIds: [] }],
});
const key = (id: string, name: string, customerId?: string, templateId?: string): LicenseKey => ({
  id,
  name,
  createdAt: AT,
  ...(customerId ? { customerOrganizationId: customerId } : {}),
  ...(templateId ? { licenseTemplateId: templateId } : {}),
});
const template = (id: string, name: string): LicenseTemplate => ({
  id,
  name,
  createdAt: AT,
  payloadTemplate: '{"seats": 1}',
  expirationGracePeriodDays: 0,
});

function snapshot(): OrganizationSnapshot {
  const customers = [customer("c1", "ACME Corp"), customer("c2", "Globex")];
  return {
    host: "https://distr.example.com",
    dialect: "3",
    allCustomers: customers,
    customers,
    // ACME's application and artifact license share a name: one resource name each in the file.
    applicationLicenses: [
      appLicense("l1", "pro", "c1"),
      appLicense("l2", "Globex Pro", "c2"),
      appLicense("l3", "trial"),
    ],
    artifactLicenses: [artifactLicense("a1", "pro", "c1")],
    withLicensesWithoutCustomer: true,
    applications: new Map([["app", application]]),
    artifacts: new Map([["art", artifact]]),
    licenseKeys: [
      key("k1", "acme-prod", "c1", "t1"),
      key("k2", " padded", "c1"),
      key("k3", "vendor-ci"),
      key("k4", "zeta", "c2"),
    ],
    licenseTemplates: [template("t2", "Enterprise"), template("t1", "Pro Seats")],
  };
}

describe("the import file an export writes", () => {
  const organization = describeOrganization(snapshot());

  it("lists every customer, license, key and template once, by id, with the plugin's type token", () => {
    const file = importFileOf(organization);
    expect(file).toEqual({
      resources: [
        { type: "distr:index:LicenseTemplate", name: "enterprise", id: "t2" },
        { type: "distr:index:LicenseTemplate", name: "pro-seats", id: "t1" },
        { type: "distr:index:Customer", name: "acme-corp", id: "c1" },
        { type: "distr:index:ApplicationLicense", name: "acme-corp-pro", id: "l1" },
        { type: "distr:index:ArtifactLicense", name: "acme-corp-pro-2", id: "a1" },
        { type: "distr:index:LicenseKey", name: "acme-corp-acme-prod", id: "k1" },
        { type: "distr:index:Customer", name: "globex", id: "c2" },
        { type: "distr:index:ApplicationLicense", name: "globex-globex-pro", id: "l2" },
        { type: "distr:index:LicenseKey", name: "globex-zeta", id: "k4" },
        { type: "distr:index:ApplicationLicense", name: "trial", id: "l3" },
        { type: "distr:index:LicenseKey", name: "vendor-ci", id: "k3" },
      ],
    });
    expect(importFileSchema.parse(file)).toEqual(file);
    const names = file.resources.map((r) => r.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it("leaves out a key whose name has outer spaces (Distr cannot rename a key), saying so", () => {
    expect(JSON.stringify(importFileOf(organization))).not.toContain('"k2"');
    expect(organization.warnings).toContainEqual({
      subject: 'license key " padded" (id k2)',
      message: expect.stringContaining("Distr cannot rename a key: not exported"),
    });
  });

  it("keeps the template a key is rendered from, for the key's reference", () => {
    expect(organization.customers[0]?.licenseKeys).toEqual([
      { id: "k1", name: "acme-prod", resourceName: "acme-corp-acme-prod", template: "t1" },
    ]);
  });

  it("names an explicit provider and a parent through nameTable, for every resource", () => {
    const provider = { name: "hub-eu", urn: "urn:pulumi:dev::licenses::pulumi:providers:distr::hub-eu" };
    const parent = { name: "licenses", urn: "urn:pulumi:dev::licenses::my:index:Licenses::licenses" };
    const file = importFileOf(organization, { provider, parent });
    expect(file.nameTable).toEqual({ "hub-eu": provider.urn, licenses: parent.urn });
    expect(file.resources.every((r) => r.provider === "hub-eu" && r.parent === "licenses")).toBe(true);
    expect(importFileSchema.parse(file)).toEqual(file);
  });

  it("never gives a resource the name of the provider or parent (the engine would call it ambiguous)", () => {
    const provider = { name: "acme-corp", urn: "urn:pulumi:dev::licenses::pulumi:providers:distr::acme-corp" };
    const names = importFileOf(organization, { provider }).resources.map((r) => r.name);
    expect(names).toContain("acme-corp-2");
    expect(names.filter((name) => name === "acme-corp")).toEqual([]);
  });

  it("is indented JSON ending with a newline", () => {
    const text = renderImportFile(organization);
    expect(text.endsWith("}\n")).toBe(true);
    expect(text).toContain('\n    "resources": [');
    expect(JSON.parse(text)).toEqual(importFileOf(organization));
  });
});

describe.each(["3", "2"] as const)("export --format import from a local Distr %s.x", (dialect) => {
  let distr: LocalDistr;
  let ids: { customer: string; key?: string; template?: string; vendorKey?: string };

  beforeAll(async () => {
    distr = await startLocalDistr({ dialect, rateLimits: false });
    if (dialect === "3") distr.control.setFeature("vendor_billing", true);
    const portal = createDistrClient({ host: distr.host, token: distr.token, rateLimits: false });
    ids = { customer: await seedAcmeLicenses(portal) };
    if (dialect === "3") {
      const pro = await portal.licenseTemplates.create({
        name: "pro",
        payloadTemplate: '{"seats": 10}',
        expirationGracePeriodDays: 7,
      });
      ids.template = pro.id;
      ids.key = (
        await portal.licenseKeys.create({
          name: "acme-prod",
          customerOrganizationId: ids.customer,
          licenseTemplateId: pro.id,
        })
      ).id;
      ids.vendorKey = (
        await portal.licenseKeys.create({
          name: "vendor-ci",
          payload: { seats: 1 },
          notBefore: "2026-01-01T00:00:00Z",
          expiresAt: "2027-01-01T00:00:00Z",
        })
      ).id;
    }
    await portal.close();
  });
  afterAll(() => distr.close());

  it("writes every object of the organization, reading only", async () => {
    const client = createDistrClient({ host: distr.host, token: distr.token, rateLimits: false });
    const before = distr.control.requests.length;
    const result = await exportOrganization(client, { format: "import", packageVersion: "9.9.9" });
    await client.close();
    const requests = distr.control.requests.slice(before);
    console.info(
      `export --format import on ${dialect}.x: ${requests.length} requests (${requests.map((r) => `${r.method} ${r.path}`).join(", ")})`,
    );
    expect(requests.filter((r) => r.method !== "GET")).toEqual([]);
    const file = importFileSchema.parse(JSON.parse(result.text));
    const byType = (type: string) => file.resources.filter((r) => r.type === type).map((r) => [r.name, r.id]);
    expect(byType(IMPORT_TYPES.customer)).toEqual([["acme-corp", ids.customer]]);
    expect(byType(IMPORT_TYPES.application).map(([name]) => name)).toEqual(["acme-corp-acme-pro"]);
    expect(byType(IMPORT_TYPES.artifact).map(([name]) => name)).toEqual(["acme-corp-acme-images"]);
    if (dialect === "3") {
      expect(byType(IMPORT_TYPES.licenseTemplate)).toEqual([["pro", ids.template]]);
      expect(byType(IMPORT_TYPES.licenseKey)).toEqual([
        ["acme-corp-acme-prod", ids.key],
        ["vendor-ci", ids.vendorKey],
      ]);
    } else {
      // Distr 2.x has no license keys or templates (section 8), and the export does not ask for them.
      expect(byType(IMPORT_TYPES.licenseKey)).toEqual([]);
      expect(requests.some((r) => r.path.includes("license-"))).toBe(false);
    }
  });

  it("takes only the chosen customer's keys, and the templates they use", async () => {
    if (dialect === "2") return;
    const client = createDistrClient({ host: distr.host, token: distr.token, rateLimits: false });
    const result = await exportOrganization(client, {
      format: "import",
      packageVersion: "9.9.9",
      customers: ["ACME Corp"],
    });
    await client.close();
    const names = importFileSchema.parse(JSON.parse(result.text)).resources.map((r) => r.name);
    expect(names).toEqual(["pro", "acme-corp", "acme-corp-acme-pro", "acme-corp-acme-images", "acme-corp-acme-prod"]);
  });
});
