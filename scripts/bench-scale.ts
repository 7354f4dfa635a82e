/**
 * The scale benchmark: a stack of customers with application and artifact licenses run through the real Pulumi
 * engine, as a user runs it (the CLI: `up` previews first, so two provider processes, unless `--skip-preview`),
 * against the local Distr (3.x, or 2.x with `--dialect 2`) with its per-user rate limits on, next to an "engine
 * floor" stack of as many do-nothing dynamic resources run the same way in the same invocation. Both programs live
 * in a consumer project outside the repository with pulumi-distr installed from its packed tarball, as users have
 * it (that is also what `__provider` looks like for them).
 *
 * Prints per operation (by default: up creating everything, preview, refresh, up without changes, up updating every
 * expiry, destroy): requests Distr received, writes among them, Distr's peak estimates, seconds, the floor's seconds,
 * and their ratio; then the 429 answers (with Distr's estimates and the client ledger's at each), the whole sequence
 * against its floor (the larger of the engine floor and Distr's per-minute budget: N requests need N/limit
 * minutes), the goals, how late requests reached Distr after the slot the client reserved, and the state's weight
 * per resource.
 *
 *   npm run bench:scale [-- --customers 20 --application-licenses 10 --artifact-licenses 1] [--dialect 2|3]
 *     [--order create:skip-preview,preview,refresh,noop,update:skip-preview,destroy] [--skip-preview] [--offset 45]
 *     [--cpu-profile DIR]
 *
 * Sizes are licenses per customer; the default is 20 × 10 + 20 = 240 resources. `--order` lists the operations
 * (create first; `:skip-preview` runs that `up` without its preview, `--skip-preview` every `up`); `--offset S`
 * starts the sequence S seconds into Distr's minute window, to reproduce an unlucky phase; `--cpu-profile DIR` profiles
 * every Node process of both stacks (programs and providers) into DIR and prints their busy CPU per operation. Takes
 * minutes (2.x: its 60 requests per minute make the sequence five times longer); the floor runs first.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startLocalDistr, type LocalDistr, type LocalDistrRequestRecord } from "../local-distr";
import { DIALECT_SPECS, isDialectProbe } from "../sdk";
import { hubEstimate } from "../sdk/slidingWindow";
import { pulumiEngine, REPO_ROOT } from "../test/engine/harness/engine";
import { installPackedPackage } from "../test/engine/harness/packedInstall";
import { benchOptions, stepLabel, type BenchOptions, type Step } from "./benchOptions";
import { cpuByOperation, cpuProfileEnvironment, cpuTable, type OperationSpan } from "./bench/cpuProfiles";

/** A project outside the repository: pulumi-distr from its tarball, the other dependencies linked. */
function consumerProject(root: string): string {
  installPackedPackage(root, root);
  fs.writeFileSync(path.join(root, "package.json"), JSON.stringify({ name: "distr-bench", private: true }));
  for (const program of ["distr", "floor"]) {
    fs.mkdirSync(path.join(root, program));
    for (const file of ["Pulumi.yaml", "index.ts"]) {
      fs.copyFileSync(path.join(REPO_ROOT, "scripts", "bench", program, file), path.join(root, program, file));
    }
  }
  return root;
}

/** One stack of one program, driven through the `pulumi` CLI with a private home and file backend. */
class BenchStack {
  private expiresAt: string;

  private constructor(
    private readonly executable: string,
    private readonly directory: string,
    private readonly env: NodeJS.ProcessEnv,
    readonly stateDirectory: string,
    private readonly expiryDates: readonly [string, string],
  ) {
    this.expiresAt = expiryDates[0];
  }

