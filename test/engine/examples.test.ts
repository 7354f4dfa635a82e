/**
 * The runnable examples (examples/*), run as a user runs them: the program directory as it is in the repository,
 * TypeScript type-checked by the language host, against a fresh local Distr. Each one is previewed, applied,
 * checked in Distr, previewed again (no changes) and destroyed. examples/yaml is the tiered plans in Pulumi YAML,
 * through the provider plugin.
 */
import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import { startLocalDistr, type LocalDistr } from "../../local-distr";
import { DistrPortal } from "./harness/distrState";
import { pluginEnvironment } from "./harness/pluginPath";
import { SuiteClock } from "./harness/measurements";
import { changesBesidesSame, ProgramStack, stepsByOp } from "./harness/programStack";

jest.setTimeout(10 * 60_000);
const clock = new SuiteClock();
clock.install("examples.test.ts");

describe("the examples", () => {
  let distr: LocalDistr;
  let portal: DistrPortal;
  let stack: ProgramStack | undefined;

  beforeEach(async () => {
    distr = await startLocalDistr({ dialect: "3" });
    portal = new DistrPortal(distr.host, distr.token, "3", { afterRequest: () => distr.control.resetRateLimits() });
  });

  afterEach(async () => {
    await stack?.dispose();
    stack = undefined;
    await distr.close();
  });

  async function applyExample(name: string, expectedCreates: string[]): Promise<ProgramStack> {
    stack = await ProgramStack.open({ program: `examples/${name}`, distr, name, typeCheck: true });
    const preview = await stack.preview();
    expect(stepsByOp(preview, "create")).toEqual(expectedCreates.map((resource) => `create ${resource}`).sort());
    const up = await stack.up();
    expect(stepsByOp(up, "create")).toEqual(expectedCreates.map((resource) => `create ${resource}`).sort());
    expect(changesBesidesSame(await stack.preview())).toEqual({});
    return stack;
  }

  async function destroyAndExpectEmpty(s: ProgramStack): Promise<void> {
    await s.destroy();
    const after = await portal.snapshot();
    expect(after).toEqual({ customers: [], applicationLicenses: [], artifactLicenses: [] });
  }

  it("tiered-plans grants each customer the versions of its tier", async () => {
    const s = await applyExample("tiered-plans", [
      "initech",
      "initech-hello-distr",
      "acme",
      "acme-hello-distr",
      "globex",
      "globex-hello-distr",
    ]);
    const granted = async (name: string) =>
      portal.grantedVersions(await portal.applicationLicenseNamed(name), "hello-distr");
    expect(await granted("initech-hello-distr")).toEqual(["1.1.0", "1.2.0"]);
    expect(await granted("acme-hello-distr")).toEqual(["2.0.0", "2.1.0", "2.2.0", "2.3.0"]);
    expect(await granted("globex-hello-distr")).toBe("all");
    expect(await s.outputs()).toMatchObject({ licenses: { initech: expect.any(String), acme: expect.any(String) } });
    await destroyAndExpectEmpty(s);
  });

  it("yaml: tiered-plans in Pulumi YAML through the plugin grants the same versions per tier", async () => {
    stack = await ProgramStack.open({ program: "examples/yaml", distr, name: "yaml", env: await pluginEnvironment() });
    const expected = ["acme", "acme-hello-distr", "globex", "globex-hello-distr", "initech", "initech-hello-distr"];
    const up = await stack.up();
    expect(stepsByOp(up, "create")).toEqual(expected.map((resource) => `create ${resource}`).sort());
    expect(changesBesidesSame(await stack.preview())).toEqual({});
    const granted = async (name: string) =>
      portal.grantedVersions(await portal.applicationLicenseNamed(name), "hello-distr");
    expect(await granted("initech-hello-distr")).toEqual(["1.1.0", "1.2.0"]);
    expect(await granted("acme-hello-distr")).toEqual(["2.0.0", "2.1.0", "2.2.0", "2.3.0"]);
    expect(await granted("globex-hello-distr")).toBe("all");
    expect(await stack.outputs()).toMatchObject({
      licenses: { initech: expect.any(String), acme: expect.any(String) },
    });
    await destroyAndExpectEmpty(stack);
  });

  it("early-access adds prereleases for the customers in the preview programme only", async () => {
    const s = await applyExample("early-access", [
      "acme",
      "acme-hello-distr",
      "globex",
      "globex-hello-distr",
      "initech",
      "initech-hello-distr",
    ]);
    const granted = async (name: string) =>
      portal.grantedVersions(await portal.applicationLicenseNamed(name), "hello-distr");
    expect(await granted("acme-hello-distr")).toEqual(["2.0.0", "2.1.0", "2.2.0", "2.3.0"]);
    expect(await granted("globex-hello-distr")).toEqual([
      "2.0.0",
      "2.1.0",
      "2.2.0",
      "2.3.0",
      "2.4.0-rc.1",
      "3.0.0-beta.1",
    ]);

    // Adding ACME to the programme widens its license in place.
    await s.stack.setConfig("earlyAccess", { value: JSON.stringify(["globex", "acme"]) });
    const up = await s.up();
    expect(stepsByOp(up, "update", "replace", "create", "delete")).toEqual(["update acme-hello-distr"]);
    expect(await granted("acme-hello-distr")).toContain("2.4.0-rc.1");
    await destroyAndExpectEmpty(s);
  });

  it("hotfix grants one customer exactly one extra version next to its plan", async () => {
    const s = await applyExample("hotfix", ["initech", "initech-starter", "initech-hotfix-2-1-0"]);
    const hotfix = await portal.applicationLicenseNamed("initech-hotfix-2-1-0");
    expect(await portal.grantedVersions(hotfix, "hello-distr")).toEqual(["2.1.0"]);
    expect(hotfix.expiresAt).toBe("2026-12-31T00:00:00Z");
    const starter = await portal.applicationLicenseNamed("initech-starter");
    expect(await portal.grantedVersions(starter, "hello-distr")).toEqual(["1.1.0", "1.2.0"]);
    await destroyAndExpectEmpty(s);
  });

  it("artifact-tiers grants specific, all and future tags, and picks up a newly pushed matching tag", async () => {
    const s = await applyExample("artifact-tiers", ["acme", "acme-images"]);
    const license = await portal.artifactLicenseNamed("acme-images");
    const chart = await portal.artifactTags("hello-distr/chart");
    const frontend = await portal.artifactTags("hello-distr/frontend");
    const backend = await portal.artifactTags("hello-distr/backend");
    const tags = (artifact: { id: string; versions: Map<string, string[]> }) =>
      (license.artifacts?.find((selection) => selection.artifactId === artifact.id)?.versionIds ?? [])
        .flatMap((id) => artifact.versions.get(id) ?? [])
        .sort();
    expect(tags(chart)).toEqual(["1.2.0", "1.3.0"]);
    expect(tags(frontend)).toEqual(["2.0.0", "2.1.0", "2.2.0"]);
    expect(tags(backend)).toEqual([]); // all versions: no ids

    distr.control.addArtifactTag("hello-distr/frontend", "2.3.0");
    distr.control.addArtifactTag("hello-distr/frontend", "3.0.0");
    const preview = await s.preview();
    expect(stepsByOp(preview, "update", "replace", "create", "delete")).toEqual(["update acme-images"]);
    await s.up();
    const updated = await portal.artifactLicenseNamed("acme-images");
    const frontendNow = await portal.artifactTags("hello-distr/frontend");
    const frontendTags = (
      updated.artifacts?.find((selection) => selection.artifactId === frontendNow.id)?.versionIds ?? []
    )
      .flatMap((id) => frontendNow.versions.get(id) ?? [])
      .sort();
    expect(frontendTags).toEqual(["2.0.0", "2.1.0", "2.2.0", "2.3.0"]);
    await destroyAndExpectEmpty(s);
  });
  it("license-keys issues each tier's key; the customer's verify.mjs accepts the token with the declared payload", async () => {
    const s = await applyExample("license-keys", [
      "metered",
      "acme",
      "acme-hello-distr",
      "acme-key",
      "globex",
      "globex-hello-distr",
      "globex-key",
    ]);
    // The README's commands: the token from the secret stack output, the public key from the Distr it names.
    const tokens = await s.cli("stack", "output", "tokens", "--show-secrets", "--json");
    const url = await s.cli("stack", "output", "publicKeyUrl");
    const token = (JSON.parse(tokens.stdout) as Record<string, string | undefined>)["acme"] ?? "";
    const verify = path.join(__dirname, "../../examples/license-keys/verify.mjs");
    const { stdout } = await promisify(execFile)(process.execPath, [verify, token, url.stdout.trim()]);
    expect(JSON.parse(stdout)).toMatchObject({
      valid: true,
      validFrom: "2026-01-01T00:00:00.000Z",
      validUntil: "2027-06-30T00:00:00.000Z",
      payload: { edition: "pro", seats: 25, features: ["sso", "audit-log"] },
    });
    const tampered = await promisify(execFile)(process.execPath, [
      verify,
      token.slice(0, -3) + "AAA",
      url.stdout.trim(),
    ]).then(
      () => "accepted",
      (error: { stderr?: string }) => error.stderr ?? "",
    );
    expect(tampered).toContain("license key rejected");
    // The template key has no revision (billing has not rendered it): no token yet.
    expect(JSON.parse(tokens.stdout)).not.toHaveProperty("globex");
    expect(await s.outputs()).toMatchObject({ revisions: { acme: 1, globex: 0 } });
    await destroyAndExpectEmpty(s);
    const keys = await fetch(`${distr.host}/api/v1/license-keys`, {
      headers: { Authorization: `AccessToken ${distr.token}` },
    });
    expect(await keys.json()).toEqual([]);
    const templates = await fetch(`${distr.host}/api/v1/license-templates`, {
      headers: { Authorization: `AccessToken ${distr.token}` },
    });
    expect(await templates.json()).toEqual([]);
  });
});
