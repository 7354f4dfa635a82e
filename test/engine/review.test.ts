/**
 * `pulumi-distr review` on previews the real engine produced: one stack of the licenses program is created once,
 * then each scenario edits the program's spec (or Distr: a new release, a moved tag, a new password) and reviews a
 * `pulumi preview --json --show-sames --show-replacement-steps` of it, without applying. Then the root program
 * (the license catalog) with YAML edits. Goldens in all three formats and the --fail-on exit codes go through the
 * compiled CLI, as users run it. Expiries are judged at an injected "now".
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startLocalDistr, type LocalDistr } from "../../local-distr";
import { PREVIEW_ARGUMENTS } from "../../review/previewSource";
import type { ReviewReport } from "../../review/report";
import { renderJson } from "../../review/renderJson";
import { renderMarkdown } from "../../review/renderMarkdown";
import { renderText } from "../../review/renderText";
import { reviewPreview } from "../../review/reviewPreview";
import { createDistrClient } from "../../sdk/client";
import { expectGolden, stableOutput } from "../review/golden";
import { REPO_ROOT } from "./harness/engine";
import { SuiteClock } from "./harness/measurements";
import { ProgramStack } from "./harness/programStack";
import { LICENSES_PROGRAM, type ProgramSpec } from "./harness/spec";

jest.setTimeout(10 * 60_000);
const clock = new SuiteClock();
clock.install("review.test.ts");

const NOW = "2027-01-01T00:00:00Z";
const FIRST_PASSWORD = "first-S3cret-registry-pw";
const SECOND_PASSWORD = "second-S3cret-registry-pw";
const CLI = path.join(REPO_ROOT, "dist", "cli", "main.js");

const ACME = { resource: "acme", name: "ACME Corp" };
const GLOBEX = { resource: "globex", name: "Globex Corporation" };

function baseSpec(): ProgramSpec {
  return {
    customers: [ACME],
    applicationLicenses: [
      {
        resource: "acme-pro",
        customer: "acme",
        application: "hello-distr",
        versions: { range: "^2" },
        expiresAt: "2027-06-30T00:00:00Z",
        registry: { url: "registry.example.com", username: "acme" },
      },
      // A license without customer (a lab or trial grant).
      {
        resource: "lab-preview",
        application: "hello-distr",
        versions: ["2.3.0"],
        expiresAt: "2027-03-31T00:00:00Z",
      },
    ],
    artifactLicenses: [
      {
        resource: "acme-images",
        customer: "acme",
        artifacts: [
          { artifact: "hello-distr/backend", tags: ["latest"] },
          { artifact: "hello-distr/frontend", tags: { range: "^2" } },
        ],
        expiresAt: "2027-06-30T00:00:00Z",
      },
    ],
  };
}

/** A copy of the base spec with one application license's fields changed. */
function withApplicationLicense(resource: string, changes: Record<string, unknown>, spec = baseSpec()): ProgramSpec {
  return {
    ...spec,
    applicationLicenses: (spec.applicationLicenses ?? []).map((license) =>
      license.resource === resource ? ({ ...license, ...changes } as typeof license) : license,
    ),
  };
}

