/**
 * The license lifecycle through the real engine, on both Distr dialects: create, no-op up and refresh, in-place
 * updates, narrowing (3.x update, 2.x replacement that keeps the name), moving a license to another customer, and
 * a destroy that leaves Distr as it was. Each step asserts on the engine's report and on Distr's state.
 */
import type { Dialect } from "../../sdk/dialect";
import { startLocalDistr, type LocalDistr } from "../../local-distr";
import { DistrPortal, type DistrSnapshot } from "./harness/distrState";
import { describeProviderSizes, providerSizes, SuiteClock } from "./harness/measurements";
import { changesBesidesSame, ProgramStack, stepsByOp } from "./harness/programStack";
import { LICENSES_PROGRAM, type ProgramSpec } from "./harness/spec";

jest.setTimeout(10 * 60_000);
const clock = new SuiteClock();
clock.install("lifecycle.test.ts");

const ACME = { resource: "acme", name: "ACME Corp" };
const GLOBEX = { resource: "globex", name: "Globex Corporation" };

function desired(
  overrides: {
    versions?: ProgramSpec["applicationLicenses"] extends (infer L)[] | undefined
      ? L extends { versions: infer V }
        ? V
        : never
      : never;
    expiresAt?: string;
    customer?: string;
  } = {},
): ProgramSpec {
  return {
    customers: [ACME, GLOBEX],
    applicationLicenses: [
      {
        resource: "acme-pro",
        customer: overrides.customer ?? "acme",
        application: "hello-distr",
        versions: overrides.versions ?? { range: ">=2.0.0 <2.2.0" },
        expiresAt: overrides.expiresAt ?? "2027-06-30T00:00:00Z",
      },
    ],
    artifactLicenses: [
      {
        resource: "acme-images",
        customer: "acme",
        expiresAt: "2027-06-30T00:00:00Z",
        artifacts: [
          { artifact: "hello-distr/backend", tags: "all" },
          { artifact: "hello-distr/chart", tags: ["1.2.0", "1.3.0"] },
          { artifact: "hello-distr/frontend", tags: { range: "^2" } },
        ],
      },
    ],
  };
}

