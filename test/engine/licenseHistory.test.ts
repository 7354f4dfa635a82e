/**
 * `pulumi-distr history` on real stacks: the GitOps example's repository gets five merged changes to ACME's license
 * (grant, widen, expiry moved, narrow, delete), each applied by `pulumi up` in a fresh clone (so the engine records
 * the commit and its message), once on a file backend and once on the S3 backend (SeaweedFS on loopback). The history
 * names every change with its update and commit, and `--at` answers what ACME had in every interval between updates.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { buildAccessReport } from "../../history/historyReport";
import { readStackHistory } from "../../history/historySource";
import { startLocalDistr, type LocalDistr } from "../../local-distr";
import { pulumiEngine, REPO_ROOT, ensureBuilt } from "./harness/engine";
import { LicensesRepository, type JobRun } from "./harness/licensesRepository";
import { SuiteClock } from "./harness/measurements";
import { startObjectStore, type ObjectStore } from "./harness/objectStore";

jest.setTimeout(10 * 60_000);
const clock = new SuiteClock();
clock.install("licenseHistory.test.ts");

const STACK = "production";
const CLI = path.join(REPO_ROOT, "dist", "cli", "main.js");
const ACME_LINE = '{ key: "acme", name: "ACME Corp", plan: "standard", expiresAt: "2027-06-30T00:00:00Z" },\n';
const STANDARD_LINE = 'standard: { range: ">=2.0.0 <3.0.0" },';

/** The five merged pull requests, as edits of index.ts. */
const CHANGES: ReadonlyArray<{ message: string; edit: (source: string) => string }> = [
  {
    message: "Grant ACME 2.0.0 and 2.1.0",
    edit: (s) => s.replace(STANDARD_LINE, 'standard: ["2.0.0", "2.1.0"],'),
  },
  {
    message: "Widen ACME to every 2.x release",
    edit: (s) => s.replace('standard: ["2.0.0", "2.1.0"],', STANDARD_LINE),
  },
  {
    message: "Move ACME's expiry to the end of 2027",
    edit: (s) => s.replace(ACME_LINE, ACME_LINE.replace("2027-06-30", "2027-12-31")),
  },
  {
    message: "Narrow ACME to 2.3.0",
    edit: (s) => s.replace(STANDARD_LINE, 'standard: ["2.3.0"],'),
  },
  {
    message: "Remove ACME",
    edit: (s) => s.replace(`  ${ACME_LINE.replace("2027-06-30", "2027-12-31")}`, ""),
  },
];

/** What ACME may use after each update (index 0: before the first). */
const ACME_AFTER: ReadonlyArray<{ versions: string[]; expiresAt?: string } | null> = [
  null,
  { versions: ["2.0.0", "2.1.0"], expiresAt: "2027-06-30T00:00:00Z" },
  { versions: ["2.0.0", "2.1.0", "2.2.0", "2.3.0"], expiresAt: "2027-06-30T00:00:00Z" },
  { versions: ["2.0.0", "2.1.0", "2.2.0", "2.3.0"], expiresAt: "2027-12-31T00:00:00Z" },
  { versions: ["2.3.0"], expiresAt: "2027-12-31T00:00:00Z" },
  null,
];

interface AccessJson {
  kind: "access";
  update?: { number: number };
  customers: Array<{
    customer: string | null;
    licenses: Array<{
      license: string;
      grants: Array<{ granted: string[] | "all" }>;
      expiresAt?: string;
      expired: boolean;
    }>;
  }>;
}

interface HistoryJson {
  kind: "history";
  updates: Array<{ number: number; endTime: string; startTime: string; message: string; commit?: { hash: string } }>;
  customers: Array<{
    customer: string | null;
    entries: Array<{ update: { number: number; commit?: { hash: string }; message: string }; action: string }>;
  }>;
}

