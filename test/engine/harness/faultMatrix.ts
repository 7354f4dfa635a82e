/**
 * The engine-level fault matrix: a stack of a few dozen customers and licenses, run through the real engine against
 * the local Distr, with one fault per run, then recovered the way the README's "Failure and recovery" section tells
 * users, then compared with the program. Used by test/engine/faultMatrix.test.ts (a representative subset) and by
 * scripts/fault-matrix.ts (`npm run faults:matrix`, every case, prints the table).
 *
 * Operations: "up" changes a deployed stack (spec BEFORE → AFTER) with creates, in-place updates, replacements and
 * deletes; "destroy" removes the deployed stack. Faults: the `pulumi` process group killed (SIGKILL, as a cancelled CI
 * job; SIGINT, as Ctrl+C) once the n-th write reached Distr, or Distr misbehaving (5xx bursts, dropped connections,
 * answers later than the client's 30 s request timeout, creates that commit and then lose their answer, 429 storms).
 */
import * as fs from "node:fs";
import { spawn } from "node:child_process";
import { startLocalDistr, type Fault, type LocalDistr } from "../../../local-distr";
import type { Dialect } from "../../../sdk/dialect";
import { DistrPortal, type DistrSnapshot } from "./distrState";
import { pulumiEngine } from "./engine";
import { ProgramStack } from "./programStack";
import { LICENSES_PROGRAM, type ApplicationLicenseSpec, type ArtifactLicenseSpec, type ProgramSpec } from "./spec";

export type Operation = "up" | "destroy";

export interface FaultCase {
  /** Row label of the table. */
  readonly fault: string;
  readonly operation: Operation;
  /** Kill the process group once this many writes (POST/PUT/DELETE) reached Distr during the operation. */
  readonly kill?: { readonly signal: "SIGKILL" | "SIGINT"; readonly afterWrites: number };
  /** Faults queued in the local Distr before the operation starts. */
  readonly distrFaults?: readonly Fault[];
}

const CUSTOMERS = 8;
const DATE = { before: "2027-06-30T00:00:00Z", after: "2027-12-31T00:00:00Z" };

/** The deployed stack: 8 customers, each with two application licenses and one artifact license (32 resources). */
export function specBefore(): ProgramSpec {
  return specOf(
    Array.from({ length: CUSTOMERS }, (_, i) => i),
    () => ({ expiresAt: DATE.before, helmApplication: "hello-distr-helm", backendTags: ["2.1.0"] }),
  );
}

/**
 * The change under fault: customer 7 and its licenses deleted; customers 8 and 9 created with theirs; `expiresAt`
 * updated on the even customers' licenses; the artifact tags of the odd customers updated; the second license of
 * customers 1 and 3 moved to another application (a replacement that deletes first: same name, same customer).
 */
export function specAfter(): ProgramSpec {
  return specOf([0, 1, 2, 3, 4, 5, 6, 8, 9], (i) => ({
    expiresAt: i % 2 === 0 ? DATE.after : DATE.before,
    helmApplication: i === 1 || i === 3 ? "hello-distr" : "hello-distr-helm",
    backendTags: i % 2 === 1 ? ["2.0.0", "2.1.0"] : ["2.1.0"],
  }));
}

export function specOf(
  customers: readonly number[],
  shape: (i: number) => { expiresAt: string; helmApplication: string; backendTags: string[] },
): ProgramSpec {
  const applicationLicenses: ApplicationLicenseSpec[] = [];
  const artifactLicenses: ArtifactLicenseSpec[] = [];
  for (const i of customers) {
    const { expiresAt, helmApplication, backendTags } = shape(i);
    applicationLicenses.push(
      { resource: `c${i}-pro`, customer: `c${i}`, application: "hello-distr", versions: ["2.1.0", "2.2.0"], expiresAt },
      { resource: `c${i}-second`, customer: `c${i}`, application: helmApplication, versions: "all", expiresAt },
    );
    artifactLicenses.push({
      resource: `c${i}-images`,
      customer: `c${i}`,
      expiresAt,
      artifacts: [
        { artifact: "hello-distr/backend", tags: backendTags },
        { artifact: "hello-distr/chart", tags: "all" },
      ],
    });
  }
  return {
    customers: customers.map((i) => ({ resource: `c${i}`, name: `Matrix Customer ${i}` })),
    applicationLicenses,
    artifactLicenses,
  };
}

