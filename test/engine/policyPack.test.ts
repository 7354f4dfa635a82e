/**
 * The license policy pack (policy-pack/, pulumi-distr/policy) through the real engine: `pulumi preview|up
 * --policy-pack policy-pack` as users run it, the analyzer plugin from scripts/pulumi-analyzer-policy (installed by
 * scripts/pulumi-engine.sh), "before" read from the local Distr through DISTR_HOST/DISTR_TOKEN.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startLocalDistr, type LocalDistr } from "../../local-distr";
import { REPO_ROOT } from "./harness/engine";
import { DistrPortal } from "./harness/distrState";
import { SuiteClock } from "./harness/measurements";
import { ProgramStack } from "./harness/programStack";
import { LICENSES_PROGRAM, type ProgramSpec } from "./harness/spec";

jest.setTimeout(10 * 60_000);
const clock = new SuiteClock();
clock.install("policyPack.test.ts");

const PACK = path.join(REPO_ROOT, "policy-pack");

/**
 * Acme with one application license, and an artifact license that stays as it is: its range ^2 selects 2.0.0 and
 * 2.1.0 of hello-distr/backend, whose `latest` points at 2.1.0's digest (Distr's "before" names `latest` too).
 */
const acmeWith = (license: ProgramSpec["applicationLicenses"] extends (infer L)[] | undefined ? L : never) => ({
  customers: [{ resource: "acme", name: "Acme" }],
  applicationLicenses: [license],
  artifactLicenses: [
    {
      resource: "acme-images",
      customer: "acme",
      artifacts: [{ artifact: "hello-distr/backend", tags: { range: "^2" } }],
      expiresAt: "2027-06-30T00:00:00Z",
    },
  ],
});

describe("the license policy pack", () => {
  let distr: LocalDistr;
  let portal: DistrPortal;
  let stack: ProgramStack | undefined;
  let tempDir: string;

  beforeEach(async () => {
    distr = await startLocalDistr({ dialect: "3" });
    portal = new DistrPortal(distr.host, distr.token, "3", { afterRequest: () => distr.control.resetRateLimits() });
    tempDir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-distr-policy-"));
  });

  afterEach(async () => {
    await stack?.dispose();
    stack = undefined;
    await distr.close();
    fs.rmSync(tempDir, { recursive: true, force: true });
  });

  function policyConfig(config: Record<string, unknown>): string {
    const file = path.join(tempDir, "policy-config.json");
    fs.writeFileSync(file, JSON.stringify(config));
    return file;
  }

  /** The exit code, with the engine's output in the failure message when it is not the expected one. */
  function exitCode(result: { code: number; stdout: string; stderr: string }, expected: number): number {
    if ((result.code === 0) !== (expected === 0)) {
      throw new Error(`exit code ${result.code}, expected ${expected}:\n${result.stdout}\n${result.stderr}`);
    }
    return result.code;
  }

  const distrEnv = () => ({ DISTR_HOST: distr.host, DISTR_TOKEN: distr.token });

  it("reports advisory violations and applies; a mandatory rule blocks `up` before anything reaches Distr", async () => {
    stack = await ProgramStack.open({ program: LICENSES_PROGRAM, distr, name: "policy" });
    await stack.setObject(
      "spec",
      acmeWith({
        resource: "acme-pro",
        customer: "acme",
        application: "hello-distr",
        versions: ["2.0.0", "2.1.0", "2.4.0-rc.1"],
      }),
    );
    // Advisory (the default): the findings are printed, the update goes through.
    const created = await stack.cliWith(distrEnv(), "up", "--yes", "--policy-pack", PACK);
    exitCode(created, 0);
    expect(created.stdout).toContain("pulumi-distr-licenses@v");
    expect(created.stdout).toMatch(/\[advisory\]\s+no-expiry/);
    expect(created.stdout).toContain("license acme-pro (customer Acme): no expiry");
    expect(created.stdout).toMatch(/\[advisory\]\s+prerelease/);
    expect(created.stdout).toContain("grants prerelease 2.4.0-rc.1 of hello-distr");
    expect(created.stdout).toMatch(/\[advisory\]\s+first-entitlement/);
    expect(await portal.grantedVersions(await portal.applicationLicenseNamed("acme-pro"), "hello-distr")).toEqual([
      "2.0.0",
      "2.1.0",
      "2.4.0-rc.1",
    ]);

    // Narrowing with loses-access mandatory: the preview of `up` fails, Distr keeps what it had.
    await stack.setObject(
      "spec",
      acmeWith({ resource: "acme-pro", customer: "acme", application: "hello-distr", versions: ["2.1.0"] }),
    );
    const before = await portal.snapshot();
    const blocked = await stack.cliWith(
      distrEnv(),
      "up",
      "--yes",
      "--policy-pack",
      PACK,
      "--policy-pack-config",
      policyConfig({ "loses-access": "mandatory" }),
    );
    exitCode(blocked, 255);
    expect(blocked.stdout).toMatch(/\[mandatory\]\s+loses-access/);
    expect(blocked.stdout).toContain(
      "license acme-pro (customer Acme): loses versions 2.0.0, 2.4.0-rc.1 of hello-distr",
    );
    expect(await portal.snapshot()).toEqual(before);
    // The unchanged artifact license is not judged: same content, although Distr also names `latest`.
    expect(blocked.stdout).not.toContain("acme-images");

    // The same change with the rule advisory goes through, reported.
    const narrowed = await stack.cliWith(distrEnv(), "up", "--yes", "--policy-pack", PACK);
    exitCode(narrowed, 0);
    expect(narrowed.stdout).toMatch(/\[advisory\]\s+loses-access/);
    expect(await portal.grantedVersions(await portal.applicationLicenseNamed("acme-pro"), "hello-distr")).toEqual([
      "2.1.0",
    ]);
  });

  it("without Distr evaluates only the rules that need no before, and says so once", async () => {
    stack = await ProgramStack.open({ program: LICENSES_PROGRAM, distr, name: "policy-offline" });
    await stack.setObject("spec", {
      customers: [{ resource: "acme", name: "Acme" }],
      applicationLicenses: [
        { resource: "acme-a", customer: "acme", application: "hello-distr", versions: ["2.4.0-rc.1"] },
        { resource: "acme-b", customer: "acme", application: "hello-distr-helm", versions: "all" },
      ],
    });
    await stack.up();
    const preview = await stack.cliWith(
      { DISTR_HOST: "", DISTR_TOKEN: "" },
      "preview",
      "--policy-pack",
      PACK,
      "--expect-no-changes",
    );
    exitCode(preview, 0);
    expect(preview.stdout.match(/\[advisory\]\s+distr-reachable/g)).toHaveLength(1);
    expect(preview.stdout).toContain("Evaluated only no-expiry, expires-soon, already-expired");
    expect(preview.stdout).toMatch(/\[advisory\]\s+no-expiry/);
    expect(preview.stdout).not.toMatch(/\[advisory\]\s+(prerelease|widens-to-all|first-entitlement)/);
  });
});
