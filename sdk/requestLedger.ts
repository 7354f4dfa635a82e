/**
 * The record of recent requests that the rate limiter paces against, shared by every process on the machine that
 * talks to the same Distr host with the same token (Distr counts per user, quirk 19, and Pulumi starts a new
 * provider process per operation, two per `up`). Without it each process starts with an empty limiter while Distr
 * still counts what the previous one sent, bursts, and meets a 429 that costs a whole window.
 *
 * One small JSON file per host and token in the user's cache directory, named by a hash of both (never the token),
 * holding the send times of the last two hours (Distr's estimate reaches back two windows of the longest limit),
 * the learned window phases and a hold from the last 429. Every change is a read-modify-write under a lock file
 * created with O_EXCL (a lock older than a few seconds is a crashed holder and is taken over), written to a
 * temporary file and renamed into place, so concurrent processes never see a torn file.
 *
 * The ledger must never break a deployment: a missing file is an empty ledger, a corrupt one is started afresh, and
 * when the directory cannot be used (read-only, no home, a lock that never frees) the process falls back to pacing
 * on its own, says so once at debug level (`NODE_DEBUG=pulumi-distr`), and relies on Distr's 429 as before.
 *
 * Why no lockfile library: the critical section is a few synchronous file operations, and what a library adds
 * (lock refreshing timers, retries with their own clock) is more than this needs.
 */