describe.each<Dialect>(["3", "2"])("the license lifecycle through the engine on Distr %s.x", (dialect) => {
  let distr: LocalDistr;
  let portal: DistrPortal;
  let stack: ProgramStack;
  let before: DistrSnapshot;
  let licenseId: string;

  beforeAll(async () => {
    distr = await startLocalDistr({ dialect });
    portal = new DistrPortal(distr.host, distr.token, dialect, { afterRequest: () => distr.control.resetRateLimits() });
    before = await portal.snapshot();
    stack = await ProgramStack.open({ program: LICENSES_PROGRAM, distr, name: `lifecycle-v${dialect}` });
  });

  afterAll(async () => {
    await stack?.dispose();
    await distr?.close();
  });

  it("creates customers, an application license and an artifact license", async () => {
    await stack.setObject("spec", desired());
    const up = await stack.up();
    expect(stepsByOp(up)).toEqual(["create acme", "create acme-images", "create acme-pro", "create globex"]);
    expect(up.changes["create"]).toBe(5); // the four resources and the stack

    const license = await portal.applicationLicenseNamed("acme-pro");
    const acme = await portal.customerNamed("ACME Corp");
    expect(license.customerOrganizationId).toBe(acme.id);
    expect(license.expiresAt).toBe("2027-06-30T00:00:00Z");
    expect(await portal.grantedVersions(license, "hello-distr")).toEqual(["2.0.0", "2.1.0"]);
    const outputs = await stack.outputs();
    expect(outputs["applicationLicenses"]).toEqual({ "acme-pro": license.id });
    licenseId = license.id;

    const images = await portal.artifactLicenseNamed("acme-images");
    expect(images.customerOrganizationId).toBe(acme.id);
    const backend = await portal.artifactTags("hello-distr/backend");
    const chart = await portal.artifactTags("hello-distr/chart");
    const frontend = await portal.artifactTags("hello-distr/frontend");
    const selected = (artifactId: string) =>
      images.artifacts?.find((selection) => selection.artifactId === artifactId)?.versionIds ?? undefined;
    expect(selected(backend.id) ?? []).toEqual([]); // all tags: no version ids (section 6.6)
    const tagsOf = (versions: Map<string, string[]>, ids: string[] | undefined) =>
      (ids ?? []).flatMap((id) => versions.get(id) ?? [`?${id}`]).sort();
    expect(tagsOf(chart.versions, selected(chart.id))).toEqual(["1.2.0", "1.3.0"]);
    expect(tagsOf(frontend.versions, selected(frontend.id))).toEqual(["2.0.0", "2.1.0", "2.2.0"]);

    clock.note(
      `Distr ${dialect}.x: ${describeProviderSizes(providerSizes(await stack.exportDeployment())).join("; ")}`,
    );
  });

  it("finds nothing to change on a second up", async () => {
    const up = await stack.up();
    expect(changesBesidesSame(up)).toEqual({});
    expect(stepsByOp(up)).toEqual(["same acme", "same acme-images", "same acme-pro", "same globex"]);
  });

  it("finds no drift on refresh", async () => {
    const preview = await stack.previewRefresh();
    expect(changesBesidesSame(preview)).toEqual({});
    const refresh = await stack.refresh();
    expect(changesBesidesSame(refresh)).toEqual({});
    expect(changesBesidesSame(await stack.preview())).toEqual({});
  });

  it("updates the expiry in place", async () => {
    await stack.setObject("spec", desired({ expiresAt: "2027-12-31T00:00:00Z" }));
    const up = await stack.up();
    expect(stepsByOp(up, "update", "replace", "create", "delete")).toEqual(["update acme-pro"]);
    const license = await portal.applicationLicenseNamed("acme-pro");
    expect(license.id).toBe(licenseId);
    expect(license.expiresAt).toBe("2027-12-31T00:00:00Z");
  });

  it("widens the versions in place", async () => {
    await stack.setObject(
      "spec",
      desired({ expiresAt: "2027-12-31T00:00:00Z", versions: { range: ">=2.0.0 <2.4.0" } }),
    );
    const up = await stack.up();
    expect(stepsByOp(up, "update", "replace", "create", "delete")).toEqual(["update acme-pro"]);
    const license = await portal.applicationLicenseNamed("acme-pro");
    expect(license.id).toBe(licenseId);
    expect(await portal.grantedVersions(license, "hello-distr")).toEqual(["2.0.0", "2.1.0", "2.2.0", "2.3.0"]);
  });

  it(
    dialect === "3"
      ? "narrows the versions in place (Distr 3.x allows it while no deployment uses a removed version)"
      : "narrows the versions by replacing the license under the same name (Distr 2.x refuses any narrowing)",
    async () => {
      await stack.setObject(
        "spec",
        desired({ expiresAt: "2027-12-31T00:00:00Z", versions: { range: ">=2.1.0 <2.4.0" } }),
      );
      const preview = await stack.preview();
      const up = await stack.up();
      const license = await portal.applicationLicenseNamed("acme-pro");
      expect(await portal.grantedVersions(license, "hello-distr")).toEqual(["2.1.0", "2.2.0", "2.3.0"]);
      if (dialect === "3") {
        expect(stepsByOp(preview, "update", "replace")).toEqual(["update acme-pro"]);
        expect(stepsByOp(up, "update", "replace", "create", "delete")).toEqual(["update acme-pro"]);
        expect(license.id).toBe(licenseId);
      } else {
        expect(stepsByOp(preview, "update", "replace")).toEqual(["replace acme-pro"]);
        expect(up.changes["replace"]).toBe(1);
        expect(license.id).not.toBe(licenseId);
        licenseId = license.id;
      }
      expect(license.expiresAt).toBe("2027-12-31T00:00:00Z");
      expect((await portal.applicationLicenses()).filter((l) => l.name === "acme-pro")).toHaveLength(1);
    },
  );

  it("moves a license to another customer by replacing it", async () => {
    await stack.setObject(
      "spec",
      desired({ expiresAt: "2027-12-31T00:00:00Z", versions: { range: ">=2.1.0 <2.4.0" }, customer: "globex" }),
    );
    const up = await stack.up();
    expect(up.changes["replace"]).toBe(1);
    expect(stepsByOp(up, "update", "replace", "create", "delete")).toEqual(["replace acme-pro"]);
    const license = await portal.applicationLicenseNamed("acme-pro");
    expect(license.id).not.toBe(licenseId);
    expect(license.customerOrganizationId).toBe((await portal.customerNamed("Globex Corporation")).id);
    expect(await portal.grantedVersions(license, "hello-distr")).toEqual(["2.1.0", "2.2.0", "2.3.0"]);
    expect(changesBesidesSame(await stack.preview())).toEqual({});
  });

  it("destroy leaves Distr exactly as it was before the stack", async () => {
    const destroy = await stack.destroy();
    expect(destroy.changes["delete"]).toBe(5);
    expect(await portal.snapshot()).toEqual(before);
    const requests = distr.control.requests;
    clock.note(
      `Distr ${dialect}.x: ${requests.length} requests over the lifecycle (test inspection included), ` +
        `${requests.filter((request) => request.status === 429).length} answered 429`,
    );
  });
});
