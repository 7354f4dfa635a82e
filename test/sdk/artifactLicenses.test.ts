import { DIALECT_SPECS, DIALECTS } from "../../sdk/dialect";
import { DIALECT_TEXTS } from "../../sdk/errorTexts";
import type { Harness } from "./harness";
import { artifactId, artifactVersionId, startHarness } from "./harness";

describe.each(DIALECTS)("artifact licenses on Distr %s.x", (dialect) => {
  const noun = DIALECT_SPECS[dialect].noun;
  let h: Harness;
  let backend: string;
  let frontend: string;
  let customer: string;
  beforeEach(async () => {
    h = await startHarness(dialect);
    backend = await artifactId(h.client, "hello-distr/backend");
    frontend = await artifactId(h.client, "hello-distr/frontend");
    customer = (await h.client.customers.create({ name: "Acme Corp" })).id;
  });
  afterEach(() => h.close());

  it(`creates an artifact ${noun} and returns what Distr stored, read from the list (quirk 11)`, async () => {
    const v210 = await artifactVersionId(h.client, "hello-distr/backend", "2.1.0");
    const latest = await artifactVersionId(h.client, "hello-distr/backend", "latest");
    expect(latest).toBe(v210);
    const before = h.serverRequests().length;
    const created = await h.client.artifactLicenses.create({
      name: "acme-images",
      customerOrganizationId: customer,
      artifacts: [
        { artifactId: frontend, versionIds: [] },
        { artifactId: backend, versionIds: [v210] },
      ],
    });
    expect(h.serverRequests(before).map((r) => r.method)).toEqual(["POST", "GET"]);
    expect(created.id).toEqual(expect.any(String));
    expect(created.customerOrganizationId).toBe(customer);
    // The list's truth: all-versions selections read back as [], selections ordered by artifact id.
    expect(created.artifacts).toEqual(
      [
        { artifactId: frontend, versionIds: [] },
        { artifactId: backend, versionIds: [v210] },
      ].sort((a, b) => a.artifactId.localeCompare(b.artifactId)),
    );
    expect(await h.client.artifactLicenses.get(created.id)).toEqual(created);
    expect(await h.client.artifactLicenses.findByName("acme-images", customer)).toEqual(created);
  });

  it("updates as a full replacement of the selections and re-reads the stored state", async () => {
    const v100 = await artifactVersionId(h.client, "hello-distr/backend", "1.0.0");
    const created = await h.client.artifactLicenses.create({
      name: "acme-images",
      customerOrganizationId: customer,
      artifacts: [
        { artifactId: backend, versionIds: [v100] },
        { artifactId: frontend, versionIds: [] },
      ],
    });
    const updated = await h.client.artifactLicenses.update(created.id, {
      name: "acme-images",
      customerOrganizationId: customer,
      artifacts: [{ artifactId: backend, versionIds: [] }],
    });
    expect(updated).toMatchObject({ id: created.id, artifacts: [{ artifactId: backend, versionIds: [] }] });
    const emptied = await h.client.artifactLicenses.update(created.id, {
      name: "acme-images",
      customerOrganizationId: customer,
      artifacts: [],
    });
    // Distr omits `artifacts` when there are no selections.
    expect(emptied.artifacts).toBeUndefined();
  });

  it("deletes and then reads the license as gone", async () => {
    const created = await h.client.artifactLicenses.create({ name: "gone", artifacts: [] });
    await h.client.artifactLicenses.delete(created.id);
    expect(await h.client.artifactLicenses.get(created.id)).toBeUndefined();
    await expect(h.client.artifactLicenses.delete(created.id)).rejects.toMatchObject({ kind: "not-found" });
  });

  it("classifies a duplicate name in the scope as name-taken and finds names only in the dialect's scope", async () => {
    const other = (await h.client.customers.create({ name: "Other Corp" })).id;
    const created = await h.client.artifactLicenses.create({
      name: "images",
      customerOrganizationId: customer,
      artifacts: [],
    });
    await expect(
      h.client.artifactLicenses.create({ name: "images", customerOrganizationId: customer, artifacts: [] }),
    ).rejects.toMatchObject({ kind: "name-taken", distrMessage: DIALECT_TEXTS[dialect].artifactLicenseNameTaken });
    expect((await h.client.artifactLicenses.findByName("images", other))?.id).toBe(
      dialect === "3" ? undefined : created.id,
    );
  });
});