import { createHash, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { debuglog } from "node:util";
import { z } from "zod";
import type { LearnedPhases } from "./windowPhase";

const debug = debuglog("pulumi-distr");

/** What the ledger holds. Mutable inside `transact` only. */
export interface LedgerState {
  /** Send times (epoch ms), ascending; reserved slots may lie in the future. */
  sends: number[];
  /** Nothing goes out before this (a 429 told so). */
  heldUntil: number;
  phases: LearnedPhases;
}

export interface RequestLedger {
  /** Runs `change` on the current state (pruned to `retentionMs` before `now`) and keeps what it changed. */
  transact<T>(now: number, change: (state: LedgerState) => T): Promise<T>;
  /** Where the ledger lives, for messages ("in-process" when it is not shared). */
  readonly location: string;
}

const PhaseSchema = z.object({ originMs: z.number(), uncertaintyMs: z.number().nonnegative() });
const LedgerFileSchema = z.object({
  version: z.literal(1),
  sends: z.array(z.number()),
  heldUntil: z.number(),
  phases: z.object({ minute: PhaseSchema.optional(), hour: PhaseSchema.optional() }),
});

function emptyState(): LedgerState {
  return { sends: [], heldUntil: 0, phases: {} };
}

function prune(state: LedgerState, now: number, retentionMs: number): void {
  const horizon = now - retentionMs;
  let stale = 0;
  while (stale < state.sends.length && (state.sends[stale] as number) <= horizon) stale++;
  if (stale > 0) state.sends.splice(0, stale);
}

/** A ledger of this process only: the fallback, and what clients with an injected clock (tests) use. */
export class InProcessLedger implements RequestLedger {
  readonly location = "in-process";
  private readonly state: LedgerState;

  constructor(
    private readonly retentionMs: number,
    initial: LedgerState = emptyState(),
  ) {
    this.state = initial;
  }

  transact<T>(now: number, change: (state: LedgerState) => T): Promise<T> {
    prune(this.state, now, this.retentionMs);
    return Promise.resolve(change(this.state));
  }
}

/** The user's cache directory for pulumi-distr (as scripts/pulumi-engine.sh uses it): PULUMI_DISTR_CACHE wins. */
export function defaultCacheDirectory(): string {
  const configured = process.env["PULUMI_DISTR_CACHE"];
  if (configured) return configured;
  const home = os.homedir();
  const base =
    process.platform === "win32"
      ? (process.env["LOCALAPPDATA"] ?? path.join(home, "AppData", "Local"))
      : process.platform === "darwin"
        ? path.join(home, "Library", "Caches")
        : (process.env["XDG_CACHE_HOME"] ?? path.join(home, ".cache"));
  return path.join(base, "pulumi-distr");
}

/** The ledger file of one host and token: a hash of both, never the token. */
export function ledgerFileName(host: string, token: string): string {
  return `${createHash("sha256").update(`${host}\n${token}`).digest("hex").slice(0, 32)}.json`;
}

/** A lock older than this belongs to a process that died holding it (the critical section takes milliseconds). */
const STALE_LOCK_MS = 5_000;
/** Waiting longer than this for the lock means something is wrong with the directory: pace in-process instead. */
const LOCK_TIMEOUT_MS = 10_000;
/** Ledger files untouched for this long hold nothing that still counts; the first ledger of a process removes them. */
const ABANDONED_FILE_MS = 3 * 3_600_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const cleanedDirectories = new Set<string>();

export interface FileLedgerOptions {
  readonly directory: string;
  /** From `ledgerFileName`. */
  readonly fileName: string;
  readonly retentionMs: number;
}

/** The machine-wide ledger of one host and token, with the in-process fallback built in. */
export class FileLedger implements RequestLedger {
  readonly location: string;
  private readonly lockPath: string;
  private readonly retentionMs: number;
  private queue: Promise<unknown> = Promise.resolve();
  private fallback: InProcessLedger | undefined;
  /** The last state read or written, so that a fallback starts from what was known. */
  private lastState: LedgerState = emptyState();

  constructor(options: FileLedgerOptions) {
    this.location = path.join(options.directory, options.fileName);
    this.lockPath = `${this.location}.lock`;
    this.retentionMs = options.retentionMs;
  }

  /** True once the file could not be used and the process paces on its own. */
  get isFallback(): boolean {
    return this.fallback !== undefined;
  }

  transact<T>(now: number, change: (state: LedgerState) => T): Promise<T> {
    // One transaction at a time per process; the lock file orders processes.
    const run = this.queue.then(() => this.run(now, change));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async run<T>(now: number, change: (state: LedgerState) => T): Promise<T> {
    if (this.fallback === undefined) {
      try {
        await this.lock();
      } catch (error) {
        this.fallBack(error);
      }
    }
    if (this.fallback !== undefined) return this.fallback.transact(now, change);
    try {
      const state = this.read();
      prune(state, now, this.retentionMs);
      const result = change(state);
      this.write(state);
      this.lastState = state;
      return result;
    } catch (error) {
      this.fallBack(error);
      return this.fallback!.transact(now, change);
    } finally {
      fs.rmSync(this.lockPath, { force: true });
    }
  }

  private async lock(): Promise<void> {
    const directory = path.dirname(this.location);
    fs.mkdirSync(directory, { recursive: true, mode: 0o700 });
    this.removeAbandonedFiles(directory);
    const deadline = Date.now() + LOCK_TIMEOUT_MS;
    for (let attempt = 0; ; attempt++) {
      try {
        fs.closeSync(fs.openSync(this.lockPath, "wx", 0o600));
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
      const held = fs.statSync(this.lockPath, { throwIfNoEntry: false });
      if (held !== undefined && Date.now() - held.mtimeMs > STALE_LOCK_MS) {
        fs.rmSync(this.lockPath, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`the lock ${this.lockPath} stayed taken`);
      await sleep(Math.min(20, 1 + attempt) + Math.random() * 3);
    }
  }

  private read(): LedgerState {
    let text: string;
    try {
      text = fs.readFileSync(this.location, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return emptyState();
      throw error;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const parsed = LedgerFileSchema.safeParse(json);
    if (!parsed.success) {
      debug("rate-limit ledger %s was unreadable; starting it afresh", this.location);
      return emptyState();
    }
    const { sends, heldUntil, phases } = parsed.data;
    return { sends: [...sends].sort((a, b) => a - b), heldUntil, phases };
  }

  private write(state: LedgerState): void {
    const temporary = `${this.location}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    fs.writeFileSync(temporary, JSON.stringify({ version: 1, ...state }), { mode: 0o600 });
    fs.renameSync(temporary, this.location);
  }

  private removeAbandonedFiles(directory: string): void {
    if (cleanedDirectories.has(directory)) return;
    cleanedDirectories.add(directory);
    for (const entry of fs.readdirSync(directory)) {
      const file = path.join(directory, entry);
      const stat = fs.statSync(file, { throwIfNoEntry: false });
      if (stat?.isFile() && Date.now() - stat.mtimeMs > ABANDONED_FILE_MS) fs.rmSync(file, { force: true });
    }
  }

  private fallBack(error: unknown): void {
    if (this.fallback !== undefined) return;
    const reason = error instanceof Error ? error.message : String(error);
    debug(
      "rate-limit ledger %s is unusable (%s); pacing within this process only, Distr's 429 answers stay the backstop",
      this.location,
      reason,
    );
    this.fallback = new InProcessLedger(this.retentionMs, structuredClone(this.lastState));
  }
}
