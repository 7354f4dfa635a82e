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
 * `sendUnlessEngineGone`), a request already on the wire is left to finish or fail (never retried), and the process
 * exits as soon as none is on the wire, after `drainMs` at the latest. On its way out it does what the engine does
 * when it closes its plugins: SIGINT to the process group the engine made for this plugin, and to the language host
 * of the same engine. That ends the processes that would otherwise wait for an engine that will never call again:
 * the shell of the dynamic provider, and Pulumi's language host with its program (it checks on its engine only every
 * 5 minutes, rpcutil.Healthcheck, and sends nothing to Distr, but it is part of the run).
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
  /**
   * Whether the end of stdin means the end of the engine (default true). False in a process the engine did not start
   * itself (a program, started by the language host): its stdin is not the engine's.
   */
  readonly watchStdin?: boolean;
  /**
   * The engine's gRPC address (`127.0.0.1:<port>`), which the engine passes to each plugin it starts, the language
   * host included. Default: the first `host:port` argument of this process.
   */
  readonly engineAddress?: string;
}

export interface EngineWatchdogStatus {
  /** The `pulumi` process found among the ancestors at start (Linux), if any. */
  readonly enginePid: number | undefined;
  /** The process the engine started (this one, a shell around it, or the language host), if the engine was found. */
  readonly pluginPid: number | undefined;
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
let groupInterrupted = false;
let engineAddress: string | undefined;
let watchedLinks: readonly ParentLink[] = [];

/** Why nothing more may be sent (the engine is gone), or undefined while the engine runs. */
export function engineGoneReason(): string | undefined {
  return goneReason;
}

/**
 * Runs one exchange that is about to go on the wire, counted so that the exit waits for its answer (or failure).
 * Returns undefined without calling `send` when the engine is gone: the caller reports the request as not sent.
 */
export async function sendUnlessEngineGone<T>(send: () => Promise<T>): Promise<T | undefined> {
  // The parent chain is read again right here, not only by the poll: the kernel reparents the engine's children as
  // the engine exits, so no request leaves after that even if the poll or the stdin event has not come round yet.
  if (goneReason === undefined && watchedLinks.length > 0) {
    const broken = brokenLink(watchedLinks);
    if (broken !== undefined) reportEngineGone(broken);
  }
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
  engineAddress = options.engineAddress ?? process.argv.slice(2).find((arg) => /^[\w.-]+:\d+$/.test(arg));
  const links = parentChain();
  watchedLinks = links.links;
  const watchesStdin = (options.watchStdin ?? true) && stdinIsPipe();
  // The top link's child is the process the engine started: the engine's own child.
  const pluginPid = links.enginePid === undefined ? undefined : links.links.at(-1)?.child;
  status = { enginePid: links.enginePid, pluginPid, watchesStdin };
  // A process that ends by itself (a program whose calls to the engine failed) before the poll saw the engine go
  // still ends its group, if the engine is gone by then.
  process.on("exit", () => {
    if (goneReason !== undefined || brokenLink(links.links) !== undefined) interruptPluginGroup();
  });
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
      interruptPluginGroup();
      process.exit(ENGINE_GONE_EXIT_CODE);
    }
  }, 20);
}

/**
 * SIGINT to the process group the engine made for the plugin it started (plugins get `Setpgid`; the shell, or the
 * language host with its program, share it), as the engine's own plugin shutdown sends (`cmdutil.InterruptChildren`).
 * Only when this process belongs to that group: never to a group this code cannot vouch for.
 */
function interruptPluginGroup(): void {
  if (groupInterrupted || status?.pluginPid === undefined) return;
  groupInterrupted = true;
  const groups = new Set(languageHostsOf(engineAddress));
  if (procStat(process.pid)?.group === status.pluginPid) groups.add(status.pluginPid);
  for (const group of groups) {
    try {
      process.kill(-group, "SIGINT");
    } catch {
      // The group is gone already.
    }
  }
}

/**
 * The language host the dead engine started (`pulumi-language-<runtime> <engine address>`, leader of its own group):
 * during `refresh` or `destroy` no program runs under it, so nothing of ours is in its group to end it, and it would
 * wait up to 5 minutes for its next check on the engine. Found by the engine's address, which no other engine has.
 */
function languageHostsOf(address: string | undefined): number[] {
  if (address === undefined) return [];
  let entries: string[];
  try {
    entries = fs.readdirSync("/proc").filter((entry) => /^\d+$/.test(entry));
  } catch {
    return [];
  }
  return entries.map(Number).filter((pid) => {
    let argv: string[];
    try {
      argv = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    } catch {
      return false;
    }
    const stat = procStat(pid);
    return (
      path.basename(argv[0] ?? "").startsWith("pulumi-language-") &&
      argv.slice(1).includes(address) &&
      stat?.group === pid &&
      stat.parent !== status?.enginePid
    );
  });
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

/** Parent and process group from /proc (Linux); undefined where there is no /proc or the process has ended. */
function procStat(pid: number): { parent: number; group: number } | undefined {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses, so read after the last ")".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const parent = Number(fields[1]);
  const group = Number(fields[2]);
  return Number.isInteger(parent) && Number.isInteger(group) ? { parent, group } : undefined;
}

function parentOf(pid: number): number | undefined {
  return procStat(pid)?.parent;
}

function isPulumiEngine(pid: number): boolean {
  try {
    const argv0 = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0] ?? "";
    return path.basename(argv0) === "pulumi";
  } catch {
    return false;
  }
}