  static async open(
    root: string,
    program: string,
    config: Record<string, string>,
    expiryDates: readonly [string, string],
    extraEnv: Readonly<Record<string, string>> = {},
  ): Promise<BenchStack> {
    const engine = await pulumiEngine();
    const home = fs.mkdtempSync(path.join(root, `${program}-home-`));
    const state = fs.mkdtempSync(path.join(root, `${program}-state-`));
    const env = {
      ...process.env,
      ...engine.env,
      PULUMI_HOME: home,
      PULUMI_BACKEND_URL: `file://${state}`,
      PULUMI_CONFIG_PASSPHRASE: "pulumi-distr-bench",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      PULUMI_NODEJS_TRANSPILE_ONLY: "true",
      DISTR_HOST: "",
      DISTR_TOKEN: "",
      ...extraEnv,
    };
    const stack = new BenchStack(engine.executable, path.join(root, program), env, state, expiryDates);
    await stack.pulumi("stack", "init", "bench");
    for (const [key, value] of Object.entries({ ...config, "bench:expiresAt": expiryDates[0] })) {
      await stack.pulumi("config", "set", ...(key === "distr:token" ? ["--secret"] : []), key, value);
    }
    return stack;
  }

  pulumi(...args: string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile(
        this.executable,
        [...args, "--non-interactive"],
        { cwd: this.directory, env: this.env, maxBuffer: 64 * 1024 * 1024 },
        (error, stdout, stderr) =>
          error ? reject(new Error(`pulumi ${args.join(" ")} failed:\n${stdout}\n${stderr}`)) : resolve(stdout),
      );
    });
  }

  /** Runs one benchmarked operation and returns its wall time in seconds. An update moves every expiry. */
  async operation(step: Step): Promise<number> {
    if (step.kind === "update") {
      this.expiresAt = this.expiresAt === this.expiryDates[0] ? this.expiryDates[1] : this.expiryDates[0];
      await this.pulumi("config", "set", "bench:expiresAt", this.expiresAt);
    }
    const skipPreview = step.skipPreview ? ["--skip-preview"] : [];
    const started = performance.now();
    switch (step.kind) {
      case "create":
      case "noop":
      case "update":
        await this.pulumi("up", "--yes", ...skipPreview);
        break;
      case "preview":
        await this.pulumi("preview");
        break;
      case "refresh":
        await this.pulumi("refresh", "--yes");
        break;
      case "destroy":
        await this.pulumi("destroy", "--yes");
        break;
    }
    return (performance.now() - started) / 1000;
  }

  /** The checkpoint file's size, its resources besides the stack and provider, and the largest `__provider`. */
  checkpoint(): { bytes: number; resources: number; providerBytes: number } {
    const stacks = path.join(this.stateDirectory, ".pulumi", "stacks");
    const file = fs
      .readdirSync(stacks, { recursive: true, encoding: "utf8" })
      .map((entry) => path.join(stacks, entry))
      .find((entry) => entry.endsWith("bench.json"));
    if (file === undefined) throw new Error(`no checkpoint under ${stacks}`);
    const text = fs.readFileSync(file, "utf8");
    const parsed = JSON.parse(text) as {
      checkpoint: { latest: { resources?: Array<{ type: string; inputs?: Record<string, unknown> }> } };
    };
    const resources = (parsed.checkpoint.latest.resources ?? []).filter((r) => r.inputs?.["__provider"] !== undefined);
    const providerBytes = Math.max(
      0,
      ...resources.map((r) => Buffer.byteLength(JSON.stringify(r.inputs?.["__provider"]))),
    );
    return { bytes: Buffer.byteLength(text), resources: resources.length, providerBytes };
  }
}

interface Row {
  readonly label: string;
  readonly step: Step;
  readonly requests: number;
  readonly writes: number;
  readonly throttled: number;
  /** Distr's per-minute and per-second estimates at the busiest arrival: how close the operation came to a limit. */
  readonly peakPerMinute: number;
  readonly peakPerSecond: number;
  readonly seconds: number;
  readonly floorSeconds: number;
}

