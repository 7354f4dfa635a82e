/**
 * The expiry and access overview against the local Distr 3.x: managed licenses made by the real provider handlers
 * (their ranges shown from the stack's state), plus portal-made ones (an expiring trial, an expired evaluation) and
 * a customer without licenses. Golden outputs in every format (test/overview/golden; UPDATE_GOLDEN=1 rewrites),
 * and `pulumi-distr licenses --expiring-within` exit codes through the command in its own process.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  renderOverviewHtml,
  renderOverviewJson,
  renderOverviewMarkdown,
  renderOverviewText,
  type OverviewReport,
} from "../../overview";
import type { ManagedFixture } from "../drift/driftFixture";
import { startTestbed, type ProviderTestbed } from "../provider/providerHarness";
import { expectGoldenIn } from "../review/golden";
import { createOverviewFixture, overviewOf, stableReport } from "./overviewFixture";

const REPO = path.resolve(__dirname, "../..");
const OVERVIEW_GOLDEN_DIR = path.join(__dirname, "golden");
jest.setTimeout(120_000);

describe("pulumi-distr licenses: the overview", () => {
  let testbed: ProviderTestbed;
  let fixture: ManagedFixture;

  beforeAll(async () => {
    testbed = await startTestbed("3");
    fixture = await createOverviewFixture(testbed);
  });
  afterAll(async () => {
    await testbed.close();
  });

  it("lists every license soonest expiry first, with the ranges the code wrote and what they grant today", async () => {
    const report = await overviewOf(testbed, fixture);
    expect(report.licenses.map((l) => `${l.expiresAt ?? "none"} ${l.status} ${l.customer} ${l.name}`)).toEqual([
      "2026-12-15T00:00:00Z expired Globex globex-eval",
      "2027-01-15T00:00:00Z expiring Umbrella umbrella-trial",
      "2027-01-31T00:00:00Z expiring ACME Corp acme-legacy",
      "2027-06-30T00:00:00Z ok ACME Corp acme-images",
      "2027-06-30T00:00:00Z ok ACME Corp acme-pro",
      "none no-expiry Globex globex-helm",
    ]);
    const pro = report.licenses.find((l) => l.name === "acme-pro");
    expect(pro?.grants.map((g) => g.text)).toEqual(["range >=2.0.0 <2.2.0 (now 2.0.0, 2.1.0)"]);
    expect(report.licenses.find((l) => l.name === "acme-images")?.grants.map((g) => `${g.name}: ${g.text}`)).toEqual([
      "hello-distr/backend: latest",
      "hello-distr/frontend: range ^2 (now 2.0.0, 2.1.0, 2.2.0)",
    ]);
    expect(report.customers.map((c) => `${c.name}: ${c.licenses.length}`)).toEqual([
      "ACME Corp: 3",
      "Globex: 2",
      "Initech: 0",
      "Umbrella: 1",
    ]);
    expect(report.summary.text).toBe(
      "4 customers, 6 licenses: 1 expired, 2 expiring within 30 days, 1 without expiry.",
    );
  });

  it.each([
    ["overview.md", renderOverviewMarkdown],
    ["overview.txt", renderOverviewText],
    ["overview.json", renderOverviewJson],
    ["overview.html", renderOverviewHtml],
  ] as const)("renders %s as its golden file", async (name, render) => {
    const report = await overviewOf(testbed, fixture);
    expectGoldenIn(OVERVIEW_GOLDEN_DIR, name, stableReport(render(report), testbed.distr.host));
  });

  it("the HTML page loads nothing: no script, no link, no image, no url()", async () => {
    const page = renderOverviewHtml(await overviewOf(testbed, fixture));
    expect(page).not.toMatch(/<script|<link|<img|<iframe|url\(|@import|https?:\/\/(?!127\.0\.0\.1)/i);
  });

  describe("--expiring-within (the command in its own process)", () => {
    let dir: string;
    beforeAll(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-distr-licenses-"));
    });
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    function licensesCli(args: string[], env: Record<string, string>) {
      return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        execFile(
          process.execPath,
          [
            "-r",
            path.join(REPO, "scripts", "register-typescript.cjs"),
            path.join(REPO, "cli", "main.ts"),
            "licenses",
            ...args,
          ],
          { cwd: dir, env: { PATH: process.env["PATH"] ?? "", ...env } },
          (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
        );
      });
    }
    const distrEnv = () => ({ DISTR_HOST: testbed.distr.host, DISTR_TOKEN: testbed.distr.token });

    it.each([
      // 2026-11-01: the soonest expiry is globex-eval's, 44 days ahead.
      ["2026-11-01T00:00:00Z", "30", 0, "0 expiring within 30 days"],
      ["2026-11-01T00:00:00Z", "44", 3, "1 expiring within 44 days"],
      // 2027-01-01: globex-eval has expired, whatever the window.
      ["2027-01-01T00:00:00Z", "1", 3, "1 expired, 0 expiring within 1 days"],
    ])("at %s, --expiring-within %s exits %d", async (now, days, code, summary) => {
      const result = await licensesCli(["--expiring-within", days, "--now", now, "--format", "json"], distrEnv());
      expect(result.stderr).toContain(summary);
      expect(result.stderr).toMatch(/\(\d+ requests to Distr, 0 writes\)/);
      expect(result.code).toBe(code);
      expect((JSON.parse(result.stdout) as OverviewReport).expiringWithinDays).toBe(Number(days));
    });

    it("writes the HTML page to --out; a usage mistake exits 2, a missing token 1", async () => {
      const out = path.join(dir, "licenses.html");
      const written = await licensesCli(
        ["--format", "html", "--out", out, "--now", "2027-01-01T00:00:00Z"],
        distrEnv(),
      );
      expect(written.code).toBe(0);
      expect(written.stdout).toBe("");
      expect(fs.readFileSync(out, "utf8")).toContain('<table class="matrix">');
      const usage = await licensesCli(["--expiring-within", "soon"], distrEnv());
      expect(usage.code).toBe(2);
      expect(usage.stderr).toContain('--expiring-within must be a whole number of days, e.g. 30, got "soon"');
      const noToken = await licensesCli([], { DISTR_HOST: testbed.distr.host });
      expect(noToken.code).toBe(1);
      expect(noToken.stderr).toContain(
        "pulumi-distr licenses: no Distr token (DISTR_HOST/DISTR_TOKEN): set DISTR_TOKEN",
      );
    });
  });
});
