/**
 * Moving a stack of dynamic Distr resources to the plugin without touching Distr, through the real engine: a
 * TypeScript stack of the dynamic classes is exported, rewritten with `pulumi-distr move-to-plugin`, imported, and
 * its program replaced by a Pulumi YAML program declaring the same resources through the plugin. The preview and
 * the up that follow change nothing in Distr: 0 writes, every Distr resource `same`.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { startLocalDistr, type LocalDistr } from "../../local-distr";
import { DistrPortal } from "./harness/distrState";
import { pulumiEngine, REPO_ROOT } from "./harness/engine";
import { SuiteClock } from "./harness/measurements";
import { pluginEnvironment } from "./harness/pluginPath";
import { ProgramStack } from "./harness/programStack";
import { LICENSES_PROGRAM, type ProgramSpec } from "./harness/spec";

jest.setTimeout(10 * 60_000);
const clock = new SuiteClock();
clock.install("pluginMove.test.ts");
const run = promisify(execFile);

const SPEC: ProgramSpec = {
  customers: [{ resource: "acme", name: "ACME Corp" }],
  applicationLicenses: [{ resource: "acme-pro", customer: "acme", application: "hello-distr", versions: ["2.1.0"] }],
};

/** The same resources in Pulumi YAML, in the TypeScript program's project (URNs keep their project). */
const YAML_PROGRAM = `name: distr-engine-test
runtime: yaml
resources:
  acme:
    type: distr:index:Customer
    properties:
      name: ACME Corp
  acme-pro:
    type: distr:index:ApplicationLicense
    properties:
      customer: \${acme.id}
      application: hello-distr
      versions: ["2.1.0"]
`;

describe("moving a dynamic-provider stack to the plugin", () => {
  let distr: LocalDistr;
  let stack: ProgramStack;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-distr-move-"));

  beforeAll(async () => {
    distr = await startLocalDistr({ dialect: "3" });
    stack = await ProgramStack.open({ program: LICENSES_PROGRAM, distr, name: "move", env: await pluginEnvironment() });
  });
  afterAll(async () => {
    await stack?.dispose();
    await distr?.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it("export, move-to-plugin, import, and a YAML program: 0 writes to Distr, nothing to change", async () => {
    await stack.setObject("spec", SPEC);
    await stack.up();
    const engine = await pulumiEngine();
    const { env } = stack.cliEnvironment;
    const yamlDir = path.join(scratch, "program");
    fs.mkdirSync(yamlDir);
    fs.writeFileSync(path.join(yamlDir, "Pulumi.yaml"), YAML_PROGRAM);
    // The stack's configuration (distr:host, the encrypted token, the secrets salt) goes with it.
    const configFile = `Pulumi.${stack.stackName}.yaml`;
    fs.copyFileSync(path.join(REPO_ROOT, LICENSES_PROGRAM, configFile), path.join(yamlDir, configFile));
    const pulumi = (cwd: string, ...args: string[]) =>
      run(engine.executable, [...args, "--stack", stack.stackName, "--non-interactive"], {
        cwd,
        env,
        maxBuffer: 64 * 1024 * 1024,
      });

    const writesBefore = distr.control.requests.filter((request) => request.method !== "GET").length;
    const dynamicState = path.join(scratch, "dynamic.json");
    const pluginState = path.join(scratch, "plugin.json");
    await pulumi(path.join(REPO_ROOT, LICENSES_PROGRAM), "stack", "export", "--file", dynamicState);
    const moved = await run(
      process.execPath,
      [path.join(REPO_ROOT, "dist/cli/main.js"), "move-to-plugin", dynamicState],
      {
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    expect(moved.stderr).toContain("moved 2 resource(s) to the plugin");
    fs.writeFileSync(pluginState, moved.stdout);
    await pulumi(yamlDir, "stack", "import", "--file", pluginState);

    const preview = await pulumi(yamlDir, "preview", "--json", "--show-sames");
    const steps = (JSON.parse(preview.stdout) as { steps: Array<{ op: string; urn: string }> }).steps;
    const distrSteps = steps.filter((step) => step.urn.includes("::distr:index:"));
    expect(distrSteps.map((step) => `${step.op} ${step.urn.split("::").pop()}`).sort()).toEqual([
      "same acme",
      "same acme-pro",
    ]);
    await pulumi(yamlDir, "up", "--yes");
    const exported = JSON.parse((await pulumi(yamlDir, "stack", "export")).stdout) as {
      deployment: { resources: Array<{ type: string; inputs?: Record<string, unknown> }> };
    };
    const types = exported.deployment.resources.map((resource) => resource.type);
    expect(types).toEqual(expect.arrayContaining(["distr:index:Customer", "distr:index:ApplicationLicense"]));
    expect(types.filter((type) => type.startsWith("pulumi-nodejs:"))).toEqual([]);
    expect(JSON.stringify(exported)).not.toContain("__provider");
    const writes = distr.control.requests.filter((request) => request.method !== "GET").length - writesBefore;
    expect(writes).toBe(0);
    clock.note(
      `move to the plugin: ${writes} writes to Distr; preview steps ${distrSteps.map((s) => s.op).join(", ")}`,
    );

    // The moved stack is the plugin's now: destroy deletes through it.
    await pulumi(yamlDir, "destroy", "--yes");
    expect(await new DistrPortal(distr.host, distr.token, "3").customers()).toEqual([]);
    fs.rmSync(path.join(yamlDir, configFile));
  });
});
