import { UNKNOWN } from "../../provider/unknowns";
import { createCustomer, SimulatedResource, startTestbed, type ProviderTestbed } from "./providerHarness";

const VALIDITY = { notBefore: "2026-01-01T00:00:00Z", expiresAt: "2027-01-01T00:00:00Z" };

describe("LicenseKey on Distr 3.x", () => {
  let bed: ProviderTestbed;
  beforeEach(async () => {
    bed = await startTestbed("3");
  });
  afterEach(() => bed.close());

  describe("check", () => {
    it("sorts payload keys, parses JSON text, converts offsets to UTC and defaults redeploy to false", async () => {
      const p = await bed.process();
      const key = new SimulatedResource("licenseKey");
      const checked = await key.check(p, {
        name: "acme",
        payload: '{ "seats": 10, "edition": "pro" }',
        notBefore: "2026-01-01T02:00:00+02:00",
        expiresAt: VALIDITY.expiresAt,
      });
      expect(checked).toEqual({
        inputs: {
          name: "acme",
          payload: { edition: "pro", seats: 10 },
          notBefore: "2026-01-01T00:00:00Z",
          expiresAt: VALIDITY.expiresAt,
          redeploy: false,
        },
      });
    });

    it("names every problem at preview: missing validity, claims Distr sets, validity backwards, no payload", async () => {
      const p = await bed.process();
      const key = new SimulatedResource("licenseKey");
      const missing = await key.check(p, { name: "a", payload: { exp: 1, sub: "x" } });
      expect(missing.failures).toEqual(
        expect.arrayContaining([
          { property: "notBefore", reason: expect.stringContaining("a key with a payload needs notBefore") },
          { property: "expiresAt", reason: expect.stringContaining("a key with a payload needs expiresAt") },
          { property: "payload.exp", reason: expect.stringContaining('Distr sets the JWT claim "exp" itself') },
          { property: "payload.sub", reason: expect.stringContaining('"sub"') },
        ]),
      );
      const backwards = await key.check(p, {
        name: "a",
        payload: {},
        notBefore: VALIDITY.expiresAt,
        expiresAt: VALIDITY.notBefore,
      });
      expect(backwards.failures).toEqual([
        { property: "expiresAt", reason: expect.stringContaining("is not after notBefore") },
      ]);
      const nothing = await key.check(p, { name: "a" });
      expect(nothing.failures).toEqual([{ property: "payload", reason: expect.stringContaining("needs a payload") }]);
      const array = await key.check(p, { name: "a", payload: [1], ...VALIDITY });
      expect(array.failures).toEqual([
        { property: "payload", reason: expect.stringContaining("expected a JSON object") },
      ]);
    });

    it("passes unknown values through during a preview", async () => {
      const p = await bed.process();
      const key = new SimulatedResource("licenseKey");
      const checked = await key.check(p, { name: "a", customer: UNKNOWN, payload: { seats: UNKNOWN }, ...VALIDITY });
      expect(checked.failures).toBeUndefined();
      expect(checked.inputs).toMatchObject({ customer: UNKNOWN, payload: { seats: UNKNOWN } });
    });
  });

  it("creates, sees no change for another key order, revises in place, replaces on rename", async () => {
    const p = await bed.process();
    const customer = await createCustomer(p, "ACME Corp");
    const key = new SimulatedResource("licenseKey");
    expect((await key.up(p, { name: "acme", customer, payload: { seats: 10, edition: "pro" }, ...VALIDITY })).op).toBe(
      "create",
    );
    const id = key.id;
    expect(key.outputs).toMatchObject({ revision: { count: 1 }, token: expect.stringMatching(/^ey/) });
    const firstToken = key.outputs["token"];
    expect((await key.up(p, { name: "acme", customer, payload: { edition: "pro", seats: 10 }, ...VALIDITY })).op).toBe(
      "same",
    );
    expect((await key.up(p, { name: "acme", customer, payload: { edition: "pro", seats: 11 }, ...VALIDITY })).op).toBe(
      "update",
    );
    expect(key.id).toBe(id);
    expect(key.outputs["token"]).not.toBe(firstToken);
    expect(key.outputs).toMatchObject({ revision: { count: 2 }, payload: { edition: "pro", seats: 11 } });
    const renamed = await key.up(p, { name: "acme-2", customer, payload: { seats: 11, edition: "pro" }, ...VALIDITY });
    expect(renamed).toMatchObject({ op: "replace", diff: { replaces: ["name"], deleteBeforeReplace: false } });
    expect((await bed.portal.licenseKeys.list()).map((k) => k.name)).toEqual(["acme-2"]);
  });

  describe("adoption", () => {
    it("takes over a key that already says what the program says without a write, and revises one that does not", async () => {
      const p = await bed.process();
      const customer = await createCustomer(p, "ACME Corp");
      const program = { name: "acme", customer, payload: { edition: "pro", seats: 10 }, ...VALIDITY };
      const existing = await bed.portal.licenseKeys.create({
        name: "acme",
        customerOrganizationId: customer,
        payload: { seats: 10, edition: "pro" },
        ...VALIDITY,
      });

      const taken = new SimulatedResource("licenseKey");
      await expect(taken.up(await bed.process(), program)).rejects.toThrow(
        `already exists for customer ${customer} in Distr (id ${existing.id}); key names are unique per customer: ` +
          `choose another name, delete the existing key, or to manage it with this resource, set adopt: true ` +
          `(or adopt: { id: "${existing.id}" })`,
      );
      const before = bed.requests().length;
      expect((await taken.up(await bed.process(), { ...program, adopt: true })).op).toBe("create");
      expect(taken.id).toBe(existing.id);
      expect(bed.requests(before).filter((r) => r.method !== "GET")).toEqual([]);
      expect(taken.outputs).toMatchObject({ revision: { count: 1 }, token: expect.stringMatching(/^ey/) });

      const other = await bed.portal.licenseKeys.create({ name: "globex", payload: { seats: 1 }, ...VALIDITY });
      const revised = new SimulatedResource("licenseKey");
      await revised.up(await bed.process(), {
        name: "globex",
        payload: { seats: 5 },
        ...VALIDITY,
        adopt: { id: other.id },
      });
      expect(revised.id).toBe(other.id);
      expect(revised.outputs).toMatchObject({ revision: { count: 2 }, payload: { seats: 5 } });
      expect((await bed.portal.licenseKeys.list()).map((k) => k.name).sort()).toEqual(["acme", "globex"]);
    });

    it("refuses an id that is no key, or a key of another name or customer, saying what Distr has", async () => {
      const p = await bed.process();
      const other = await bed.portal.licenseKeys.create({ name: "globex", payload: { seats: 1 }, ...VALIDITY });
      const key = new SimulatedResource("licenseKey");
      await expect(
        key.up(p, { name: "acme", payload: { seats: 1 }, ...VALIDITY, adopt: { id: other.id } }),
      ).rejects.toThrow(
        `adopt: license key "globex" (id ${other.id}) is "globex" without a customer, but this LicenseKey declares ` +
          `"acme" without a customer; Distr cannot rename a key or move it to another customer`,
      );
      await expect(
        key.up(p, {
          name: "acme",
          payload: { seats: 1 },
          ...VALIDITY,
          adopt: { id: "0d7d2c8e-0000-4000-8000-000000000000" },
        }),
      ).rejects.toThrow(
        'cannot adopt license key "0d7d2c8e-0000-4000-8000-000000000000": Distr has no license key with this id',
      );
      expect((await bed.portal.licenseKeys.list()).map((k) => k.name)).toEqual(["globex"]);
    });
  });

  it("a template and a payload: the payload becomes the template key's first revision", async () => {
    const p = await bed.process();
    const template = new SimulatedResource("licenseTemplate");
    await template.up(p, { name: "billing", payloadTemplate: '{"seats": 1}' });
    const key = new SimulatedResource("licenseKey");
    await key.up(p, { name: "k", template: template.id, payload: { seats: 3 }, ...VALIDITY });
    expect(key.outputs).toMatchObject({ template: template.id, revision: { count: 1 }, payload: { seats: 3 } });
    const bare = new SimulatedResource("licenseKey");
    await bare.up(p, { name: "bare", template: template.id });
    expect(bare.outputs).toMatchObject({ revision: { count: 0 } });
    expect(bare.outputs["token"]).toBeUndefined();
    // Billing renders the template into a revision: refreshed, the key shows it, and the program sees no change.
    await bed.portal.licenseKeys.update(bare.id, {
      licenseTemplateId: template.id,
      payload: { seats: 7 },
      ...VALIDITY,
    });
    await bare.refresh(await bed.process());
    expect(bare.outputs).toMatchObject({ revision: { count: 1 }, payload: { seats: 7 }, token: expect.any(String) });
    expect((await bare.up(await bed.process(), { name: "bare", template: template.id })).op).toBe("same");
  });

  it("refuses an update that running deployments render, naming them, until redeploy confirms it", async () => {
    const p = await bed.process();
    const customer = await createCustomer(p, "ACME Corp");
    const key = new SimulatedResource("licenseKey");
    await key.up(p, { name: "acme", customer, payload: { seats: 10 }, ...VALIDITY });
    bed.distr.control.useLicenseKey(key.id, "edge-1", { application: "hello-distr-helm" });
    const refused = await key
      .up(p, { name: "acme", customer, payload: { seats: 20 }, ...VALIDITY })
      .catch((e: unknown) => e);
    expect(String(refused)).toContain(
      'the new revision changes what 1 deployment of customer "ACME Corp": deployment target "edge-1" (application "hello-distr-helm"',
    );
    expect(String(refused)).toContain("set `redeploy: true`");
    await key.up(p, { name: "acme", customer, payload: { seats: 20 }, redeploy: true, ...VALIDITY });
    expect(key.outputs).toMatchObject({
      revision: { count: 2 },
      affectedDeployments: [expect.objectContaining({ deploymentTarget: "edge-1", application: "hello-distr-helm" })],
    });
    const deleteRefused = await key.destroy(p).catch((e: unknown) => e);
    expect(String(deleteRefused)).toContain('Distr refused to delete license key "acme"');
    expect(String(deleteRefused)).toContain("{{ .LicenseKeys.acme }}");
  });

  it("refresh reads a portal change back; a key deleted in the portal leaves the state", async () => {
    const p = await bed.process();
    const customer = await createCustomer(p, "ACME Corp");
    const key = new SimulatedResource("licenseKey");
    await key.up(p, { name: "acme", customer, payload: { seats: 10 }, ...VALIDITY });
    await bed.portal.licenseKeys.update(key.id, { payload: { seats: 99 } });
    await key.refresh(await bed.process());
    expect(key.outputs).toMatchObject({ payload: { seats: 99 }, revision: { count: 2 } });
    expect(key.inputs).toMatchObject({ payload: { seats: 99 }, customer });
    await bed.portal.licenseKeys.delete(key.id);
    await key.refresh(await bed.process());
    expect(key.state).toBeUndefined();
  });
});

