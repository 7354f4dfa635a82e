/**
 * The GitOps pipeline (examples/gitops/pipeline.sh) on a real object store: SeaweedFS's S3 gateway on loopback,
 * started and stopped here (harness/objectStore.ts), as the shared backend (`pulumi login 's3://…'`, credentials only
 * in the environment). Every step runs as a CI job does: a fresh clone of the licenses repository, a fresh
 * PULUMI_HOME, nothing kept afterwards, so the state lives only in the bucket. Shown: a pull request's preview, its
 * comment, the merge's apply; two applies of one stack at once (the backend's lock); an apply killed mid-run and the
 * next job recovering with README "Failure and recovery"'s steps.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { startLocalDistr, type LocalDistr } from "../../local-distr";
import { DistrPortal } from "./harness/distrState";
import { pulumiEngine } from "./harness/engine";
import { LicensesRepository, type JobRun } from "./harness/licensesRepository";
import { SuiteClock } from "./harness/measurements";
import { startObjectStore, type ObjectStore } from "./harness/objectStore";

jest.setTimeout(10 * 60_000);
const clock = new SuiteClock();
clock.install("gitopsObjectStore.test.ts");

const PROJECT = "distr-gitops";
const STACK = "production";
const LOCK_MESSAGE = /the stack is currently locked by 1 lock\(s\)/;

/**
 * The processes whose environment holds `entry` (Linux /proc), polled until none is left or `withinMs` passed: what a
 * killed job left running. Read from /proc/<pid>/environ, which only the process's own user may read.
 */
