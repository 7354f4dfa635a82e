/**
 * Stops a process that the Pulumi engine started once that engine is gone, so that a killed `pulumi up` leaves no
 * writer behind. The engine starts every plugin (the dynamic provider host, the native `pulumi-resource-distr`) in a
 * process group of its own (the engine's `execPlugin` sets `Setpgid`), so a SIGKILL of the `pulumi` process (a cancelled CI job, the OOM
 * killer) does not reach them: without this, they finish the creates they had queued, retry what failed, and keep a
 * Distr user's rate budget busy, with nobody left to record the results.
 *
 * Two signs that the engine is gone, either suffices:
 * - the plugin's stdin reaches its end: the engine holds the only write end of that pipe (Go's `cmd.StdinPipe()`)
 *   and never closes it while it runs, so the end arrives the moment the engine process dies, whatever killed it;
 * - a link of the parent chain up to the engine changed (a process was reparented to init or a subreaper). The
 *   dynamic provider's `pulumi-resource-pulumi-nodejs` is a `/bin/sh` script that forks node rather than exec'ing it,
 *   so node's own parent (that shell) outlives the engine; the chain is followed up to the `pulumi` process on Linux.
 *
 * Once gone, the transport refuses every request that has not left yet (new requests and retries alike, see
 * `refusalIfEngineGone`), a request already on the wire is left to finish or fail (never retried), and the process
 * exits as soon as none is on the wire, after `drainMs` at the latest.
 *
 * One module for every face: the dynamic provider starts it when its implementation is loaded in Pulumi's plugin
 * host (provider/implementation.ts), the native plugin calls `startEngineWatchdog()` when it starts serving, and a
 * face that learns of the engine's end in its own way (a gRPC server whose engine connection closed) may report it
 * with `reportEngineGone`.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export interface EngineWatchdogOptions {
  /** How often the parent chain is checked. Default 200 ms. */
  readonly pollIntervalMs?: number;
  /** How long requests already on the wire may take to finish before the process exits anyway. Default 2,000 ms. */
  readonly drainMs?: number;
}

export interface EngineWatchdogStatus {
  /** The `pulumi` process found among the ancestors at start (Linux), if any. */
  readonly enginePid: number | undefined;
  /** Whether the end of stdin is watched (only when stdin is a pipe or socket, as an engine gives its plugins). */
  readonly watchesStdin: boolean;
}

/** The exit code of a process ended by the watchdog (no engine reads it; it tells a test why it ended). */
export const ENGINE_GONE_EXIT_CODE = 70;

const DEFAULT_POLL_INTERVAL_MS = 200;
const DEFAULT_DRAIN_MS = 2_000;
/** Shell wrapper, language host or plugin, node: the engine is never further up than this. */
const MAX_CHAIN_LENGTH = 6;

let goneReason: string | undefined;
let requestsOnTheWire = 0;
let status: EngineWatchdogStatus | undefined;
let drainMs = DEFAULT_DRAIN_MS;
let exitScheduled = false;

/** Why nothing more may be sent (the engine is gone), or undefined while the engine runs. */
export function engineGoneReason(): string | undefined {
  return goneReason;
}

/**
 * Runs one exchange that is about to go on the wire, counted so that the exit waits for its answer (or failure).
 * Returns undefined without calling `send` when the engine is gone: the caller reports the request as not sent.
 */
export async function sendUnlessEngineGone<T>(send: () => Promise<T>): Promise<T | undefined> {
  if (goneReason !== undefined) return undefined;
  requestsOnTheWire++;
  try {
    return await send();
  } finally {
    requestsOnTheWire--;
  }
}

/** Marks the engine as gone: from now on nothing is sent, and (if the watchdog runs) the process exits soon. */
export function reportEngineGone(reason: string): void {
  if (goneReason !== undefined) return;
  goneReason = reason;
  if (status !== undefined) scheduleExit();
}

/**
 * Starts watching for the end of the engine that started this process (once per process; later calls return the
 * first call's status). Call it in a process the engine started, never in a CLI or a test runner: it ends the
 * process when its parent chain changes.
 */
