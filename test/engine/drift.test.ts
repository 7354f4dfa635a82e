/**
 * Distr changing under the stack: portal edits, deletions out of band, licenses that existed before the stack
 * (adoption), and newly published versions that a range picks up. Distr 3.x (the dialects behave alike here).
 */
import { startLocalDistr, type LocalDistr } from "../../local-distr";
import { DistrPortal } from "./harness/distrState";
import { SuiteClock } from "./harness/measurements";
import { changesBesidesSame, ProgramStack, stepsByOp } from "./harness/programStack";
import { LICENSES_PROGRAM, type ProgramSpec } from "./harness/spec";

jest.setTimeout(10 * 60_000);
const clock = new SuiteClock();
clock.install("drift.test.ts");

const ACME = { resource: "acme", name: "ACME Corp" };

const proLicense = (versions: NonNullable<ProgramSpec["applicationLicenses"]>[number]["versions"]): ProgramSpec => ({
  customers: [ACME],
  applicationLicenses: [
    { resource: "acme-pro", customer: "acme", application: "hello-distr", versions, expiresAt: "2027-06-30T00:00:00Z" },
  ],
});

describe("Distr changing under a stack", () => {
  let distr: LocalDistr;
  let portal: DistrPortal;
  let stack: ProgramStack | undefined;

  beforeEach(async () => {
    distr = await startLocalDistr({ dialect: "3" });
    portal = new DistrPortal(distr.host, distr.token, "3", { afterRequest: () => distr.control.resetRateLimits() });
  });

  afterEach(async () => {
    await stack?.dispose();
    stack = undefined;
    await distr.close();
  });

  async function stackWith(spec: ProgramSpec, name: string): Promise<ProgramStack> {
    stack = await ProgramStack.open({ program: LICENSES_PROGRAM, distr, name });
    await stack.setObject("spec", spec);
    return stack;
  }

  it("reports a portal edit on refresh and repairs it on up", async () => {
    const s = await stackWith(proLicense({ range: ">=2.0.0 <2.2.0" }), "portal-edit");
    await s.up();
    const license = await portal.applicationLicenseNamed("acme-pro");
    const versionIds = await portal.applicationVersionNames("hello-distr");
    const v230 = [...versionIds].find(([, name]) => name === "2.3.0")?.[0];
    // A colleague extends the expiry and adds 2.3.0 in the vendor portal.
    await portal.updateApplicationLicense(license, {
      expiresAt: "2030-01-01T00:00:00Z",
      versions: [...license.versions.map((v) => ({ id: v.id })), { id: v230 }],
    });

    const refreshPreview = await s.previewRefresh();
    expect(stepsByOp(refreshPreview, "update", "refresh").length).toBeGreaterThan(0);
    expect(changesBesidesSame(refreshPreview)).toEqual({ update: 1 });
    const refresh = await s.refresh();
    expect(changesBesidesSame(refresh)).toEqual({ update: 1 });

    const preview = await s.preview();
    expect(stepsByOp(preview, "update", "replace", "create", "delete")).toEqual(["update acme-pro"]);
    const up = await s.up();
    expect(stepsByOp(up, "update", "replace", "create", "delete")).toEqual(["update acme-pro"]);
    const repaired = await portal.applicationLicenseNamed("acme-pro");
    expect(repaired.id).toBe(license.id);
    expect(repaired.expiresAt).toBe("2027-06-30T00:00:00Z");
    expect(await portal.grantedVersions(repaired, "hello-distr")).toEqual(["2.0.0", "2.1.0"]);
    expect(changesBesidesSame(await s.preview())).toEqual({});
  });

  it("recreates a license deleted out of band after refresh", async () => {
    const s = await stackWith(proLicense({ range: ">=2.0.0 <3.0.0" }), "deleted");
    await s.up();
    const license = await portal.applicationLicenseNamed("acme-pro");
    await portal.deleteApplicationLicense(license.id);

    const refresh = await s.refresh();
    expect(changesBesidesSame(refresh)).toEqual({ delete: 1 });
    const up = await s.up();
    expect(stepsByOp(up, "update", "replace", "create", "delete")).toEqual(["create acme-pro"]);
    const recreated = await portal.applicationLicenseNamed("acme-pro");
    expect(recreated.id).not.toBe(license.id);
    expect(await portal.grantedVersions(recreated, "hello-distr")).toEqual(["2.0.0", "2.1.0", "2.2.0", "2.3.0"]);
  });

  it("adopts an existing customer and license without deleting or recreating them", async () => {
    const umbrella = await portal.createCustomer("Umbrella");
    const applicationId = await portal.applicationId("hello-distr");
    const versions = await portal.applicationVersionNames("hello-distr");
    const v210 = [...versions].find(([, name]) => name === "2.1.0")?.[0] ?? "";
    const existing = await portal.createApplicationLicense({
      name: "umbrella-hotfix",
      applicationId,
      customerOrganizationId: umbrella.id,
      versions: [{ id: v210 }],
      expiresAt: "2027-01-31T00:00:00Z",
    });
    const requestsBefore = distr.control.requests.length;

    const s = await stackWith(
      {
        customers: [{ resource: "umbrella", name: "Umbrella", adopt: true }],
        applicationLicenses: [
          {
            resource: "umbrella-hotfix",
            customer: "umbrella",
            application: "hello-distr",
            versions: ["2.1.0"],
            expiresAt: "2027-01-31T00:00:00Z",
            adopt: { id: existing.id },
          },
        ],
      },
      "adopt",
    );
    const up = await s.up();
    expect(stepsByOp(up, "create", "update", "replace", "delete")).toEqual([
      "create umbrella",
      "create umbrella-hotfix",
    ]);
    const writes = distr.control.requests
      .slice(requestsBefore)
      .filter((request) => request.method === "POST" || request.method === "DELETE");
    expect(writes).toEqual([]);
    const adopted = await portal.applicationLicenseNamed("umbrella-hotfix");
    expect(adopted.id).toBe(existing.id);
    expect((await portal.customerNamed("Umbrella")).id).toBe(umbrella.id);
    expect(changesBesidesSame(await s.preview())).toEqual({});
  });

  it("shows a newly published version matching a range as a change of that license, and grants it on up", async () => {
    const s = await stackWith(proLicense({ range: ">=2.0.0 <3.0.0" }), "new-version");
    await s.up();
    expect(changesBesidesSame(await s.preview())).toEqual({});

    distr.control.addApplicationVersion("hello-distr", "2.5.0");
    const preview = await s.preview();
    expect(stepsByOp(preview, "update", "replace", "create", "delete")).toEqual(["update acme-pro"]);
    const up = await s.up();
    expect(stepsByOp(up, "update", "replace", "create", "delete")).toEqual(["update acme-pro"]);
    const license = await portal.applicationLicenseNamed("acme-pro");
    expect(await portal.grantedVersions(license, "hello-distr")).toEqual(["2.0.0", "2.1.0", "2.2.0", "2.3.0", "2.5.0"]);
    expect(changesBesidesSame(await s.preview())).toEqual({});
  });
});
