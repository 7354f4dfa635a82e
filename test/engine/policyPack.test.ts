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

  /**
   * Distr fails every request the pack's first look-up needs and the provider never makes (the organization's
   * artifact licenses; the programs here have application licenses only): connections dropped as by a dead network,
   * while the provider's own reads of the same Distr go through.
   */
  const failPackLookups = () =>
    distr.control.injectFaults({
      kind: "drop-connection",
      times: 10_000,
      match: { method: "GET", path: /\/artifact-(licenses|entitlements)/ },
    });

  it("finds the token in the stack's secret configuration: advisory violations apply, a mandatory rule blocks `up`", async () => {
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
    const created = await stack.cli("up", "--yes", "--policy-pack", PACK);
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
    const blocked = await stack.cli(
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
    const narrowed = await stack.cli("up", "--yes", "--policy-pack", PACK);
    exitCode(narrowed, 0);
    expect(narrowed.stdout).toMatch(/\[advisory\]\s+loses-access/);
    expect(await portal.grantedVersions(await portal.applicationLicenseNamed("acme-pro"), "hello-distr")).toEqual([
      "2.1.0",
    ]);
  });

  it("Distr failing for the pack: advisory rules need no before and say so once; a mandatory one fails the run", async () => {
    stack = await ProgramStack.open({ program: LICENSES_PROGRAM, distr, name: "policy-offline" });
    await stack.setObject("spec", {
      customers: [{ resource: "acme", name: "Acme" }],
      applicationLicenses: [
        { resource: "acme-a", customer: "acme", application: "hello-distr", versions: ["2.4.0-rc.1"] },
        { resource: "acme-b", customer: "acme", application: "hello-distr-helm", versions: "all" },
      ],
    });
    await stack.up();
    failPackLookups();
    const started = Date.now();
    const preview = await stack.cli("preview", "--policy-pack", PACK, "--expect-no-changes");
    clock.note(`preview with the pack's look-ups failing (advisory): ${((Date.now() - started) / 1000).toFixed(1)} s`);
    exitCode(preview, 0);
    expect(preview.stdout.match(/\[advisory\]\s+distr-reachable/g)).toHaveLength(1);
    expect(preview.stdout).toContain("could not be asked");
    expect(preview.stdout).toContain("Evaluated only no-expiry, expires-soon, already-expired");
    expect(preview.stdout).toMatch(/\[advisory\]\s+no-expiry/);
    expect(preview.stdout).not.toMatch(/\[advisory\]\s+(prerelease|widens-to-all|first-entitlement)/);

    // The same with loses-access mandatory: it could not look, so the run fails and says why and what to do.
    const mandatory = await stack.cli(
      "preview",
      "--policy-pack",
      PACK,
      "--policy-pack-config",
      policyConfig({ "loses-access": "mandatory" }),
    );
    exitCode(mandatory, 255);
    expect(mandatory.stdout).toMatch(/\[mandatory\]\s+loses-access/);
    expect(mandatory.stdout).toMatch(
      /loses-access is mandatory but cannot judge license acme-[ab]: Distr at http:\/\/127\.0\.0\.1:\d+ could not be asked/,
    );
    expect(mandatory.stdout).toContain("The run fails rather than pass unjudged");
    expect(mandatory.stdout).toContain("make loses-access advisory in the --policy-pack-config file");
    // Once per rule, not once per license.
    expect(mandatory.stdout.match(/is mandatory but cannot judge/g)).toHaveLength(1);
  });

  it("a license the program drops: blocked under a mandatory loses-access, reported under an advisory one", async () => {
    stack = await ProgramStack.open({ program: LICENSES_PROGRAM, distr, name: "policy-delete" });
    const spec = acmeWith({
      resource: "acme-pro",
      customer: "acme",
      application: "hello-distr",
      versions: ["2.0.0", "2.1.0"],
      expiresAt: "2027-06-30T00:00:00Z",
    });
    await stack.setObject("spec", spec);
    await stack.up();
    await stack.setObject("spec", { ...spec, artifactLicenses: [] });
    const before = await portal.snapshot();
    const started = Date.now();
    const blocked = await stack.cli(
      "up",
      "--yes",
      "--policy-pack",
      PACK,
      "--policy-pack-config",
      policyConfig({ "loses-access": "mandatory" }),
    );
    clock.note(`up blocked for a deleted license: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    exitCode(blocked, 255);
    expect(blocked.stdout).toMatch(/\[mandatory\]\s+loses-access-deleted/);
    expect(blocked.stdout).toContain("license acme-images (customer Acme): the license is deleted");
    expect(await portal.snapshot()).toEqual(before);

    // Advisory (the default): reported, and the delete goes through.
    const applied = await stack.cli("up", "--yes", "--policy-pack", PACK);
    exitCode(applied, 0);
    expect(applied.stdout).toMatch(/\[advisory\]\s+loses-access-deleted/);
    expect(applied.stdout).toContain("license acme-images (customer Acme): the license is deleted");
    expect((await portal.snapshot()).artifactLicenses).toEqual([]);
  });
});
