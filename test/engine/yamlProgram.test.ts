/**
 * A Pulumi YAML program through the real engine, the YAML language host (scripts/pulumi-yaml-host.sh) and the
 * provider plugin `pulumi-resource-distr`, on both Distr dialects: create, a preview with no changes, an update in
 * place, a replacement, a portal edit that refresh reports and `up` repairs, and a destroy that leaves Distr as it
 * was. The program is the engine suite's licenses program written in YAML (harness/yamlProgram.ts), so the
 * scenarios read like lifecycle.test.ts and drift.test.ts for the TypeScript face.
 */
import type { Dialect } from "../../sdk/dialect";
import { startLocalDistr, type LocalDistr } from "../../local-distr";
import { DistrPortal, type DistrSnapshot } from "./harness/distrState";
import { SuiteClock } from "./harness/measurements";
import { pluginEnvironment } from "./harness/pluginPath";
import { changesBesidesSame, ProgramStack, stepsByOp } from "./harness/programStack";
import type { ProgramSpec } from "./harness/spec";
import { YamlProgramDir } from "./harness/yamlProgram";

jest.setTimeout(10 * 60_000);
const clock = new SuiteClock();
clock.install("yamlProgram.test.ts");

const ACME = { resource: "acme", name: "ACME Corp" };
const GLOBEX = { resource: "globex", name: "Globex Corporation" };

function desired(overrides: { expiresAt?: string; customer?: string } = {}): ProgramSpec {
  return {
    customers: [ACME, GLOBEX],
    applicationLicenses: [
      {
        resource: "acme-pro",
        customer: overrides.customer ?? "acme",
        application: "hello-distr",
        versions: { range: ">=2.0.0 <2.2.0" },
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
          { artifact: "hello-distr/frontend", tags: { range: "^2" } },
        ],
      },
    ],
  };
}

