/**
 * The scale benchmark: a stack of customers with application and artifact licenses run through the real Pulumi
 * engine, as a user runs it (the CLI: `up` previews first, so two provider processes), against the local Distr 3.x
 * with its per-user rate limits on, next to an "engine floor" stack of as many do-nothing dynamic resources run the
 * same way in the same invocation. Both programs live in a consumer project outside the repository with pulumi-distr
 * installed from its packed tarball, as users have it (that is also what `__provider` looks like for them).
 *
 * Prints per operation (up creating everything, preview, refresh, up without changes, up updating every expiry,
 * destroy): requests Distr received, writes among them, seconds, the floor's seconds, and their ratio; then the 429
 * answers, the whole sequence against its floor (the larger of the engine floor and Distr's per-minute budget: N
 * requests need N/300 minutes) and the state's weight per resource.
 *
 *   npm run bench:scale [-- --customers 20 --application-licenses 10 --artifact-licenses 1]
 *
 * (licenses per customer; the default is 20 × 10 + 20 = 240 resources). Takes minutes; the floor runs first.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startLocalDistr, type LocalDistr } from "../local-distr";
import { DIALECT_SPECS, isDialectProbe } from "../sdk";
import { hubEstimate } from "../sdk/slidingWindow";
import { pulumiEngine, REPO_ROOT } from "../test/engine/harness/engine";
import { installPackedPackage } from "../test/engine/harness/packedInstall";
import { wholeNumberOptions } from "./wholeNumberOptions";

const OPERATIONS = ["up (create)", "preview", "refresh", "up, no changes", "up, every expiry", "destroy"] as const;
type Operation = (typeof OPERATIONS)[number];

interface Sizes {
  readonly customers: number;
  readonly applicationLicenses: number;
  readonly artifactLicenses: number;
}

function sizesFromArguments(): Sizes {
  const options = wholeNumberOptions(["customers", "application-licenses", "artifact-licenses"], 0);
  return {
    customers: options.customers ?? 20,
    applicationLicenses: options["application-licenses"] ?? 10,
    artifactLicenses: options["artifact-licenses"] ?? 1,
  };
}

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
  private constructor(
    private readonly executable: string,
    private readonly directory: string,
    private readonly env: NodeJS.ProcessEnv,
    readonly stateDirectory: string,
  ) {}

  static async open(root: string, program: string, config: Record<string, string>): Promise<BenchStack> {
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
    };
    const stack = new BenchStack(engine.executable, path.join(root, program), env, state);
    await stack.pulumi("stack", "init", "bench");
    for (const [key, value] of Object.entries(config)) {
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

  /** Runs one benchmarked operation and returns its wall time in seconds. */
  async operation(operation: Operation, expiresAt: string): Promise<number> {
    if (operation === "up, every expiry") await this.pulumi("config", "set", "bench:expiresAt", expiresAt);
    const started = performance.now();
    switch (operation) {
      case "up (create)":
      case "up, no changes":
      case "up, every expiry":
        await this.pulumi("up", "--yes");
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
  readonly operation: Operation;
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
        `| ${row.operation} | ${row.requests} | ${row.writes} | ${row.throttled} | ${Math.round(row.peakPerMinute)}, ${Math.round(row.peakPerSecond)} | ${row.seconds.toFixed(1)} | ${row.floorSeconds.toFixed(1)} | ${(row.seconds / row.floorSeconds).toFixed(2)}x |`,
    ),
  ];
  return lines.join("\n");
}

