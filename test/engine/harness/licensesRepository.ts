/**
 * A licenses repository as a platform team keeps it (examples/gitops/: the program, Pulumi.yaml, pipeline.sh, the
 * policy config), in a real git repository standing in for the remote: tests commit to it as merged pull requests
 * would, and every CI job clones it into a fresh directory with a fresh PULUMI_HOME, runs, and leaves nothing behind
 * but what it wrote to the backend and to Distr. The engine records each clone's commit (git.head) and message.
 */
import { execFile, execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REPO_ROOT } from "./engine";

const EXAMPLE = path.join(REPO_ROOT, "examples", "gitops");
/** What a licenses repository holds of the example (its README's set-up, step 1). */
const EXAMPLE_FILES = ["index.ts", "Pulumi.yaml", "pipeline.sh", "policy-config.json"];

export interface JobRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The job was killed (as a cancelled CI job is). */
  readonly killed: boolean;
}

export interface JobOptions {
  readonly env?: Readonly<Record<string, string>>;
  /** Kill the job's whole process group (SIGKILL, as a runner does when a job is cancelled) once this is true. */
  readonly killWhen?: () => boolean;
}

const GIT_IDENTITY = {
  GIT_AUTHOR_NAME: "Ann Platform",
  GIT_AUTHOR_EMAIL: "ann@example.com",
  GIT_COMMITTER_NAME: "Ann Platform",
  GIT_COMMITTER_EMAIL: "ann@example.com",
};

export class LicensesRepository {
  private constructor(
    readonly dir: string,
    private readonly root: string,
    private readonly baseEnv: Readonly<Record<string, string>>,
  ) {}

  /** A repository with the example's files, one commit; `baseEnv` is every job's environment (engine, backend). */
  static create(baseEnv: Readonly<Record<string, string>>): LicensesRepository {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-distr-repo-"));
    const dir = path.join(root, "licenses.git");
    fs.mkdirSync(dir);
    for (const file of EXAMPLE_FILES) fs.copyFileSync(path.join(EXAMPLE, file), path.join(dir, file));
    // Outside this repository the example's tsconfig needs no `extends` (its README); jobs transpile only.
    fs.writeFileSync(
      path.join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          target: "ES2022",
          module: "nodenext",
          moduleResolution: "nodenext",
          skipLibCheck: true,
        },
      }),
    );
    fs.writeFileSync(path.join(dir, ".gitignore"), "node_modules/\nreview.md\n");
    const repository = new LicensesRepository(dir, root, baseEnv);
    repository.git("init", "--quiet", "--initial-branch=main");
    repository.commit("Licenses repository from examples/gitops");
    return repository;
  }

  /** Writes (or with `null` removes) files and commits them: a merged pull request. Returns the commit's hash. */
  commit(message: string, files: Readonly<Record<string, string | null>> = {}): string {
    for (const [file, content] of Object.entries(files)) {
      if (content === null) fs.rmSync(path.join(this.dir, file), { force: true });
      else fs.writeFileSync(path.join(this.dir, file), content);
    }
    this.git("add", "--all");
    this.git("commit", "--quiet", "--allow-empty", "-m", message);
    return this.git("rev-parse", "HEAD").trim();
  }

  read(file: string): string {
    return fs.readFileSync(path.join(this.dir, file), "utf8");
  }

  /**
   * One CI job: a fresh clone with `npm ci`'s result (here a link to this checkout's node_modules, which has
   * pulumi-distr itself), a fresh PULUMI_HOME, `argv` run in it in its own process group, then the directory removed.
   * `afterRun` sees the directory before it goes (to commit a file the job made, as a person would).
   */
  async job(argv: readonly string[], options: JobOptions = {}, afterRun?: (dir: string) => void): Promise<JobRun> {
    return this.inCheckout(options.env ?? {}, async (work, env) => {
      try {
        return await spawnJob(argv, work, env, options.killWhen);
      } finally {
        afterRun?.(work);
      }
    });
  }

  /** `body` in a fresh clone with a fresh PULUMI_HOME (the job's environment), then the clone removed. */
  async inCheckout<T>(
    extraEnv: Readonly<Record<string, string>>,
    body: (dir: string, env: NodeJS.ProcessEnv) => Promise<T>,
  ): Promise<T> {
    const jobRoot = fs.mkdtempSync(path.join(this.root, "job-"));
    const work = path.join(jobRoot, "licenses");
    execFileSync("git", ["clone", "--quiet", this.dir, work]);
    fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(work, "node_modules"));
    fs.mkdirSync(path.join(jobRoot, "home"));
    const env = { ...process.env, ...this.baseEnv, PULUMI_HOME: path.join(jobRoot, "home"), ...extraEnv };
    try {
      return await body(work, env);
    } finally {
      // The engine starts the dynamic provider in a process group of its own: a killed job leaves it behind (a
      // cancelled runner's machine would end it).
      endPluginsIn(work);
      fs.rmSync(jobRoot, { recursive: true, force: true });
    }
  }

  remove(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }

  private git(...args: string[]): string {
    return execFileSync("git", args, { cwd: this.dir, encoding: "utf8", env: { ...process.env, ...GIT_IDENTITY } });
  }
}

function spawnJob(
  argv: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  killWhen: (() => boolean) | undefined,
): Promise<JobRun> {
  return new Promise<JobRun>((resolve) => {
    const [file, ...args] = argv;
    const child = spawn(file ?? "", args, { cwd, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    let killed = false;
    const poll = killWhen
      ? setInterval(() => {
          if (killed || child.pid === undefined || !killWhen()) return;
          killed = true;
          try {
            process.kill(-child.pid, "SIGKILL");
          } catch {
            // Already gone.
          }
        }, 5)
      : undefined;
    child.on("close", (code, signal) => {
      if (poll) clearInterval(poll);
      resolve({ code, signal, stdout, stderr, killed });
    });
  });
}

/** Ends the provider processes still running in a job's directory (their engine is gone). */
function endPluginsIn(directory: string): void {
  let real: string;
  try {
    real = fs.realpathSync(directory);
  } catch {
    return;
  }
  for (const pid of fs.readdirSync("/proc").filter((entry) => /^\d+$/.test(entry))) {
    try {
      if (fs.readlinkSync(`/proc/${pid}/cwd`) === real) process.kill(Number(pid), "SIGKILL");
    } catch {
      // Gone, or not ours to read.
    }
  }
}

/** `execFile` as a promise with the exit code (for quick CLI calls beside the jobs). */
export function run(
  argv: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<{ code: number; stdout: string; stderr: string }> {
  const [file, ...args] = argv;
  return new Promise((resolve) => {
    execFile(file ?? "", args, { ...options, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : 1, stdout, stderr });
    });
  });
}
