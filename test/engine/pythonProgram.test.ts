/**
 * The tiered-plans Python program (examples/tiered-plans/python) on the generated Python SDK, through the real
 * engine, a Python language host and the provider plugin, against the local Distr 3.x. The runtime is
 * scripts/pulumi-python.sh's (Python SDK v3.170.0 on Debian's packages, host v3.68.0; why: docs/languages.md#python).
 *
 * Two things are proved: the lifecycle of the program with every tier "all" (create, no-change preview, update,
 * destroy), and range tiers, whose `versions` output (a range with what it matched) the Python SDK reads back since
 * the schema declares outputs whose union holds an object as `Any` (plugin/schema/outputUnions.ts).
 */
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startLocalDistr, type LocalDistr } from "../../local-distr";
import { DistrPortal, type DistrSnapshot } from "./harness/distrState";
import { pulumiEngine, REPO_ROOT } from "./harness/engine";
import { SuiteClock } from "./harness/measurements";
import { pluginEnvironment } from "./harness/pluginPath";

jest.setTimeout(15 * 60_000);
const clock = new SuiteClock();
clock.install("pythonProgram.test.ts");

const EXAMPLE = path.join(REPO_ROOT, "examples", "tiered-plans", "python");

describe("the tiered-plans Python program through a Python host and the plugin on Distr 3.x", () => {
  let distr: LocalDistr;
  let portal: DistrPortal;
  let before: DistrSnapshot;
  let work: string;
  let program: string;
  let env: NodeJS.ProcessEnv;

  /** `pulumi <args>` in the program directory, asynchronously (the local Distr answers from this event loop). */
  async function pulumi(...args: string[]): Promise<{ code: number | null; output: string }> {
    const started = Date.now();
    const result = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
      const child = spawn("pulumi", args, { cwd: program, env });
      let output = "";
      child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, output }));
    });
    console.log(
      `pulumi ${args.map((arg) => (arg === distr.token ? "[token]" : arg)).join(" ")}: ${((Date.now() - started) / 1000).toFixed(1)} s, exit ${result.code}`,
    );
    expect(result.output).not.toContain(distr.token);
    return result;
  }

  /** The example with its tiers changed by text, as a user would edit it. */
  function writeProgram(edit: (source: string) => string): void {
    fs.writeFileSync(
      path.join(program, "__main__.py"),
      edit(fs.readFileSync(path.join(EXAMPLE, "__main__.py"), "utf8")),
    );
  }
  const everyTierAll = (source: string): string => source.replace('"Initech", "starter"', '"Initech", "enterprise"');

  beforeAll(async () => {
    const engine = await pulumiEngine();
    const started = Date.now();
    const pythonPath = execFileSync("bash", [path.join(REPO_ROOT, "scripts", "pulumi-python.sh")], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    }).trim();
    console.log(`scripts/pulumi-python.sh: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    distr = await startLocalDistr({ dialect: "3" });
    portal = new DistrPortal(distr.host, distr.token, "3", { afterRequest: () => distr.control.resetRateLimits() });
    before = await portal.snapshot();
    work = fs.mkdtempSync(path.join(os.tmpdir(), "distr-python-program-"));
    program = path.join(work, "program");
    fs.mkdirSync(program);
    fs.mkdirSync(path.join(work, "state"));
    fs.copyFileSync(path.join(EXAMPLE, "Pulumi.yaml"), path.join(program, "Pulumi.yaml"));
    const plugin = await pluginEnvironment();
    env = {
      ...process.env,
      ...engine.env,
      PATH: `${pythonPath}:${plugin["PATH"] ?? ""}`,
      PULUMI_HOME: path.join(work, "pulumi-home"),
      PULUMI_BACKEND_URL: `file://${path.join(work, "state")}`,
      PULUMI_CONFIG_PASSPHRASE: "python-program-test",
      PULUMI_SKIP_UPDATE_CHECK: "true",
    };
    writeProgram(everyTierAll);
    expect((await pulumi("stack", "init", "python-v3")).code).toBe(0);
    expect((await pulumi("config", "set", "distr:host", distr.host)).code).toBe(0);
    expect((await pulumi("config", "set", "--secret", "distr:token", distr.token)).code).toBe(0);
    expect((await pulumi("config", "set", "acmeTier", "enterprise")).code).toBe(0);
  });

  afterAll(async () => {
    await distr?.close();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it("creates the customers and licenses (every tier all)", async () => {
    const up = await pulumi("up", "--yes", "--skip-preview");
    expect(up.code).toBe(0);
    expect(up.output).toMatch(/\+ 7 created/);
    const globex = await portal.applicationLicenseNamed("globex-hello-distr");
    expect(await portal.grantedVersions(globex, "hello-distr")).toBe("all");
  });

  it("previews no change when nothing changed", async () => {
    const preview = await pulumi("preview", "--expect-no-changes");
    expect(preview.code).toBe(0);
    expect(preview.output).toMatch(/7 unchanged/);
  });

  it("updates ACME's expiry in place", async () => {
    const id = (await portal.applicationLicenseNamed("acme-hello-distr")).id;
    writeProgram((source) => everyTierAll(source).replace("2027-06-30T00:00:00Z", "2027-09-30T00:00:00Z"));
    const up = await pulumi("up", "--yes", "--skip-preview");
    expect(up.code).toBe(0);
    expect(up.output).toMatch(/~ 1 updated/);
    const acme = await portal.applicationLicenseNamed("acme-hello-distr");
    expect(acme.id).toBe(id);
    expect(acme.expiresAt).toMatch(/^2027-09-30T00:00:00/);
  });

  it("destroys everything it made, leaving Distr as before", async () => {
    const destroy = await pulumi("destroy", "--yes", "--skip-preview");
    expect(destroy.code).toBe(0);
    expect(await portal.snapshot()).toEqual(before);
  });

  it("grants the range tiers (Initech starter, ACME pro), reads their versions outputs back, previews no change", async () => {
    writeProgram((source) => source); // Initech: starter, a range
    expect((await pulumi("config", "set", "acmeTier", "pro")).code).toBe(0);
    const up = await pulumi("up", "--yes", "--skip-preview");
    expect(up.code).toBe(0);
    expect(up.output).toMatch(/\+ 7 created/);
    const initech = await portal.applicationLicenseNamed("initech-hello-distr");
    const acme = await portal.applicationLicenseNamed("acme-hello-distr");
    expect(await portal.grantedVersions(initech, "hello-distr")).toEqual(["1.1.0", "1.2.0"]);
    expect(await portal.grantedVersions(acme, "hello-distr")).toEqual(["2.0.0", "2.1.0", "2.2.0", "2.3.0"]);
    // The program exports each license's `versions` output: the Python SDK read the range with what it matched.
    const outputs = await pulumi("stack", "output", "--json");
    expect(outputs.code).toBe(0);
    const exported = JSON.parse(outputs.output) as Record<string, unknown>;
    expect(exported["versions-initech"]).toEqual({
      range: ">=1.1.0 <2.0.0",
      includePrerelease: false,
      matches: ["1.1.0", "1.2.0"],
    });
    expect(exported["versions-globex"]).toBe("all");
    const preview = await pulumi("preview", "--expect-no-changes");
    expect(preview.code).toBe(0);
    expect(preview.output).toMatch(/7 unchanged/);
    expect((await pulumi("destroy", "--yes", "--skip-preview")).code).toBe(0);
    expect(await portal.snapshot()).toEqual(before);
  });
});
