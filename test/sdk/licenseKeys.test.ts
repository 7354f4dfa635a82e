import { isDistrApiError } from "../../sdk/errors";
import { verifyLicenseKeyToken } from "../../sdk/licenseKeyToken";
import type { Harness } from "./harness";
import { startHarness } from "./harness";

async function publicKey(h: Harness): Promise<string> {
  const res = await fetch(`${h.distr.host}/api/public/v1/license-keys/public-key`);
  return res.text();
}

describe("license keys on Distr 3.x", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness("3");
  });
  afterEach(() => h.close());

  async function customerKey(payload: Record<string, unknown> = { seats: 5 }) {
    const customer = await h.client.customers.create({ name: "Acme" });
    const key = await h.client.licenseKeys.create({
      name: "acme-key",
      customerOrganizationId: customer.id,
      notBefore: "2026-01-01T00:00:00Z",
      expiresAt: "2027-01-01T00:00:00Z",
      payload,
    });
    return { customer, key };
  }

  it("creates a key, lists it from one cached read, and its token verifies with the served public key", async () => {
    const { key } = await customerKey({ seats: 5, edition: "pro" });
    expect(await h.client.licenseKeys.get(key.id)).toMatchObject({ name: "acme-key", payload: { seats: 5 } });
    const before = h.events.length;
    await h.client.licenseKeys.findByName("acme-key", key.customerOrganizationId);
    expect(h.events.length).toBe(before);
    const token = await h.client.licenseKeys.token(key.id);
    const pem = await publicKey(h);
    const verified = verifyLicenseKeyToken(token, pem, { at: new Date("2026-06-01T00:00:00Z") });
    expect(verified).toMatchObject({
      licenseKeyId: key.id,
      payload: { seats: 5, edition: "pro" },
      notBefore: new Date("2026-01-01T00:00:00Z"),
      expiresAt: new Date("2027-01-01T00:00:00Z"),
    });
    expect(() => verifyLicenseKeyToken(token, pem, { at: new Date("2027-02-01T00:00:00Z") })).toThrow(
      /expired at 2027-01-01/,
    );
    expect(() => verifyLicenseKeyToken(token.slice(0, -4) + "AAAA", pem, { at: null })).toThrow(/signature/);
  });

  it("a change running deployments render is a deployments-affected error listing them; confirm re-deploys", async () => {
    const { key } = await customerKey();
    const { deploymentId } = h.distr.control.useLicenseKey(key.id, "edge-1");
    const refused = await h.client.licenseKeys.update(key.id, { payload: { seats: 6 } }).catch((e: unknown) => e);
    expect(isDistrApiError(refused, "deployments-affected")).toBe(true);
    if (!isDistrApiError(refused)) throw refused;
    expect(refused.affectedDeployments).toEqual([
      expect.objectContaining({ deploymentId, deploymentTargetName: "edge-1", applicationName: "hello-distr" }),
    ]);
    expect(refused.message).toContain('deployment target "edge-1" (application "hello-distr"');
    const confirmed = await h.client.licenseKeys.update(key.id, { payload: { seats: 6 } }, { confirm: true });
    expect(confirmed.affectedDeployments.map((d) => d.deploymentId)).toEqual([deploymentId]);
    expect((await h.client.licenseKeys.revisions(key.id)).map((r) => r.payload)).toEqual([{ seats: 6 }, { seats: 5 }]);
    const deleteRefused = await h.client.licenseKeys.delete(key.id).catch((e: unknown) => e);
    expect(isDistrApiError(deleteRefused, "deployments-affected")).toBe(true);
  });

  it("templates: create, update, delete; a missing vendor_billing feature is feature-not-enabled", async () => {
    const template = await h.client.licenseTemplates.create({
      name: "pro",
      payloadTemplate: '{"seats": {{ itemQuantity "seats" }}}',
      expirationGracePeriodDays: 3,
    });
    expect(await h.client.licenseTemplates.findByName("pro")).toEqual(template);
    const updated = await h.client.licenseTemplates.update(template.id, {
      name: "pro",
      payloadTemplate: '{"seats": 10}',
      expirationGracePeriodDays: 0,
    });
    expect(updated.payloadTemplate).toBe('{"seats": 10}');
    await h.client.licenseTemplates.delete(template.id);
    expect(await h.client.licenseTemplates.list()).toEqual([]);
    h.distr.control.setFeature("vendor_billing", false);
    const error = await h.client.licenseTemplates.list().catch((e: unknown) => e);
    expect(isDistrApiError(error, "feature-not-enabled")).toBe(true);
  });

  it("a name taken for the customer is name-taken; a key without revision has no token (422, bad-request)", async () => {
    const { customer } = await customerKey();
    const taken = await h.client.licenseKeys
      .create({
        name: "acme-key",
        customerOrganizationId: customer.id,
        notBefore: "2026-01-01T00:00:00Z",
        expiresAt: "2027-01-01T00:00:00Z",
        payload: {},
      })
      .catch((e: unknown) => e);
    expect(isDistrApiError(taken, "name-taken")).toBe(true);
    const template = await h.client.licenseTemplates.create({
      name: "t",
      payloadTemplate: "{}",
      expirationGracePeriodDays: 0,
    });
    const templated = await h.client.licenseKeys.create({
      name: "templated",
      customerOrganizationId: customer.id,
      licenseTemplateId: template.id,
    });
    const noToken = await h.client.licenseKeys.token(templated.id).catch((e: unknown) => e);
    expect(isDistrApiError(noToken, "bad-request")).toBe(true);
    expect(String(noToken)).toContain("license key has no revision yet");
  });
});

describe("license keys on Distr 2.x", () => {
  it("fail with not-supported before any request", async () => {
    const h = await startHarness("2");
    try {
      const error = await h.client.licenseKeys.list().catch((e: unknown) => e);
      expect(isDistrApiError(error, "not-supported")).toBe(true);
      expect(String(error)).toContain("need Distr 3.x");
    } finally {
      await h.close();
    }
  });
});