describe("LicenseKey and LicenseTemplate where Distr lacks them", () => {
  it("fail the check on Distr 2.x", async () => {
    const bed = await startTestbed("2");
    try {
      const key = new SimulatedResource("licenseKey");
      const failure = await key
        .check(await bed.process(), { name: "a", payload: {}, ...VALIDITY })
        .catch((e: unknown) => e);
      expect(String(failure)).toContain("license keys need Distr 3.x");
    } finally {
      await bed.close();
    }
  });

  it("fail the check on an organization without licensing, saying what is missing", async () => {
    const bed = await startTestbed("3");
    try {
      bed.distr.control.setLicensing(false);
      const key = new SimulatedResource("licenseKey");
      const failure = await key
        .check(await bed.process(), { name: "a", payload: {}, ...VALIDITY })
        .catch((e: unknown) => e);
      expect(String(failure)).toContain("license keys need the organization feature `licensing`");
      expect(bed.requests().filter((r) => r.method !== "GET")).toEqual([]);
    } finally {
      await bed.close();
    }
  });

  it("LicenseTemplate fails the check without vendor_billing", async () => {
    const bed = await startTestbed("3");
    try {
      bed.distr.control.setFeature("vendor_billing", false);
      const template = new SimulatedResource("licenseTemplate");
      const failure = await template
        .check(await bed.process(), { name: "t", payloadTemplate: "{}" })
        .catch((e: unknown) => e);
      expect(String(failure)).toContain("license templates need the organization feature `vendor_billing`");
    } finally {
      await bed.close();
    }
  });
});
