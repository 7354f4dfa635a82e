import { DIALECT_SPECS, DIALECTS } from "../../sdk/dialect";
import { DIALECT_TEXTS } from "../../sdk/errorTexts";
import type { Harness } from "./harness";
import { applicationId, startHarness, versionId } from "./harness";

describe.each(DIALECTS)("application licenses on Distr %s.x", (dialect) => {
  const noun = DIALECT_SPECS[dialect].noun;
  let h: Harness;
  let app: string;
  let customer: string;
  beforeEach(async () => {
    h = await startHarness(dialect);
    app = await applicationId(h.client, "hello-distr");
    customer = (await h.client.customers.create({ name: "Acme Corp" })).id;
  });
  afterEach(() => h.close());

  it(`creates an application ${noun} with versions and reads it back by id, from the list and by name`, async () => {
    const v21 = await versionId(h.client, "hello-distr", "2.1.0");
    const created = await h.client.applicationLicenses.create({
      name: "acme-prod",
      applicationId: app,
      customerOrganizationId: customer,
      expiresAt: "2027-01-01T00:00:00Z",
      versions: [{ id: v21 }],
    });
    expect(created).toMatchObject({
      name: "acme-prod",
      applicationId: app,
      customerOrganizationId: customer,
      expiresAt: "2027-01-01T00:00:00Z",
      versions: [expect.objectContaining({ id: v21 })],
    });
    expect(await h.client.applicationLicenses.get(created.id)).toMatchObject({ id: created.id, name: "acme-prod" });
    expect(await h.client.applicationLicenses.list()).toEqual([expect.objectContaining({ id: created.id })]);
    expect(await h.client.applicationLicenses.list({ applicationId: app })).toHaveLength(1);
    const helm = await applicationId(h.client, "hello-distr-helm");
    expect(await h.client.applicationLicenses.list({ applicationId: helm })).toEqual([]);
    expect(await h.client.applicationLicenses.findByName("acme-prod", customer)).toMatchObject({ id: created.id });
  });

  it("finds a license by name only in the dialect's name scope", async () => {
    const other = (await h.client.customers.create({ name: "Other Corp" })).id;
    const created = await h.client.applicationLicenses.create({
      name: "shared-name",
      applicationId: app,
      customerOrganizationId: customer,
      versions: [],
    });
    const foundForOther = await h.client.applicationLicenses.findByName("shared-name", other);
    // 3.x: names are unique per customer; 2.x: per organization (quirk 13).
    expect(foundForOther?.id).toBe(dialect === "3" ? undefined : created.id);
    expect(await h.client.applicationLicenses.findByName("unknown", customer)).toBeUndefined();
  });

  it("updates as a full replacement and keeps the owner (the body carries the id, quirk 7)", async () => {
    const created = await h.client.applicationLicenses.create({
      name: "acme-prod",
      applicationId: app,
      customerOrganizationId: customer,
      expiresAt: "2027-01-01T00:00:00Z",
      versions: [],
    });
    const updated = await h.client.applicationLicenses.update(created.id, {
      name: "acme-production",
      applicationId: app,
      customerOrganizationId: customer,
      versions: [],
    });
    expect(updated).toMatchObject({ id: created.id, name: "acme-production" });
    expect(updated.expiresAt).toBeUndefined();
    const other = (await h.client.customers.create({ name: "Other Corp" })).id;
    await expect(
      h.client.applicationLicenses.update(created.id, {
        name: "acme-production",
        applicationId: app,
        customerOrganizationId: other,
        versions: [],
      }),
    ).rejects.toMatchObject({ kind: "bad-request", status: 400, distrMessage: DIALECT_TEXTS[dialect].ownerChange });
    expect((await h.client.applicationLicenses.get(created.id))?.customerOrganizationId).toBe(customer);
  });

  it("classifies a duplicate name as name-taken", async () => {
    const request = { name: "dup", applicationId: app, customerOrganizationId: customer, versions: [] };
    await h.client.applicationLicenses.create(request);
    await expect(h.client.applicationLicenses.create(request)).rejects.toMatchObject({
      kind: "name-taken",
      status: 400,
      distrMessage: DIALECT_TEXTS[dialect].applicationLicenseNameTaken,
    });
  });

  it("classifies removing a version as the dialect's narrowing rule says", async () => {
    const v20 = await versionId(h.client, "hello-distr", "2.0.0");
    const v21 = await versionId(h.client, "hello-distr", "2.1.0");
    const base = { name: "narrow", applicationId: app, customerOrganizationId: customer };
    const created = await h.client.applicationLicenses.create({ ...base, versions: [{ id: v20 }, { id: v21 }] });
    h.distr.control.markVersionDeployed(created.id, "2.0.0", "acme-prod-cluster");
    const narrowing = h.client.applicationLicenses.update(created.id, { ...base, versions: [{ id: v21 }] });
    await expect(narrowing).rejects.toMatchObject({
      kind: "scope-narrowing-rejected",
      status: dialect === "3" ? 409 : 400,
    });
  });

  it("classifies deleting a license a deployment uses as in-use, and deletes an unused one", async () => {
    const v20 = await versionId(h.client, "hello-distr", "2.0.0");
    const base = { applicationId: app, customerOrganizationId: customer, versions: [{ id: v20 }] };
    const used = await h.client.applicationLicenses.create({ ...base, name: "used" });
    h.distr.control.markVersionDeployed(used.id, "2.0.0", "cluster");
    await expect(h.client.applicationLicenses.delete(used.id)).rejects.toMatchObject({
      kind: "in-use",
      distrMessage: DIALECT_TEXTS[dialect].deleteInUse,
    });
    const unused = await h.client.applicationLicenses.create({ ...base, name: "unused" });
    await h.client.applicationLicenses.delete(unused.id);
    expect(await h.client.applicationLicenses.get(unused.id)).toBeUndefined();
  });

  it("checks registry credentials are all given or none before sending anything (quirk 10)", async () => {
    const before = h.serverRequests().length;
    await expect(
      h.client.applicationLicenses.create({
        name: "registry",
        applicationId: app,
        customerOrganizationId: customer,
        registryUrl: "registry.example.com",
        versions: [],
      }),
    ).rejects.toMatchObject({ kind: "bad-request" });
    expect(h.serverRequests(before)).toEqual([]);
  });

  it("forgets licenses of a deleted customer (the delete cascades, quirk 16)", async () => {
    const created = await h.client.applicationLicenses.create({
      name: "cascade",
      applicationId: app,
      customerOrganizationId: customer,
      versions: [],
    });
    expect(await h.client.applicationLicenses.list()).toHaveLength(1);
    await h.client.customers.delete(customer);
    expect(await h.client.applicationLicenses.get(created.id)).toBeUndefined();
    expect(await h.client.applicationLicenses.list()).toEqual([]);
  });
});

