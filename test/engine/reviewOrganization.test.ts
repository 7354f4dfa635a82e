/**
 * `pulumi-distr review` on a real organization, through the real engine: an organization with two customers of one
 * name (Distr allows it), exported with `pulumi-distr export`, then previewed as users run it. The first preview only
 * adopts (0 writes): the review must say "adopted", not "created", and find no risk. Then both namesakes lose
 * versions: two sections and two risk rows told apart. The review's look-ups meet 429s and wait them out like the
 * provider. Input that is not a preview is refused. Expiries are judged at an injected "now".
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { exportOrganization } from "../../export";
import { startLocalDistr, type LocalDistr } from "../../local-distr";
import { PREVIEW_ARGUMENTS } from "../../review/previewSource";
import type { ReviewReport } from "../../review/report";
import { renderJson } from "../../review/renderJson";
import { renderMarkdown } from "../../review/renderMarkdown";
import { renderText } from "../../review/renderText";
import { reviewPreview } from "../../review/reviewPreview";
import { createDistrClient, type ClosableDistrClient } from "../../sdk/client";
import type { Application } from "../../sdk/schemas";
import { REPO_ROOT } from "./harness/engine";
import { SuiteClock } from "./harness/measurements";
import { ProgramStack } from "./harness/programStack";

jest.setTimeout(10 * 60_000);
const clock = new SuiteClock();
clock.install("reviewOrganization.test.ts");

const NOW = "2027-01-01T00:00:00Z";
const CLI = path.join(REPO_ROOT, "dist", "cli", "main.js");

/** The exported program with the `versions` of the licenses named `license` (the `which`-th ones) set. */
function withVersions(text: string, license: string, versions: string[], which?: number): string {
  let seen = 0;
  return text
    .split("\n")
    .map((line) => {
      if (!line.includes(`name: ${JSON.stringify(license)}`)) return line;
      seen += 1;
      if (which !== undefined && seen !== which) return line;
      return line.replace(/versions: \[[^\]]*\]/, `versions: ${JSON.stringify(versions).replaceAll(",", ", ")}`);
    })
    .join("\n");
}

