/**
 * The GitOps example's pipeline (examples/gitops/pipeline.sh), the shell steps its workflow runs, end to end with the
 * real engine against the local Distr; a file backend in a temp dir stands in for the shared one (the script refuses
 * it unless told). A pull request's preview writes the license review and applies nothing; a mandatory rule fails the
 * preview and the apply; the merge applies and then expects no changes. The `comment` step talks to GitHub through
 * `gh`, which cannot run here: a stand-in `gh` records the API calls it would make.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startLocalDistr, type LocalDistr } from "../../local-distr";
import { pulumiEngine, REPO_ROOT } from "./harness/engine";
import { DistrPortal } from "./harness/distrState";
import { SuiteClock } from "./harness/measurements";

jest.setTimeout(10 * 60_000);
const clock = new SuiteClock();
clock.install("gitopsPipeline.test.ts");

const EXAMPLE = path.join(REPO_ROOT, "examples", "gitops");
const PIPELINE = path.join(EXAMPLE, "pipeline.sh");
/** The review shown in examples/gitops/README.md: this test's pull request, judged at a fixed moment. */
const EXAMPLE_REVIEW = path.join(EXAMPLE, "review-example.md");
const REVIEW_NOW = "2027-01-01T00:00:00Z";

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

describe("the GitOps pipeline (examples/gitops/pipeline.sh)", () => {
  let distr: LocalDistr;
  let portal: DistrPortal;
  let tempDir: string;
  let env: Record<string, string>;
  const stack = `gitops-${process.pid}`;

  beforeAll(async () => {
    const engine = await pulumiEngine();
    distr = await startLocalDistr({ dialect: "3" });
    portal = new DistrPortal(distr.host, distr.token, "3", { afterRequest: () => distr.control.resetRateLimits() });
    tempDir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-distr-gitops-"));
    for (const dir of ["home", "state", "bin"]) fs.mkdirSync(path.join(tempDir, dir));
    env = {
      ...(process.env as Record<string, string>),
      ...engine.env,
      PULUMI_HOME: path.join(tempDir, "home"),
      PULUMI_BACKEND_URL: `file://${path.join(tempDir, "state")}`,
      PIPELINE_ALLOW_FILE_BACKEND: "1",
      PULUMI_CONFIG_PASSPHRASE: "gitops-pipeline-test",
      PULUMI_STACK: stack,
      PULUMI_NODEJS_TRANSPILE_ONLY: "true",
      DISTR_HOST: distr.host,
      DISTR_TOKEN: distr.token,
      REVIEW_FILE: path.join(tempDir, "review.md"),
      REVIEW_NOW,
    };
  });

  afterAll(async () => {
    await run(["pulumi", "stack", "rm", stack, "--yes", "--force", "--non-interactive"], { cwd: EXAMPLE });
    fs.rmSync(path.join(EXAMPLE, `Pulumi.${stack}.yaml`), { force: true });
    fs.rmSync(tempDir, { recursive: true, force: true });
    await distr.close();
  });

  function run(argv: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<Run> {
    const [file, ...args] = argv;
    return new Promise((resolve) => {
      execFile(
        file ?? "",
        args,
        { cwd: options.cwd ?? REPO_ROOT, env: { ...env, ...options.env }, maxBuffer: 64 * 1024 * 1024 },
        (error, stdout, stderr) => {
          const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1;
          resolve({ code, stdout, stderr });
        },
      );
    });
  }

  function pipeline(mode: string, extraEnv: Record<string, string> = {}): Promise<Run> {
    return run(["bash", PIPELINE, mode], { env: extraEnv });
  }

  function expectExit(result: Run, expected: "success" | "failure"): void {
    if ((result.code === 0) !== (expected === "success")) {
      throw new Error(`exit ${result.code}, expected ${expected}:\n${result.stdout}\n${result.stderr}`);
    }
  }

  const review = () => fs.readFileSync(env["REVIEW_FILE"] ?? "", "utf8");

  async function setCustomers(customers: Array<{ key: string; name: string; plan: string; expiresAt: string }>) {
    const set = await run(["pulumi", "config", "set", "--stack", stack, "customers", JSON.stringify(customers)], {
      cwd: EXAMPLE,
    });
    expectExit(set, "success");
  }

  const grantedTo = async (license: string) =>
    portal.grantedVersions(await portal.applicationLicenseNamed(license), "hello-distr");

  it("refuses state on the runner's disk unless told the file system is shared", async () => {
    const refused = await pipeline("preview", { PIPELINE_ALLOW_FILE_BACKEND: "" });
    expectExit(refused, "failure");
    expect(refused.stderr).toContain("PULUMI_BACKEND_URL is a local directory");
  });

  it("previews a pull request into a review comment, writing nothing to Distr", async () => {
    const previewed = await pipeline("preview");
    expectExit(previewed, "success");
    const text = review();
    expect(text.startsWith(`<!-- pulumi-distr-review:${stack} -->\n## License review\n`)).toBe(true);
    expect(text).toContain("### ACME Corp (new customer)");
    expect(text).toContain("### Initech (new customer)");
    expect(text).toContain("`first-entitlement`");
    expect(await portal.snapshot()).toEqual({ customers: [], applicationLicenses: [], artifactLicenses: [] });
  });

  it("applies on merge, then finds no changes", async () => {
    const applied = await pipeline("apply");
    expectExit(applied, "success");
    expect(applied.stdout).toMatch(/\+ 5 created/);
    expect(applied.stdout).toMatch(/5 unchanged/);
    expect(await grantedTo("acme-hello-distr")).toEqual(["2.0.0", "2.1.0", "2.2.0", "2.3.0"]);
    expect(await grantedTo("initech-hello-distr")).toEqual(["1.1.0", "1.2.0"]);
  });

  it("blocks a pull request and its merge when a mandatory rule fires; Distr keeps what it had", async () => {
    await setCustomers([
      { key: "acme", name: "ACME Corp", plan: "standard", expiresAt: "2027-06-30T00:00:00Z" },
      { key: "initech", name: "Initech", plan: "standard", expiresAt: "2027-03-31T00:00:00Z" },
    ]);
    const config = path.join(tempDir, "policy-config.json");
    fs.writeFileSync(config, JSON.stringify({ "loses-access": "mandatory" }));
    const before = await portal.snapshot();

    const previewed = await pipeline("preview", { POLICY_PACK_CONFIG: config });
    expectExit(previewed, "failure");
    const text = review();
    expect(text).toContain("## License review: the preview failed");
    expect(text).toMatch(/\[mandatory\]\s+loses-access/);
    expect(text).toContain(
      "license initech-hello-distr (customer Initech): loses versions 1.1.0, 1.2.0 of hello-distr",
    );

    const applied = await pipeline("apply", { POLICY_PACK_CONFIG: config });
    expectExit(applied, "failure");
    expect(await portal.snapshot()).toEqual(before);
  });

  it("reviews the same pull request with advisory rules (the example's README shows it) and applies it", async () => {
    const previewed = await pipeline("preview");
    expectExit(previewed, "success");
    const text = review();
    expect(text).toContain(
      "| `loses-access` | Initech | initech-hello-distr | loses versions 1.1.0, 1.2.0 of hello-distr |",
    );
    const shown = text.replace(`<!-- pulumi-distr-review:${stack} -->\n`, "");
    if (process.env["UPDATE_GOLDEN"] === "1") fs.writeFileSync(EXAMPLE_REVIEW, shown);
    expect(shown).toBe(fs.readFileSync(EXAMPLE_REVIEW, "utf8"));

    const applied = await pipeline("apply");
    expectExit(applied, "success");
    expect(await grantedTo("initech-hello-distr")).toEqual(["2.0.0", "2.1.0", "2.2.0", "2.3.0"]);
  });

  it("keeps the example README's review equal to the checked-in one", () => {
    const readme = fs.readFileSync(path.join(EXAMPLE, "README.md"), "utf8");
    const block = /<!-- review-example:start -->\n````markdown\n([\s\S]*?)````\n<!-- review-example:end -->/.exec(
      readme,
    );
    expect(block?.[1]).toBe(fs.readFileSync(EXAMPLE_REVIEW, "utf8"));
  });

  it("posts the review as one pull-request comment and updates it on the next push", async () => {
    // Stand-in for the GitHub CLI: it records each call and answers the comment list from a file.
    const log = path.join(tempDir, "gh.log");
    const listed = path.join(tempDir, "gh-comments");
    fs.writeFileSync(
      path.join(tempDir, "bin", "gh"),
      `#!/bin/sh\necho "$*" >> "${log}"\ncase "$*" in *--paginate*) cat "${listed}" ;; esac\n`,
      { mode: 0o755 },
    );
    const ghEnv = {
      PATH: `${path.join(tempDir, "bin")}:${env["PATH"]}`,
      PR_NUMBER: "7",
      GITHUB_REPOSITORY: "platform/licenses",
    };
    fs.writeFileSync(listed, "");
    expectExit(await pipeline("comment", ghEnv), "success");
    fs.writeFileSync(listed, "4242\n");
    expectExit(await pipeline("comment", ghEnv), "success");
    const calls = fs.readFileSync(log, "utf8").trim().split("\n");
    const marker = `<!-- pulumi-distr-review:${stack} -->`;
    expect(calls).toEqual([
      `api --paginate repos/platform/licenses/issues/7/comments --jq .[] | select(.body | startswith("${marker}")) | .id`,
      `api --method POST repos/platform/licenses/issues/7/comments -F body=@${env["REVIEW_FILE"]}`,
      `api --paginate repos/platform/licenses/issues/7/comments --jq .[] | select(.body | startswith("${marker}")) | .id`,
      `api --method PATCH repos/platform/licenses/issues/comments/4242 -F body=@${env["REVIEW_FILE"]}`,
    ]);
  });
});
