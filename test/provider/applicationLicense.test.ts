import { DIALECTS } from "../../sdk/dialect";
import { withoutProvider } from "../../provider/properties";
import { UNKNOWN } from "../../provider/unknowns";
import {
  createCustomer,
  SimulatedResource,
  startTestbed,
  withProvider,
  type ProviderProcess,
  type ProviderTestbed,
} from "./providerHarness";

const V2_RANGE = { range: ">=2.0.0 <3.0.0", includePrerelease: false };

describe.each(DIALECTS)("ApplicationLicense on Distr %s.x", (dialect) => {
  let bed: ProviderTestbed;
  let p: ProviderProcess;
  let acme: string;
  beforeEach(async () => {
    bed = await startTestbed(dialect);
    p = await bed.process();
    acme = await createCustomer(p, "ACME Corp");
  });
  afterEach(() => bed.close());

  async function grantedVersionNames(licenseId: string): Promise<string[]> {
    const license = await bed.portal.applicationLicenses.get(licenseId);
    const application = await bed.portal.lookups.application("hello-distr");
    return (license?.versions ?? []).map((v) => application?.versions?.find((a) => a.id === v.id)?.name ?? v.id).sort();
  }

  describe("check", () => {
    it("resolves a range to version names (no archived, no prereleases) and normalizes the rest", async () => {
      const application = await bed.portal.lookups.application("hello-distr");
      const checked = await p.applicationLicense.check(
        {},
        withProvider({
          name: " acme-pro ",
          customer: acme,
          application: "hello-distr",
          versions: { range: ">=1.0.0 <3.0.0" },
          expiresAt: "2027-06-30T02:00:00+02:00",
          registry: { url: "registry.example.com", username: "acme", password: "s3cret" },
        }),
      );
      expect(checked).toEqual({
        inputs: {
          name: "acme-pro",
          customer: acme,
          application: "hello-distr",
          applicationId: application?.id,
          versions: {
            range: ">=1.0.0 <3.0.0",
            includePrerelease: false,
            matches: ["1.1.0", "1.2.0", "2.0.0", "2.1.0", "2.2.0", "2.3.0"],
          },
          expiresAt: "2027-06-30T00:00:00Z",
          registry: { url: "registry.example.com", username: "acme", password: "s3cret" },
        },
      });
    });

    it("sorts a version list by semver, accepts archived versions listed by name, and includes prereleases on request", async () => {
      const list = await p.applicationLicense.check(
        {},
        withProvider({ name: "l", application: "hello-distr", versions: ["2.1.0", "1.0.0", "1.2.0", "2.1.0"] }),
      );
      expect(list.failures).toBeUndefined();
      expect(list.inputs?.versions).toEqual(["1.0.0", "1.2.0", "2.1.0"]);
      const prerelease = await p.applicationLicense.check(
        {},
        withProvider({ name: "l", application: "hello-distr", versions: { range: "^2", includePrerelease: true } }),
      );
      expect(prerelease.inputs?.versions).toEqual({
        range: "^2",
        includePrerelease: true,
        matches: ["2.0.0", "2.1.0", "2.2.0", "2.3.0", "2.4.0-rc.1"],
      });
      const all = await p.applicationLicense.check({}, withProvider({ name: "l", application: "hello-distr" }));
      expect(all.inputs?.versions).toBe("all");
    });

    it("reports each bad input with its property, the value and the fix", async () => {
      const result = await p.applicationLicense.check(
        {},
        withProvider({
          name: "acme-pro",
          customer: "00000000-0000-4000-8000-000000000000",
          application: "hello-distr",
          versions: { range: "~>>2" },
          expiresAt: "2027-06-30",
        }),
      );
      expect(result.failures).toHaveLength(3);
      expect(result.failures).toEqual(
        expect.arrayContaining([
          {
            property: "versions.range",
            reason: '"~>>2" is not a valid semver range; use a range like ">=2.0.0 <3.0.0"',
          },
          {
            property: "expiresAt",
            reason: expect.stringContaining(
              '"2027-06-30" is not a full RFC 3339 timestamp; use a date, a time and a zone, like "2027-06-30T00:00:00Z"',
            ),
          },
          {
            property: "customer",
            reason: expect.stringContaining(
              `Distr has no customer with id "00000000-0000-4000-8000-000000000000"; use a Customer resource's id (like acme.id) or the id of one of its customers: ACME Corp (${acme})`,
            ),
          },
        ]),
      );
      // Shape errors come first: the registry is incomplete.
      const registry = await p.applicationLicense.check(
        {},
        withProvider({ name: "l", application: "hello-distr", registry: { url: "r.example.com", username: "u" } }),
      );
      expect(registry.failures).toEqual([
        {
          property: "registry.password",
          reason:
            "the registry password is missing; Distr stores registry url, username and password together or not at all: set all three or remove registry",
        },
      ]);
    });

    it("lists what exists when an application, a version or a range does not match", async () => {
      const app = await p.applicationLicense.check({}, withProvider({ name: "l", application: "hello-dister" }));
      expect(app.failures).toEqual([
        {
          property: "application",
          reason:
            'Distr has no application "hello-dister" (by name or id); use one of its applications: hello-distr, hello-distr-helm',
        },
      ]);
      const version = await p.applicationLicense.check(
        {},
        withProvider({ name: "l", application: "hello-distr", versions: ["2.1.0", "9.9.9"] }),
      );
      expect(version.failures).toEqual([
        {
          property: "versions[1]",
          reason:
            '"9.9.9" is not a version of application "hello-distr"; use one of its versions: 1.1.0, 1.2.0, 2.0.0, 2.1.0, ' +
            "2.2.0, 2.3.0, 2.4.0-rc.1, 3.0.0-beta.1 (archived: 1.0.0)",
        },
      ]);
      const range = await p.applicationLicense.check(
        {},
        withProvider({ name: "l", application: "hello-distr", versions: { range: ">=4.0.0" } }),
      );
      expect(range.failures).toEqual([
        {
          property: "versions.range",
          reason: expect.stringMatching(
            /^">=4.0.0" matches no version of application "hello-distr" \(ranges never match archived versions or prereleases .*\); use one of its versions: 1.1.0, /,
          ),
        },
      ]);
      const empty = await p.applicationLicense.check(
        {},
        withProvider({ name: "l", application: "hello-distr", versions: [] }),
      );
      expect(empty.failures).toEqual([
        {
          property: "versions",
          reason: expect.stringContaining('an empty list would grant no version (Distr reads it as "all")'),
        },
      ]);
    });

    it("never repeats a registry password in a failure", async () => {
      const result = await p.applicationLicense.check(
        {},
        withProvider({
          name: "l",
          application: "hello-distr",
          registry: { url: "r", username: "u", password: 12345678 },
        }),
      );
      expect(result.failures).toEqual([
        { property: "registry.password", reason: "expected the registry password as a string, got number" },
      ]);
      expect(JSON.stringify(result.failures)).not.toContain("12345678");
    });

    it("passes unknown values through with placeholders and never sends them to Distr", async () => {
      const before = bed.requests().length;
      const allUnknown = await p.applicationLicense.check(
        {},
        withProvider({
          name: "l",
          customer: UNKNOWN,
          application: UNKNOWN,
          versions: { range: "^2" },
          expiresAt: UNKNOWN,
        }),
      );
      expect(allUnknown).toEqual({
        inputs: {
          name: "l",
          customer: UNKNOWN,
          application: UNKNOWN,
          applicationId: UNKNOWN,
          versions: { range: "^2", includePrerelease: false, matches: UNKNOWN },
          expiresAt: UNKNOWN,
        },
      });
      expect(bed.requests(before)).toEqual([]);

      // A new customer during preview: the application is still checked, the customer is not.
      const newCustomer = await p.applicationLicense.check(
        {},
        withProvider({ name: "l", customer: UNKNOWN, application: "hello-distr", versions: ["2.1.0"] }),
      );
      expect(newCustomer.failures).toBeUndefined();
      expect(newCustomer.inputs?.customer).toBe(UNKNOWN);
      expect(bed.requests(before).some((r) => r.path.includes(UNKNOWN))).toBe(false);

      // An unknown range is still checked for syntax.
      const badRange = await p.applicationLicense.check(
        {},
        withProvider({ name: "l", application: UNKNOWN, versions: { range: "banana" } }),
      );
      expect(badRange.failures).toEqual([
        {
          property: "versions.range",
          reason: '"banana" is not a valid semver range; use a range like ">=2.0.0 <3.0.0"',
        },
      ]);
    });
  });

  it("creates the license with version ids, and reports no change on the next run", async () => {
    const license = new SimulatedResource("applicationLicense");
    await license.up(p, {
      name: "acme-pro",
      customer: acme,
      application: "hello-distr",
      versions: { range: ">=2.0.0 <3.0.0" },
      expiresAt: "2027-06-30T00:00:00Z",
      registry: { url: "registry.example.com", username: "acme", password: "s3cret" },
    });
    expect(await grantedVersionNames(license.id)).toEqual(["2.0.0", "2.1.0", "2.2.0", "2.3.0"]);
    expect(license.outputs).toEqual(
      withProvider({
        name: "acme-pro",
        customer: acme,
        customerName: "ACME Corp",
        application: "hello-distr",
        applicationId: expect.any(String),
        versions: { ...V2_RANGE, matches: ["2.0.0", "2.1.0", "2.2.0", "2.3.0"] },
        versionIds: expect.arrayContaining([expect.any(String)]),
        expiresAt: "2027-06-30T00:00:00Z",
        registry: { url: "registry.example.com", username: "acme" },
        registryPassword: "s3cret",
        createdAt: expect.any(String),
      }),
    );
    expect(license.outputs.versionIds).toHaveLength(4);
    const stored = await bed.portal.applicationLicenses.get(license.id);
    expect(stored).toMatchObject({
      registryUrl: "registry.example.com",
      registryPassword: "s3cret",
      expiresAt: "2027-06-30T00:00:00Z",
    });

    const again = await license.up(await bed.process(), {
      name: "acme-pro",
      customer: acme,
      application: "hello-distr",
      versions: { range: ">=2.0.0 <3.0.0" },
      expiresAt: "2027-06-30T02:00:00+02:00",
      registry: { url: "registry.example.com", username: "acme", password: "s3cret" },
    });
    expect(again).toEqual({ op: "same", diff: { changes: false } });
  });

  it("grants all versions with Distr's empty list, including versions published later", async () => {
    const license = new SimulatedResource("applicationLicense");
    await license.up(p, { name: "acme-all", customer: acme, application: "hello-distr", versions: "all" });
    expect((await bed.portal.applicationLicenses.get(license.id))?.versions).toEqual([]);
    expect(license.outputs).toMatchObject({ versions: "all", versionIds: [] });
    bed.distr.control.addApplicationVersion("hello-distr", "2.5.0");
    expect(
      (await license.up(await bed.process(), { name: "acme-all", customer: acme, application: "hello-distr" })).op,
    ).toBe("same");
  });

  it("re-resolves a range on every run: a newly published match is a change the next up grants", async () => {
    const license = new SimulatedResource("applicationLicense");
    const program = { name: "acme-pro", customer: acme, application: "hello-distr", versions: { range: "^2" } };
    await license.up(p, program);
    bed.distr.control.addApplicationVersion("hello-distr", "2.5.0");
    bed.distr.control.addApplicationVersion("hello-distr", "2.6.0", { archived: true });

    const next = await bed.process();
    const checked = await license.check(next, program);
    expect(checked.inputs?.versions).toEqual({
      range: "^2",
      includePrerelease: false,
      matches: ["2.0.0", "2.1.0", "2.2.0", "2.3.0", "2.5.0"],
    });
    const result = await license.up(next, program);
    expect(result).toEqual({ op: "update", diff: { changes: true } });
    expect(await grantedVersionNames(license.id)).toEqual(["2.0.0", "2.1.0", "2.2.0", "2.3.0", "2.5.0"]);
  });

  it("keeps the unchanged references of the last run without a read; a changed or dynamic one is resolved", async () => {
    const license = new SimulatedResource("applicationLicense");
    const program = { name: "acme-pro", customer: acme, application: "hello-distr", versions: ["2.1.0", "2.0.0"] };
    await license.up(p, program);

    let next = await bed.process();
    let before = bed.requests().length;
    expect(await license.check(next, program)).toEqual({ inputs: withoutProvider(license.inputs) });
    expect(await license.check(next, { ...program, application: license.inputs["applicationId"] })).toEqual({
      inputs: withoutProvider(license.inputs),
    });
    expect(bed.requests(before)).toEqual([]);
    expect((await license.up(next, { ...program, expiresAt: "2028-01-01T00:00:00Z" })).op).toBe("update");

    // Another version list or a range on the same application: its versions by id, without the list. Another
    // customer: the customer list.
    const globex = await createCustomer(p, "Globex");
    for (const [changed, requests] of [
      [{ ...program, versions: ["2.2.0"] }, ["GET /api/v1/applications/{id}"]],
      [{ ...program, versions: { range: "^2" } }, ["GET /api/v1/applications/{id}"]],
      [{ ...program, customer: globex }, ["GET /api/v1/customer-organizations"]],
      [{ ...program, customer: "8d3c0a52-0000-4000-8000-000000000000" }, ["GET /api/v1/customer-organizations"]],
    ] as const) {
      next = await bed.process();
      before = bed.requests().length;
      expect((await license.check(next, changed)).inputs).toMatchObject({
        applicationId: license.inputs["applicationId"],
      });
      expect(bed.requestLines(before)).toEqual(requests);
    }
    next = await bed.process();
    expect(
      (await license.check(next, { ...program, customer: "8d3c0a52-0000-4000-8000-000000000000" })).failures,
    ).toEqual([expect.objectContaining({ property: "customer" })]);
  });

  it("updates name, expiry and registry in place, and widens versions in place", async () => {
    const license = new SimulatedResource("applicationLicense");
    await license.up(p, {
      name: "acme-pro",
      customer: acme,
      application: "hello-distr",
      versions: ["2.1.0"],
      registry: { url: "r.example.com", username: "u", password: "p1" },
    });
    const id = license.id;
    const result = await license.up(await bed.process(), {
      name: "acme-premium",
      customer: acme,
      application: "hello-distr",
      versions: ["2.1.0", "2.2.0"],
      expiresAt: "2028-01-01T00:00:00Z",
    });
    expect(result).toEqual({ op: "update", diff: { changes: true } });
    expect(license.id).toBe(id);
    const stored = await bed.portal.applicationLicenses.get(id);
    expect(stored).toMatchObject({
      name: "acme-premium",
      expiresAt: "2028-01-01T00:00:00Z",
      customerOrganizationId: acme,
    });
    expect(stored?.registryUrl).toBeUndefined();
    expect(await grantedVersionNames(id)).toEqual(["2.1.0", "2.2.0"]);
    expect(license.outputs.registryPassword).toBeUndefined();
  });

  describe("replacement decisions", () => {
    it("replaces on another application, deleting first because the name stays in its scope", async () => {
      const license = new SimulatedResource("applicationLicense");
      await license.up(p, { name: "acme-pro", customer: acme, application: "hello-distr" });
      const oldId = license.id;
      const result = await license.up(await bed.process(), {
        name: "acme-pro",
        customer: acme,
        application: "hello-distr-helm",
      });
      expect(result).toEqual({
        op: "replace",
        diff: { changes: true, replaces: ["application"], deleteBeforeReplace: true },
      });
      expect(license.id).not.toBe(oldId);
      expect(await bed.portal.applicationLicenses.get(oldId)).toBeUndefined();
      expect(license.outputs).toMatchObject({ application: "hello-distr-helm", versions: "all" });
    });

    it("replaces on another customer; deletes first only where names are unique per organization (2.x)", async () => {
      const license = new SimulatedResource("applicationLicense");
      await license.up(p, { name: "acme-pro", customer: acme, application: "hello-distr" });
      const globex = await createCustomer(p, "Globex");
      const result = await license.up(await bed.process(), {
        name: "acme-pro",
        customer: globex,
        application: "hello-distr",
      });
      expect(result).toEqual({
        op: "replace",
        diff: { changes: true, replaces: ["customer"], deleteBeforeReplace: dialect === "2" },
      });
      expect((await bed.portal.applicationLicenses.get(license.id))?.customerOrganizationId).toBe(globex);
    });

    it("gives a customer-less license a customer in place, since Distr allows setting a first owner", async () => {
      const license = new SimulatedResource("applicationLicense");
      await license.up(p, { name: "unowned", application: "hello-distr" });
      const result = await license.up(await bed.process(), {
        name: "unowned",
        customer: acme,
        application: "hello-distr",
      });
      expect(result).toEqual({ op: "update", diff: { changes: true } });
      expect((await bed.portal.applicationLicenses.get(license.id))?.customerOrganizationId).toBe(acme);
    });

    it("narrows versions in place on 3.x and by replacement (delete first) on 2.x, which refuses narrowing", async () => {
      const license = new SimulatedResource("applicationLicense");
      await license.up(p, {
        name: "acme-pro",
        customer: acme,
        application: "hello-distr",
        versions: ["2.1.0", "2.2.0"],
      });
      const oldId = license.id;
      const result = await license.up(await bed.process(), {
        name: "acme-pro",
        customer: acme,
        application: "hello-distr",
        versions: ["2.2.0"],
      });
      if (dialect === "3") {
        expect(result).toEqual({ op: "update", diff: { changes: true } });
        expect(license.id).toBe(oldId);
      } else {
        expect(result).toEqual({
          op: "replace",
          diff: { changes: true, replaces: ["versions"], deleteBeforeReplace: true },
        });
        expect(license.id).not.toBe(oldId);
      }
      expect(await grantedVersionNames(license.id)).toEqual(["2.2.0"]);
    });

    it("treats going from all versions to a list as narrowing", async () => {
      const license = new SimulatedResource("applicationLicense");
      await license.up(p, { name: "acme-pro", customer: acme, application: "hello-distr" });
      const checked = await license.check(await bed.process(), {
        name: "acme-pro-2",
        customer: acme,
        application: "hello-distr",
        versions: ["2.1.0"],
      });
      const diff = await p.applicationLicense.diff(license.id, license.outputs, withProvider(checked.inputs));
      expect(diff).toEqual(
        dialect === "3"
          ? { changes: true }
          : // A new name does not collide with the old one: create first.
            { changes: true, replaces: ["versions"], deleteBeforeReplace: false },
      );
    });

    it("replaces when the customer is not known yet (a new customer), without asking Distr about it", async () => {
      const license = new SimulatedResource("applicationLicense");
      await license.up(p, { name: "acme-pro", customer: acme, application: "hello-distr" });
      const checked = await license.check(await bed.process(), {
        name: "acme-pro",
        customer: UNKNOWN,
        application: "hello-distr",
      });
      const diff = await p.applicationLicense.diff(license.id, license.outputs, withProvider(checked.inputs));
      expect(diff).toEqual({ changes: true, replaces: ["customer"], deleteBeforeReplace: dialect === "2" });
    });

    it("fails a 3.x narrowing that removes a deployed version with Distr's reason and what to do", async () => {
      if (dialect === "2") return; // 2.x replaces instead (previous tests).
      const license = new SimulatedResource("applicationLicense");
      await license.up(p, {
        name: "acme-pro",
        customer: acme,
        application: "hello-distr",
        versions: ["2.1.0", "2.2.0"],
      });
      bed.distr.control.markVersionDeployed(license.id, "2.1.0", "acme-prod");
      const before = license.state;
      await expect(
        license.up(await bed.process(), {
          name: "acme-pro",
          customer: acme,
          application: "hello-distr",
          versions: ["2.2.0"],
        }),
      ).rejects.toThrow(
        /Distr refused to narrow the versions of application license "acme-pro" .*deployment target "acme-prod" uses version "2.1.0".*Keep those versions in `versions`/,
      );
      expect(license.state).toBe(before);
      expect(await grantedVersionNames(license.id)).toEqual(["2.1.0", "2.2.0"]);
    });
  });

  it("shows a change made in the portal as drift on refresh, and the next up repairs it", async () => {
    const license = new SimulatedResource("applicationLicense");
    const program = {
      name: "acme-pro",
      customer: acme,
      application: "hello-distr",
      versions: { range: ">=2.0.0 <3.0.0" },
      registry: { url: "r.example.com", username: "u", password: "p1" },
    };
    await license.up(p, program);
    const application = await bed.portal.lookups.application("hello-distr");
    const stored = await bed.portal.applicationLicenses.get(license.id);
    const v300 = application?.versions?.find((v) => v.name === "3.0.0-beta.1")?.id ?? "";
    await bed.portal.applicationLicenses.update(license.id, {
      name: "acme-pro",
      applicationId: stored?.applicationId ?? "",
      customerOrganizationId: acme,
      expiresAt: "2026-01-01T00:00:00Z",
      registryUrl: "r.example.com",
      registryUsername: "u",
      registryPassword: "changed-in-portal",
      versions: (stored?.versions ?? []).map((v) => ({ id: v.id })).concat([{ id: v300 }]),
    });

    const read = await license.refresh(await bed.process());
    expect(read.props).toMatchObject({
      versions: ["2.0.0", "2.1.0", "2.2.0", "2.3.0", "3.0.0-beta.1"],
      expiresAt: "2026-01-01T00:00:00Z",
      registryPassword: "changed-in-portal",
    });
    expect(read.inputs).toEqual({
      name: "acme-pro",
      customer: acme,
      application: "hello-distr",
      applicationId: stored?.applicationId,
      versions: ["2.0.0", "2.1.0", "2.2.0", "2.3.0", "3.0.0-beta.1"],
      expiresAt: "2026-01-01T00:00:00Z",
      registry: { url: "r.example.com", username: "u", password: "changed-in-portal" },
    });

    const repaired = await license.up(await bed.process(), program);
    // Repairing removes 3.0.0-beta.1: narrowing, a replacement on 2.x.
    expect(repaired.op).toBe(dialect === "3" ? "update" : "replace");
    expect(await grantedVersionNames(license.id)).toEqual(["2.0.0", "2.1.0", "2.2.0", "2.3.0"]);
    const after = await bed.portal.applicationLicenses.get(license.id);
    expect(after?.expiresAt).toBeUndefined();
    expect(after?.registryPassword).toBe("p1");
  });

  it("keeps a range in state on refresh while Distr still grants what it matched", async () => {
    const license = new SimulatedResource("applicationLicense");
    await license.up(p, { name: "acme-pro", customer: acme, application: "hello-distr", versions: { range: "^2" } });
    const read = await license.refresh(await bed.process());
    expect(read.props).toMatchObject({
      versions: { range: "^2", includePrerelease: false, matches: ["2.0.0", "2.1.0", "2.2.0", "2.3.0"] },
    });
    expect(read.inputs).not.toHaveProperty("registry");
    expect(
      (
        await license.up(await bed.process(), {
          name: "acme-pro",
          customer: acme,
          application: "hello-distr",
          versions: { range: "^2" },
        })
      ).op,
    ).toBe("same");
  });

  it("drops a license deleted outside Pulumi on refresh, so the next up creates it again", async () => {
    const license = new SimulatedResource("applicationLicense");
    const program = { name: "acme-pro", customer: acme, application: "hello-distr" };
    await license.up(p, program);
    await bed.portal.applicationLicenses.delete(license.id);
    expect(await license.refresh(await bed.process())).toEqual({});
    expect((await license.up(await bed.process(), program)).op).toBe("create");
  });

  describe("adoption", () => {
    async function existingLicense(name: string, versions: string[] = ["2.1.0"]) {
      const application = await bed.portal.lookups.application("hello-distr");
      return bed.portal.applicationLicenses.create({
        name,
        applicationId: application?.id ?? "",
        customerOrganizationId: acme,
        versions: versions.map((v) => ({ id: application?.versions?.find((a) => a.name === v)?.id ?? "" })),
      });
    }

    it("refuses to create a license whose name is taken, naming the existing one and how to adopt it", async () => {
      // It grants more than declared: not what an interrupted create of this resource would have left (that one is
      // taken over, test/provider/interruptedCreate.test.ts).
      const existing = await existingLicense("acme-pro", ["2.1.0", "2.2.0"]);
      const license = new SimulatedResource("applicationLicense");
      await expect(
        license.up(p, { name: "acme-pro", customer: acme, application: "hello-distr", versions: ["2.1.0"] }),
      ).rejects.toThrow(
        `an application license named "acme-pro" already exists ${dialect === "3" ? "for this customer" : "in this Distr organization"} ` +
          `(id ${existing.id}); to manage it with this resource, set adopt: true (or adopt: { id: "${existing.id}" })`,
      );
    });

    it("adopts by name and updates it to the desired state without re-creating it", async () => {
      const existing = await existingLicense("acme-pro", ["2.1.0"]);
      const license = new SimulatedResource("applicationLicense");
      await license.up(p, {
        name: "acme-pro",
        customer: acme,
        application: "hello-distr",
        versions: ["2.1.0", "2.2.0"],
        expiresAt: "2027-01-01T00:00:00Z",
        adopt: true,
      });
      expect(license.id).toBe(existing.id);
      expect(await grantedVersionNames(existing.id)).toEqual(["2.1.0", "2.2.0"]);
      expect((await bed.portal.applicationLicenses.get(existing.id))?.expiresAt).toBe("2027-01-01T00:00:00Z");
      expect(await bed.portal.applicationLicenses.list()).toHaveLength(1);
    });

    it("adopts a license that already matches without sending a single write", async () => {
      const existing = await existingLicense("acme-pro", ["2.1.0", "2.2.0"]);
      const before = bed.requests().length;
      const license = new SimulatedResource("applicationLicense");
      const program = {
        name: "acme-pro",
        customer: acme,
        application: "hello-distr",
        versions: ["2.2.0", "2.1.0"],
        adopt: true,
      };
      await license.up(await bed.process(), program);
      expect(license.id).toBe(existing.id);
      expect(bed.requests(before).filter((r) => r.method !== "GET")).toEqual([]);
      expect((await license.up(await bed.process(), program)).op).toBe("same");
    });

    it("adopts by id, and refuses one of another application", async () => {
      const existing = await existingLicense("legacy-name");
      const license = new SimulatedResource("applicationLicense");
      await license.up(p, {
        name: "acme-pro",
        customer: acme,
        application: "hello-distr",
        versions: ["2.1.0"],
        adopt: { id: existing.id },
      });
      expect(license.id).toBe(existing.id);
      expect((await bed.portal.applicationLicenses.get(existing.id))?.name).toBe("acme-pro");

      const other = new SimulatedResource("applicationLicense");
      await expect(
        other.up(await bed.process(), {
          name: "x",
          customer: acme,
          application: "hello-distr-helm",
          adopt: { id: existing.id },
        }),
      ).rejects.toThrow(
        /cannot adopt application license "acme-pro" .*licenses application hello-distr, not hello-distr-helm/,
      );
    });

    it("creates the license when adopt finds none", async () => {
      const license = new SimulatedResource("applicationLicense");
      expect(
        (await license.up(p, { name: "acme-pro", customer: acme, application: "hello-distr", adopt: true })).op,
      ).toBe("create");
      expect(await bed.portal.applicationLicenses.get(license.id)).toBeDefined();
    });
  });

  describe("delete", () => {
    it("fails while a deployment uses the license, with Distr's reason, and the license stays", async () => {
      const license = new SimulatedResource("applicationLicense");
      await license.up(p, { name: "acme-pro", customer: acme, application: "hello-distr", versions: ["2.1.0"] });
      bed.distr.control.markVersionDeployed(license.id, "2.1.0", "acme-prod");
      await expect(license.destroy(await bed.process())).rejects.toThrow(
        /Distr refused to delete application license "acme-pro" .*: could not delete (entitlement|license) because it is still in use\. Deployments still use it/,
      );
      expect(license.state).toBeDefined();
      expect(await bed.portal.applicationLicenses.get(license.id)).toBeDefined();
    });

    it("succeeds when the license is already gone, e.g. deleted with its customer", async () => {
      const license = new SimulatedResource("applicationLicense");
      await license.up(p, { name: "acme-pro", customer: acme, application: "hello-distr" });
      const customer = new SimulatedResource("customer");
      customer.state = { id: acme, inputs: {}, outputs: withProvider({ name: "ACME Corp", features: [] }) };
      await customer.destroy(await bed.process());
      await license.destroy(await bed.process());
      expect(license.state).toBeUndefined();
    });
  });
});