function table(rows: readonly Row[]): string {
  const lines = [
    "| operation | requests | writes | 429 | peak estimate /min, /s | seconds | engine floor | ratio |",
    "|---|---|---|---|---|---|---|---|",
    ...rows.map(
      (row) =>
        `| ${row.label} | ${row.requests} | ${row.writes} | ${row.throttled} | ${Math.round(row.peakPerMinute)}, ${Math.round(row.peakPerSecond)} | ${row.seconds.toFixed(1)} | ${row.floorSeconds.toFixed(1)} | ${(row.seconds / row.floorSeconds).toFixed(2)}x |`,
    ),
  ];
  return lines.join("\n");
}

/** Seconds into the minute window of a hub whose windows begin at `origin + k min`. */
function secondsIntoMinute(at: number, origin: number): number {
  return ((((at - origin) % 60_000) + 60_000) % 60_000) / 1000;
}

/** Sleeps until `offsetSeconds` into Distr's minute window (the next time it comes). */
async function waitForOffset(origin: number, offsetSeconds: number): Promise<void> {
  const waitMs = ((offsetSeconds - secondsIntoMinute(Date.now(), origin) + 60) % 60) * 1000;
  console.error(`waiting ${(waitMs / 1000).toFixed(1)} s to start ${offsetSeconds} s into Distr's minute`);
  await new Promise((resolve) => setTimeout(resolve, waitMs));
}

