/**
 * `pulumi-distr drift` and `pulumi-distr licenses` as the GitOps example's scheduled jobs run them
 * (examples/gitops/operations.sh), with the real engine and the real `pulumi stack export`, on both dialects: the
 * example's stack is deployed with `pulumi up`, then a colleague works in the portal (3.0.0 added to ACME's license,
 * Initech's expiry moved, Globex's license deleted, a customer Umbrella with a trial license made by hand). The drift
 * job finds each of these and opens one issue, updates it on the next run, and closes it once `pulumi up --refresh`
 * and a clean-up removed the drift. Distr receives no write from either job. The `gh` calls go to a stand-in that
 * records them (GitHub cannot run here). On 3.x the issue and the overview become the example README's samples.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { DriftReport } from "../../drift";
import { startLocalDistr, type LocalDistr } from "../../local-distr";
import { z } from "zod";
import { DIALECT_SPECS, type Dialect } from "../../sdk/dialect";
import { DistrPortal } from "./harness/distrState";
import { pulumiEngine, REPO_ROOT } from "./harness/engine";
import { SuiteClock } from "./harness/measurements";

jest.setTimeout(10 * 60_000);
const clock = new SuiteClock();
clock.install("driftCommand.test.ts");

const EXAMPLE = path.join(REPO_ROOT, "examples", "gitops");
const OPERATIONS = path.join(EXAMPLE, "operations.sh");
const CLI = path.join(REPO_ROOT, "dist", "cli", "main.js");
/** The samples in examples/gitops/README.md: this test's drift issue and overview (3.x), judged at a fixed moment. */
export const DRIFT_ISSUE_EXAMPLE = path.join(EXAMPLE, "drift-issue-example.md");
export const OVERVIEW_EXAMPLE = path.join(EXAMPLE, "licenses-example.md");
const REPORT_NOW = "2027-01-01T00:00:00Z";

const CUSTOMERS = [
  { key: "acme", name: "ACME Corp", plan: "standard", expiresAt: "2027-06-30T00:00:00Z" },
  { key: "initech", name: "Initech", plan: "legacy", expiresAt: "2027-03-31T00:00:00Z" },
  { key: "globex", name: "Globex", plan: "standard", expiresAt: "2027-12-31T00:00:00Z" },
];

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