describe.each<Dialect>(["3", "2"])("a Pulumi YAML program through the plugin on Distr %s.x", (dialect) => {
  let distr: LocalDistr;
  let portal: DistrPortal;
  let program: YamlProgramDir;
  let stack: ProgramStack;
  let before: DistrSnapshot;
  let licenseId: string;

  beforeAll(async () => {
    distr = await startLocalDistr({ dialect });
    portal = new DistrPortal(distr.host, distr.token, dialect, { afterRequest: () => distr.control.resetRateLimits() });
    before = await portal.snapshot();
    program = new YamlProgramDir(desired());
    stack = await ProgramStack.open({
      program: program.dir,
      distr,
      name: `yaml-v${dialect}`,
      env: await pluginEnvironment(),
    });
  });

  afterAll(async () => {
    await stack?.dispose();
    program?.remove();
    await distr?.close();
  });

  it("creates the customers and licenses a YAML program declares", async () => {
    const up = await stack.up();
    expect(stepsByOp(up)).toEqual(["create acme", "create acme-images", "create acme-pro", "create globex"]);
    const license = await portal.applicationLicenseNamed("acme-pro");
    const acme = await portal.customerNamed("ACME Corp");
    expect(license.customerOrganizationId).toBe(acme.id);
    expect(license.expiresAt).toBe("2027-06-30T00:00:00Z");
    expect(await portal.grantedVersions(license, "hello-distr")).toEqual(["2.0.0", "2.1.0"]);
    expect(await stack.outputs()).toMatchObject({ applicationLicenses: { "acme-pro": license.id } });
    licenseId = license.id;
    const images = await portal.artifactLicenseNamed("acme-images");
    expect(images.customerOrganizationId).toBe(acme.id);
    // The plugin keeps no provider code in state (the dynamic face's `__provider`) and never the token.
    const resources = await stack.exportDeployment();
    const ours = resources.filter((resource) => resource.type.startsWith("distr:index:"));
    expect(ours.map((resource) => resource.type).sort()).toEqual([
      "distr:index:ApplicationLicense",
      "distr:index:ArtifactLicense",
      "distr:index:Customer",
      "distr:index:Customer",
    ]);
    expect(JSON.stringify(resources)).not.toContain("__provider");
    expect(JSON.stringify(resources)).not.toContain(distr.token);
  });

  it("previews no changes on an unchanged program", async () => {
    const preview = await stack.preview();
    expect(changesBesidesSame(preview)).toEqual({});
    expect(stepsByOp(preview)).toEqual(["same acme", "same acme-images", "same acme-pro", "same globex"]);
  });

  it("updates the expiry in place", async () => {
    program.write(desired({ expiresAt: "2027-12-31T00:00:00Z" }));
    const up = await stack.up();
    expect(stepsByOp(up, "update", "replace", "create", "delete")).toEqual(["update acme-pro"]);
    const license = await portal.applicationLicenseNamed("acme-pro");
    expect(license.id).toBe(licenseId);
    expect(license.expiresAt).toBe("2027-12-31T00:00:00Z");
  });

  it("replaces a license moved to another customer", async () => {
    program.write(desired({ expiresAt: "2027-12-31T00:00:00Z", customer: "globex" }));
    const preview = await stack.preview();
    expect(stepsByOp(preview, "update", "replace", "create", "delete")).toEqual(["replace acme-pro"]);
    const up = await stack.up();
    expect(up.changes["replace"]).toBe(1);
    const license = await portal.applicationLicenseNamed("acme-pro");
    expect(license.id).not.toBe(licenseId);
    expect(license.customerOrganizationId).toBe((await portal.customerNamed("Globex Corporation")).id);
    expect((await portal.applicationLicenses()).filter((l) => l.name === "acme-pro")).toHaveLength(1);
    licenseId = license.id;
    expect(changesBesidesSame(await stack.preview())).toEqual({});
  });

  it("reports a portal edit on refresh, and up puts the program's license back", async () => {
    const license = await portal.applicationLicenseNamed("acme-pro");
    const v230 = [...(await portal.applicationVersionNames("hello-distr"))].find(([, name]) => name === "2.3.0")?.[0];
    // A colleague extends the expiry and adds 2.3.0 in the vendor portal (Distr's HTTP API, as the portal does).
    await portal.updateApplicationLicense(license, {
      expiresAt: "2030-01-01T00:00:00Z",
      versions: [...license.versions.map((v) => ({ id: v.id })), { id: v230 }],
    });
    const refresh = await stack.refresh();
    expect(changesBesidesSame(refresh)).toEqual({ update: 1 });
    // Putting it back narrows the versions: in place on 3.x, a replacement under the same name on 2.x (which
    // refuses any narrowing), as for the TypeScript program (lifecycle.test.ts).
    const preview = await stack.preview();
    expect(stepsByOp(preview, "update", "replace", "create", "delete")).toEqual([
      dialect === "3" ? "update acme-pro" : "replace acme-pro",
    ]);
    await stack.up();
    const repaired = await portal.applicationLicenseNamed("acme-pro");
    if (dialect === "3") expect(repaired.id).toBe(licenseId);
    else expect(repaired.id).not.toBe(licenseId);
    expect(repaired.expiresAt).toBe("2027-12-31T00:00:00Z");
    expect(await portal.grantedVersions(repaired, "hello-distr")).toEqual(["2.0.0", "2.1.0"]);
    expect(changesBesidesSame(await stack.preview())).toEqual({});
  });

  it("destroy leaves Distr exactly as it was before the stack", async () => {
    const destroy = await stack.destroy();
    expect(stepsByOp(destroy, "delete")).toEqual([
      "delete acme",
      "delete acme-images",
      "delete acme-pro",
      "delete globex",
    ]);
    expect(await portal.snapshot()).toEqual(before);
    const requests = distr.control.requests;
    clock.note(
      `YAML on Distr ${dialect}.x: ${requests.length} requests over the lifecycle (test inspection included), ` +
        `${requests.filter((request) => request.status === 429).length} answered 429`,
    );
  });
});
