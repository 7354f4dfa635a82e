/**
 * `pulumi-distr export` without a process and without the engine: a seeded random organization in the local Distr
 * (both dialects) becomes a catalog the loader accepts, with one license per Distr license, adoption by id where
 * customer names repeat, and warnings for what only an id or digest can say. The engine round trip is in
 * test/engine/export.test.ts.
 */
import { expandCatalog } from "../../catalog/expand";
import { parseCatalog } from "../../catalog/load";
import { exportOrganization } from "../../export";
import { startLocalDistr, type LocalDistr } from "../../local-distr";
import { createDistrClient, type ClosableDistrClient } from "../../sdk/client";
import { DIALECTS } from "../../sdk/dialect";
import { populateRandomOrganization, type RandomOrganization } from "./randomOrganization";

const SEED = Number(process.env["EXPORT_SEED"] ?? 20261130);

describe.each(DIALECTS)("export of a random organization on Distr %s.x", (dialect) => {
  let distr: LocalDistr;
  let client: ClosableDistrClient;
  let organization: RandomOrganization;

  beforeAll(async () => {
    distr = await startLocalDistr({ dialect, rateLimits: false });
    const portal = createDistrClient({ host: distr.host, token: distr.token, rateLimits: false });
    console.log(`export test on ${dialect}.x: seed ${SEED} (rerun with EXPORT_SEED=${SEED})`);
    organization = await populateRandomOrganization(distr, portal, { seed: SEED, customers: 6, licenses: 24 });
    await portal.close();
  });
  beforeEach(() => {
    client = createDistrClient({ host: distr.host, token: distr.token, rateLimits: false });
  });
  afterEach(() => client.close());
  afterAll(() => distr.close());

  it("writes a catalog the loader accepts, with exactly one license per Distr license, all marked for adoption", async () => {
    const result = await exportOrganization(client, { format: "catalog", packageVersion: "9.9.9" });
    const contents = expandCatalog(parseCatalog(result.text, "exported.yaml"));
    expect(contents.customers).toHaveLength(organization.customers);
    expect(contents.applicationLicenses).toHaveLength(organization.applicationLicenses);
    // The artifact license that selects nothing cannot exist here: the generator always selects one.
    expect(contents.artifactLicenses).toHaveLength(organization.artifactLicenses);
    expect(
      contents.applicationLicenses.filter((l) => l.customer === undefined).length +
        contents.artifactLicenses.filter((l) => l.customer === undefined).length,
    ).toBe(organization.withoutCustomer);
    expect([...contents.applicationLicenses, ...contents.artifactLicenses].every((l) => l.adopt === true)).toBe(true);
    const acme = contents.customers.filter((c) => c.name === "Acme Corp");
    expect(acme.length).toBeGreaterThanOrEqual(2);
    expect(acme.every((c) => typeof c.adopt === "object")).toBe(true);
    expect(contents.customers.filter((c) => c.name !== "Acme Corp").every((c) => c.adopt === true)).toBe(true);
  });

  it("says when, from where and by which version, never the token", async () => {
    const at = new Date("2026-11-30T12:00:00Z");
    const result = await exportOrganization(client, { format: "catalog", packageVersion: "9.9.9", at });
    const header = result.text.split("\n")[0];
    expect(header).toBe(
      `# Exported from ${distr.host} (Distr ${dialect}.x) by pulumi-distr 9.9.9 at 2026-11-30T12:00:00.000Z: ` +
        `${organization.customers} customers, ${organization.applicationLicenses + organization.artifactLicenses} licenses.`,
    );
    expect(result.text).not.toContain(distr.token);
    const again = await exportOrganization(client, { format: "catalog", packageVersion: "9.9.9", at });
    expect(again.text).toBe(result.text);
  });

  it("keeps what only an id or a digest can say, and warns about it", async () => {
    const result = await exportOrganization(client, { format: "catalog", packageVersion: "9.9.9" });
    const subjects = result.warnings.map((w) => `${w.subject}: ${w.message}`);
    expect(subjects).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^artifact license "${organization.untaggedDigestLicense}" .*grants version id [0-9a-f-]{36} of artifact hello-distr/backend, which Distr lists under no tag \\(a digest without tags\\); kept by id$`,
        ),
      ),
    );
    if (organization.foreignVersionLicense !== undefined) {
      expect(subjects).toContainEqual(
        expect.stringMatching(
          new RegExp(
            `^application license "${organization.foreignVersionLicense}" .*it grants version id [0-9a-f-]{36}, which is no version of application .*; kept by id$`,
          ),
        ),
      );
    }
    for (const warning of result.warnings) expect(result.text).toContain(`# - ${warning.subject}: ${warning.message}`);
  });

  it("exports chosen customers only, without the licenses that have no customer", async () => {
    const before = distr.control.requests.length;
    const result = await exportOrganization(client, {
      format: "catalog",
      customers: ["Acme Corp", "Café Zürich"],
      packageVersion: "9.9.9",
    });
    const contents = expandCatalog(parseCatalog(result.text, "exported.yaml"));
    expect(new Set(contents.customers.map((c) => c.name))).toEqual(new Set(["Acme Corp", "Café Zürich"]));
    expect(contents.applicationLicenses.every((l) => l.customer !== undefined)).toBe(true);
    const reads = distr.control.requests.slice(before).map((r) => r.path);
    if (dialect === "3") {
      // The grouped read replaces the customer list and both license lists.
      expect(reads.filter((p) => /customer-organizations|entitlements|\/licenses$/.test(p))).toEqual([
        "/api/v1/licenses",
      ]);
    } else {
      expect(reads).not.toContain("/api/v1/licenses");
    }
    await expect(
      exportOrganization(client, { format: "catalog", customers: ["Nobody"], packageVersion: "9.9.9" }),
    ).rejects.toThrow(/Distr has no customer named "Nobody"; its customers are "Acme Corp", /);
  });

  it("writes a TypeScript program with one resource per object, each adopted", async () => {
    const result = await exportOrganization(client, { format: "typescript", packageVersion: "9.9.9" });
    const count = (pattern: RegExp) => result.text.match(pattern)?.length ?? 0;
    expect(count(/new distr\.Customer\(/g)).toBe(organization.customers);
    expect(count(/new distr\.ApplicationLicense\(/g)).toBe(organization.applicationLicenses);
    expect(count(/new distr\.ArtifactLicense\(/g)).toBe(organization.artifactLicenses);
    expect(count(/adopt: \{"id":"[0-9a-f-]+"\}/g)).toBeGreaterThanOrEqual(2);
    expect(result.text).toMatch(/^\/\/ Exported from /);
  });
});

describe("export of registry credentials", () => {
  it("never writes the password: the license reads it from a secret config value the warning names", async () => {
    const distr = await startLocalDistr({ dialect: "3", rateLimits: false });
    const client = createDistrClient({ host: distr.host, token: distr.token, rateLimits: false });
    try {
      const customer = await client.customers.create({ name: "ACME Corp" });
      const application = await client.lookups.application("hello-distr");
      await client.applicationLicenses.create({
        name: "acme-pro",
        applicationId: application?.id ?? "",
        customerOrganizationId: customer.id,
        versions: [],
        registryUrl: "registry.example.com",
        registryUsername: "acme",
        registryPassword: "pa55-w0rd-secret",
      });
      const catalog = await exportOrganization(client, { format: "catalog", packageVersion: "9.9.9" });
      const grant = parseCatalog(catalog.text, "exported.yaml").customers[0]?.grants[0];
      expect(grant?.registry).toEqual({
        url: "registry.example.com",
        username: "acme",
        passwordConfig: "registryPassword-acme-corp-acme-pro",
      });
      expect(catalog.warnings.map((w) => w.message)).toContainEqual(
        expect.stringContaining("`pulumi config set --secret registryPassword-acme-corp-acme-pro <password>`"),
      );
      const program = await exportOrganization(client, { format: "typescript", packageVersion: "9.9.9" });
      expect(program.text).toContain('password: config.requireSecret("registryPassword-acme-corp-acme-pro")');
      expect(catalog.text + program.text).not.toContain("pa55-w0rd-secret");
    } finally {
      await client.close();
      await distr.close();
    }
  });
});

describe("export of license names pulumi-distr cannot keep as they are", () => {
  it("leaves blank names (2.x) out and adopts a name with outer spaces by id, warning about each", async () => {
    const distr = await startLocalDistr({ dialect: "2", rateLimits: false });
    const client = createDistrClient({ host: distr.host, token: distr.token, rateLimits: false });
    try {
      const application = await client.lookups.application("hello-distr");
      const blank = await client.applicationLicenses.create({
        name: "",
        applicationId: application?.id ?? "",
        versions: [],
      });
      const nameless = await client.customers.create({ name: "" });
      await client.applicationLicenses.create({
        name: "of-nameless",
        applicationId: application?.id ?? "",
        customerOrganizationId: nameless.id,
        versions: [],
      });
      const padded = await client.applicationLicenses.create({
        name: " padded ",
        applicationId: application?.id ?? "",
        versions: [],
      });
      const result = await exportOrganization(client, { format: "catalog", packageVersion: "9.9.9" });
      const catalog = parseCatalog(result.text, "exported.yaml");
      expect(catalog.grantsWithoutCustomer?.map((g) => [g.name, g.adopt])).toEqual([["padded", { id: padded.id }]]);
      expect(catalog.customers).toEqual([]);
      expect(result.warnings.map((w) => `${w.subject}: ${w.message}`)).toEqual([
        `customer "" (id ${nameless.id}): its name is blank, which pulumi-distr cannot manage: not exported, nor its 1 licenses; name it in Distr and export again`,
        expect.stringMatching(
          new RegExp(`^application license "" \\(id ${blank.id}\\): its name is blank .*not exported`),
        ),
        expect.stringMatching(
          /^application license " padded " .*adopted by id, and the first `up` renames it to "padded"$/,
        ),
      ]);
    } finally {
      await client.close();
      await distr.close();
    }
  });
});
