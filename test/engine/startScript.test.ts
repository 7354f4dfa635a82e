/**
 * `npm start` (scripts/start.sh) with the real engine: the local demo applies at once; a "real" Distr (a separately
 * started local Distr handed over through DISTR_HOST/DISTR_TOKEN, as a user hands over theirs) gets the license
 * review first and is changed only when asked: on a terminal (a pseudo-terminal from util-linux `script`) the answer
 * decides, without one only `--yes` applies; a stack that manages another Distr is refused. State, the demo's data
 * and the target markers live in a temp dir (PULUMI_DISTR_STATE_DIR).
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startLocalDistr, type LocalDistr } from "../../local-distr";
import { pulumiEngine, REPO_ROOT } from "./harness/engine";
import { DistrPortal } from "./harness/distrState";
import { SuiteClock } from "./harness/measurements";

jest.setTimeout(10 * 60_000);
const clock = new SuiteClock();
clock.install("startScript.test.ts");

interface Run {
  readonly code: number;
  readonly output: string;
}

describe("npm start (scripts/start.sh)", () => {
  let tempDir: string;
  let baseEnv: Record<string, string>;
  let realDistr: LocalDistr;
  let portal: DistrPortal;
  const stacks: string[] = [];

  beforeAll(async () => {
    const engine = await pulumiEngine();
    tempDir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-distr-start-"));
    fs.mkdirSync(path.join(tempDir, "home"));
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined),
    );
    baseEnv = {
      ...inherited,
      ...engine.env,
      PULUMI_HOME: path.join(tempDir, "home"),
      PULUMI_DISTR_STATE_DIR: path.join(tempDir, "state"),
      PULUMI_CONFIG_PASSPHRASE: "start-script-test",
      PULUMI_NODEJS_TRANSPILE_ONLY: "true",
      DISTR_HOST: "",
      DISTR_TOKEN: "",
    };
    delete baseEnv["PULUMI_BACKEND_URL"];
    realDistr = await startLocalDistr({ dialect: "3" });
    portal = new DistrPortal(realDistr.host, realDistr.token, "3", {
      afterRequest: () => realDistr.control.resetRateLimits(),
    });
  });

  afterAll(async () => {
    await realDistr.close();
    // Pulumi.yaml keeps stack config files in the repository's .pulumi-state/config.
    for (const stack of stacks) {
      fs.rmSync(path.join(REPO_ROOT, ".pulumi-state", "config", `Pulumi.${stack}.yaml`), { force: true });
    }
    fs.rmSync(tempDir, { recursive: true, force: true });
  });

  function stackName(purpose: string): string {
    const name = `start-${purpose}-${process.pid}`;
    stacks.push(name);
    return name;
  }

  const realEnv = () => ({ DISTR_HOST: realDistr.host, DISTR_TOKEN: realDistr.token });

  /**
   * Runs start.sh; with `terminal`, inside a pseudo-terminal (`script`), answering `answer` when it asks.
   * stdout and stderr together, as a user sees them.
   */
  function start(options: {
    stack: string;
    env?: Record<string, string>;
    args?: string[];
    terminal?: { answer: string };
  }): Promise<Run & { asked: boolean }> {
    const env = { ...baseEnv, ...options.env, PULUMI_STACK: options.stack };
    const command = ["bash", "scripts/start.sh", ...(options.args ?? [])];
    const child = options.terminal
      ? spawn("script", ["--quiet", "--return", "--command", command.join(" "), "/dev/null"], { cwd: REPO_ROOT, env })
      : spawn(command[0] ?? "bash", command.slice(1), { cwd: REPO_ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    let asked = false;
    const onData = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      if (options.terminal && !asked && /\[y\/N\]/.test(output)) {
        asked = true;
        child.stdin?.write(`${options.terminal.answer}\r`);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    return new Promise((resolve) => child.on("close", (code) => resolve({ code: code ?? 1, output, asked })));
  }

  function expectExit(result: Run, expected: "success" | "failure"): void {
    if ((result.code === 0) !== (expected === "success")) {
      throw new Error(`exit ${result.code}, expected ${expected}:\n${result.output}`);
    }
  }

  it("applies the local demo at once, and refuses to point that stack at another Distr", async () => {
    const stack = stackName("local");
    const demo = await start({ stack });
    expectExit(demo, "success");
    expect(demo.output).toMatch(/\+ 13 created/);
    expect(demo.output).not.toContain("customers affected");

    const other = await start({ stack, env: realEnv() });
    expectExit(other, "failure");
    expect(other.output).toContain(`stack ${stack} manages the local demo Distr, not ${realDistr.host}`);
    expect(await portal.snapshot()).toEqual({ customers: [], applicationLicenses: [], artifactLicenses: [] });
  });

  it("shows a real Distr the review and, without a terminal and --yes, stops there", async () => {
    const stack = stackName("ci");
    const stopped = await start({ stack, env: realEnv() });
    expectExit(stopped, "success");
    expect(stopped.output).toContain("customers affected");
    expect(stopped.output).toContain("3 customers affected");
    expect(stopped.output).toContain("not applied");
    // The command to apply names the stack and the host: run as printed, it finds the same stack and Distr.
    expect(stopped.output).toContain(
      `to apply this review: PULUMI_STACK=${stack} DISTR_HOST=${realDistr.host} npm start -- --yes`,
    );
    expect(await portal.snapshot()).toEqual({ customers: [], applicationLicenses: [], artifactLicenses: [] });
  });

  it("asks on a terminal: no leaves Distr alone, yes applies", async () => {
    const stack = stackName("tty");
    const declined = await start({ stack, env: realEnv(), terminal: { answer: "n" } });
    expectExit(declined, "success");
    expect(declined.asked).toBe(true);
    expect(declined.output).toContain("customers affected");
    expect(declined.output).toContain("not applied");
    expect(await portal.snapshot()).toEqual({ customers: [], applicationLicenses: [], artifactLicenses: [] });

    const accepted = await start({ stack, env: realEnv(), terminal: { answer: "y" } });
    expectExit(accepted, "success");
    expect(accepted.asked).toBe(true);
    expect(accepted.output).toMatch(/\+ 13 created/);
    expect((await portal.snapshot()).customers).toHaveLength(3);
  });

  it("applies to a real Distr with --yes, and then finds nothing to do", async () => {
    const stack = stackName("yes");
    // The terminal test's stack already applied the catalog to this Distr: a second stack would collide on names.
    await realDistr.close();
    realDistr = await startLocalDistr({ dialect: "3" });
    portal = new DistrPortal(realDistr.host, realDistr.token, "3", {
      afterRequest: () => realDistr.control.resetRateLimits(),
    });
    const applied = await start({ stack, env: realEnv(), args: ["--yes"] });
    expectExit(applied, "success");
    expect(applied.output).toContain("customers affected");
    expect(applied.output).toMatch(/\+ 13 created/);
    const again = await start({ stack, env: realEnv(), args: ["--yes"] });
    expectExit(again, "success");
    expect(again.output).toContain("already matches the catalog");
  });
});