async function leftRunning(entry: string, withinMs: number): Promise<string[]> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const left = fs
      .readdirSync("/proc")
      .filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid)
      .flatMap((pid) => {
        try {
          if (!fs.readFileSync(`/proc/${pid}/environ`, "utf8").split("\0").includes(entry)) return [];
          return [`${pid}: ${fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim()}`];
        } catch {
          return []; // ended meanwhile, or not ours
        }
      });
    if (left.length === 0 || Date.now() >= deadline) return left;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe("the GitOps pipeline on an S3 backend (SeaweedFS on loopback)", () => {
  let store: ObjectStore;
  let bucketUrl: string;
  let distr: LocalDistr;
  let portal: DistrPortal;
  let repository: LicensesRepository;
  let artifacts: string;
  /** Every job's output, to check that no credential ever shows. */
  const outputs: string[] = [];

  beforeAll(async () => {
    const engine = await pulumiEngine();
    store = await startObjectStore();
    clock.note(
      `SeaweedFS: binary ready in ${store.figures.binarySeconds.toFixed(1)}s, S3 answering in ${store.figures.startSeconds.toFixed(1)}s`,
    );
    bucketUrl = await store.createBucket("licenses-state");
    distr = await startLocalDistr({ dialect: "3" });
    portal = new DistrPortal(distr.host, distr.token, "3", { afterRequest: () => distr.control.resetRateLimits() });
    artifacts = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-distr-artifacts-"));
    repository = LicensesRepository.create({
      ...engine.env,
      ...store.env,
      PULUMI_BACKEND_URL: bucketUrl,
      PULUMI_CONFIG_PASSPHRASE: "gitops-object-store-test",
      PULUMI_STACK: STACK,
      PULUMI_NODEJS_TRANSPILE_ONLY: "true",
      DISTR_HOST: distr.host,
      DISTR_TOKEN: distr.token,
      REVIEW_NOW: "2027-01-01T00:00:00Z",
    });
    // Set-up step 2 of the example's README, from a workstation: create the stack once; its settings file (the
    // passphrase's salt) goes into the repository.
    const settings = `Pulumi.${STACK}.yaml`;
    let saved = "";
    const init = await job(["pulumi", "stack", "init", STACK, "--non-interactive"], {}, (dir) => {
      saved = fs.readFileSync(path.join(dir, settings), "utf8");
    });
    expectExit(init, "success");
    repository.commit(`Add the ${STACK} stack`, { [settings]: saved });
  });

  afterAll(async () => {
    repository?.remove();
    if (artifacts) fs.rmSync(artifacts, { recursive: true, force: true });
    await distr?.close();
    await store?.stop();
  });

  async function job(argv: string[], env: Record<string, string> = {}, afterRun?: (dir: string) => void) {
    const result = await repository.job(argv, { env }, afterRun);
    outputs.push(result.stdout, result.stderr);
    return result;
  }

  const pipeline = (mode: string, env: Record<string, string> = {}, afterRun?: (dir: string) => void) =>
    job(["bash", "pipeline.sh", mode], env, afterRun);

  const pulumi = (...args: string[]) => job(["pulumi", ...args, "--stack", STACK, "--non-interactive"]);

  async function bucketKeys(prefix: string): Promise<string[]> {
    const client = store.client();
    try {
      const listed = await client.send(new ListObjectsV2Command({ Bucket: "licenses-state", Prefix: prefix }));
      return (listed.Contents ?? []).map((object) => object.Key ?? "");
    } finally {
      client.destroy();
    }
  }

  async function stateResources(): Promise<string[]> {
    const exported = await pulumi("stack", "export");
    expectExit(exported, "success");
    const deployment = JSON.parse(exported.stdout) as {
      deployment: { resources?: Array<{ type: string; urn: string }> };
    };
    return (deployment.deployment.resources ?? [])
      .filter((resource) => resource.type.startsWith("pulumi-nodejs:dynamic/distr:"))
      .map((resource) => resource.urn.slice(resource.urn.lastIndexOf("::") + 2))
      .sort();
  }

  async function expectDistrToMatchTheProgram(): Promise<void> {
    const check = await pulumi("preview", "--expect-no-changes");
    expectExit(check, "success");
  }

  it("previews a pull request, comments and applies it on merge, each in a fresh job; the state is only in the bucket", async () => {
    const review = path.join(artifacts, "review.md");
    const previewed = await pipeline("preview", {}, (dir) => fs.copyFileSync(path.join(dir, "review.md"), review));
    expectExit(previewed, "success");
    const text = fs.readFileSync(review, "utf8");
    expect(text).toContain(`<!-- pulumi-distr-review:${STACK} -->\n## License review\n`);
    expect(text).toContain("### ACME Corp (new customer)");
    expect(await portal.snapshot()).toEqual({ customers: [], applicationLicenses: [], artifactLicenses: [] });

    // The comment job gets the review as the workflow's artifact; a stand-in `gh` records what it would call.
    const bin = path.join(artifacts, "bin");
    const log = path.join(artifacts, "gh.log");
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, "gh"), `#!/bin/sh\necho "$*" >> "${log}"\n`, { mode: 0o755 });
    const commented = await pipeline("comment", {
      PATH: `${bin}:${process.env["PATH"] ?? ""}`,
      REVIEW_FILE: review,
      PR_NUMBER: "12",
      GITHUB_REPOSITORY: "platform/licenses",
    });
    expectExit(commented, "success");
    expect(fs.readFileSync(log, "utf8")).toContain(
      `api --method POST repos/platform/licenses/issues/12/comments -F body=@${review}`,
    );

    const applied = await pipeline("apply");
    expectExit(applied, "success");
    expect(applied.stdout).toMatch(/\+ 5 created/);
    expect(applied.stdout).toMatch(/5 unchanged/); // the pipeline's own `preview --expect-no-changes`
    expect(
      await portal.grantedVersions(await portal.applicationLicenseNamed("acme-hello-distr"), "hello-distr"),
    ).toEqual(["2.0.0", "2.1.0", "2.2.0", "2.3.0"]);

    // The jobs' directories and PULUMI_HOMEs are gone; the stack, its history and backups are objects in the bucket.
    expect(await bucketKeys(`.pulumi/stacks/${PROJECT}/`)).toContain(`.pulumi/stacks/${PROJECT}/${STACK}.json`);
    const history = await bucketKeys(`.pulumi/history/${PROJECT}/${STACK}/`);
    expect(history.filter((key) => key.endsWith(".history.json"))).toHaveLength(1);
    expect(history.filter((key) => key.endsWith(".checkpoint.json"))).toHaveLength(1);
    expect(await stateResources()).toEqual(["acme", "acme-hello-distr", "initech", "initech-hello-distr"]);
  });

  it("refuses other credentials: the gateway checks them, and the job's output never shows a key", async () => {
    const allowed = await pulumi("stack", "export");
    expectExit(allowed, "success");
    const wrong = await job(["pulumi", "stack", "export", "--stack", STACK, "--non-interactive"], {
      AWS_SECRET_ACCESS_KEY: "not-the-secret-key",
    });
    expectExit(wrong, "failure");
    expect(wrong.stderr).toMatch(/SignatureDoesNotMatch|AccessDenied|InvalidAccessKeyId|403/);
  });

  it("runs two applies of one stack started at once: one waits for or fails on the backend's lock, nothing is lost", async () => {
    const source = repository.read("index.ts");
    const extended = source.replace(
      '{ key: "acme", name: "ACME Corp", plan: "standard", expiresAt: "2027-06-30T00:00:00Z" }',
      '{ key: "acme", name: "ACME Corp", plan: "standard", expiresAt: "2027-12-31T00:00:00Z" }',
    );
    expect(extended).not.toBe(source);
    repository.commit("Extend ACME to the end of 2027", { "index.ts": extended });

    const runs = await Promise.all([pipeline("apply"), pipeline("apply")]);
    const outcomes = runs.map((run) =>
      run.code === 0 ? "succeeded" : LOCK_MESSAGE.test(run.stderr) ? "locked" : "other",
    );
    clock.note(`two applies at once: ${outcomes.join(", ")}`);
    expect(outcomes).not.toContain("other");
    expect(outcomes).toContain("succeeded");
    for (const run of runs.filter((r) => r.code !== 0)) {
      expect(run.stderr).toContain(
        "Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`",
      );
    }

    const acme = await portal.applicationLicenseNamed("acme-hello-distr");
    expect(acme.expiresAt).toMatch(/^2027-12-31T00:00:00/);
    const snapshot = await portal.snapshot();
    expect(snapshot.customers.map((c) => c.name).sort()).toEqual(["ACME Corp", "Initech"]);
    expect(snapshot.applicationLicenses.map((l) => l.name).sort()).toEqual(["acme-hello-distr", "initech-hello-distr"]);
    expect(await stateResources()).toEqual(["acme", "acme-hello-distr", "initech", "initech-hello-distr"]);
    await expectDistrToMatchTheProgram();
  });

  it("recovers from an apply killed mid-run with the documented steps, in the next job", async () => {
    const source = repository.read("index.ts");
    const added = source.replace(
      '  { key: "initech", name: "Initech", plan: "legacy", expiresAt: "2027-03-31T00:00:00Z" },\n',
      '  { key: "initech", name: "Initech", plan: "legacy", expiresAt: "2027-03-31T00:00:00Z" },\n' +
        '  { key: "globex", name: "Globex Corporation", plan: "standard", expiresAt: "2027-09-30T00:00:00Z" },\n',
    );
    expect(added).not.toBe(source);
    repository.commit("Add Globex on the standard plan", { "index.ts": added });

    const writes = () =>
      distr.control.requests.filter((r) => ["POST", "PUT", "PATCH", "DELETE"].includes(r.method)).length;
    const before = writes();
    const killed: JobRun = await repository.job(["bash", "pipeline.sh", "apply"], {
      killWhen: () => writes() > before,
    });
    outputs.push(killed.stdout, killed.stderr);
    expect(killed.killed).toBe(true);
    // The runner's SIGKILL reaches the job's process group only; the engine starts its plugins (the provider, the
    // language host, the policy pack's analyzer) in groups of their own, and each must end once the engine is gone.
    expect(await leftRunning(`PULUMI_BACKEND_URL=${bucketUrl}`, 5_000)).toEqual([]);

    // README "Failure and recovery": refresh (it meets the lock the killed run left), cancel, refresh, then the apply.
    const steps: string[] = [];
    const firstRefresh = await pulumi("refresh", "--yes");
    steps.push(`refresh → ${firstRefresh.code === 0 ? "ok" : "exit " + String(firstRefresh.code)}`);
    if (firstRefresh.code !== 0) {
      expect(firstRefresh.stderr).toMatch(LOCK_MESSAGE);
      const cancelled = await pulumi("cancel", "--yes");
      expectExit(cancelled, "success");
      steps.push("cancel → ok");
      const refreshed = await pulumi("refresh", "--yes");
      expectExit(refreshed, "success");
      steps.push("refresh → ok");
    }
    const applied = await pipeline("apply");
    expectExit(applied, "success");
    // pipeline.sh apply ends with `pulumi preview --expect-no-changes`: Distr matches the program and the state.
    expect(applied.stdout).toMatch(/7 unchanged/);
    steps.push("pipeline.sh apply → ok");
    clock.note(`killed apply after ${writes() - before} write(s) in all; recovery: ${steps.join("; ")}`);

    const snapshot = await portal.snapshot();
    expect(snapshot.customers.map((c) => c.name).sort()).toEqual(["ACME Corp", "Globex Corporation", "Initech"]);
    expect(snapshot.applicationLicenses.map((l) => l.name).sort()).toEqual([
      "acme-hello-distr",
      "globex-hello-distr",
      "initech-hello-distr",
    ]);
    expect(await stateResources()).toEqual([
      "acme",
      "acme-hello-distr",
      "globex",
      "globex-hello-distr",
      "initech",
      "initech-hello-distr",
    ]);
  });

  it("never printed the object store's credentials", () => {
    const { AWS_ACCESS_KEY_ID: key = "", AWS_SECRET_ACCESS_KEY: secret = "" } = store.env;
    expect(key.length).toBeGreaterThan(10);
    for (const output of outputs) {
      expect(output).not.toContain(secret);
      expect(output).not.toContain(key);
    }
  });
});

function expectExit(result: JobRun, expected: "success" | "failure"): void {
  if ((result.code === 0) !== (expected === "success")) {
    throw new Error(`exit ${result.code ?? result.signal}, expected ${expected}:\n${result.stdout}\n${result.stderr}`);
  }
}