/** The send times the client reserved (the machine-wide ledgers under `directory`), ascending. */
function reservedSlots(directory: string): number[] {
  const ledgers = path.join(directory, "rate-limits");
  if (!fs.existsSync(ledgers)) return [];
  return fs
    .readdirSync(ledgers)
    .filter((file) => file.endsWith(".json"))
    .flatMap((file) => (JSON.parse(fs.readFileSync(path.join(ledgers, file), "utf8")) as { sends: number[] }).sends)
    .sort((a, b) => a - b);
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/**
 * How Distr's windows saw each 429 and how the client's ledger saw the same moment: its estimates over the reserved
 * slots with Distr's own window origin. Equal estimates mean the model was wrong; a ledger below Distr means requests
 * arrived elsewhere than reserved (late, or not in the ledger).
 */
function explainRefusals(
  log: readonly LocalDistrRequestRecord[],
  slots: readonly number[],
  origin: number,
  sequenceStarted: number,
  stepAt: (at: number) => string,
): string[] {
  const admitted = log
    .filter((r) => r.status !== 429 && !isDialectProbe(r))
    .map((r) => r.at)
    .sort((a, b) => a - b);
  return log
    .filter((r) => r.status === 429)
    .map((r) => {
      const before = admitted.filter((at) => at < r.at);
      const reserved = slots.filter((at) => at < r.at);
      const estimates = (history: readonly number[]) =>
        `${hubEstimate(history, r.at, 60_000, origin).toFixed(1)}/min, ${hubEstimate(history, r.at, 1_000, origin).toFixed(1)}/s`;
      return (
        `  ${r.method} ${r.path.replace(/[0-9a-f-]{36}/g, "{id}")} at ${((r.at - sequenceStarted) / 1000).toFixed(1)} s ` +
        `(${stepAt(r.at)}, ${secondsIntoMinute(r.at, origin).toFixed(1)} s into Distr's minute): Distr's estimate ` +
        `${estimates(before)}; the ledger's, over its reserved slots, ${estimates(reserved)}`
      );
    });
}

async function main(options: BenchOptions): Promise<void> {
  const { customers, applicationLicenses, artifactLicenses, dialect, steps } = options;
  const resources = customers * (1 + applicationLicenses + artifactLicenses);
  const limits = DIALECT_SPECS[dialect].rateLimits;
  const root = consumerProject(fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-distr-bench-")));
  const cache = path.join(root, "cache");
  let distr: LocalDistr | undefined;
  try {
    const common = {
      "bench:customers": String(customers),
      "bench:applicationLicenses": String(applicationLicenses),
      "bench:artifactLicenses": String(artifactLicenses),
    };
    const expiryDates = ["2027-06-30T00:00:00Z", "2027-12-31T00:00:00Z"] as const;
    console.error(`${resources} resources; order ${steps.map(stepLabel).join(", ")}; engine floor first`);
    const profiles = options.cpuProfileDirectory && path.resolve(options.cpuProfileDirectory);
    const profiling = (stack: string) => (profiles ? cpuProfileEnvironment(path.join(profiles, stack)) : {});
    const floor = await BenchStack.open(root, "floor", common, expiryDates, profiling("floor"));
    const floorSeconds: number[] = [];
    const floorSpans: OperationSpan[] = [];
    let floorState = { bytes: 0, resources: 0, providerBytes: 0 };
    for (const step of steps) {
      const started = Date.now();
      floorSeconds.push(await floor.operation(step));
      floorSpans.push({ label: stepLabel(step), started, ended: Date.now() });
      if (step.kind === "create") floorState = floor.checkpoint();
      console.error(`floor ${stepLabel(step)}: ${floorSeconds[floorSeconds.length - 1]!.toFixed(1)} s`);
    }

    distr = await startLocalDistr({ dialect, rateLimits: true });
    const origin = distr.control.rateLimitOrigin;
    if (origin === undefined) throw new Error("the local Distr started without rate limits");
    // The ledger in a directory of this run: its reserved slots are compared with the arrivals afterwards.
    const stack = await BenchStack.open(
      root,
      "distr",
      { ...common, "distr:host": distr.host, "distr:token": distr.token },
      expiryDates,
      { PULUMI_DISTR_CACHE: cache, ...profiling("distr") },
    );
    if (options.offsetSeconds !== undefined) await waitForOffset(origin, options.offsetSeconds);
    const log = distr.control.requests;
    const rows: Row[] = [];
    const stepStarts: Array<{ at: number; label: string }> = [];
    const spans: OperationSpan[] = [];
    let stateBytes = { bytes: 0, resources: 0, providerBytes: 0 };
    const sequenceStarted = Date.now();
    for (const [index, step] of steps.entries()) {
      const label = stepLabel(step);
      stepStarts.push({ at: Date.now(), label });
      const before = log.length;
      const seconds = await stack.operation(step);
      spans.push({ label, started: stepStarts[stepStarts.length - 1]!.at, ended: Date.now() });
      const sent = log.slice(before).filter((r) => !isDialectProbe(r));
      const counted = log.filter((r) => r.status !== 429 && !isDialectProbe(r));
      const arrivals = counted.map((r) => r.at).sort((a, b) => a - b);
      const peak = (lengthMs: number) =>
        Math.max(
          0,
          ...sent.map((r) =>
            hubEstimate(
              arrivals.filter((at) => at <= r.at),
              r.at,
              lengthMs,
              origin,
            ),
          ),
        );
      rows.push({
        label,
        step,
        requests: sent.length,
        writes: sent.filter((r) => r.method !== "GET").length,
        throttled: sent.filter((r) => r.status === 429).length,
        peakPerMinute: peak(60_000),
        peakPerSecond: peak(1_000),
        seconds,
        floorSeconds: floorSeconds[index]!,
      });
      console.error(`${label}: ${seconds.toFixed(1)} s, ${sent.length} requests`);
      if (step.kind === "create") stateBytes = stack.checkpoint();
    }

    const stepAt = (at: number) => [...stepStarts].reverse().find((s) => s.at <= at)?.label ?? "before the sequence";
    const slots = reservedSlots(cache);
    const arrivals = log
      .filter((r) => !isDialectProbe(r))
      .map((r) => r.at)
      .sort((a, b) => a - b);
    const lateness =
      slots.length === arrivals.length ? arrivals.map((at, i) => at - slots[i]!).sort((a, b) => a - b) : undefined;
    const throttled = rows.reduce((sum, row) => sum + row.throttled, 0);
    const requests = rows.reduce((sum, row) => sum + row.requests, 0);
    const seconds = rows.reduce((sum, row) => sum + row.seconds, 0);
    const engineFloor = rows.reduce((sum, row) => sum + row.floorSeconds, 0);
    const budgetFloor = (requests / limits.perMinute) * 60;
    const sequenceFloor = Math.max(engineFloor, budgetFloor);
    const sequenceRatio = seconds / sequenceFloor;
    const noChanges = rows.filter((row) => row.step.kind === "noop").map((row) => row.seconds / row.floorSeconds);
    const order = steps.map((s) => `${s.kind}${s.skipPreview ? ":skip-preview" : ""}`).join(",");
    console.log(
      `Scale benchmark: ${customers} customers × ${applicationLicenses} application licenses + ` +
        `${customers * artifactLicenses} artifact licenses = ${resources} resources, local Distr ${dialect}.x with ` +
        `rate limits on (${limits.perSecond}/s, ${limits.perMinute}/min, ${limits.perHour}/h); --order ${order}; ` +
        `started ${secondsIntoMinute(sequenceStarted, origin).toFixed(1)} s into Distr's minute` +
        `${options.offsetSeconds === undefined ? "" : ` (--offset ${options.offsetSeconds})`}\n`,
    );
    console.log(table(rows));
    const refusals = explainRefusals(log, slots, origin, sequenceStarted, stepAt);
    console.log(
      `\n429 answers: ${throttled}${refusals.length > 0 ? `\n${refusals.join("\n")}` : ""}\n` +
        `whole sequence: ${requests} requests in ${seconds.toFixed(1)} s; floor ${sequenceFloor.toFixed(1)} s ` +
        `(engine ${engineFloor.toFixed(1)} s, Distr's per-minute budget ${budgetFloor.toFixed(1)} s): ` +
        `${sequenceRatio.toFixed(2)}x\n` +
        `goals: 429 answers ${throttled} (0) ${throttled === 0 ? "met" : "MISSED"}; whole sequence ` +
        `${sequenceRatio.toFixed(2)}x (<= 1.15x) ${sequenceRatio <= 1.15 ? "met" : "MISSED"}; ` +
        noChanges
          .map((ratio) => `up, no changes ${ratio.toFixed(2)}x (<= 1.5x) ${ratio <= 1.5 ? "met" : "MISSED"}`)
          .join("; ") +
        "\n" +
        (lateness === undefined
          ? `arrival after the reserved slot: not comparable (${arrivals.length} arrivals, ${slots.length} slots in the ledger)\n`
          : `arrival after the reserved slot: median ${quantile(lateness, 0.5)} ms, 99th percentile ` +
            `${quantile(lateness, 0.99)} ms, most ${lateness[lateness.length - 1] ?? 0} ms; ` +
            `${lateness.filter((ms) => ms > 1_000).length} of ${lateness.length} more than 1 s late\n`) +
        `state after create: ${stateBytes.bytes} bytes for ${stateBytes.resources} resources = ` +
        `${Math.round(stateBytes.bytes / Math.max(1, stateBytes.resources))} bytes per resource; ` +
        `__provider ${stateBytes.providerBytes} bytes per copy (stored in inputs and outputs); the floor stack: ` +
        `${Math.round(floorState.bytes / Math.max(1, floorState.resources))} bytes per resource`,
    );
    if (profiles) {
      const cpu = cpuByOperation(path.join(profiles, "distr"), spans);
      console.log(`\n${cpuTable(cpu, cpuByOperation(path.join(profiles, "floor"), floorSpans))}`);
      console.log(`\nprofiles (one slice a second per process; Chrome DevTools opens them): ${profiles}`);
    }
  } finally {
    await distr?.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

let parsed: BenchOptions;
try {
  parsed = benchOptions();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(2);
}
main(parsed).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