export function startEngineWatchdog(options: EngineWatchdogOptions = {}): EngineWatchdogStatus {
  if (status !== undefined) return status;
  drainMs = options.drainMs ?? DEFAULT_DRAIN_MS;
  const links = parentChain();
  const watchesStdin = stdinIsPipe();
  status = { enginePid: links.enginePid, watchesStdin };
  if (watchesStdin) {
    const stdinEnded = () => reportEngineGone("the engine closed this plugin's stdin (the engine process ended)");
    process.stdin.on("end", stdinEnded);
    process.stdin.on("close", stdinEnded);
    process.stdin.on("error", stdinEnded);
    // Reads (and drops) whatever arrives; the engine writes nothing, so this only waits for the end.
    process.stdin.resume();
  }
  const poll = setInterval(() => {
    const broken = brokenLink(links.links);
    if (broken !== undefined) {
      clearInterval(poll);
      reportEngineGone(broken);
    }
  }, options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS);
  // The poll alone must not keep a process alive that has nothing else to do.
  poll.unref();
  if (goneReason !== undefined) scheduleExit();
  return status;
}

function scheduleExit(): void {
  if (exitScheduled) return;
  exitScheduled = true;
  // Nobody may read stderr any more: a write to a pipe without reader must not turn into an uncaught error.
  process.stderr.on("error", () => undefined);
  try {
    process.stderr.write(`pulumi-distr: ${goneReason}; no further request is sent, exiting\n`);
  } catch {
    // Same reason.
  }
  const deadline = Date.now() + drainMs;
  const check = setInterval(() => {
    if (requestsOnTheWire === 0 || Date.now() >= deadline) {
      clearInterval(check);
      process.exit(ENGINE_GONE_EXIT_CODE);
    }
  }, 20);
}

/** A pipe (Go's `cmd.StdinPipe()`, as the engine starts plugins) or a socket pair (Node's `stdio: "pipe"`). */
function stdinIsPipe(): boolean {
  try {
    const stdin = fs.fstatSync(0);
    return stdin.isFIFO() || stdin.isSocket();
  } catch {
    return false;
  }
}

interface ParentLink {
  readonly child: number;
  readonly parent: number;
}

interface ParentChain {
  readonly links: readonly ParentLink[];
  readonly enginePid: number | undefined;
}

/**
 * The links from this process up to the `pulumi` engine (Linux), else this process's link to its parent alone: a
 * change above the engine (the user's shell closed, pulumi reparented) is not the engine's end.
 */
function parentChain(): ParentChain {
  const own: ParentLink = { child: process.pid, parent: process.ppid };
  const links: ParentLink[] = [own];
  let current = own;
  for (let depth = 0; depth < MAX_CHAIN_LENGTH; depth++) {
    if (isPulumiEngine(current.parent)) return { links, enginePid: current.parent };
    const grandparent = parentOf(current.parent);
    if (grandparent === undefined || grandparent <= 1) break;
    current = { child: current.parent, parent: grandparent };
    links.push(current);
  }
  return { links: [own], enginePid: undefined };
}

function brokenLink(links: readonly ParentLink[]): string | undefined {
  for (const { child, parent } of links) {
    const now = child === process.pid ? process.ppid : parentOf(child);
    if (now !== parent) {
      return child === process.pid
        ? `the engine is gone (this process's parent ${parent} ended; its parent is now ${now ?? "unknown"})`
        : `the engine is gone (process ${child}, between this process and the engine, lost its parent ${parent})`;
    }
  }
  return undefined;
}

/** The parent pid from /proc (Linux); undefined where there is no /proc or the process has ended. */
function parentOf(pid: number): number | undefined {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ")".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const parent = Number(fields[1]);
  return Number.isInteger(parent) ? parent : undefined;
}

function isPulumiEngine(pid: number): boolean {
  try {
    const argv0 = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0] ?? "";
    return path.basename(argv0) === "pulumi";
  } catch {
    return false;
  }
}
