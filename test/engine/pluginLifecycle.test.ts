/**
 * The native plugin through the real engine, on both Distr dialects: a TypeScript program registering
 * `distr:index:*` resources (as a generated SDK or a YAML program does) with `pulumi-resource-distr` on PATH.
 * Create, a preview and an up without changes (no writes), an in-place update, a replacement, a refresh after a
 * portal edit, destroy. Each step asserts on the engine's report and on Distr's state.
 */
import type { Dialect } from "../../sdk/dialect";
import { startLocalDistr, type LocalDistr } from "../../local-distr";
import { DistrPortal } from "./harness/distrState";
import { SuiteClock } from "./harness/measurements";
import { PLUGIN_PROGRAM, type PluginProgramSpec } from "./harness/plugin";
import { pluginEnvironment } from "./harness/pluginPath";
import { changesBesidesSame, ProgramStack, stepsByOp } from "./harness/programStack";

jest.setTimeout(10 * 60_000);
const clock = new SuiteClock();
clock.install("pluginLifecycle.test.ts");

function desired(customerName: string, application: string, expiresAt: string): PluginProgramSpec {
  return {
    resources: [
      { type: "Customer", name: "acme", args: { name: customerName } },
      {
        type: "ApplicationLicense",
        name: "acme-pro",
        // Helm licenses with specific versions cannot be created on Distr 2.x (quirk 2): "all" for the Helm app.
        args: {
          customer: { $id: "acme" },
          application,
          versions: application === "hello-distr" ? ["2.0.0"] : "all",
          expiresAt,
        },
      },
    ],
  };
}

describe.each<Dialect>(["3", "2"])("the plugin's lifecycle through the engine on Distr %s.x", (dialect) => {
  let distr: LocalDistr;
  let portal: DistrPortal;
  let stack: ProgramStack;
  const writes = () => distr.control.requests.filter((request) => request.method !== "GET").length;

  beforeAll(async () => {
    distr = await startLocalDistr({ dialect });
    portal = new DistrPortal(distr.host, distr.token, dialect, { afterRequest: () => distr.control.resetRateLimits() });
    stack = await ProgramStack.open({
      program: PLUGIN_PROGRAM,
      distr,
      name: `plugin-v${dialect}`,
      env: await pluginEnvironment(),
    });
  });

  afterAll(async () => {
    await stack?.dispose();
    await distr?.close();
  });

  it("previews without writing to Distr, then creates a customer and a license", async () => {
    await stack.setObject("spec", desired("ACME Corp", "hello-distr", "2027-06-30T00:00:00Z"));
    const before = writes();
    const preview = await stack.preview();
    expect(stepsByOp(preview)).toEqual(["create acme", "create acme-pro"]);
    expect(writes()).toBe(before);

    const up = await stack.up();
    expect(stepsByOp(up)).toEqual(["create acme", "create acme-pro"]);
    const acme = await portal.customerNamed("ACME Corp");
    const license = await portal.applicationLicenseNamed("acme-pro");
    expect(license.customerOrganizationId).toBe(acme.id);
    expect(await portal.grantedVersions(license, "hello-distr")).toEqual(["2.0.0"]);
    const resources = await stack.exportDeployment();
    const types = resources.map((resource) => resource.type);
    expect(types).toEqual(expect.arrayContaining(["pulumi:providers:distr", "distr:index:Customer"]));
    expect(JSON.stringify(resources)).not.toContain("__provider");
  });

  it("finds nothing to change on a preview and an up, and writes nothing", async () => {
    const before = writes();
    expect(changesBesidesSame(await stack.preview())).toEqual({});
    const up = await stack.up();
    expect(changesBesidesSame(up)).toEqual({});
    expect(stepsByOp(up)).toEqual(["same acme", "same acme-pro"]);
    expect(writes()).toBe(before);
  });

  it("updates in place, and shows which property changes", async () => {
    await stack.setObject("spec", desired("ACME Corporation", "hello-distr", "2027-12-31T00:00:00Z"));
    const preview = await stack.preview();
    const diffs = Object.fromEntries(preview.steps.map((step) => [step.urn.split("::").pop(), step.diffs]));
    expect(diffs).toEqual({ acme: ["name"], "acme-pro": ["expiresAt"] });
    const up = await stack.up();
    expect(stepsByOp(up, "update", "replace", "create", "delete")).toEqual(["update acme", "update acme-pro"]);
    expect((await portal.customers()).map((customer) => customer.name)).toEqual(["ACME Corporation"]);
    expect((await portal.applicationLicenseNamed("acme-pro")).expiresAt).toBe("2027-12-31T00:00:00Z");
  });

  it("replaces the license when its application changes", async () => {
    const oldId = (await portal.applicationLicenseNamed("acme-pro")).id;
    await stack.setObject("spec", desired("ACME Corporation", "hello-distr-helm", "2027-12-31T00:00:00Z"));
    const preview = await stack.preview();
    const replaced = preview.steps.find((step) => step.op === "replace" && step.urn.endsWith("::acme-pro"));
    expect(replaced?.detailedDiff?.["application"]?.diffKind).toBe("update-replace");
    const up = await stack.up();
    expect(stepsByOp(up, "replace")).toEqual(["replace acme-pro"]);
    const license = await portal.applicationLicenseNamed("acme-pro");
    expect(license.id).not.toBe(oldId);
    expect(license.applicationId).toBe(await portal.applicationId("hello-distr-helm"));
  });

  it("takes a portal edit into state on refresh, and the next up repairs it", async () => {
    const license = await portal.applicationLicenseNamed("acme-pro");
    await portal.updateApplicationLicense(license, { expiresAt: "2030-01-01T00:00:00Z" });
    const refresh = await stack.refresh();
    expect(changesBesidesSame(refresh)).toEqual({ update: 1 });
    const state = (await stack.exportDeployment()).find((resource) => resource.urn.endsWith("::acme-pro"));
    expect(state?.outputs?.["expiresAt"]).toBe("2030-01-01T00:00:00Z");
    const preview = await stack.preview();
    expect(stepsByOp(preview, "update")).toEqual(["update acme-pro"]);
    await stack.up();
    expect((await portal.applicationLicenseNamed("acme-pro")).expiresAt).toBe("2027-12-31T00:00:00Z");
  });

  it("destroys what it created", async () => {
    const destroy = await stack.destroy();
    expect(stepsByOp(destroy)).toEqual(["delete acme", "delete acme-pro"]);
    expect(await portal.customers()).toEqual([]);
    expect(await portal.applicationLicenses()).toEqual([]);
  });
});