describe("application licenses on Distr 2.x with a Helm application (quirk 2)", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness("2");
  });
  afterEach(() => h.close());

  it("reports a create answered with an empty 200 as a rolled-back server-error", async () => {
    const helm = await applicationId(h.client, "hello-distr-helm");
    const v1 = await versionId(h.client, "hello-distr-helm", "1.0.0");
    await expect(
      h.client.applicationLicenses.create({ name: "helm", applicationId: helm, versions: [{ id: v1 }] }),
    ).rejects.toMatchObject({ kind: "server-error", status: 200, message: expect.stringContaining("rolled back") });
    expect(await h.client.applicationLicenses.list()).toEqual([]);
  });
});

describe("reading one application license", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness("3");
  });
  afterEach(() => h.close());

  it("falls back to GET /{id} when the list fails with a server error", async () => {
    const app = await applicationId(h.client, "hello-distr");
    const created = await h.client.applicationLicenses.create({ name: "solo", applicationId: app, versions: [] });
    h.distr.control.injectFaults({ kind: "status", status: 500, match: { method: "GET", path: /entitlements$/ } });
    const before = h.serverRequests().length;
    expect(await h.client.applicationLicenses.get(created.id)).toMatchObject({ id: created.id, name: "solo" });
    expect(h.serverRequests(before).map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      "GET /api/v1/application-entitlements 500",
      `GET /api/v1/application-entitlements/${created.id} 200`,
    ]);
  });
});