describe.each(["3", "2"] as const)(
  "drift and expiry jobs on Distr %s.x (examples/gitops/operations.sh)",
  (dialect: Dialect) => {
    let distr: LocalDistr;
    let portal: DistrPortal;
    let tempDir: string;
    let env: Record<string, string>;
    const stack = `drift-${process.pid}-${dialect}`;

    beforeAll(async () => {
      const engine = await pulumiEngine();
      distr = await startLocalDistr({ dialect });
      portal = new DistrPortal(distr.host, distr.token, dialect, {
        afterRequest: () => distr.control.resetRateLimits(),
      });
      tempDir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-distr-drift-"));
      for (const dir of ["home", "state", "bin"]) fs.mkdirSync(path.join(tempDir, dir));
      // Stand-in for the GitHub CLI: records each call, answers the issue list from a file.
      fs.writeFileSync(
        path.join(tempDir, "bin", "gh"),
        `#!/bin/sh\necho "$*" >> "${path.join(tempDir, "gh.log")}"\ncase "$*" in *--paginate*) cat "${path.join(tempDir, "gh-issues")}" ;; esac\n`,
        { mode: 0o755 },
      );
      env = {
        ...(process.env as Record<string, string>),
        ...engine.env,
        PATH: `${path.join(tempDir, "bin")}:${engine.env["PATH"]}`,
        PULUMI_HOME: path.join(tempDir, "home"),
        PULUMI_BACKEND_URL: `file://${path.join(tempDir, "state")}`,
        PULUMI_CONFIG_PASSPHRASE: "drift-test",
        PULUMI_STACK: stack,
        PULUMI_NODEJS_TRANSPILE_ONLY: "true",
        DISTR_HOST: distr.host,
        DISTR_TOKEN: distr.token,
        GITHUB_REPOSITORY: "platform/licenses",
        DRIFT_FILE: path.join(tempDir, "drift.md"),
        OVERVIEW_FILE: path.join(tempDir, "licenses.md"),
        OVERVIEW_HTML: path.join(tempDir, "licenses.html"),
        REPORT_NOW,
      };
    });

    afterAll(async () => {
      await run(["pulumi", "stack", "rm", stack, "--yes", "--force", "--non-interactive"]);
      fs.rmSync(path.join(EXAMPLE, `Pulumi.${stack}.yaml`), { force: true });
      fs.rmSync(tempDir, { recursive: true, force: true });
      await distr.close();
    });

    function run(argv: string[], extraEnv: Record<string, string> = {}): Promise<Run> {
      const [file, ...args] = argv;
      // Distr 2.x allows 60 requests a minute per user: each step starts with a fresh budget.
      distr.control.resetRateLimits();
      return new Promise((resolve) => {
        execFile(
          file ?? "",
          args,
          { cwd: EXAMPLE, env: { ...env, ...extraEnv }, maxBuffer: 64 * 1024 * 1024 },
          (error, stdout, stderr) =>
            resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : 1, stdout, stderr }),
        );
      });
    }

    function expectCode(result: Run, code: number): void {
      if (result.code !== code)
        throw new Error(`exit ${result.code}, expected ${code}:\n${result.stdout}\n${result.stderr}`);
    }

    /** Runs a job with the issue list answering `openIssue`; returns its run, the gh calls and the Distr requests. */
    async function job(mode: "drift" | "expiring", openIssue = "") {
      fs.writeFileSync(path.join(tempDir, "gh-issues"), openIssue === "" ? "" : `${openIssue}\n`);
      fs.rmSync(path.join(tempDir, "gh.log"), { force: true });
      const since = distr.control.requests.length;
      const started = Date.now();
      const result = await run(["bash", OPERATIONS, mode]);
      const seconds = (Date.now() - started) / 1000;
      const log = path.join(tempDir, "gh.log");
      const calls = fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n") : [];
      const requests = distr.control.requests.slice(since);
      return { result, calls, requests, seconds };
    }

    const list = `api --paginate repos/platform/licenses/issues?state=open&labels=license-drift --jq .[] | select(.body | startswith("<!-- pulumi-distr-drift:${stack} -->")) | .number`;

    it("deploys the example's stack; the drift job then finds nothing and opens no issue", async () => {
      expectCode(await run(["pulumi", "stack", "init", stack, "--non-interactive"]), 0);
      expectCode(await run(["pulumi", "config", "set", "--stack", stack, "customers", JSON.stringify(CUSTOMERS)]), 0);
      expectCode(await run(["pulumi", "up", "--stack", stack, "--yes", "--non-interactive", "--skip-preview"]), 0);

      const { result, calls, requests, seconds } = await job("drift");
      expectCode(result, 0);
      expect(result.stderr).toMatch(
        /No drift: Distr matches the 6 objects the stacks manage\. \(\d+ requests to Distr, 0 writes\)/,
      );
      expect(requests.filter((request) => request.method !== "GET")).toEqual([]);
      expect(calls).toEqual([list]);
      console.log(`Distr ${dialect}.x, no drift: ${requests.length} requests, ${seconds.toFixed(1)} s`);
    });

    it("finds portal edits and objects no stack manages, opens one issue and updates it; no writes", async () => {
      distr.control.addApplicationVersion("hello-distr", "3.0.0");
      const versions = await portal.applicationVersionNames("hello-distr");
      const id = (name: string) => [...versions].find(([, n]) => n === name)?.[0] ?? "";
      const acme = await portal.applicationLicenseNamed("acme-hello-distr");
      await portal.updateApplicationLicense(acme, {
        versions: [...acme.versions.map((v) => ({ id: v.id })), { id: id("3.0.0") }],
      });
      const initech = await portal.applicationLicenseNamed("initech-hello-distr");
      await portal.updateApplicationLicense(initech, { expiresAt: "2027-09-30T00:00:00Z" });
      await portal.deleteApplicationLicense((await portal.applicationLicenseNamed("globex-hello-distr")).id);
      const umbrella = await portal.createCustomer("Umbrella");
      await portal.createApplicationLicense({
        name: "umbrella-trial",
        applicationId: await portal.applicationId("hello-distr"),
        customerOrganizationId: umbrella.id,
        versions: [{ id: id("2.2.0") }],
        expiresAt: "2027-01-20T00:00:00Z",
      });

      const opened = await job("drift");
      expectCode(opened.result, 0);
      expect(opened.requests.filter((request) => request.method !== "GET")).toEqual([]);
      const drift = path.join(tempDir, "drift.md");
      expect(opened.calls).toEqual([
        list,
        `api --method POST repos/platform/licenses/issues -f title=License drift in Distr (${stack}) -F body=@${drift} -f labels[]=license-drift`,
      ]);
      const markdown = fs.readFileSync(drift, "utf8");
      for (const sentence of [
        "ACME Corp now also has 3.0.0 of hello-distr, which the code does not grant",
        "the expiry of initech-hello-distr was moved from 2027-03-31 to 2027-09-30 (+183 days); the code says 2027-03-31",
        "globex-hello-distr was deleted in Distr: Globex no longer has range \\>=2.0.0 \\<3.0.0 (now 2.0.0, 2.1.0, 2.2.0, 2.3.0) of hello-distr, which the code grants",
        "customer Umbrella is in Distr, but no stack manages it",
        "umbrella-trial (application license for hello-distr of Umbrella) is in Distr, but no stack manages it",
      ]) {
        expect(markdown).toContain(sentence);
      }
      const summary = /\*\*(Drift: .*)\*\*/.exec(markdown)?.[1];
      expect(summary).toBe(
        "Drift: 2 objects changed in Distr; 1 deleted in Distr; 2 objects no stack manages (1 customer, 1 application license).",
      );
      const requestsLine = /Read from Distr with (\d+) requests \(no writes\)/.exec(markdown);
      expect(requestsLine).not.toBeNull();
      console.log(
        `Distr ${dialect}.x, drift found: ${opened.requests.length} requests to the hub (${requestsLine?.[1]} by the report), ` +
          `0 writes, ${opened.seconds.toFixed(1)} s: ${opened.requests.map((r) => `${r.method} ${r.path.replace(/[0-9a-f-]{36}/g, "{id}")}`).join(", ")}`,
      );

      // The JSON report: the same, structured; customers by id.
      const json = await run(["node", CLI, "drift", "--stack", stack, "--format", "json", "--now", REPORT_NOW]);
      expectCode(json, 3);
      const report = JSON.parse(json.stdout) as DriftReport;
      expect(
        report.sections.map(
          (section) => `${section.customer} ${section.items.map((i) => `${i.drift}:${i.name}`).join(",")}`,
        ),
      ).toEqual([
        "ACME Corp changed:acme-hello-distr",
        "Globex deleted:globex-hello-distr",
        "Initech changed:initech-hello-distr",
        "Umbrella unmanaged:Umbrella,unmanaged:umbrella-trial",
      ]);
      expect(report.sections.every((section) => section.id !== undefined)).toBe(true);

      const updated = await job("drift", "12");
      expectCode(updated.result, 0);
      expect(updated.calls).toEqual([list, `api --method PATCH repos/platform/licenses/issues/12 -F body=@${drift}`]);

      if (dialect === "3") {
        const shown = markdown.split(distr.host).join("http://127.0.0.1:8585").split(stack).join("production");
        if (process.env["UPDATE_GOLDEN"] === "1") fs.writeFileSync(DRIFT_ISSUE_EXAMPLE, shown);
        expect(shown).toBe(fs.readFileSync(DRIFT_ISSUE_EXAMPLE, "utf8"));
      }
    });

    it("the expiry job fails while a license expires within the window, and writes the overview", async () => {
      const expiring = await job("expiring");
      expectCode(expiring.result, 3);
      expect(expiring.requests.filter((request) => request.method !== "GET")).toEqual([]);
      expect(expiring.result.stderr).toContain("licenses expire within 30 days or have expired");
      const overview = fs.readFileSync(path.join(tempDir, "licenses.md"), "utf8");
      expect(overview).toContain("| 2027-01-20 | ⚠️ in 19 days | Umbrella | umbrella-trial | hello-distr: 2.2.0 |");
      // The stack's ranges, with the versions they grant today (Distr's ACME license has 3.0.0 besides: a list).
      expect(overview).toContain("initech-hello-distr**: expires 2027-09-30");
      expect(overview).toContain("application hello-distr: range \\>=1.0.0 \\<2.0.0 (now 1.1.0, 1.2.0)");
      expect(fs.readFileSync(path.join(tempDir, "licenses.html"), "utf8")).toContain('data-status="expiring"');
      if (dialect === "3") {
        const shown = overview.split(distr.host).join("http://127.0.0.1:8585").split(stack).join("production");
        if (process.env["UPDATE_GOLDEN"] === "1") fs.writeFileSync(OVERVIEW_EXAMPLE, shown);
        expect(shown).toBe(fs.readFileSync(OVERVIEW_EXAMPLE, "utf8"));
      }
      const quiet = await run(["bash", OPERATIONS, "expiring"], { EXPIRING_WITHIN_DAYS: "7" });
      expectCode(quiet, 0);
      expect(quiet.stderr).toContain("no license expires within 7 days");
    });

    it("closes the issue once `pulumi up --refresh` and a clean-up in the portal removed the drift", async () => {
      expectCode(
        await run(["pulumi", "up", "--stack", stack, "--yes", "--non-interactive", "--skip-preview", "--refresh"]),
        0,
      );
      const still = await job("drift", "12");
      expectCode(still.result, 0);
      // Umbrella is still nobody's: the issue stays open, now with only that.
      expect(fs.readFileSync(path.join(tempDir, "drift.md"), "utf8")).toContain(
        "**Drift: 2 objects no stack manages (1 customer, 1 application license).**",
      );
      const umbrella = await portal.customerNamed("Umbrella");
      await portal.request("DELETE", `${DIALECT_SPECS[dialect].routes.customers}/${umbrella.id}`, z.unknown());
      const closed = await job("drift", "12");
      expectCode(closed.result, 0);
      expect(closed.calls[0]).toBe(list);
      expect(closed.calls[1]).toMatch(
        new RegExp(
          `^api --method POST repos/platform/licenses/issues/12/comments -f body=No drift any more: Distr matches the state of ${stack} `,
        ),
      );
      expect(closed.calls[2]).toBe(
        "api --method PATCH repos/platform/licenses/issues/12 -f state=closed -f state_reason=completed",
      );
      expect(closed.result.stderr).toContain("no drift: closed issue #12");
    });
  },
);