/** How the declared stack and Distr compare after recovery: every figure must be 0. */
export interface Comparison {
  readonly duplicates: number;
  readonly wider: number;
  readonly missing: number;
  readonly stateNotInDistr: number;
  /** Objects of this stack's customers (or customers it declared) that the program no longer declares. */
  readonly orphans: number;
  /** What differs, for the test's failure message. */
  readonly details: readonly string[];
}

export interface RunResult {
  readonly fault: string;
  readonly operation: Operation;
  /** How the faulted operation ended: "ok", "failed", or the signal that ended it. */
  readonly faulted: string;
  /** Pending operations the faulted run left in the state. */
  readonly pending: number;
  /** The recovery commands that ran, in order (empty: none was needed). */
  readonly recovery: readonly string[];
  /** The last recovery step's engine plan after convergence: `pulumi preview` shows no changes. */
  readonly converged: boolean;
  readonly comparison: Comparison;
  /** Processes of the faulted run still running 5 s after its kill (must be none). */
  readonly survivors: readonly string[];
  readonly seconds: number;
}

export const ZERO_COMPARISON_KEYS = ["duplicates", "wider", "missing", "stateNotInDistr", "orphans"] as const;

function isWrite(method: string): boolean {
  return method === "POST" || method === "PUT" || method === "DELETE";
}

export interface CliRun {
  /** Whether the kill was sent (Pulumi exits 0 after a Ctrl+C it handled, with the operation unfinished). */
  readonly killed: boolean;
  /** When the kill was sent (epoch ms), if it was. */
  readonly killedAt: number | undefined;
  /** When the CLI process ended (epoch ms). */
  readonly endedAt: number;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly output: string;
  /**
   * Processes of the run (pulumi's descendants when the kill was sent: plugins, shims, language host, program) still
   * running 5 s after the kill, as `pid command line`. Every process the engine starts must notice that its engine
   * is gone and end by itself (sdk/engineWatchdog.ts for ours); the harness only reports them, then ends them so
   * that one failure does not leak into the next run.
   */
  readonly survivors: readonly string[];
}

/** How long after a kill a process of the run may still be running. */
export const SURVIVOR_GRACE_MS = 5_000;

/** Runs `pulumi <args>` for the stack in its own process group; `kill` ends the group when asked to. */
export async function runPulumi(
  stack: ProgramStack,
  args: readonly string[],
  kill?: { signal: NodeJS.Signals; when: () => boolean },
): Promise<CliRun> {
  const engine = await pulumiEngine();
  const { cwd, env } = stack.cliEnvironment;
  return new Promise((resolve) => {
    const child = spawn(engine.executable, [...args, "--stack", stack.stackName, "--non-interactive"], {
      cwd,
      env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    let poll: NodeJS.Timeout | undefined;
    let killedAt: number | undefined;
    let runProcesses: readonly ProcessIdentity[] = [];
    // The run's processes, scanned every 200 ms rather than at the kill: a scan of /proc holds this event loop (and
    // the local Distr's, which stamps arrivals) for tens of milliseconds on a loaded machine, which would delay the
    // kill and the stamps after it. A scan right after the kill adds what is still below pulumi.
    let snapshot: readonly ProcessIdentity[] = [];
    const rescan = kill ? setInterval(() => (snapshot = child.pid ? descendantsOf(child.pid) : []), 200) : undefined;
    if (kill) {
      poll = setInterval(() => {
        if (!kill.when() || child.pid === undefined) return;
        clearInterval(poll);
        clearInterval(rescan);
        killedAt = Date.now();
        // The whole group, as a CI runner cancelling a job (SIGKILL) or a terminal's Ctrl+C (SIGINT) does. The
        // engine's plugins have process groups of their own: the signal does not reach them.
        try {
          process.kill(-child.pid, kill.signal);
        } catch {
          // Already gone.
        }
        const known = new Set(snapshot.map((p) => `${p.pid}/${p.startTime}`));
        runProcesses = [...snapshot, ...descendantsOf(child.pid).filter((p) => !known.has(`${p.pid}/${p.startTime}`))];
      }, 5);
    }
    child.on("close", (code, signal) => {
      const endedAt = Date.now();
      if (poll) clearInterval(poll);
      if (rescan) clearInterval(rescan);
      const killed = killedAt !== undefined;
      void (killed ? survivorsAfter(runProcesses, killedAt! + SURVIVOR_GRACE_MS) : Promise.resolve([])).then(
        (survivors) => resolve({ killed, killedAt, endedAt, code, signal, output, survivors }),
      );
    });
  });
}

interface ProcessIdentity {
  readonly pid: number;
  /** Start time in clock ticks since boot (field 22 of /proc/<pid>/stat): tells a reused pid apart. */
  readonly startTime: string;
  readonly commandLine: string;
}

function readProcFile(pid: number, file: string): string {
  try {
    return fs.readFileSync(`/proc/${pid}/${file}`, "utf8");
  } catch {
    return "";
  }
}

/** State, parent and start time from /proc/<pid>/stat (after the command name, which may hold spaces). */
function procStat(pid: number): { state: string; parent: number; startTime: string } | undefined {
  const stat = readProcFile(pid, "stat");
  if (stat === "") return undefined;
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return { state: fields[0] ?? "", parent: Number(fields[1]), startTime: fields[19] ?? "" };
}

/** Every process below `root` (Linux /proc), with what identifies it. */
function descendantsOf(root: number): ProcessIdentity[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = procStat(Number(entry));
    if (stat) children.set(stat.parent, [...(children.get(stat.parent) ?? []), Number(entry)]);
  }
  const found: ProcessIdentity[] = [];
  const queue = [...(children.get(root) ?? [])];
  for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
    const stat = procStat(pid);
    if (stat) {
      found.push({ pid, startTime: stat.startTime, commandLine: readProcFile(pid, "cmdline").split("\0").join(" ") });
    }
    queue.push(...(children.get(pid) ?? []));
  }
  return found;
}