describe("pulumi-distr review on previews of the real engine", () => {
  let distr: LocalDistr;
  let stack: ProgramStack;
  let workDir: string;

  beforeAll(async () => {
    distr = await startLocalDistr({ dialect: "3" });
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "review-"));
    stack = await ProgramStack.open({ program: LICENSES_PROGRAM, distr, name: "review" });
    await stack.stack.setConfig("registryPassword", { value: FIRST_PASSWORD, secret: true });
  });

  afterAll(async () => {
    await stack?.dispose();
    await distr?.close();
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  /** `pulumi preview --json` of the spec, as the review command runs it. */
  async function previewOf(spec: ProgramSpec): Promise<string> {
    await stack.setObject("spec", spec);
    const result = await stack.cli(...PREVIEW_ARGUMENTS.filter((arg) => arg !== "--non-interactive"));
    if (result.code !== 0) throw new Error(`pulumi preview failed (${result.code}): ${result.stderr}${result.stdout}`);
    return result.stdout;
  }

  async function reviewOf(preview: string, expiryWindowDays?: number): Promise<ReviewReport> {
    const client = createDistrClient({ host: distr.host, token: distr.token, rateLimits: false });
    try {
      return await reviewPreview(preview, "the preview", {
        now: new Date(NOW),
        distr: client,
        ...(expiryWindowDays !== undefined ? { expiryWindowDays } : {}),
      });
    } finally {
      await client.close();
      distr.control.resetRateLimits();
    }
  }

  const section = (report: ReviewReport, customer: string | null) => {
    const found = report.customers.find((candidate) => candidate.customer === customer);
    if (!found) throw new Error(`no section for ${customer}: ${report.customers.map((c) => c.customer).join(", ")}`);
    return found;
  };
  const license = (report: ReviewReport, customer: string | null, resource: string) => {
    const found = section(report, customer).licenses.find((change) => change.resource === resource);
    if (!found) throw new Error(`no change of ${resource} under ${customer}`);
    return found;
  };
  const findings = (report: ReviewReport) =>
    report.findings.map(
      (finding) => `${finding.rule} ${finding.customer ?? "-"}/${finding.resource}: ${finding.message}`,
    );

  it("new customer with licenses, a license without customer, the organization's first licenses", async () => {
    const report = await reviewOf(await previewOf(baseSpec()));
    expect(report.customers.map((c) => [c.customer, c.status])).toEqual([
      ["ACME Corp", "new"],
      [null, "none"],
    ]);
    expect(section(report, "ACME Corp").licenses.map((c) => `${c.action} ${c.resource}`)).toEqual([
      "create acme-pro",
      "create acme-images",
    ]);
    expect(license(report, "ACME Corp", "acme-pro").versions).toMatchObject({
      gained: ["2.0.0", "2.1.0", "2.2.0", "2.3.0"],
      after: { kind: "range", range: "^2" },
    });
    expect(license(report, null, "lab-preview").after?.customer).toBeUndefined();
    expect(report.summary.text).toBe("1 customer affected: 1 gains access, 1 license without customer; 2 risks");
    expect(findings(report)).toEqual([
      expect.stringMatching(/^first-entitlement ACME Corp\/acme-pro: first application license of the organization/),
      expect.stringMatching(/^first-entitlement ACME Corp\/acme-images: first artifact license of the organization/),
    ]);
    const text = renderText(report);
    expect(text).toContain("ACME Corp (new customer)");
    expect(text).toContain("+ grants range ^2 (now 2.0.0, 2.1.0, 2.2.0, 2.3.0)");
    expect(text).toContain("registry credentials: registry.example.com as acme (password set, not shown)");
    expect(text).toContain("Licenses without customer");
    for (const output of [text, renderMarkdown(report), renderJson(report)])
      expect(output).not.toContain(FIRST_PASSWORD);

    await stack.up();
    expect((await reviewOf(await previewOf(baseSpec()))).summary.text).toBe("No license changes.");
  });

  it("a range picks up a newly released version although the program did not change", async () => {
    distr.control.addApplicationVersion("hello-distr", "2.5.0");
    const report = await reviewOf(await previewOf(baseSpec()));
    const change = license(report, "ACME Corp", "acme-pro");
    expect(change.action).toBe("update");
    expect(change.versions).toMatchObject({ definitionChanged: false, gained: ["2.5.0"], lost: [] });
    expect(renderText(report)).toContain("+ gains version 2.5.0 (newly matched by the unchanged range ^2)");
    expect(report.unchanged).toEqual({ customers: 1, applicationLicenses: 1, artifactLicenses: 1 });
    expect(report.summary.text).toBe("1 customer affected: 1 gains access; 0 risks");
    await stack.up();
  });

  it("narrowing: the versions lost by name, in place on Distr 3.x", async () => {
    const report = await reviewOf(
      await previewOf(withApplicationLicense("acme-pro", { versions: ["2.1.0", "2.2.0"] })),
    );
    const change = license(report, "ACME Corp", "acme-pro");
    expect(change.action).toBe("update");
    expect(change.versions).toMatchObject({ lost: ["2.0.0", "2.3.0", "2.5.0"], gained: [] });
    expect(findings(report)).toEqual([
      "loses-access ACME Corp/acme-pro: loses versions 2.0.0, 2.3.0, 2.5.0 of hello-distr",
    ]);
    expect(renderText(report)).toContain("versions of hello-distr: range ^2 → [2.1.0, 2.2.0]");
  });

  it("widening to all, and a prerelease for the license without customer", async () => {
    let spec = withApplicationLicense("acme-pro", { versions: "all" });
    spec = withApplicationLicense("lab-preview", { versions: ["2.3.0", "2.4.0-rc.1"] }, spec);
    const report = await reviewOf(await previewOf(spec));
    expect(license(report, "ACME Corp", "acme-pro").versions).toMatchObject({ toAll: true });
    expect(findings(report)).toEqual([
      "widens-to-all ACME Corp/acme-pro: grants all versions of hello-distr, including future releases",
      "prerelease -/lab-preview: grants prerelease 2.4.0-rc.1 of hello-distr",
    ]);
    expect(renderText(report)).toContain("+ now grants all versions, including future releases");
  });

  it("expiry moved, removed, and soon (with the window configurable)", async () => {
    let spec = withApplicationLicense("acme-pro", { expiresAt: "2027-09-28T00:00:00Z" });
    spec = withApplicationLicense("lab-preview", { expiresAt: "2027-01-11T00:00:00Z" }, spec);
    spec = {
      ...spec,
      artifactLicenses: (spec.artifactLicenses ?? []).map(({ expiresAt: _expiry, ...rest }) => rest),
    };
    const preview = await previewOf(spec);
    const report = await reviewOf(preview);
    expect(license(report, "ACME Corp", "acme-pro").expiry).toEqual({
      before: "2027-06-30T00:00:00Z",
      after: "2027-09-28T00:00:00Z",
      days: 90,
    });
    expect(license(report, "ACME Corp", "acme-images").expiry).toEqual({ before: "2027-06-30T00:00:00Z" });
    expect(license(report, null, "lab-preview").expiry?.days).toBe(-79);
    expect(findings(report)).toEqual([
      "no-expiry ACME Corp/acme-images: expiry removed (was 2027-06-30T00:00:00Z): no expiry",
      "expires-soon -/lab-preview: expires in 10 days (2027-01-11T00:00:00Z), within 30 days",
    ]);
    const text = renderText(report);
    expect(text).toContain("+ expiry 2027-06-30 → 2027-09-28 (in 270 days), +90 days");
    expect(text).toContain("+ expiry 2027-06-30 → no expiry (expiry removed)");
    expect(text).toContain("- expiry 2027-03-31 → 2027-01-11 (in 10 days), −79 days");
    expect(findings(await reviewOf(preview, 7)).filter((f) => f.startsWith("expires-soon"))).toEqual([]);
  });

  it("replacement because the application changed: deleted first, the gap flagged", async () => {
    const report = await reviewOf(
      await previewOf(withApplicationLicense("acme-pro", { application: "hello-distr-helm", versions: "all" })),
    );
    const change = license(report, "ACME Corp", "acme-pro");
    expect(change.action).toBe("replace");
    expect(change.replacement).toEqual({
      reasons: [{ property: "application", explanation: "Distr does not change a license's application" }],
      deleteBeforeReplace: true,
      order: "the engine deletes the old license first: the new one takes its name",
    });
    expect(findings(report)).toEqual([
      "loses-access ACME Corp/acme-pro: application hello-distr is replaced by hello-distr-helm",
      "widens-to-all ACME Corp/acme-pro: grants all versions of hello-distr-helm, including future releases",
      "replacement-gap ACME Corp/acme-pro: deleted before it is re-created (the engine deletes the old license first: the new one takes its name)",
    ]);
  });

  it("replacement because the customer changed: the old customer loses, the new one (named from the preview) gains", async () => {
    const spec = baseSpec();
    spec.customers.push(GLOBEX);
    for (const grant of [...(spec.applicationLicenses ?? []), ...(spec.artifactLicenses ?? [])]) {
      if (grant.customer === "acme") grant.customer = "globex";
    }
    const report = await reviewOf(await previewOf(spec));
    expect(report.customers.map((c) => [c.customer, c.status, c.gainsAccess, c.losesAccess])).toEqual([
      ["ACME Corp", "existing", false, true],
      ["Globex Corporation", "new", true, false],
    ]);
    const moved = license(report, "Globex Corporation", "acme-pro");
    expect(moved.action).toBe("replace");
    expect(moved.replacement?.reasons.map((r) => r.property)).toEqual(["customer"]);
    expect(moved.replacement?.deleteBeforeReplace).toBe(false);
    // Artifact licenses change hands in place (Distr allows it).
    expect(license(report, "Globex Corporation", "acme-images").action).toBe("update");
    expect(findings(report)).toEqual([
      "loses-access ACME Corp/acme-pro: moves to Globex Corporation: ACME Corp loses it",
      "loses-access ACME Corp/acme-images: moves to Globex Corporation: ACME Corp loses it",
    ]);
    expect(renderText(report)).toContain("acme-pro (application license for hello-distr): moves to Globex Corporation");
  });

  it("delete: the license and what it granted", async () => {
    const report = await reviewOf(await previewOf({ ...baseSpec(), artifactLicenses: [] }));
    const change = license(report, "ACME Corp", "acme-images");
    expect(change.action).toBe("delete");
    expect(findings(report)).toEqual(["loses-access ACME Corp/acme-images: the license is deleted"]);
    expect(renderText(report)).toContain("- artifact hello-distr/backend: no longer grants latest");
  });

  it("customer renamed and given portal features: the section carries the new name, licenses unchanged", async () => {
    const spec = baseSpec();
    spec.customers = [
      { ...ACME, name: "ACME Corporation", features: ["deployment_targets", "artifacts", "support_bundles"] },
    ];
    const preview = await previewOf(spec);
    const requestsBefore = distr.control.requests.length;
    const report = await reviewOf(preview);
    const lookups = distr.control.requests.slice(requestsBefore);
    clock.note(
      `a review's look-ups at Distr: ${lookups.length} requests ` +
        `(${lookups.map((request) => `${request.method} ${request.path}`).join(", ")})`,
    );
    expect(lookups.every((request) => request.method === "GET")).toBe(true);
    expect(lookups.length).toBeLessThanOrEqual(4);
    expect(report.customers.map((c) => [c.customer, c.status])).toEqual([["ACME Corporation", "existing"]]);
    expect(report.customers[0]?.change).toMatchObject({
      action: "update",
      renamedFrom: "ACME Corp",
      featuresGained: ["support_bundles"],
      featuresLost: [],
    });
    expect(report.customers[0]?.licenses).toEqual([]);
    expect(report.unchanged).toEqual({ customers: 0, applicationLicenses: 2, artifactLicenses: 1 });
    const text = renderText(report);
    expect(text).toContain("ACME Corporation (renamed from ACME Corp)");
    expect(text).toContain("+ gains portal features support_bundles");
  });

  it("registry password changed: said, never shown", async () => {
    await stack.stack.setConfig("registryPassword", { value: SECOND_PASSWORD, secret: true });
    try {
      const preview = await previewOf(baseSpec());
      expect(preview).not.toContain(SECOND_PASSWORD);
      const report = await reviewOf(preview);
      expect(license(report, "ACME Corp", "acme-pro").registry).toEqual({
        before: { url: "registry.example.com", username: "acme" },
        after: { url: "registry.example.com", username: "acme" },
        passwordChanged: true,
      });
      const outputs = [renderText(report), renderMarkdown(report), renderJson(report)];
      expect(outputs[0]).toContain("registry credentials: password changed (not shown)");
      for (const output of outputs) {
        expect(output).not.toContain(FIRST_PASSWORD);
        expect(output).not.toContain(SECOND_PASSWORD);
        expect(output).not.toContain("[secret]");
      }
    } finally {
      await stack.stack.setConfig("registryPassword", { value: FIRST_PASSWORD, secret: true });
    }
  });

  it("a tag moved to a new digest: the old content is no longer granted", async () => {
    distr.control.addArtifactTag("hello-distr/backend", "latest");
    const report = await reviewOf(await previewOf(baseSpec()));
    const change = license(report, "ACME Corp", "acme-images");
    expect(change.artifacts).toEqual([
      expect.objectContaining({
        artifact: "hello-distr/backend",
        change: "changed",
        movedTags: [expect.objectContaining({ tag: "latest" })],
      }),
    ]);
    expect(findings(report)).toEqual([
      expect.stringMatching(
        /^loses-access ACME Corp\/acme-images: tag latest of hello-distr\/backend moves: the content it pointed at \(sha256:[0-9a-f]{12}…\) is no longer granted$/,
      ),
    ]);
    expect(renderText(report)).toMatch(/tag latest moved to new content sha256:[0-9a-f]{12}… → sha256:[0-9a-f]{12}…/);
    await stack.up();
  });

  describe("through the compiled CLI", () => {
    let previewFile: string;

    /** The mixed edit the goldens and the README show. */
    function mixedSpec(): ProgramSpec {
      let spec = withApplicationLicense("acme-pro", {
        versions: ["2.1.0", "2.2.0", "2.3.0"],
        expiresAt: "2027-09-30T00:00:00Z",
      });
      spec = withApplicationLicense("lab-preview", { versions: ["2.3.0", "2.4.0-rc.1"] }, spec);
      return {
        customers: [ACME, GLOBEX],
        applicationLicenses: [
          ...(spec.applicationLicenses ?? []),
          { resource: "globex-enterprise", customer: "globex", application: "hello-distr", versions: "all" },
        ],
        artifactLicenses: [
          {
            resource: "globex-chart",
            customer: "globex",
            artifacts: [{ artifact: "hello-distr/chart", tags: { range: "^1.3" } }],
            expiresAt: "2027-01-20T00:00:00Z",
          },
        ],
      };
    }

    function runCli(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}) {
      return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        execFile(
          process.execPath,
          [CLI, ...args],
          {
            cwd: options.cwd ?? workDir,
            env: options.env ?? { ...process.env, DISTR_HOST: distr.host, DISTR_TOKEN: distr.token, NO_COLOR: "1" },
          },
          (error, stdout, stderr) => {
            distr.control.resetRateLimits();
            resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : 1, stdout, stderr });
          },
        );
      });
    }

    beforeAll(async () => {
      previewFile = path.join(workDir, "preview.json");
      fs.writeFileSync(previewFile, await previewOf(mixedSpec()));
    });

    it.each(["markdown", "text", "json"])("matches the golden output in %s", async (format) => {
      const result = await runCli(["review", previewFile, "--format", format, "--now", NOW]);
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      expect(result.stdout).not.toContain(FIRST_PASSWORD);
      const extension = { markdown: "md", text: "txt", json: "json" }[format];
      expectGolden(`mixed.${extension}`, stableOutput(result.stdout, stack.stackName));
    });

    it("reads the preview from stdin and runs it itself with --stack (Distr from the stack's configuration)", async () => {
      const fromFile = await runCli(["review", previewFile, "--format", "json", "--now", NOW]);
      const viaStdin = await new Promise<string>((resolve, reject) => {
        const child = execFile(
          process.execPath,
          [CLI, "review", "--format", "json", "--now", NOW],
          { env: { ...process.env, DISTR_HOST: distr.host, DISTR_TOKEN: distr.token } },
          (error, stdout) => (error ? reject(error) : resolve(stdout)),
        );
        child.stdin?.end(fs.readFileSync(previewFile));
      });
      expect(viaStdin).toBe(fromFile.stdout);
      const { cwd, env } = stack.cliEnvironment;
      const viaStack = await runCli(
        ["review", "--stack", stack.stackName, "--cwd", cwd, "--format", "json", "--now", NOW],
        {
          env,
        },
      );
      expect(viaStack.stderr).toBe("");
      const parse = (text: string) => JSON.parse(text) as ReviewReport;
      expect(parse(viaStack.stdout).customers).toEqual(parse(fromFile.stdout).customers);
      expect(parse(viaStack.stdout).skippedRules).toEqual([]);
    });

    it("--fail-on exits 3 when a listed rule fires, 0 when none does; unknown rules are a usage error (2)", async () => {
      const failing = await runCli(["review", previewFile, "--fail-on", "already-expired,widens-to-all", "--now", NOW]);
      expect(failing.code).toBe(3);
      expect(failing.stderr).toBe("pulumi-distr review: widens-to-all fired (--fail-on)\n");
      expect(failing.stdout).toContain("## License review");
      const passing = await runCli([
        "review",
        previewFile,
        "--fail-on",
        "already-expired",
        "--fail-on",
        "replacement-gap",
        "--now",
        NOW,
      ]);
      expect(passing.code).toBe(0);
      const unknown = await runCli(["review", previewFile, "--fail-on", "loses-acess"]);
      expect(unknown.code).toBe(2);
      expect(unknown.stdout).toBe("");
      expect(unknown.stderr).toContain(
        '--fail-on: unknown rule "loses-acess"; the rules are loses-access, widens-to-all, prerelease, no-expiry, ' +
          "expires-soon, already-expired, first-entitlement, replacement-gap (or all)",
      );
      const broken = await runCli(["review", path.join(workDir, "missing.json")]);
      expect(broken.code).toBe(1);
      expect(broken.stderr).toBe(`pulumi-distr review: ${path.join(workDir, "missing.json")} does not exist\n`);
    });

    it("without Distr: first-entitlement is skipped with a note, everything else is reported", async () => {
      const result = await runCli(["review", previewFile, "--format", "text", "--now", NOW], {
        env: { ...process.env, DISTR_HOST: "http://127.0.0.1:9", DISTR_TOKEN: distr.token },
      });
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(
        /Rule first-entitlement skipped: Distr at http:\/\/127\.0\.0\.1:9 could not be asked/,
      );
      expect(result.stdout).toContain("Globex Corporation (new customer)");
    });
  });
});

