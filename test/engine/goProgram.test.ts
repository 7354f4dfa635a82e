/**
 * A Go program on the generated Go SDK (languages/go) through the real engine and the provider plugin: the
 * tiered-plans example in Go (examples/tiered-plans/go/plans) run as an inline program by the Go Automation API
 * (examples/tiered-plans/go/automation, no Go language host needed), against the local Distr 3.x: create, a preview
 * with no changes, an update (ACME moves from Pro to Enterprise: one config value), destroy leaving Distr as before.
 *
 * The binary is built with the Go toolchain into ${PULUMI_DISTR_CACHE:-~/.cache/pulumi-distr}/go-programs (Go's own
 * build cache keeps the packages), keyed by the hash of the Go sources, so a warm run only links nothing; the build
 * time is printed (cold: the first build on a machine, warm: reused).
 */
import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
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
clock.install("goProgram.test.ts");

const EXAMPLE = path.join(REPO_ROOT, "examples", "tiered-plans", "go");
const SDK = path.join(REPO_ROOT, "languages", "go");
const GO = fs.existsSync("/usr/local/go/bin/go") ? "/usr/local/go/bin/go" : "go";

/** Every file the binary is built from: the example's module and the generated SDK's. */
function goSources(): string[] {
  const files: string[] = [];
  const visit = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (/\.go$|^go\.(mod|sum)$/.test(entry.name)) files.push(full);
    }
  };
  visit(EXAMPLE);
  visit(SDK);
  return files.sort();
}

/** Builds examples/tiered-plans/go/automation once per source hash, outside the repository. */
function buildAutomation(): string {
  const hash = createHash("sha256");
  for (const file of goSources()) hash.update(path.relative(REPO_ROOT, file)).update(fs.readFileSync(file));
  const cacheRoot = process.env["PULUMI_DISTR_CACHE"] ?? path.join(os.homedir(), ".cache", "pulumi-distr");
  const binary = path.join(cacheRoot, "go-programs", `tiered-plans-${hash.digest("hex").slice(0, 12)}`, "automation");
  if (fs.existsSync(binary)) {
    console.log(`go build of examples/tiered-plans/go/automation: reused ${binary} (warm: 0 s)`);
    return binary;
  }
  const started = Date.now();
  execFileSync(GO, ["build", "-o", binary, "./automation"], {
    cwd: EXAMPLE,
    env: { ...process.env, GOTOOLCHAIN: "local", GOWORK: "off", GOFLAGS: "-mod=readonly" },
    stdio: ["ignore", "inherit", "inherit"],
  });
  console.log(`go build of examples/tiered-plans/go/automation: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return binary;
}

/** The operation's change summary the runner prints, by operation name ("create", "same", ...). */
type Summary = Record<string, number>;

describe("the tiered-plans Go program through the Go Automation API and the plugin on Distr 3.x", () => {
  let distr: LocalDistr;
  let portal: DistrPortal;
  let before: DistrSnapshot;
  let work: string;
  let binary: string;
  let env: NodeJS.ProcessEnv;

  /** Asynchronous: the local Distr answers from this process's event loop, which a spawnSync would block. */
  async function run(command: "up" | "preview" | "destroy", extra: NodeJS.ProcessEnv = {}): Promise<Summary> {
    const started = Date.now();
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
      (resolve, reject) => {
        const child = spawn(binary, [command], { env: { ...env, ...extra } });
        let out = "";
        let err = "";
        child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
        child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
        child.on("error", reject);
        child.on("close", (exitCode) => resolve({ code: exitCode, stdout: out, stderr: err }));
      },
    );
    console.log(`go program ${command}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    if (code !== 0) throw new Error(`go program ${command} failed:\n${stderr}\n${stdout}`);
    expect(stderr).not.toContain(distr.token);
    expect(stdout).not.toContain(distr.token);
    return JSON.parse(stdout.trim()) as Summary;
  }

  beforeAll(async () => {
    const engine = await pulumiEngine();
    binary = buildAutomation();
    distr = await startLocalDistr({ dialect: "3" });
    portal = new DistrPortal(distr.host, distr.token, "3", { afterRequest: () => distr.control.resetRateLimits() });
    before = await portal.snapshot();
    work = fs.mkdtempSync(path.join(os.tmpdir(), "distr-go-program-"));
    fs.mkdirSync(path.join(work, "state"));
    env = {
      ...process.env,
      ...engine.env,
      ...(await pluginEnvironment()),
      PULUMI_HOME: path.join(work, "pulumi-home"),
      PULUMI_BACKEND_URL: `file://${path.join(work, "state")}`,
      PULUMI_CONFIG_PASSPHRASE: "go-program-test",
      DISTR_HOST: distr.host,
      DISTR_TOKEN: distr.token,
      STACK: "go-v3",
    };
  });

  afterAll(async () => {
    await distr?.close();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it("creates the three customers and their tier licenses", async () => {
    expect(await run("up")).toEqual({ create: 7 }); // the stack, 3 customers, 3 licenses
    const acme = await portal.applicationLicenseNamed("acme-hello-distr");
    expect(acme.customerOrganizationId).toBe((await portal.customerNamed("ACME Corp")).id);
    expect(await portal.grantedVersions(acme, "hello-distr")).toEqual(["2.0.0", "2.1.0", "2.2.0", "2.3.0"]);
    expect(
      await portal.grantedVersions(await portal.applicationLicenseNamed("initech-hello-distr"), "hello-distr"),
    ).toEqual(["1.1.0", "1.2.0"]);
    expect(
      await portal.grantedVersions(await portal.applicationLicenseNamed("globex-hello-distr"), "hello-distr"),
    ).toBe("all");
  });

  it("previews no change when nothing changed", async () => {
    expect(await run("preview")).toEqual({ same: 7 });
  });

  it("moves ACME to Enterprise in place (one config value)", async () => {
    const id = (await portal.applicationLicenseNamed("acme-hello-distr")).id;
    expect(await run("up", { ACME_TIER: "enterprise" })).toEqual({ same: 6, update: 1 });
    const acme = await portal.applicationLicenseNamed("acme-hello-distr");
    expect(acme.id).toBe(id);
    expect(await portal.grantedVersions(acme, "hello-distr")).toBe("all");
  });

  it("destroys everything it made, leaving Distr as before", async () => {
    expect(await run("destroy", { ACME_TIER: "enterprise" })).toEqual({ delete: 7 });
    expect(await portal.snapshot()).toEqual(before);
  });
});