describe.each(["file", "s3"] as const)("pulumi-distr history on a %s backend", (backend) => {
  let distr: LocalDistr;
  let store: ObjectStore | undefined;
  let stateDir: string | undefined;
  let repository: LicensesRepository;
  const commits: string[] = [];
  let history: HistoryJson;

  beforeAll(async () => {
    const engine = await pulumiEngine();
    ensureBuilt();
    let backendEnv: Record<string, string>;
    if (backend === "s3") {
      store = await startObjectStore();
      clock.note(
        `SeaweedFS: binary ready in ${store.figures.binarySeconds.toFixed(1)}s, S3 answering in ${store.figures.startSeconds.toFixed(1)}s`,
      );
      backendEnv = { ...store.env, PULUMI_BACKEND_URL: await store.createBucket("history-state") };
    } else {
      stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-distr-history-state-"));
      backendEnv = { PULUMI_BACKEND_URL: `file://${stateDir}` };
    }
    distr = await startLocalDistr({ dialect: "3" });
    repository = LicensesRepository.create({
      ...engine.env,
      ...backendEnv,
      PULUMI_CONFIG_PASSPHRASE: "license-history-test",
      PULUMI_NODEJS_TRANSPILE_ONLY: "true",
      DISTR_HOST: distr.host,
      DISTR_TOKEN: distr.token,
    });
    let settings = "";
    expectExit(
      await repository.job(["pulumi", "stack", "init", STACK, "--non-interactive"], {}, (dir) => {
        settings = fs.readFileSync(path.join(dir, `Pulumi.${STACK}.yaml`), "utf8");
      }),
    );
    repository.commit(`Add the ${STACK} stack`, { [`Pulumi.${STACK}.yaml`]: settings });
    for (const change of CHANGES) {
      const edited = change.edit(repository.read("index.ts"));
      expect(edited).not.toBe(repository.read("index.ts"));
      commits.push(repository.commit(change.message, { "index.ts": edited }));
      expectExit(
        await repository.job(["pulumi", "up", "--yes", "--skip-preview", "--stack", STACK, "--non-interactive"]),
      );
    }
  });

  afterAll(async () => {
    repository?.remove();
    await distr?.close();
    await store?.stop();
    if (stateDir) fs.rmSync(stateDir, { recursive: true, force: true });
  });

  async function historyCli(...args: string[]): Promise<JobRun> {
    const result = await repository.job(["node", CLI, "history", "--stack", STACK, ...args]);
    expectExit(result);
    return result;
  }

  it("lists each change to ACME's license with its update, commit and message", async () => {
    history = JSON.parse((await historyCli("--format", "json")).stdout) as HistoryJson;
    expect(history.updates.map((u) => [u.number, u.message, u.commit?.hash])).toEqual(
      CHANGES.map((change, index) => [index + 1, change.message, commits[index]]),
    );
    const acme = history.customers.find((c) => c.customer === "ACME Corp");
    expect(acme?.entries.map((e) => [e.update.number, e.action, e.update.commit?.hash])).toEqual([
      [1, "created", commits[0]],
      [2, "updated", commits[1]],
      [3, "updated", commits[2]],
      [4, "updated", commits[3]],
      [5, "deleted", commits[4]],
    ]);
    const markdown = (await historyCli("--customer", "ACME Corp")).stdout;
    expect(markdown).toContain("### ACME Corp");
    expect(markdown).toContain("➕ gains versions 2.2.0, 2.3.0");
    expect(markdown).toContain("➕ expiry 2027-06-30 → 2027-12-31");
    expect(markdown).toContain("➖ loses versions 2.0.0, 2.1.0, 2.2.0");
    expect(markdown).not.toContain("### Initech");
    clock.note(`history (${backend}), markdown for ACME:\n${markdown}`);
  });

  it("answers --at for every interval: at each update's end, and one second before the next ends", async () => {
    const ends = history.updates.map((u) => Date.parse(u.endTime));
    const moments: Array<{ at: Date; after: number }> = [{ at: new Date((ends[0] ?? 0) - 1000), after: 0 }];
    ends.forEach((end, index) => {
      moments.push({ at: new Date(end), after: index + 1 });
      const next = ends[index + 1];
      if (next !== undefined) moments.push({ at: new Date(next - 1000), after: index + 1 });
    });
    // The command's logic on the states it reads (one read of the history), for every moment; the command itself for
    // two of them, which must print the same report.
    const reports = await repository.inCheckout({}, async (cwd, env) => {
      const read = await readStackHistory({ stack: STACK, cwd, env });
      return moments.map(({ at }) => JSON.parse(JSON.stringify(buildAccessReport(read, at))) as AccessJson);
    });
    for (const [index, { after }] of moments.entries()) {
      const report = reports[index];
      expect(report?.update?.number).toBe(after === 0 ? undefined : after);
      const acme = report?.customers.find((c) => c.customer === "ACME Corp")?.licenses ?? [];
      const expected = ACME_AFTER[after];
      expect(acme.map((license) => ({ versions: license.grants[0]?.granted, expiresAt: license.expiresAt }))).toEqual(
        expected ? [expected] : [],
      );
    }
    for (const index of [0, 5]) {
      const at = moments[index]?.at.toISOString() ?? "";
      const printed = JSON.parse((await historyCli("--at", at, "--format", "json")).stdout) as AccessJson;
      expect(printed).toEqual(reports[index]);
    }
    clock.note(`--at (${backend}): ${moments.length} moments checked, 2 of them through the command`);
    const third = history.updates[2];
    const shown = (await historyCli("--at", third?.endTime ?? "", "--customer", "ACME Corp", "--format", "text"))
      .stdout;
    expect(shown).toContain("acme-hello-distr (application license for hello-distr): in force, expires 2027-12-31");
    clock.note(`history (${backend}) --at the end of update 3, text:\n${shown}`);
  });

  it("marks a license whose expiry had passed at the moment asked about", async () => {
    const text = (await historyCli("--at", "2027-04-15", "--customer", "Initech", "--format", "text")).stdout;
    expect(text).toContain(
      "initech-hello-distr (application license for hello-distr): expired on 2027-03-31: no access",
    );
  });
});

function expectExit(result: JobRun): void {
  if (result.code !== 0) throw new Error(`exit ${result.code ?? result.signal}:\n${result.stdout}\n${result.stderr}`);
}