async function main(): Promise<void> {
  const sizes = sizesFromArguments();
  const resources = sizes.customers * (1 + sizes.applicationLicenses + sizes.artifactLicenses);
  const root = consumerProject(fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-distr-bench-")));
  let distr: LocalDistr | undefined;
  try {
    const common = {
      "bench:customers": String(sizes.customers),
      "bench:applicationLicenses": String(sizes.applicationLicenses),
      "bench:artifactLicenses": String(sizes.artifactLicenses),
      "bench:expiresAt": "2027-06-30T00:00:00Z",
    };
    const later = "2027-12-31T00:00:00Z";
    console.error(`${resources} resources; engine floor first`);
    const floor = await BenchStack.open(root, "floor", common);
    const floorSeconds = new Map<Operation, number>();
    let floorState = { bytes: 0, resources: 0, providerBytes: 0 };
    for (const operation of OPERATIONS) {
      floorSeconds.set(operation, await floor.operation(operation, later));
      if (operation === "up (create)") floorState = floor.checkpoint();
      console.error(`floor ${operation}: ${floorSeconds.get(operation)!.toFixed(1)} s`);
    }

    const hubStarted = Date.now();
    distr = await startLocalDistr({ dialect: "3", rateLimits: true });
    const stack = await BenchStack.open(root, "distr", {
      ...common,
      "distr:host": distr.host,
      "distr:token": distr.token,
    });
    const log = distr.control.requests;
    const rows: Row[] = [];
    let stateBytes = { bytes: 0, resources: 0, providerBytes: 0 };
    const sequenceStarted = Date.now();
    for (const operation of OPERATIONS) {
      const before = log.length;
      const seconds = await stack.operation(operation, later);
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
              hubStarted,
            ),
          ),
        );
      rows.push({
        operation,
        requests: sent.length,
        writes: sent.filter((r) => r.method !== "GET").length,
        throttled: sent.filter((r) => r.status === 429).length,
        peakPerMinute: peak(60_000),
        peakPerSecond: peak(1_000),
        seconds,
        floorSeconds: floorSeconds.get(operation)!,
      });
      console.error(`${operation}: ${seconds.toFixed(1)} s, ${sent.length} requests`);
      if (operation === "up (create)") stateBytes = stack.checkpoint();
    }

    // Which of Distr's windows refused, judged by what arrived just before each 429.
    const refusals = log
      .filter((r) => r.status === 429)
      .map((r) => {
        const within = (ms: number) => log.filter((o) => o.at > r.at - ms && o.at <= r.at && o.status !== 429).length;
        return `${((r.at - sequenceStarted) / 1000).toFixed(1)} s (${within(1_000)} in the second before, ${within(60_000)} in the minute)`;
      });
    const requests = rows.reduce((sum, row) => sum + row.requests, 0);
    const seconds = rows.reduce((sum, row) => sum + row.seconds, 0);
    const engineFloor = rows.reduce((sum, row) => sum + row.floorSeconds, 0);
    const perMinute = DIALECT_SPECS["3"].rateLimits.perMinute;
    const budgetFloor = (requests / perMinute) * 60;
    const sequenceFloor = Math.max(engineFloor, budgetFloor);
    const firstBoundary = (60_000 - ((((sequenceStarted - hubStarted) % 60_000) + 60_000) % 60_000)) / 1000;
    console.log(
      `Scale benchmark: ${sizes.customers} customers × ${sizes.applicationLicenses} application licenses + ` +
        `${sizes.customers * sizes.artifactLicenses} artifact licenses = ${resources} resources, local Distr 3.x with ` +
        `rate limits on (30/s, ${perMinute}/min, 2000/h)\n`,
    );
    console.log(table(rows));
    console.log(
      `\n429 answers: ${rows.reduce((sum, row) => sum + row.throttled, 0)}${refusals.length ? ` at ${refusals.join(", ")}` : ""}\n` +
        `whole sequence: ${requests} requests in ${seconds.toFixed(1)} s; floor ${sequenceFloor.toFixed(1)} s ` +
        `(engine ${engineFloor.toFixed(1)} s, Distr's per-minute budget ${budgetFloor.toFixed(1)} s): ` +
        `${(seconds / sequenceFloor).toFixed(2)}x\n` +
        `state after create: ${stateBytes.bytes} bytes for ${stateBytes.resources} resources = ` +
        `${Math.round(stateBytes.bytes / Math.max(1, stateBytes.resources))} bytes per resource; ` +
        `__provider ${stateBytes.providerBytes} bytes per copy (stored in inputs and outputs); the floor stack: ` +
        `${Math.round(floorState.bytes / Math.max(1, floorState.resources))} bytes per resource\n` +
        `Distr's first minute window boundary (hub start + k min) came ${firstBoundary.toFixed(1)} s into the sequence`,
    );
  } finally {
    await distr?.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
