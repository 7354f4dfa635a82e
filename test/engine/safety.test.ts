/**
 * What the engine keeps and refuses: no credential in plain text in the exported state, invalid arguments stop the
 * preview before anything is written, and a 50-license stack stays within Distr 3.x's rate limits.
 */
import { startLocalDistr, type LocalDistr } from "../../local-distr";
import { CommandError } from "@pulumi/pulumi/automation";
import { DistrPortal } from "./harness/distrState";
import { describeProviderSizes, providerSizes, SuiteClock } from "./harness/measurements";
import { changesBesidesSame, ProgramStack } from "./harness/programStack";
import { LICENSES_PROGRAM, type ApplicationLicenseSpec, type ProgramSpec } from "./harness/spec";

jest.setTimeout(15 * 60_000);
const clock = new SuiteClock();
clock.install("safety.test.ts");

const SECRET_SIGNATURE = "4dabf18193072939515e22adb298388d";
const REGISTRY_PASSWORD = "s3cret-registry-password-7f1c";

describe("state, validation and rate limits", () => {
  let distr: LocalDistr;
  let stack: ProgramStack | undefined;

  afterEach(async () => {
    await stack?.dispose();
    stack = undefined;
    await distr?.close();
  });

  it("keeps the token and registry passwords out of the exported state in plain text", async () => {
    distr = await startLocalDistr({ dialect: "3" });
    stack = await ProgramStack.open({
      program: LICENSES_PROGRAM,
      distr,
      name: "secrets",
      config: { registryPassword: { value: REGISTRY_PASSWORD, secret: true } },
    });
    await stack.setObject("spec", {
      customers: [{ resource: "acme", name: "ACME Corp" }],
      applicationLicenses: [
        {
          resource: "acme-pro",
          customer: "acme",
          application: "hello-distr",
          versions: ["2.1.0"],
          registry: { url: "registry.example.com", username: "acme" },
        },
      ],
    } satisfies ProgramSpec);
    await stack.up();
    // The password really reached Distr (it is stored there in clear text, quirk 10) ...
    const license = await new DistrPortal(distr.host, distr.token, "3").applicationLicenseNamed("acme-pro");
    expect(license.registryPassword).toBe(REGISTRY_PASSWORD);

    // ... but neither `pulumi stack export` nor any checkpoint file on disk holds it or the token readable.
    const resources = await stack.exportDeployment();
    const exported = JSON.stringify(resources);
    for (const text of [exported, ...stack.stateFiles().map((file) => file.text)]) {
      expect(text).not.toContain(REGISTRY_PASSWORD);
      expect(text).not.toContain(distr.token.slice("distr-".length));
    }
    const licenseState = resources.find((resource) => resource.urn.endsWith("::acme-pro"));
    // The password is an encrypted secret (signature + ciphertext) where the program put it (inputs.registry) and
    // where the provider returns it (outputs.registryPassword).
    const isCiphertext = (value: unknown) =>
      typeof value === "object" && value !== null && SECRET_SIGNATURE in value && "ciphertext" in value;
    const inputRegistry = licenseState?.inputs?.["registry"] as Record<string, unknown> | undefined;
    expect(isCiphertext(inputRegistry?.["password"]) || isCiphertext(inputRegistry)).toBe(true);
    expect(isCiphertext(licenseState?.outputs?.["registryPassword"])).toBe(true);
    clock.note(describeProviderSizes(providerSizes(resources)).join("; "));
  });

  it("fails the preview on an invalid argument, naming the property, and writes nothing", async () => {
    distr = await startLocalDistr({ dialect: "3" });
    stack = await ProgramStack.open({ program: LICENSES_PROGRAM, distr, name: "invalid" });
    await stack.setObject("spec", {
      customers: [{ resource: "acme", name: "ACME Corp" }],
      applicationLicenses: [
        { resource: "acme-pro", customer: "acme", application: "hello-distr", versions: { range: ">=2.0 <<3" } },
      ],
    } satisfies ProgramSpec);

    const failure = await stack.preview().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(CommandError);
    const message = String((failure as Error).message);
    expect(message).toContain("acme-pro");
    expect(message).toMatch(/versions\.range/);
    expect(message).toContain(">=2.0 <<3");

    // `pulumi up` as users run it previews first and stops there. (The Automation API's up() skips the preview:
    // resources registered before the invalid one would be created before the failure.)
    const up = await stack.cli("up", "--yes");
    expect(up.code).not.toBe(0);
    expect(up.stdout + up.stderr).toMatch(/versions\.range/);
    expect(distr.control.requests.filter((request) => request.method !== "GET")).toEqual([]);
    expect(await new DistrPortal(distr.host, distr.token, "3").customers()).toEqual([]);
  });

  it("creates, re-reads and destroys 50 licenses within Distr 3.x's rate limits without a failed request", async () => {
    distr = await startLocalDistr({ dialect: "3", rateLimits: true });
    stack = await ProgramStack.open({ program: LICENSES_PROGRAM, distr, name: "fifty" });
    const customers = Array.from({ length: 5 }, (_, index) => ({
      resource: `customer-${index}`,
      name: `Customer ${index}`,
    }));
    const ranges = [">=1.1.0 <2.0.0", ">=2.0.0 <3.0.0", "^2.1", "~2.2", ">=2.3.0"];
    const applicationLicenses: ApplicationLicenseSpec[] = Array.from({ length: 50 }, (_, index) => ({
      resource: `license-${String(index).padStart(2, "0")}`,
      customer: `customer-${index % 5}`,
      application: index % 10 === 9 ? "hello-distr-helm" : "hello-distr",
      versions: index % 10 === 9 ? "all" : { range: ranges[index % 5] ?? "all" },
      expiresAt: `2027-${String((index % 12) + 1).padStart(2, "0")}-01T00:00:00Z`,
    }));
    await stack.setObject("spec", { customers, applicationLicenses } satisfies ProgramSpec);

    const started = Date.now();
    const up = await stack.up();
    const upSeconds = (Date.now() - started) / 1000;
    expect(up.changes["create"]).toBe(56);
    expect((await new DistrPortal(distr.host, distr.token, "3").applicationLicenses()).length).toBe(50);

    const refreshStarted = Date.now();
    expect(changesBesidesSame(await stack.refresh())).toEqual({});
    const refreshSeconds = (Date.now() - refreshStarted) / 1000;
    expect(changesBesidesSame(await stack.preview())).toEqual({});
    const destroy = await stack.destroy();
    expect(destroy.changes["delete"]).toBe(56);

    const failed = distr.control.requests.filter(
      (request) => request.status === undefined || request.status === 429 || request.status >= 500,
    );
    expect(failed).toEqual([]);
    const times = distr.control.requests.map((request) => request.at).sort((a, b) => a - b);
    const peakPerSecond = Math.max(...times.map((at, index) => times.slice(index).filter((t) => t < at + 1000).length));
    // A figure, not an assertion: Distr counts in its own windows (httprate), which the 429 check above covers.
    clock.note(
      `50 licenses: up ${upSeconds.toFixed(1)}s, refresh ${refreshSeconds.toFixed(1)}s, ` +
        `${distr.control.requests.length} requests in total, peak ${peakPerSecond} in any 1 s span, none 429/5xx`,
    );
  });
});
