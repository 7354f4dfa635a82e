import { narrowingInUse } from "../../sdk/errorTexts";
import { CatalogError, SEED_ORGANIZATION_NAME, startLocalDistr, type LocalDistr } from "../../local-distr";
import { z } from "zod";
import {
  ApplicationSchema,
  ApplicationVersionSchema,
  ArtifactSchema,
  CustomerSchema,
  type Artifact,
} from "../../sdk/schemas";

const ApplicationWithVersionsSchema = ApplicationSchema.extend({ versions: z.array(ApplicationVersionSchema) });
import { call, created, json } from "./localDistrHttp";

describe("local Distr seed and test controls", () => {
  let distr: LocalDistr;

  beforeEach(async () => {
    distr = await startLocalDistr({ rateLimits: false });
  });

  afterEach(async () => {
    await distr.close();
  });

  async function application(name: string): Promise<z.infer<typeof ApplicationWithVersionsSchema>> {
    const list = json(await call(distr, "GET", "/applications"), z.array(ApplicationWithVersionsSchema));
    return list.find((a) => a.name === name)!;
  }

  async function artifact(name: string): Promise<Required<Artifact>> {
    const list = json(await call(distr, "GET", "/artifacts"), z.array(ArtifactSchema));
    return json(
      await call(distr, "GET", `/artifacts/${list.find((a) => a.name === name)!.id}`),
      ArtifactSchema.required({ versions: true }),
    );
  }

  it("seeds the demo vendor with licensing (and vendor_billing for license templates), no customers, and the fixed catalog", async () => {
    expect(json(await call(distr, "GET", "/organization"))).toMatchObject({
      name: SEED_ORGANIZATION_NAME,
      features: ["licensing", "vendor_billing"],
      subscriptionType: "enterprise",
    });
    expect(json(await call(distr, "GET", "/customer-organizations"))).toEqual([]);
    const hello = await application("hello-distr");
    expect(hello.type).toBe("docker");
    expect(hello.versions.map((v) => v.name)).toEqual([
      "1.0.0",
      "1.1.0",
      "1.2.0",
      "2.0.0",
      "2.1.0",
      "2.2.0",
      "2.3.0",
      "2.4.0-rc.1",
      "3.0.0-beta.1",
    ]);
    expect(hello.versions.filter((v) => v.archivedAt !== undefined).map((v) => v.name)).toEqual(["1.0.0"]);
    expect((await application("hello-distr-helm")).versions.map((v) => v.name)).toEqual(["1.0.0", "1.1.0", "2.0.0"]);
    const backend = await artifact("hello-distr/backend");
    expect(backend.versions.map((v) => v.tags.map((t) => t.name))).toEqual([
      ["2.1.0", "latest"],
      ["2.0.0"],
      ["1.1.0"],
      ["1.0.0"],
    ]);
    expect((await artifact("hello-distr/frontend")).versions).toHaveLength(4);
    expect((await artifact("hello-distr/chart")).versions.map((v) => v.tags[0]!.name)).toEqual([
      "1.4.0",
      "1.3.0",
      "1.2.0",
    ]);
  });

  it("seed: false starts the organization without a catalog", async () => {
    const bare = await startLocalDistr({ seed: false, rateLimits: false });
    try {
      expect(json(await call(bare, "GET", "/applications"))).toEqual([]);
      expect(json(await call(bare, "GET", "/artifacts"))).toEqual([]);
      expect((await call(bare, "GET", "/organization")).status).toBe(200);
    } finally {
      await bare.close();
    }
  });

  it("addApplicationVersion publishes by name or id; duplicate versions and unknown applications throw", async () => {
    const { id } = distr.control.addApplicationVersion("hello-distr-helm", "3.0.0");
    const helm = await application("hello-distr-helm");
    expect(helm.versions.at(-1)).toMatchObject({ id, name: "3.0.0" });
    distr.control.addApplicationVersion(helm.id, "3.1.0", { archived: true });
    expect((await application("hello-distr-helm")).versions.at(-1)).toMatchObject({
      name: "3.1.0",
      archivedAt: expect.any(String),
    });
    expect(() => distr.control.addApplicationVersion("hello-distr-helm", "3.0.0")).toThrow(CatalogError);
    expect(() => distr.control.addApplicationVersion("nope", "1.0.0")).toThrow(/no application "nope"/);
  });

  it("addArtifactTag pushes a new digest, or a tag onto an existing digest, and moves a re-pushed tag", async () => {
    const { versionId } = distr.control.addArtifactTag("hello-distr/frontend", "3.0.0");
    let frontend = await artifact("hello-distr/frontend");
    expect(frontend.versions[0]).toMatchObject({ id: versionId, tags: [{ name: "3.0.0" }] });
    const sameDigest = distr.control.addArtifactTag("hello-distr/frontend", "stable", {
      digest: frontend.versions[0]!.digest,
    });
    expect(sameDigest.versionId).toBe(versionId);
    const moved = distr.control.addArtifactTag("hello-distr/frontend", "1.0.0");
    frontend = await artifact("hello-distr/frontend");
    expect(frontend.versions[0]).toMatchObject({ id: moved.versionId, tags: [{ name: "1.0.0" }] });
    expect(frontend.versions.flatMap((v) => v.tags.map((t) => t.name)).filter((t) => t === "1.0.0")).toHaveLength(1);
  });

  it("markVersionDeployed blocks narrowing away from the version (409) and deleting the license (400)", async () => {
    const customer = created(await call(distr, "POST", "/customer-organizations", { body: { name: "Acme" } }));
    const hello = await application("hello-distr");
    const v = (name: string) => ({ id: hello.versions.find((x) => x.name === name)!.id });
    const license = created(
      await call(distr, "POST", "/application-entitlements", {
        body: {
          name: "acme",
          applicationId: hello.id,
          customerOrganizationId: customer.id,
          versions: [v("2.0.0"), v("2.1.0")],
        },
      }),
    );
    distr.control.markVersionDeployed(license.id, "2.0.0", "prod");
    distr.control.markVersionDeployed(license.id, "2.1.0", "staging");
    const body = { id: license.id, name: "acme", applicationId: hello.id, customerOrganizationId: customer.id };
    const narrowed = await call(distr, "PUT", `/application-entitlements/${license.id}`, {
      body: { ...body, versions: [v("2.1.0")] },
    });
    expect(narrowed).toMatchObject({
      status: 409,
      text: narrowingInUse([{ deploymentTarget: "prod", version: "2.0.0" }]) + "\n",
    });
    // The target moves on to 2.1.0: now the narrowing is allowed.
    distr.control.markVersionDeployed(license.id, "2.1.0", "prod");
    expect(
      (
        await call(distr, "PUT", `/application-entitlements/${license.id}`, {
          body: { ...body, versions: [v("2.1.0")] },
        })
      ).status,
    ).toBe(200);
    expect((await call(distr, "DELETE", `/application-entitlements/${license.id}`)).status).toBe(400);
    const listed = json(await call(distr, "GET", "/customer-organizations"), z.array(CustomerSchema));
    expect(listed[0]!.deploymentTargetCount).toBe(2);
  });

  it("markVersionDeployed refuses licenses without customer and versions of other applications", async () => {
    const hello = await application("hello-distr");
    const license = created(
      await call(distr, "POST", "/application-entitlements", { body: { name: "vendor", applicationId: hello.id } }),
    );
    expect(() => distr.control.markVersionDeployed(license.id, "2.0.0", "prod")).toThrow(/no customer/);
    expect(() => distr.control.markVersionDeployed("00000000-0000-0000-0000-000000000001", "2.0.0", "prod")).toThrow(
      CatalogError,
    );
  });

  it("addOrganization gives an isolated organization with its own token and role", async () => {
    const other = distr.control.addOrganization({ name: "Rival", role: "read_only" });
    const asOther = { host: distr.host, token: other.token };
    expect(json(await call(asOther, "GET", "/organization"))).toMatchObject({ id: other.id, name: "Rival" });
    expect(json(await call(asOther, "GET", "/applications"))).toEqual([]);
    expect(await call(asOther, "POST", "/customer-organizations", { body: { name: "x" } })).toMatchObject({
      status: 403,
      text: "insufficient permissions\n",
    });
    const unlicensed = distr.control.addOrganization({ licensing: false });
    expect(await call({ host: distr.host, token: unlicensed.token }, "GET", "/application-entitlements")).toMatchObject(
      { status: 403, text: "licensing not enabled for organization\n" },
    );
  });

  it("setLicensing switches the seed organization's feature, visible in GET /organization", async () => {
    distr.control.setLicensing(false);
    expect(json(await call(distr, "GET", "/organization"))).toMatchObject({ features: ["vendor_billing"] });
    expect((await call(distr, "GET", "/artifact-entitlements")).status).toBe(403);
    distr.control.setLicensing(true);
    expect((await call(distr, "GET", "/artifact-entitlements")).status).toBe(200);
  });

  it("GET /licenses groups each customer's entitlements, customers without any included, customer-less ones not", async () => {
    const acme = created(await call(distr, "POST", "/customer-organizations", { body: { name: "Acme" } }));
    await call(distr, "POST", "/customer-organizations", { body: { name: "Beta" } });
    const hello = await application("hello-distr");
    await call(distr, "POST", "/application-entitlements", {
      body: { name: "acme", applicationId: hello.id, customerOrganizationId: acme.id },
    });
    await call(distr, "POST", "/application-entitlements", { body: { name: "vendor-only", applicationId: hello.id } });
    await call(distr, "POST", "/artifact-entitlements", {
      body: { name: "acme-images", customerOrganizationId: acme.id },
    });
    const named = z.array(z.object({ name: z.string() }));
    const snapshot = json(
      await call(distr, "GET", "/licenses"),
      z.array(
        z.object({
          customerOrganization: z.looseObject({ name: z.string() }),
          applicationEntitlements: named,
          artifactEntitlements: named,
          licenseKeys: z.array(z.unknown()),
        }),
      ),
    );
    expect(
      snapshot.map((s) => ({
        customer: s.customerOrganization.name,
        app: s.applicationEntitlements.map((e) => e.name),
        artifact: s.artifactEntitlements.map((e) => e.name),
        keys: s.licenseKeys,
      })),
    ).toEqual([
      { customer: "Acme", app: ["acme"], artifact: ["acme-images"], keys: [] },
      { customer: "Beta", app: [], artifact: [], keys: [] },
    ]);
    expect(snapshot[0]!.customerOrganization).not.toHaveProperty("userCount");
  });
});