describe("pulumi-distr review on an exported organization with two customers of one name", () => {
  let distr: LocalDistr;
  let portal: ClosableDistrClient;
  let programDir: string;
  let programFile: string;
  let stack: ProgramStack;
  let workDir: string;
  const dupIds: string[] = [];

  beforeAll(async () => {
    distr = await startLocalDistr({ dialect: "3" });
    portal = createDistrClient({ host: distr.host, token: distr.token, rateLimits: false });
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "review-organization-"));
    const helloDistr = (await portal.lookups.application("hello-distr")) as Application;
    const versionIds = (names: string[]) =>
      names.map((name) => ({ id: helloDistr.versions?.find((v) => v.name === name)?.id ?? "" }));
    for (let index = 0; index < 2; index++) {
      const customer = await portal.customers.create({ name: "Dup Co" });
      dupIds.push(customer.id);
      // 1.0.0 is archived in the demo application: Distr keeps granting it to whom it was granted.
      await portal.applicationLicenses.create({
        name: "dup pro",
        customerOrganizationId: customer.id,
        applicationId: helloDistr.id,
        versions: versionIds(["1.0.0", "2.0.0", "2.1.0"]),
      });
    }
    const solo = await portal.customers.create({ name: "Solo Ltd" });
    await portal.applicationLicenses.create({
      name: "solo all",
      customerOrganizationId: solo.id,
      applicationId: helloDistr.id,
      versions: [],
    });
    await portal.applicationLicenses.create({
      name: "solo trial",
      customerOrganizationId: solo.id,
      applicationId: helloDistr.id,
      versions: versionIds(["2.2.0"]),
      expiresAt: "2026-02-25T12:00:00Z",
    });
    const exported = await exportOrganization(portal, { format: "typescript", packageVersion: "test" });
    // Inside the repository, so that the program resolves pulumi-distr like the in-repo examples do.
    programDir = path.join(
      REPO_ROOT,
      "test",
      "engine",
      "programs",
      `exported-review-${randomBytes(4).toString("hex")}`,
    );
    fs.mkdirSync(programDir);
    fs.writeFileSync(path.join(programDir, "Pulumi.yaml"), "name: exported-review\nruntime: nodejs\nmain: index.ts\n");
    programFile = path.join(programDir, "index.ts");
    fs.writeFileSync(programFile, exported.text);
    stack = await ProgramStack.open({ program: path.relative(REPO_ROOT, programDir), distr, name: "review-org" });
  });

  afterAll(async () => {
    await stack?.dispose();
    await portal?.close();
    await distr?.close();
    if (programDir) fs.rmSync(programDir, { recursive: true, force: true });
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  async function preview(...extra: string[]): Promise<string> {
    const result = await stack.cli(...PREVIEW_ARGUMENTS.filter((arg) => arg !== "--non-interactive"), ...extra);
    if (result.code !== 0) throw new Error(`pulumi preview failed (${result.code}): ${result.stderr}${result.stdout}`);
    return result.stdout;
  }

  async function review(text: string): Promise<ReviewReport> {
    const client = createDistrClient({ host: distr.host, token: distr.token, rateLimits: false });
    try {
      return await reviewPreview(text, "the preview", { now: new Date(NOW), distr: client });
    } finally {
      await client.close();
      distr.control.resetRateLimits();
    }
  }

  function runCli(args: string[], input?: string) {
    return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const child = execFile(
        process.execPath,
        [CLI, ...args],
        {
          cwd: workDir,
          env: { ...process.env, DISTR_HOST: distr.host, DISTR_TOKEN: distr.token, NO_COLOR: "1" },
        },
        (error, stdout, stderr) =>
          resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : 1, stdout, stderr }),
      );
      if (input !== undefined) child.stdin?.end(input);
    });
  }

  const findings = (report: ReviewReport) =>
    report.findings.map(
      (finding) => `${finding.rule} ${finding.customer ?? "-"}/${finding.license}: ${finding.message}`,
    );

  it("the first preview of the export only adopts: 'adopted, no change in Distr', 0 risks", async () => {
    const report = await review(await preview());
    expect(findings(report)).toEqual([]);
    expect(report.summary).toMatchObject({
      customersAffected: 0,
      licensesChanged: 0,
      risks: 0,
      adoptedUnchanged: { customers: 3, licenses: 4 },
    });
    expect(report.summary.text).toBe("No license changes; 3 customers and 4 licenses adopted, no change in Distr.");
    expect(report.customers.map((c) => [c.label, c.status])).toEqual([
      [expect.stringMatching(/^Dup Co \(\S+, id [0-9a-f]{8}\)$/), "adopted"],
      [expect.stringMatching(/^Dup Co \(\S+, id [0-9a-f]{8}\)$/), "adopted"],
      ["Solo Ltd", "adopted"],
    ]);
    const text = renderText(report);
    expect(text).toContain("(customer adopted, no change in Distr)");
    expect(text).toMatch(/dup pro \(application license for hello-distr\): adopted, no change in Distr/);
    expect(text).not.toContain("created");
    expect(text).not.toContain("new customer");
    expect(renderMarkdown(report)).toContain("adopted, no change in Distr");

    const since = distr.control.requests.length;
    const up = await stack.cli("up", "--yes");
    expect(up.code).toBe(0);
    expect(distr.control.requests.slice(since).filter((request) => request.method !== "GET")).toEqual([]);
  });

  it("an adoption that changes something shows only that change; one now for the whole report", async () => {
    // A fresh stack of the same export: everything adopted again, one license gains a version.
    const second = await ProgramStack.open({
      program: path.relative(REPO_ROOT, programDir),
      distr,
      name: "review-org-changed",
    });
    const original = fs.readFileSync(programFile, "utf8");
    try {
      fs.writeFileSync(programFile, withVersions(original, "solo trial", ["2.2.0", "2.3.0"]));
      const result = await second.cli(...PREVIEW_ARGUMENTS.filter((arg) => arg !== "--non-interactive"));
      expect(result.code).toBe(0);
      const report = await review(result.stdout);
      expect(report.summary.adoptedUnchanged).toEqual({ customers: 3, licenses: 3 });
      const trial = report.customers.flatMap((section) => section.licenses).find((c) => c.name === "solo trial");
      expect(trial?.adopted).toEqual({ id: expect.any(String), changed: true });
      expect(trial?.versions).toMatchObject({ gained: ["2.3.0"], lost: [] });
      expect(trial?.expiry).toBeUndefined();
      // Expired 309.5 days before "now": the risk and the details count the same days; no no-expiry anywhere.
      expect(findings(report)).toEqual([
        "already-expired Solo Ltd/solo trial: expired 309 days ago (2026-02-25T12:00:00Z)",
      ]);
      const text = renderText(report);
      expect(text).toContain("solo trial (application license for hello-distr): adopted; updated");
      expect(text).toContain("+ gains version 2.3.0");
      expect(text).not.toContain("expired 310 days ago");
    } finally {
      fs.writeFileSync(programFile, original);
      await second.dispose();
    }
  });

  it("two customers of one name, each losing versions: two sections, two risk rows told apart", async () => {
    const original = fs.readFileSync(programFile, "utf8");
    try {
      fs.writeFileSync(programFile, withVersions(original, "dup pro", ["2.1.0"]));
      const text = await preview();
      const report = await review(text);
      const dups = report.customers.filter((section) => section.customer === "Dup Co");
      expect(dups).toHaveLength(2);
      expect(new Set(dups.map((section) => section.id))).toEqual(new Set(dupIds));
      const labels = dups.map((section) => section.label ?? "");
      expect(labels[0]).not.toBe(labels[1]);
      for (const section of dups) {
        expect(section.label).toBe(`Dup Co (${section.resource}, id ${section.id?.slice(0, 8)})`);
        expect(section.licenses.map((change) => `${change.action} ${change.name}`)).toEqual(["update dup pro"]);
      }
      expect(report.summary.text).toBe("2 customers affected: 2 lose access; 2 risks");
      expect(findings(report).sort()).toEqual(
        labels
          .map((label) => `loses-access ${label}/dup pro: loses versions 1.0.0 (archived), 2.0.0 of hello-distr`)
          .sort(),
      );
      const markdown = renderMarkdown(report);
      for (const label of labels) {
        expect(markdown).toContain(`### ${label.replace(/[\\`*_[\]<>|~#]/g, (c) => `\\${c}`)}`);
      }
      expect(markdown).toContain("➖ loses versions 1.0.0 (archived), 2.0.0");
      expect(renderText(report)).toContain("- loses versions 1.0.0 (archived), 2.0.0");
      // No no-expiry for a license that never had one and only loses versions.
      expect(report.findings.some((finding) => finding.rule === "no-expiry")).toBe(false);
      const json = JSON.parse(renderJson(report)) as ReviewReport;
      expect(json.findings.map((finding) => finding.customer).sort()).toEqual([...labels].sort());

      // One version lost: singular.
      fs.writeFileSync(programFile, withVersions(original, "dup pro", ["1.0.0", "2.1.0"], 1));
      const single = await review(await preview());
      expect(findings(single)).toEqual([expect.stringMatching(/: loses version 2\.0\.0 of hello-distr$/)]);
      expect(renderText(single)).toContain("- loses version 2.0.0");
    } finally {
      fs.writeFileSync(programFile, original);
    }
  });

  it("waits out 429s during the look-ups and completes, as the provider would", async () => {
    const file = path.join(workDir, "preview.json");
    fs.writeFileSync(file, await preview());
    const calm = await runCli(["review", file, "--format", "json", "--now", NOW]);
    expect(calm.code).toBe(0);
    distr.control.resetRateLimits();
    distr.control.injectFaults({
      kind: "status",
      status: 429,
      retryAfterSeconds: 1,
      times: 3,
      match: { method: "GET", path: /\/customer-organizations/ },
    });
    const since = distr.control.requests.length;
    const started = Date.now();
    const limited = await runCli(["review", file, "--format", "json", "--now", NOW]);
    const seconds = (Date.now() - started) / 1000;
    const statuses = distr.control.requests.slice(since).map((request) => request.status);
    clock.note(`review with 3 x 429 on its look-ups: ${seconds.toFixed(1)} s, ${statuses.length} requests`);
    expect(limited.stderr).toBe("");
    expect(limited.code).toBe(0);
    expect(statuses.filter((status) => status === 429)).toHaveLength(3);
    expect(limited.stdout).toBe(calm.stdout);
  });

  it("refuses `{}` and a stack export with exit 1, saying what it got and what it expects", async () => {
    const empty = await runCli(["review", "-"], "{}");
    expect(empty.code).toBe(1);
    expect(empty.stdout).toBe("");
    expect(empty.stderr).toContain("stdin is not a preview: it is an empty object ({})");
    expect(empty.stderr).toContain("pulumi preview --json");
    const exported = await stack.cli("stack", "export");
    expect(exported.code).toBe(0);
    const state = await runCli(["review", "-", "--fail-on", "all"], exported.stdout);
    expect(state.code).toBe(1);
    expect(state.stderr).toContain("stdin is a stack's state (the output of `pulumi stack export`), not a preview");
    // An empty preview of a real stack stays a review: "No license changes."
    const nothing = await stack.cli("preview", "--json");
    const reviewed = await runCli(["review", "-", "--format", "text", "--fail-on", "all"], nothing.stdout);
    expect(reviewed.code).toBe(0);
    expect(reviewed.stdout.split("\n")[0]).toBe("No license changes.");
    // Without --show-sames the note names the option as code, not as escaped backticks.
    const markdown = await runCli(["review", "-"], nothing.stdout);
    expect(markdown.stdout).toContain("(run `pulumi preview --json --show-sames`)");
  });
});
