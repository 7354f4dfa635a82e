/**
 * A `pulumi up` or `pulumi destroy` of 100+ resources killed (SIGKILL, as a cancelled CI job; SIGINT, as Ctrl+C)
 * after K writes of its kind reached the local Distr, then the README's recovery. What it measures is what a killed
 * run leaves behind: requests that reach Distr after the kill (how many, and how long after it the last one
 * arrived), processes of the run still running 5 s after the kill, and whether the recovery converges with 0
 * duplicates. Used by test/engine/killedRun.test.ts.
 */
import { startLocalDistr, type LocalDistr } from "../../../local-distr";
import type { Dialect } from "../../../sdk/dialect";
import { DistrPortal } from "./distrState";
import * as os from "node:os";
import {
  compare,
  recover,
  runPulumi,
  specOf,
  ZERO_COMPARISON_KEYS,
  type Comparison,
  type Operation,
} from "./faultMatrix";
import { ProgramStack } from "./programStack";
import { LICENSES_PROGRAM, type ProgramSpec } from "./spec";

/** 26 customers with two application licenses and one artifact license each: 104 resources. */
export const KILLED_RUN_CUSTOMERS = 26;

export function largeSpec(): ProgramSpec {
  return specOf(
    Array.from({ length: KILLED_RUN_CUSTOMERS }, (_, i) => i),
    () => ({ expiresAt: "2027-06-30T00:00:00Z", helmApplication: "hello-distr-helm", backendTags: ["2.1.0"] }),
  );
}

export function resourceCount(spec: ProgramSpec): number {
  return spec.customers.length + (spec.applicationLicenses?.length ?? 0) + (spec.artifactLicenses?.length ?? 0);
}

export interface KilledRunResult {
  readonly operation: Operation;
  readonly signal: "SIGKILL" | "SIGINT";
  /** Writes of the operation's kind (POST for up, DELETE for destroy) that had reached Distr when the kill was sent. */
  readonly writesAtKill: number;
  /** How the killed CLI ended: its exit code or signal. */
  readonly cliEnded: string;
  /** Requests Distr received after the kill, and how long after it the last one arrived (0 when none). */
  readonly requestsAfterKill: number;
  readonly lastRequestAfterKillMs: number;
  /**
   * How long after the kill the CLI ended. SIGKILL: at once. SIGINT: Pulumi first lets the operations in flight
   * finish (their requests are the engine's own, sent while it runs), then closes its plugins and exits.
   */
  readonly cliEndedAfterMs: number;
  /** Requests Distr received after the CLI had ended: these are the ones a provider sent with no engine left. */
  readonly requestsAfterCliEnded: number;
  /** Those requests, as `METHOD path +ms`. */
  readonly lateRequests: readonly string[];
  /** Processes of the run still running 5 s after the kill. */
  readonly survivors: readonly string[];
  readonly pendingOperations: number;
  readonly recovery: readonly string[];
  readonly comparison: Comparison;
  /** After an up's recovery: `pulumi preview --expect-no-changes` passed. */
  readonly converged: boolean;
  readonly seconds: number;
}

/**
 * Runs `operation` on the stack (whose config already declares what `up` should reach), kills it once `afterWrites`
 * of its writes reached Distr, waits for the run's processes, recovers as the README says and compares Distr with
 * the program.
 */
export async function killedRun(options: {
  readonly stack: ProgramStack;
  readonly distr: LocalDistr;
  readonly dialect: Dialect;
  readonly operation: Operation;
  readonly signal: "SIGKILL" | "SIGINT";
  readonly afterWrites: number;
}): Promise<KilledRunResult> {
  const { stack, distr, operation, signal, afterWrites } = options;
  const started = Date.now();
  const method = operation === "up" ? "POST" : "DELETE";
  const writes = () => distr.control.requests.filter((r) => r.method === method).length;
  const writesBefore = writes();
  let writesAtKill = 0;
  const run = await runPulumi(stack, [operation, "--yes"], {
    signal,
    when: () => {
      writesAtKill = writes() - writesBefore;
      return writesAtKill >= afterWrites;
    },
  });
  if (run.killedAt === undefined)
    throw new Error(`pulumi ${operation} ended before ${afterWrites} writes:\n${run.output}`);
  const killedAt = run.killedAt;
  const late = distr.control.requests.filter((r) => r.at > killedAt);
  const recovery: string[] = [];
  // A SIGKILL may land in the middle of a checkpoint write (104 resources: one write per step); see
  // ProgramStack.removeEmptyCheckpointAttributes. Seen once in eight SIGKILLed runs here.
  const repaired = stack.removeEmptyCheckpointAttributes();
  if (repaired.length > 0) recovery.push(`rm ${repaired.join(" ")} (empty: the kill hit a checkpoint write)`);
  const pendingOperations = (await stack.pendingOperations()).length;
  await recover(stack, operation, recovery);

  const spec = largeSpec();
  const declared: ProgramSpec = operation === "up" ? spec : { customers: [] };
  const preview = operation === "up" ? await runPulumi(stack, ["preview", "--expect-no-changes"]) : undefined;
  const resources = await stack.exportDeployment();
  const stateIds = new Set(
    resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/")).flatMap((r) => (r.id ? [r.id] : [])),
  );
  const portal = new DistrPortal(distr.host, distr.token, options.dialect);
  const comparison = await compare(portal, declared, spec, stateIds);
  return {
    operation,
    signal,
    writesAtKill,
    cliEnded: run.signal ?? `exit ${run.code}`,
    requestsAfterKill: late.length,
    lastRequestAfterKillMs: Math.max(0, ...late.map((r) => r.at - killedAt)),
    cliEndedAfterMs: run.endedAt - killedAt,
    requestsAfterCliEnded: late.filter((r) => r.at > run.endedAt).length,
    lateRequests: late.map((r) => `${r.method} ${r.path} +${r.at - killedAt} ms`),
    survivors: run.survivors,
    pendingOperations,
    recovery,
    comparison,
    converged: preview === undefined || preview.code === 0,
    seconds: (Date.now() - started) / 1000,
  };
}

