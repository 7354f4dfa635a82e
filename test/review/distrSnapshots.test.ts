/**
 * The policy-pack path: "before" from Distr's current license (real HTTP to the local Distr), "after" from a
 * program's own inputs with its range resolved against Distr, judged by the same rules as the review.
 */
import { currentLicenseSnapshot, resolveSnapshotSelections } from "../../review/distrSnapshots";
import { compareLicenses } from "../../review/licenseChange";
import { applicationLicenseSnapshotOf, artifactLicenseSnapshotOf } from "../../review/licenseSnapshot";
import { evaluateRules } from "../../review/rules";
import { seedAcmeLicenses, startHarness, type Harness } from "../sdk/harness";

describe("license snapshots from Distr", () => {
  let harness: Harness;
  let customerId: string;

  beforeAll(async () => {
    harness = await startHarness("3");
    customerId = await seedAcmeLicenses(harness.client);
  });

  afterAll(() => harness.close());

  it("reads Distr's current license by name and customer, by version and tag names", async () => {
    const app = await currentLicenseSnapshot(harness.client, "applicationLicense", {
      name: "acme-pro",
      customer: customerId,
    });
    expect(app).toEqual({
      kind: "applicationLicense",
      name: "acme-pro",
      customer: { id: customerId, name: "ACME Corp" },
      application: "hello-distr",
      versions: { kind: "list", names: ["2.0.0", "2.1.0"] },
      expiresAt: "2027-06-30T00:00:00Z",
      pending: [],
    });
    const images = await currentLicenseSnapshot(harness.client, "artifactLicense", {
      name: "acme-images",
      customer: customerId,
    });
    expect(images).toMatchObject({
      customer: { id: customerId, name: "ACME Corp" },
      artifacts: [{ artifact: "hello-distr/backend", tags: { kind: "list", names: ["2.1.0", "latest"] } }],
    });
    expect(
      await currentLicenseSnapshot(harness.client, "applicationLicense", { name: "nope", customer: customerId }),
    ).toBeUndefined();
  });

  it("judges a program's new inputs against Distr's current license, as a policy pack would", async () => {
    const before = await currentLicenseSnapshot(harness.client, "applicationLicense", {
      name: "acme-pro",
      customer: customerId,
    });
    const raw = applicationLicenseSnapshotOf({
      name: "acme-pro",
      customer: customerId,
      application: "hello-distr",
      versions: { range: ">=2.1.0 <3.0.0" },
    });
    expect(raw.versions).toEqual({ kind: "range", range: ">=2.1.0 <3.0.0", includePrerelease: false, matches: null });
    const after = await resolveSnapshotSelections(raw, harness.client);
    expect(after.versions).toMatchObject({ matches: ["2.1.0", "2.2.0", "2.3.0"] });
    expect(after.pending).toEqual([]);
    const change = compareLicenses(before, after, { resource: "acme-pro", action: "update" });
    const { findings } = evaluateRules([change], { now: new Date("2027-01-01T00:00:00Z") });
    expect(findings.map((f) => `${f.rule}: ${f.message}`)).toEqual([
      "loses-access: loses version 2.0.0 of hello-distr",
      "no-expiry: expiry removed (was 2027-06-30T00:00:00Z): no expiry",
    ]);

    const images = await resolveSnapshotSelections(
      artifactLicenseSnapshotOf({
        name: "acme-images",
        artifacts: [{ artifact: "hello-distr/backend", tags: ["latest"] }],
      }),
      harness.client,
    );
    expect(images.artifacts[0]?.digests).toHaveLength(1);
    expect(images.pending).toEqual([]);
  });
});