function stillRunning(identity: ProcessIdentity): boolean {
  const stat = procStat(identity.pid);
  return stat !== undefined && stat.state !== "Z" && stat.startTime === identity.startTime;
}

/** Waits until every process of the run has ended or the deadline passed; reports (and then ends) the rest. */
async function survivorsAfter(processes: readonly ProcessIdentity[], deadline: number): Promise<string[]> {
  while (processes.some(stillRunning) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const survivors = processes.filter(stillRunning);
  for (const survivor of survivors) {
    try {
      process.kill(survivor.pid, "SIGKILL");
    } catch {
      // Ended meanwhile.
    }
  }
  return survivors.map((p) => `${p.pid} ${p.commandLine.trim()}`);
}

/** The README's recovery: unlock, refresh (keeping pending creates), then the operation again. */
export async function recover(stack: ProgramStack, operation: Operation, log: string[]): Promise<void> {
  const step = async (args: string[]) => {
    const run = await runPulumi(stack, args);
    log.push(`pulumi ${args.join(" ")} → ${run.code === 0 ? "ok" : `exit ${run.code}`}`);
    return run;
  };
  const locked = (run: CliRun) => /currently locked/.test(run.output);
  let refresh = await step(["refresh", "--yes"]);
  if (locked(refresh)) {
    await step(["cancel", "--yes"]);
    refresh = await step(["refresh", "--yes"]);
  }
  const again = await step(operation === "up" ? ["up", "--yes"] : ["destroy", "--yes"]);
  if (again.code !== 0) throw new Error(`recovery failed at pulumi ${operation}:\n${again.output.slice(-4000)}`);
}

/** Compares Distr with the declared stack (AFTER for "up", nothing for "destroy") and the engine's state. */
export async function compare(
  portal: DistrPortal,
  declared: ProgramSpec,
  everDeclared: ProgramSpec,
  stateIds: ReadonlySet<string>,
): Promise<Comparison> {
  const snapshot: DistrSnapshot = await portal.snapshot();
  const details: string[] = [];
  let duplicates = 0;
  let wider = 0;
  let missing = 0;
  let orphans = 0;

  const customerNames = new Map(everDeclared.customers.map((c) => [c.resource, c.name]));
  const declaredCustomers = new Set(declared.customers.map((c) => c.name));
  const customersByName = new Map<string, string[]>();
  for (const customer of snapshot.customers) {
    customersByName.set(customer.name, [...(customersByName.get(customer.name) ?? []), customer.id]);
  }
  for (const [name, ids] of customersByName) {
    if (![...customerNames.values()].includes(name)) continue;
    if (ids.length > 1) {
      duplicates += ids.length - 1;
      details.push(`customer ${name}: ${ids.length} in Distr`);
    }
    if (!declaredCustomers.has(name)) {
      orphans += ids.length;
      details.push(`customer ${name}: still in Distr, no longer declared`);
    }
  }
  for (const name of declaredCustomers) {
    if (!customersByName.has(name)) {
      missing += 1;
      details.push(`customer ${name}: declared, not in Distr`);
    }
  }
  const customerIdOf = (resource: string | undefined) =>
    resource === undefined ? undefined : customersByName.get(customerNames.get(resource) ?? "")?.[0];
  const ourCustomerIds = new Set([...customerNames.values()].flatMap((name) => customersByName.get(name) ?? []));

  // Application licenses: one per declared (customer, name), granting exactly the declared versions.
  const versionNames = new Map<string, Map<string, string>>();
  for (const application of ["hello-distr", "hello-distr-helm"]) {
    versionNames.set(await portal.applicationId(application), await portal.applicationVersionNames(application));
  }
  const declaredApplicationLicenses = declared.applicationLicenses ?? [];
  for (const license of declaredApplicationLicenses) {
    const customerId = customerIdOf(license.customer);
    const found = snapshot.applicationLicenses.filter(
      (l) => l.name === license.resource && l.customerOrganizationId === customerId,
    );
    if (found.length === 0) {
      missing += 1;
      details.push(`application license ${license.resource}: declared, not in Distr`);
      continue;
    }
    if (found.length > 1) {
      duplicates += found.length - 1;
      details.push(`application license ${license.resource}: ${found.length} in Distr`);
    }
    const [granted] = found;
    if (!granted) continue;
    const applicationId = await portal.applicationId(license.application);
    if (granted.applicationId !== applicationId) {
      wider += 1;
      details.push(`application license ${license.resource}: licenses another application`);
      continue;
    }
    const names = versionNames.get(applicationId) ?? new Map<string, string>();
    const grantedNames = granted.versions.map((v) => names.get(v.id) ?? v.id);
    const grantsAll = grantedNames.length === 0;
    const declaredAll = license.versions === "all";
    const declaredNames = Array.isArray(license.versions) ? license.versions : [];
    if (grantsAll && !declaredAll) {
      wider += 1;
      details.push(
        `application license ${license.resource}: grants all versions, declared ${declaredNames.join(", ")}`,
      );
    } else if (!grantsAll && declaredAll) {
      missing += 1;
      details.push(`application license ${license.resource}: grants ${grantedNames.join(", ")}, declared all`);
    } else if (!grantsAll) {
      const extra = grantedNames.filter((n) => !declaredNames.includes(n));
      const lacking = declaredNames.filter((n) => !grantedNames.includes(n));
      wider += extra.length;
      missing += lacking.length;
      if (extra.length + lacking.length > 0)
        details.push(`application license ${license.resource}: +${extra.join(",")} -${lacking.join(",")}`);
    }
    if (granted.expiresAt !== license.expiresAt) {
      (granted.expiresAt === undefined || (license.expiresAt ?? "") < granted.expiresAt
        ? () => wider++
        : () => missing++)();
      details.push(
        `application license ${license.resource}: expires ${granted.expiresAt}, declared ${license.expiresAt}`,
      );
    }
  }

  // Artifact licenses: per artifact, exactly the declared tags' digests.
  const artifactIds = new Map<string, { id: string; versions: Map<string, string[]> }>();
  for (const artifact of ["hello-distr/backend", "hello-distr/chart"]) {
    artifactIds.set(artifact, await portal.artifactTags(artifact));
  }
  for (const license of declared.artifactLicenses ?? []) {
    const customerId = customerIdOf(license.customer);
    const found = snapshot.artifactLicenses.filter(
      (l) => l.name === license.resource && l.customerOrganizationId === customerId,
    );
    if (found.length === 0) {
      missing += 1;
      details.push(`artifact license ${license.resource}: declared, not in Distr`);
      continue;
    }
    if (found.length > 1) {
      duplicates += found.length - 1;
      details.push(`artifact license ${license.resource}: ${found.length} in Distr`);
    }
    const [granted] = found;
    if (!granted) continue;
    for (const selection of license.artifacts) {
      const artifact = artifactIds.get(selection.artifact);
      const grantedSelection = granted.artifacts?.find((a) => a.artifactId === artifact?.id);
      if (!artifact || !grantedSelection) {
        missing += 1;
        details.push(`artifact license ${license.resource}: ${selection.artifact} not granted`);
        continue;
      }
      const grantedIds = grantedSelection.versionIds ?? [];
      const declaredTags = Array.isArray(selection.tags) ? selection.tags : [];
      const declaredIds = [...artifact.versions]
        .filter(([, tags]) => tags.some((t) => declaredTags.includes(t)))
        .map(([id]) => id);
      if (selection.tags === "all") {
        if (grantedIds.length > 0) {
          missing += 1;
          details.push(`artifact license ${license.resource}: ${selection.artifact} not all tags`);
        }
      } else if (grantedIds.length === 0) {
        wider += 1;
        details.push(`artifact license ${license.resource}: ${selection.artifact} grants all tags`);
      } else {
        const extra = grantedIds.filter((id) => !declaredIds.includes(id));
        const lacking = declaredIds.filter((id) => !grantedIds.includes(id));
        wider += extra.length;
        missing += lacking.length;
        if (extra.length + lacking.length > 0)
          details.push(
            `artifact license ${license.resource}: ${selection.artifact} +${extra.length} -${lacking.length}`,
          );
      }
    }
    const extraArtifacts = (granted.artifacts ?? []).filter(
      (a) => !license.artifacts.some((s) => artifactIds.get(s.artifact)?.id === a.artifactId),
    );
    wider += extraArtifacts.length;
  }

  // Licenses of this stack's customers that the program does not declare (left behind by a replace or a delete).
  const declaredLicenseNames = new Set([
    ...declaredApplicationLicenses.map((l) => `${customerIdOf(l.customer)}/${l.resource}`),
    ...(declared.artifactLicenses ?? []).map((l) => `${customerIdOf(l.customer)}/${l.resource}`),
  ]);
  for (const license of [...snapshot.applicationLicenses, ...snapshot.artifactLicenses]) {
    if (!license.customerOrganizationId || !ourCustomerIds.has(license.customerOrganizationId)) continue;
    if (!declaredLicenseNames.has(`${license.customerOrganizationId}/${license.name}`)) {
      orphans += 1;
      details.push(`license ${license.name}: in Distr, not declared`);
    }
  }

  const inDistr = new Set([
    ...snapshot.customers.map((c) => c.id),
    ...snapshot.applicationLicenses.map((l) => l.id),
    ...snapshot.artifactLicenses.map((l) => l.id),
  ]);
  const stateNotInDistr = [...stateIds].filter((id) => !inDistr.has(id)).length;
  if (stateNotInDistr > 0) details.push(`${stateNotInDistr} resource(s) in state that Distr lacks`);
  return { duplicates, wider, missing, stateNotInDistr, orphans, details };
}

/**
 * One run of the matrix against the local Distr of `dialect` (3.x by default; 2.x admits 60 requests a minute, so
 * its runs take longer): deploy BEFORE, run the operation under the fault, recover, compare.
 */
export async function runFaultCase(faultCase: FaultCase, dialect: Dialect = "3"): Promise<RunResult> {
  const started = Date.now();
  // Rate limits on, as in production: recovery runs must live within Distr's budgets too.
  const distr: LocalDistr = await startLocalDistr({ dialect, rateLimits: true });
  const stack = await ProgramStack.open({ program: LICENSES_PROGRAM, distr, name: "matrix" });
  const portal = new DistrPortal(distr.host, distr.token, dialect, {
    afterRequest: () => distr.control.resetRateLimits(),
  });
  try {
    await stack.setObject("spec", specBefore());
    const deployed = await runPulumi(stack, ["up", "--yes", "--skip-preview"]);
    if (deployed.code !== 0) throw new Error(`deploying the stack failed:\n${deployed.output.slice(-4000)}`);
    if (faultCase.operation === "up") await stack.setObject("spec", specAfter());

    const writesBefore = distr.control.requests.filter((r) => isWrite(r.method)).length;
    distr.control.injectFaults(...(faultCase.distrFaults ?? []));
    const kill = faultCase.kill;
    const faulted = await runPulumi(
      stack,
      faultCase.operation === "up" ? ["up", "--yes"] : ["destroy", "--yes"],
      kill && {
        signal: kill.signal,
        when: () => distr.control.requests.filter((r) => isWrite(r.method)).length - writesBefore >= kill.afterWrites,
      },
    );
    distr.control.clearFaults();
    const exit = faulted.code === 0 ? "ok" : "failed";
    const outcome = faulted.signal ?? (faulted.killed ? `${kill?.signal} (${exit})` : exit);
    const recovery: string[] = [];
    // The documented first step after a kill (docs/failure-and-recovery.md), as the killed-run harness does it: a
    // SIGKILL that hit a checkpoint write leaves an empty `.attrs` sidecar and "failed to load checkpoint: EOF".
    const repaired = stack.removeEmptyCheckpointAttributes();
    if (repaired.length > 0) recovery.push(`rm ${repaired.join(" ")} (empty: the kill hit a checkpoint write)`);
    const pending = (await stack.pendingOperations()).length;

    // Pulumi exits 0 after a Ctrl+C it handled, the operation unfinished: any interrupted run is recovered.
    if (outcome !== "ok") await recover(stack, faultCase.operation, recovery);

    const preview = await runPulumi(stack, ["preview", "--expect-no-changes"]);
    const converged = faultCase.operation === "destroy" || preview.code === 0;
    const resources = await stack.exportDeployment();
    const stateIds = new Set(
      resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/")).flatMap((r) => (r.id ? [r.id] : [])),
    );
    const declared = faultCase.operation === "up" ? specAfter() : { customers: [] };
    const everDeclared = { customers: [...specBefore().customers, ...specAfter().customers] };
    const comparison = await compare(portal, declared, everDeclared, stateIds);
    return {
      fault: faultCase.fault,
      operation: faultCase.operation,
      faulted: outcome,
      pending,
      recovery,
      converged,
      comparison,
      survivors: faulted.survivors,
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    await stack.dispose();
    await distr.close();
  }
}

/** Writes of the faulted operation (measured: BEFORE → AFTER sends 23 writes, destroy 32; kills are spread over them). */
const LATE = 18;

const DISTR_FAULTS: ReadonlyArray<{ fault: string; faults: (operation: Operation) => Fault[] }> = [
  {
    fault: "5xx burst (503 ×6, 502 ×2, 500 ×2)",
    faults: () => [
      { kind: "status", status: 503, times: 6 },
      { kind: "status", status: 502, times: 2 },
      { kind: "status", status: 500, times: 2 },
    ],
  },
  { fault: "dropped connections (×6)", faults: () => [{ kind: "drop-connection", times: 6 }] },
  {
    fault: "answer later than the 30 s request timeout (×2 writes)",
    faults: (operation) => [
      { kind: "delay", ms: 31_000, times: 2, match: { method: operation === "up" ? "PUT" : "DELETE" } },
    ],
  },
  {
    fault: "create commits, answer lost (×3 POST)",
    faults: () => [{ kind: "commit-then-drop", times: 3, match: { method: "POST" } }],
  },
  {
    fault: "429 storm (×30, Retry-After 1)",
    faults: () => [{ kind: "status", status: 429, times: 30, retryAfterSeconds: 1 }],
  },
];

/** Every case of the matrix: faults × operations. */
export function allFaultCases(): FaultCase[] {
  const cases: FaultCase[] = [];
  for (const operation of ["up", "destroy"] as const) {
    for (const afterWrites of [1, 8, LATE]) {
      cases.push({
        fault: `SIGKILL after ${afterWrites} write(s)`,
        operation,
        kill: { signal: "SIGKILL", afterWrites },
      });
    }
    cases.push({ fault: "SIGINT after 8 writes", operation, kill: { signal: "SIGINT", afterWrites: 8 } });
    for (const { fault, faults } of DISTR_FAULTS) {
      // Creates happen during up only.
      if (operation === "destroy" && fault.startsWith("create commits")) continue;
      cases.push({ fault, operation, distrFaults: faults(operation) });
    }
  }
  return cases;
}

/** The table the script prints: faults × operations, with the outcome of each run. */
export function formatTable(results: readonly RunResult[]): string {
  const rows = [
    [
      "fault",
      "operation",
      "faulted run",
      "pending ops",
      "recovery",
      "converged",
      "dup",
      "wider",
      "missing",
      "state∖Distr",
      "orphans",
      "left running",
      "s",
    ],
    ...results.map((r) => [
      r.fault,
      r.operation,
      r.faulted,
      String(r.pending),
      r.recovery.length === 0 ? "none needed" : r.recovery.map((s) => s.replace(/^pulumi /, "")).join("; "),
      r.converged ? "yes" : "NO",
      ...ZERO_COMPARISON_KEYS.map((key) => String(r.comparison[key])),
      String(r.survivors.length),
      r.seconds.toFixed(0),
    ]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const line = (row: string[]) => `| ${row.map((cell, column) => cell.padEnd(widths[column]!)).join(" | ")} |`;
  return [line(rows[0]!), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.slice(1).map(line)].join("\n");
}