export function describeKilledRun(result: KilledRunResult): string {
  const what = result.operation === "up" ? "creates" : "deletes";
  return (
    `${result.operation} ${result.signal} after K=${result.writesAtKill} ${what} (CLI: ${result.cliEnded}): ` +
    `${result.requestsAfterKill} request(s) reached Distr after the kill, the last ${result.lastRequestAfterKillMs} ms ` +
    `after it${result.lateRequests.length > 0 ? ` [${result.lateRequests.join(", ")}]` : ""}; ` +
    `CLI ended ${result.cliEndedAfterMs} ms after the kill, ${result.requestsAfterCliEnded} request(s) after that; ` +
    `${result.survivors.length} process(es) of the run left after 5 s; ${result.pendingOperations} pending op(s); ` +
    `recovery: ${result.recovery.join("; ") || "none"} → ${result.comparison.duplicates} duplicates, ` +
    `${result.comparison.missing} missing, ${result.comparison.orphans} orphans; ${result.seconds.toFixed(0)} s`
  );
}

export interface KilledRunCase {
  readonly operation: Operation;
  readonly signal: "SIGKILL" | "SIGINT";
}

/** Every case, in an order where each destroy removes what the up before it (and its recovery) deployed. */
export const KILLED_RUN_CASES: readonly KilledRunCase[] = [
  { operation: "up", signal: "SIGKILL" },
  { operation: "destroy", signal: "SIGKILL" },
  { operation: "up", signal: "SIGINT" },
  { operation: "destroy", signal: "SIGINT" },
];

/** Kill points: early in the creates, and after a few dozen deletes. */
export const KILL_AFTER_WRITES: Readonly<Record<Operation, number>> = { up: 12, destroy: 30 };

/**
 * One local Distr of the dialect (rate limits off on the server: these runs are about what a kill leaves behind, not
 * about pacing; the provider still paces itself at the dialect's limits) and one stack declaring `largeSpec()`, for
 * running cases one after another. A destroy case on an empty stack deploys it first.
 */
export class KilledRunBench {
  private deployed = false;

  private constructor(
    readonly dialect: Dialect,
    readonly distr: LocalDistr,
    readonly stack: ProgramStack,
  ) {}

  static async open(dialect: Dialect): Promise<KilledRunBench> {
    const distr = await startLocalDistr({ dialect, rateLimits: false });
    try {
      const stack = await ProgramStack.open({ program: LICENSES_PROGRAM, distr, name: `killed${dialect}` });
      await stack.setObject("spec", largeSpec());
      return new KilledRunBench(dialect, distr, stack);
    } catch (error) {
      await distr.close();
      throw error;
    }
  }

  async run(killedCase: KilledRunCase): Promise<KilledRunResult> {
    if (killedCase.operation === "destroy" && !this.deployed) {
      const deploy = await runPulumi(this.stack, ["up", "--yes", "--skip-preview"]);
      if (deploy.code !== 0) throw new Error(`deploying the stack failed:\n${deploy.output.slice(-4000)}`);
    }
    const result = await killedRun({
      stack: this.stack,
      distr: this.distr,
      dialect: this.dialect,
      ...killedCase,
      afterWrites: KILL_AFTER_WRITES[killedCase.operation],
    });
    this.deployed = killedCase.operation === "up";
    return result;
  }

  async close(): Promise<void> {
    await this.stack.dispose();
    await this.distr.close();
  }
}

/**
 * Requests that had left when the engine died may still arrive: at most one per operation in flight (Pulumi runs up
 * to 4 × cores at once by default). After a SIGINT the engine itself finishes the operations in flight before it
 * exits, so only what arrives after its end counts.
 */
export const REQUESTS_IN_FLIGHT_BOUND = 4 * os.availableParallelism();

/** What is wrong with a killed run (empty: nothing): the one verdict of the test and the script. */
export function killedRunFailures(result: KilledRunResult): string[] {
  const failures: string[] = [];
  if (result.survivors.length > 0) failures.push(`still running 5 s after the kill: ${result.survivors.join("; ")}`);
  const late = result.signal === "SIGKILL" ? result.requestsAfterKill : result.requestsAfterCliEnded;
  if (late > REQUESTS_IN_FLIGHT_BOUND) {
    failures.push(`${late} requests reached Distr after the ${result.signal === "SIGKILL" ? "kill" : "CLI ended"}`);
  }
  for (const key of ZERO_COMPARISON_KEYS) {
    if (result.comparison[key] !== 0) failures.push(`${key}: ${result.comparison[key]}`);
  }
  failures.push(...result.comparison.details);
  if (!result.converged) failures.push("pulumi preview --expect-no-changes failed after the recovery");
  return failures;
}
