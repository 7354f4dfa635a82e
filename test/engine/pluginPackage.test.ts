/**
 * The self-contained plugin tarball (`npm run package:plugin`) through the real engine on a machine without
 * Node.js: installed with `pulumi plugin install resource distr <version> --file <tarball>` into a fresh
 * PULUMI_HOME, then a Pulumi YAML program runs with a PATH that holds the engine, the YAML language host and a
 * shell, and no `node`: up, a preview without changes, `pulumi import` of a customer made in the portal (0 writes),
 * destroy.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startLocalDistr, type LocalDistr } from "../../local-distr";
import { packagePlugin, type PluginPackage } from "../../plugin/packaging/packagePlugin";
import { DistrPortal } from "./harness/distrState";
import { pulumiEngine } from "./harness/engine";
import { SuiteClock } from "./harness/measurements";
import { changesBesidesSame, ProgramStack, stepsByOp } from "./harness/programStack";

jest.setTimeout(10 * 60_000);
const clock = new SuiteClock();
clock.install("pluginPackage.test.ts");

const PROGRAM = `name: distr-package-test
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

/** A PATH with the engine, the YAML host and `sh`, checked to hold no `node`. */
async function pathWithoutNode(scratch: string): Promise<string> {
  const engine = await pulumiEngine();
  const hostDir = (engine.env["PATH"] ?? "")
    .split(path.delimiter)
    .find((dir) => fs.existsSync(path.join(dir, "pulumi-language-yaml")));
  if (hostDir === undefined) throw new Error("no pulumi-language-yaml on the engine's PATH (scripts/pulumi-engine.sh)");
  const shellDir = path.join(scratch, "shell");
  fs.mkdirSync(shellDir);
  fs.symlinkSync("/bin/sh", path.join(shellDir, "sh"));
  const dirs = [path.dirname(engine.executable), hostDir, shellDir];
  for (const dir of dirs) expect(fs.existsSync(path.join(dir, "node"))).toBe(false);
  return [...new Set(dirs)].join(path.delimiter);
}

describe("the plugin tarball, on a PATH without node", () => {
  let distr: LocalDistr;
  let stack: ProgramStack;
  let built: PluginPackage;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-distr-package-"));
  const writes = () => distr.control.requests.filter((request) => request.method !== "GET").length;

  beforeAll(async () => {
    const started = performance.now();
    built = await packagePlugin();
    clock.note(
      `npm run package:plugin: ${path.basename(built.tarball)}, ${(built.bytes / 1024 / 1024).toFixed(1)} MiB, ` +
        `${((performance.now() - started) / 1000).toFixed(1)}s`,
    );
    distr = await startLocalDistr({ dialect: "3" });
    const program = path.join(scratch, "program");
    fs.mkdirSync(program);
    fs.writeFileSync(path.join(program, "Pulumi.yaml"), PROGRAM);
    stack = await ProgramStack.open({ program, distr, name: "package", env: { PATH: await pathWithoutNode(scratch) } });
  });

  afterAll(async () => {
    await stack?.dispose();
    await distr?.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it("installs with pulumi plugin install --file", async () => {
    const install = await stack.cli("plugin", "install", "resource", "distr", built.version, "--file", built.tarball);
    expect(install.stderr + install.stdout).not.toMatch(/error/i);
    expect(install.code).toBe(0);
    const list = await stack.cli("plugin", "ls");
    expect(list.stdout).toMatch(new RegExp(`distr\\s+resource\\s+${built.version.replace(/\./g, "\\.")}`));
    const schema = await stack.cli("package", "get-schema", "distr");
    expect(schema.code).toBe(0);
    expect(JSON.parse(schema.stdout)).toMatchObject({ name: "distr", version: built.version });
  });

  it("runs a YAML program: up, then a preview without changes and without writes", async () => {
    const up = await stack.up();
    expect(stepsByOp(up)).toEqual(["create acme", "create acme-pro"]);
    const portal = new DistrPortal(distr.host, distr.token, "3");
    const license = await portal.applicationLicenseNamed("acme-pro");
    expect(license.customerOrganizationId).toBe((await portal.customerNamed("ACME Corp")).id);
    const before = writes();
    expect(changesBesidesSame(await stack.preview())).toEqual({});
    expect(writes()).toBe(before);
  });

  it("imports a customer made in the portal without a write, and destroys everything", async () => {
    const portal = new DistrPortal(distr.host, distr.token, "3");
    const globex = await portal.createCustomer("Globex");
    const before = writes();
    const imported = await stack.cli("import", "distr:index:Customer", "globex", globex.id, "--yes");
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain("type: distr:index:Customer");
    expect(imported.stdout).toContain("name: Globex");
    expect(writes()).toBe(before);
    const state = (await stack.exportDeployment()).find((resource) => resource.urn.endsWith("::globex"));
    expect(state?.inputs).toMatchObject({ name: "Globex" });

    const destroy = await stack.destroy();
    expect(stepsByOp(destroy)).toEqual(["delete acme", "delete acme-pro", "delete globex"]);
    expect(await portal.customers()).toEqual([]);
  });
});
