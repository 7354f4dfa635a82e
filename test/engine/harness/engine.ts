/**
 * The real Pulumi engine for the engine suite: the CLI and Node language host from scripts/pulumi-engine.sh (built
 * once from the Go module proxy and cached), and a fresh compiled dist/ for the programs, which import
 * "pulumi-distr" and so run the compiled package, as consumers do.
 *
 * Run once per test file (jest gives every file its own module registry); both steps are no-ops when up to date.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as os from "node:os";
import * as fs from "node:fs";
import * as path from "node:path";
import { PulumiCommand } from "@pulumi/pulumi/automation";

export const REPO_ROOT = path.resolve(__dirname, "../../..");

export interface Engine {
  readonly command: PulumiCommand;
  /** The `pulumi` executable (for running the CLI directly, as users do). */
  readonly executable: string;
  /** `pulumi version` without the v, e.g. 3.276.0. */
  readonly version: string;
  /** PATH and offline knobs every workspace gets (engine dir, the project's Node 24, no update checks, no downloads). */
  readonly env: Readonly<Record<string, string>>;
}

let enginePromise: Promise<Engine> | undefined;

export function pulumiEngine(): Promise<Engine> {
  enginePromise ??= prepareEngine();
  return enginePromise;
}

async function prepareEngine(): Promise<Engine> {
  ensureBuilt();
  // `--env` prints export lines; evaluating them in bash and printing the environment is the exact environment
  // a user gets from `eval "$(scripts/pulumi-engine.sh --env)"`.
  const output = execFileSync("bash", ["-c", 'eval "$(bash scripts/pulumi-engine.sh --env)" && env -0'], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 16 * 1024 * 1024,
  });
  const environment = new Map(
    output
      .split("\0")
      .filter((entry) => entry.includes("="))
      .map((entry) => [entry.slice(0, entry.indexOf("=")), entry.slice(entry.indexOf("=") + 1)] as const),
  );
  const engineBin = environment.get("PULUMI_DISTR_ENGINE_BIN");
  const searchPath = environment.get("PATH");
  if (!engineBin || !searchPath)
    throw new Error("scripts/pulumi-engine.sh --env did not set PULUMI_DISTR_ENGINE_BIN and PATH");
  const env: Record<string, string> = { PATH: searchPath };
  for (const [key, value] of environment) {
    if (key.startsWith("PULUMI_") && key !== "PULUMI_DISTR_ENGINE_BIN") env[key] = value;
  }
  const command = await PulumiCommand.get({ root: path.dirname(engineBin) });
  const version = execFileSync(path.join(engineBin, "pulumi"), ["version"], { encoding: "utf8" })
    .trim()
    .replace(/^v/, "");
  return { command, executable: path.join(engineBin, "pulumi"), version, env };
}

const SOURCE_DIRS = [
  "index.ts",
  "sdk",
  "provider",
  "local-distr",
  "catalog",
  "cli",
  "review",
  "history",
  "policy",
  "plugin",
];

/** Rebuilds dist/ (npm run build) when a source file is newer than dist/index.js; a lock keeps workers apart. */
export function ensureBuilt(): void {
  const built = path.join(REPO_ROOT, "dist", "index.js");
  if (fs.existsSync(built) && newestSource() <= fs.statSync(built).mtimeMs) return;
  const lock = path.join(
    os.tmpdir(),
    `pulumi-distr-build-${createHash("sha256").update(REPO_ROOT).digest("hex").slice(0, 12)}.lock`,
  );
  const deadline = Date.now() + 5 * 60_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`${lock} held for 5 minutes; remove it if no build is running`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    }
  }
  try {
    if (fs.existsSync(built) && newestSource() <= fs.statSync(built).mtimeMs) return;
    execFileSync(path.join(REPO_ROOT, "node_modules", ".bin", "tsc"), ["-p", "tsconfig.build.json"], {
      cwd: REPO_ROOT,
      stdio: "inherit",
    });
    // tsc leaves unchanged outputs alone; touch the entry so the freshness check holds.
    const now = new Date();
    fs.utimesSync(built, now, now);
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

function newestSource(): number {
  let newest = 0;
  const visit = (entry: string): void => {
    const stat = fs.statSync(entry, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) {
      for (const child of fs.readdirSync(entry)) visit(path.join(entry, child));
    } else if (entry.endsWith(".ts") && !entry.endsWith(".test.ts")) {
      newest = Math.max(newest, stat.mtimeMs);
    }
  };
  for (const dir of SOURCE_DIRS) visit(path.join(REPO_ROOT, dir));
  return newest;
}
