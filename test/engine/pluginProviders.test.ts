/**
 * The native plugin's providers through the real engine: two explicit providers (`pulumi:providers:distr`, each
 * its own plugin process) pointed at two local Distr hubs in one program; where the token ends up (never in plain
 * text in state, the CLI's output, the engine's verbose logs or the plugin's stderr); and the state each resource
 * takes through the plugin beside the dynamic provider's, printed.
 */
import { startLocalDistr, type LocalDistr } from "../../local-distr";
import { DistrPortal } from "./harness/distrState";
import { SuiteClock } from "./harness/measurements";
import { PLUGIN_PROGRAM, type PluginProgramSpec } from "./harness/plugin";
import { pluginEnvironment } from "./harness/pluginPath";
import { ProgramStack, stepsByOp, type DeploymentResource } from "./harness/programStack";
import { LICENSES_PROGRAM, type ProgramSpec } from "./harness/spec";

jest.setTimeout(10 * 60_000);
const clock = new SuiteClock();
clock.install("pluginProviders.test.ts");

describe("the plugin's providers through the engine", () => {
  const hubs: LocalDistr[] = [];
  const stacks: ProgramStack[] = [];

  afterEach(async () => {
    await Promise.all(stacks.splice(0).map((stack) => stack.dispose()));
    await Promise.all(hubs.splice(0).map((hub) => hub.close()));
  });

  async function hub(): Promise<LocalDistr> {
    const distr = await startLocalDistr({ dialect: "3" });
    hubs.push(distr);
    return distr;
  }

  async function open(options: Parameters<typeof ProgramStack.open>[0]): Promise<ProgramStack> {
    const stack = await ProgramStack.open(options);
    stacks.push(stack);
    return stack;
  }

  it("two explicit providers in one program manage two Distr hubs, each resource on its own", async () => {
    const [north, south] = [await hub(), await hub()];
    const stack = await open({
      program: PLUGIN_PROGRAM,
      // The default provider points at neither hub's data: every resource names an explicit provider.
      distr: north,
      name: "two-hubs",
      env: await pluginEnvironment(),
      config: {
        northToken: { value: north.token, secret: true },
        southToken: { value: south.token, secret: true },
      },
    });
    const spec: PluginProgramSpec = {
      providers: [
        { name: "north", host: north.host },
        { name: "south", host: south.host },
      ],
      resources: [
        { type: "Customer", name: "north-acme", args: { name: "ACME North" }, provider: "north" },
        {
          type: "ApplicationLicense",
          name: "north-pro",
          args: { customer: { $id: "north-acme" }, application: "hello-distr" },
          provider: "north",
        },
        { type: "Customer", name: "south-globex", args: { name: "Globex South" }, provider: "south" },
      ],
    };
    await stack.setObject("spec", spec);
    const up = await stack.up();
    expect(stepsByOp(up)).toEqual(["create north-acme", "create north-pro", "create south-globex"]);
    const northPortal = new DistrPortal(north.host, north.token, "3");
    const southPortal = new DistrPortal(south.host, south.token, "3");
    expect((await northPortal.customers()).map((customer) => customer.name)).toEqual(["ACME North"]);
    expect((await northPortal.applicationLicenses()).map((license) => license.name)).toEqual(["north-pro"]);
    expect((await southPortal.customers()).map((customer) => customer.name)).toEqual(["Globex South"]);
    expect(await southPortal.applicationLicenses()).toEqual([]);

    const resources = await stack.exportDeployment();
    const providers = resources.filter((resource) => resource.type === "pulumi:providers:distr");
    expect(providers.map((provider) => provider.urn.split("::").pop()).sort()).toEqual(["north", "south"]);
    const exported = JSON.stringify(resources);
    for (const distr of [north, south]) expect(exported).not.toContain(distr.token.slice("distr-".length));

    const destroy = await stack.destroy();
    expect(stepsByOp(destroy)).toHaveLength(3);
    expect(await northPortal.customers()).toEqual([]);
    expect(await southPortal.customers()).toEqual([]);
  });

  it("keeps the token out of state, the CLI's output, verbose engine logs and the plugin's stderr", async () => {
    const distr = await hub();
    const stack = await open({ program: PLUGIN_PROGRAM, distr, name: "plugin-token", env: await pluginEnvironment() });
    const spec: PluginProgramSpec = {
      resources: [
        { type: "Customer", name: "acme", args: { name: "ACME Corp" } },
        {
          type: "ApplicationLicense",
          name: "acme-pro",
          args: {
            customer: { $id: "acme" },
            application: "hello-distr",
            registry: {
              url: "https://registry.example.com",
              username: "acme",
              password: { $secret: "registryPassword" },
            },
          },
        },
      ],
    };
    await stack.setObject("spec", spec);
    await stack.stack.setConfig("registryPassword", { value: "hunter2-registry", secret: true });
    const secretPart = distr.token.slice("distr-".length);

    const up = await stack.cli("up", "--yes", "--logtostderr", "-v=9", "--logflow");
    expect(up.code).toBe(0);
    const preview = await stack.cli("preview", "--diff", "--logtostderr", "-v=9", "--logflow");
    expect(preview.code).toBe(0);
    // A token Distr refuses, on a change that needs Distr (refresh and destroy use the token in state): the
    // failure reaches the user, the token does not (the plugin's stderr is part of the CLI's output).
    const refused = `distr-${"0".repeat(32)}`;
    await stack.stack.setConfig("distr:token", { value: refused, secret: true });
    await stack.setObject("spec", {
      resources: [...spec.resources, { type: "Customer", name: "initech", args: { name: "Initech" } }],
    } satisfies PluginProgramSpec);
    const failed = await stack.cli("up", "--yes", "--logtostderr", "-v=9", "--logflow");
    expect(failed.code).not.toBe(0);
    for (const output of [up, preview, failed]) {
      expect(output.stdout + output.stderr).not.toContain(secretPart);
      expect(output.stdout + output.stderr).not.toContain("hunter2-registry");
    }
    expect(failed.stdout + failed.stderr).not.toContain("0".repeat(32));
    expect(failed.stdout + failed.stderr).toMatch(/401|token/i);

    const resources = await stack.exportDeployment();
    const texts = [JSON.stringify(resources), ...stack.stateFiles().map((file) => file.text)];
    for (const text of texts) {
      expect(text).not.toContain(secretPart);
      expect(text).not.toContain("hunter2-registry");
    }
    const license = resources.find((resource) => resource.type === "distr:index:ApplicationLicense");
    expect(license?.outputs?.["registryPassword"]).toMatchObject({
      "4dabf18193072939515e22adb298388d": expect.any(String),
    });
    const provider = resources.find((resource) => resource.type === "pulumi:providers:distr");
    expect(provider?.inputs?.["token"]).toMatchObject({ "4dabf18193072939515e22adb298388d": expect.any(String) });
  });

  it("measures the state per resource through the plugin beside the dynamic provider's", async () => {
    const distr = await hub();
    const plugin = await open({ program: PLUGIN_PROGRAM, distr, name: "plugin-size", env: await pluginEnvironment() });
    await plugin.setObject("spec", {
      resources: [
        { type: "Customer", name: "acme", args: { name: "ACME Corp" } },
        {
          type: "ApplicationLicense",
          name: "acme-pro",
          args: { customer: { $id: "acme" }, application: "hello-distr", versions: ["2.1.0"] },
        },
        {
          type: "ArtifactLicense",
          name: "acme-images",
          args: { customer: { $id: "acme" }, artifacts: [{ artifact: "hello-distr/backend", tags: "all" }] },
        },
      ],
    } satisfies PluginProgramSpec);
    await plugin.up();
    const dynamic = await open({ program: LICENSES_PROGRAM, distr, name: "dynamic-size" });
    await dynamic.setObject("spec", {
      customers: [{ resource: "globex", name: "Globex" }],
      applicationLicenses: [
        { resource: "globex-pro", customer: "globex", application: "hello-distr", versions: ["2.1.0"] },
      ],
      artifactLicenses: [
        {
          resource: "globex-images",
          customer: "globex",
          artifacts: [{ artifact: "hello-distr/backend", tags: "all" }],
        },
      ],
    } satisfies ProgramSpec);
    await dynamic.up();

    const pluginSizes = sizes(await plugin.exportDeployment(), "distr:index:");
    const dynamicSizes = sizes(await dynamic.exportDeployment(), "pulumi-nodejs:dynamic/distr:");
    expect(pluginSizes.resources).toBe(3);
    expect(pluginSizes.providerBytes).toBe(0);
    expect(dynamicSizes.resources).toBe(3);
    clock.note(
      `state per resource (customer, application license, artifact license; stack export): plugin ` +
        `${pluginSizes.perResource} bytes (no __provider); dynamic provider from this checkout ${dynamicSizes.perResource} ` +
        `bytes, of which __provider ${dynamicSizes.providerBytes} bytes (inputs and outputs; an installed package ` +
        `stores it by reference instead), ${dynamicSizes.perResource - dynamicSizes.providerBytes} bytes without it`,
    );
  });
});

function sizes(
  resources: readonly DeploymentResource[],
  typePrefix: string,
): { resources: number; perResource: number; providerBytes: number } {
  const own = resources.filter((resource) => resource.type.startsWith(typePrefix));
  const bytes = own.reduce((sum, resource) => sum + Buffer.byteLength(JSON.stringify(resource)), 0);
  const provider = own.reduce(
    (sum, resource) =>
      sum +
      Buffer.byteLength(JSON.stringify(resource.inputs?.["__provider"] ?? "")) -
      2 +
      Buffer.byteLength(JSON.stringify(resource.outputs?.["__provider"] ?? "")) -
      2,
    0,
  );
  return {
    resources: own.length,
    perResource: Math.round(bytes / Math.max(1, own.length)),
    providerBytes: Math.round(provider / Math.max(1, own.length)),
  };
}