describe("pulumi-distr review on the root program (the license catalog)", () => {
  let distr: LocalDistr;
  let stack: ProgramStack;
  let catalogDir: string;
  let catalogFile: string;

  beforeAll(async () => {
    distr = await startLocalDistr({ dialect: "3" });
    catalogDir = fs.mkdtempSync(path.join(os.tmpdir(), "review-catalog-"));
    catalogFile = path.join(catalogDir, "licenses.yaml");
    fs.copyFileSync(path.join(REPO_ROOT, "catalog", "licenses.yaml"), catalogFile);
    stack = await ProgramStack.open({
      program: ".",
      distr,
      name: "review-catalog",
      config: { catalogFile: { value: catalogFile } },
    });
    await stack.up();
  });

  afterAll(async () => {
    await stack?.dispose();
    await distr?.close();
    fs.rmSync(catalogDir, { recursive: true, force: true });
  });

  it("names the catalog's customers and licenses for a YAML edit", async () => {
    const text = fs.readFileSync(catalogFile, "utf8");
    fs.writeFileSync(
      catalogFile,
      text
        .replace('expiresAt: "2027-06-30T00:00:00Z"', 'expiresAt: "2027-09-30T00:00:00Z"')
        .replace("    grants:\n      - plan: starter", "    grants:\n      - plan: pro"),
    );
    const preview = await stack.cli(...PREVIEW_ARGUMENTS.filter((arg) => arg !== "--non-interactive"));
    expect(preview.code).toBe(0);
    const client = createDistrClient({ host: distr.host, token: distr.token, rateLimits: false });
    const report = await reviewPreview(preview.stdout, "catalog preview", {
      now: new Date(NOW),
      distr: client,
    }).finally(() => client.close());
    expect(report.customers.map((c) => c.customer)).toEqual(["ACME Corp", "Initech"]);
    const acme = report.customers[0];
    expect(acme?.licenses.map((c) => `${c.action} ${c.name} ${c.expiry?.days}`)).toEqual([
      "update acme-pro-hello-distr 92",
      "update acme-pro-hello-distr-helm 92",
      "update acme-pro-artifacts 92",
    ]);
    const initech = report.customers[1];
    expect(initech?.licenses.map((c) => `${c.action} ${c.name}`)).toEqual([
      "create initech-pro-hello-distr",
      "create initech-pro-hello-distr-helm",
      "delete initech-starter-hello-distr",
      "create initech-pro-artifacts",
      "delete initech-starter-artifacts",
    ]);
    expect(initech?.gainsAccess).toBe(true);
    expect(initech?.losesAccess).toBe(true);
    expect(report.unchanged).toEqual({ customers: 3, applicationLicenses: 3, artifactLicenses: 1 });
    // A later expiry keeps access longer but grants nothing new: ACME does not count as gaining access.
    expect(report.summary.text).toBe("2 customers affected: 1 gains access, 1 loses access; 6 risks");
    expect(report.findings.map((f) => `${f.rule} ${f.license}`)).toEqual([
      "expires-soon initech-pro-hello-distr",
      "expires-soon initech-pro-hello-distr-helm",
      "loses-access initech-starter-hello-distr",
      "widens-to-all initech-pro-artifacts",
      "expires-soon initech-pro-artifacts",
      "loses-access initech-starter-artifacts",
    ]);
  });

  it("a failing preview is an error naming what failed, not an empty review (exit 1)", async () => {
    const valid = fs.readFileSync(catalogFile, "utf8");
    fs.writeFileSync(catalogFile, valid.replace("- plan: early-access", "- plan: startr"));
    try {
      const { cwd, env } = stack.cliEnvironment;
      const result = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        execFile(
          process.execPath,
          [CLI, "review", "--stack", stack.stackName, "--cwd", cwd, "--no-distr"],
          { env },
          (error, stdout, stderr) =>
            resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : 1, stdout, stderr }),
        );
      });
      expect(result.code).toBe(1);
      expect(result.stdout).toBe("");
      expect(result.stderr).toMatch(
        /^pulumi-distr review: stack \S+: the preview failed, so it does not show what would change: /,
      );
      expect(result.stderr).toContain('unknown plan "startr"');
    } finally {
      fs.writeFileSync(catalogFile, valid);
    }
  });
});
