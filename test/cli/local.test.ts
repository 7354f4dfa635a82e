import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { UsageError } from "../../cli/command";
import { parseLocalArguments } from "../../cli/local";
import { call } from "../local-distr/localDistrHttp";

const REPO = path.resolve(__dirname, "../..");

async function eventually(assertion: () => void, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      assertion();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

describe("pulumi-distr argument parsing", () => {
  it("local with every option", () => {
    expect(
      parseLocalArguments([
        "--port",
        "8585",
        "--data=/tmp/x.json",
        "--dialect",
        "2",
        "--no-rate-limits",
        "--no-seed",
        "--token",
        "distr-0123456789abcdef0123456789abcdef",
      ]),
    ).toEqual({
      port: 8585,
      dataFile: "/tmp/x.json",
      dialect: "2",
      rateLimits: false,
      seed: false,
      token: "distr-0123456789abcdef0123456789abcdef",
    });
  });

  it.each([
    [["--verbose"], /unknown option "--verbose"/],
    [["--port"], /--port needs a value/],
    [["--port", "--no-seed"], /--port needs a value/],
    [["--port", "http"], /--port must be a number/],
    [["--dialect", "4"], /--dialect must be 2 or 3/],
    [["--no-seed=yes"], /--no-seed takes no value/],
    [["extra"], /unexpected argument "extra"/],
    [["--token", "abc"], /--token must be "distr-" followed by 32 hexadecimal characters, got "abc"/],
  ])("%j is a usage error", (argv, message) => {
    expect(() => parseLocalArguments(argv)).toThrow(UsageError);
    expect(() => parseLocalArguments(argv)).toThrow(message);
  });
});

describe("pulumi-distr local (the compiled CLI)", () => {
  let outDir: string;
  let cli: string;
  let dataDir: string;
  const children: ChildProcess[] = [];

  beforeAll(() => {
    // Compile the CLI and what it imports the way `npm run build` does, into a folder that still resolves the
    // project's node_modules.
    outDir = fs.mkdtempSync(path.join(REPO, "node_modules", ".cli-test-"));
    execFileSync(
      path.join(REPO, "node_modules", ".bin", "tsc"),
      [
        "--outDir",
        outDir,
        "--rootDir",
        REPO,
        "--module",
        "node16",
        "--moduleResolution",
        "node16",
        "--target",
        "ES2022",
        "--strict",
        "--esModuleInterop",
        "--skipLibCheck",
        "--types",
        "node",
        path.join(REPO, "cli", "main.ts"),
      ],
      { cwd: REPO, stdio: "pipe" },
    );
    cli = path.join(outDir, "cli", "main.js");
  }, 60_000);

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-distr-cli-"));
  });

  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  afterAll(() => {
    fs.rmSync(outDir, { recursive: true, force: true });
  });

  interface Started {
    child: ChildProcess;
    host: string;
    token: string;
    stdoutLines: string[];
    stderr: () => string;
    exit: Promise<number | null>;
  }

  function run(args: string[]): {
    child: ChildProcess;
    stdout: () => string;
    stderr: () => string;
    exit: Promise<number | null>;
  } {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    children.push(child);
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exit = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
    return { child, stdout: () => stdout, stderr: () => stderr, exit };
  }

  async function startCli(args: string[]): Promise<Started> {
    const started = run(["local", "--port", "0", ...args]);
    const deadline = Date.now() + 15_000;
    while (started.stdout().split("\n").length < 3) {
      if (Date.now() > deadline || started.child.exitCode !== null) {
        throw new Error(`CLI did not start: ${started.stderr()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const lines = started.stdout().split("\n");
    const host = /^DISTR_HOST=(.*)$/.exec(lines[0]!)?.[1];
    const token = /^DISTR_TOKEN=(.*)$/.exec(lines[1]!)?.[1];
    if (!host || !token) throw new Error(`unexpected stdout: ${started.stdout()}`);
    return { child: started.child, host, token, stdoutLines: lines, stderr: started.stderr, exit: started.exit };
  }

  it("prints DISTR_HOST and DISTR_TOKEN first, serves the API, logs requests without the token, stops on SIGTERM", async () => {
    const started = await startCli(["--no-rate-limits"]);
    expect(started.host).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(started.token).toMatch(/^distr-[0-9a-f]{32}$/);
    const listed = await call(started, "GET", "/customer-organizations");
    expect(listed).toMatchObject({ status: 200, text: "[]\n" });
    expect(await call(started, "GET", "/customer-organizations", { token: null })).toMatchObject({
      status: 401,
      text: "Unauthorized\n",
    });
    // The log line may reach the pipe after the response reached us.
    await eventually(() => expect(started.stderr()).toContain("GET /api/v1/customer-organizations 401"));
    expect(started.stderr()).toContain("GET /api/v1/customer-organizations 200");
    expect(started.stderr()).not.toContain(started.token.slice(6));
    started.child.kill("SIGTERM");
    expect(await started.exit).toBe(0);
  }, 30_000);

  it("--dialect 2 --token T serves the 2.x routes with that token and stops on SIGINT", async () => {
    const token = "distr-0123456789abcdef0123456789abcdef";
    const started = await startCli(["--dialect", "2", "--token", token]);
    expect(started.token).toBe(token);
    expect((await call(started, "GET", "/application-licenses")).status).toBe(200);
    expect((await call(started, "GET", "/application-entitlements")).status).toBe(404);
    started.child.kill("SIGINT");
    expect(await started.exit).toBe(0);
  }, 30_000);

  it("--data keeps state and token across restarts", async () => {
    const dataFile = path.join(dataDir, "distr.json");
    const first = await startCli(["--data", dataFile]);
    expect((await call(first, "POST", "/customer-organizations", { body: { name: "Acme" } })).status).toBe(200);
    first.child.kill("SIGTERM");
    await first.exit;
    const second = await startCli(["--data", dataFile]);
    expect(second.token).toBe(first.token);
    expect(JSON.parse((await call(second, "GET", "/customer-organizations")).text)).toEqual([
      expect.objectContaining({ name: "Acme" }),
    ]);
    second.child.kill("SIGTERM");
    expect(await second.exit).toBe(0);
  }, 30_000);

  it("an unknown option prints the usage on stderr and exits 2", async () => {
    const result = run(["local", "--bogus"]);
    expect(await result.exit).toBe(2);
    await eventually(() => expect(result.stderr()).toContain('unknown option "--bogus"'));
    expect(result.stderr()).toContain("Usage: pulumi-distr local");
    expect(result.stdout()).toBe("");
  }, 30_000);

  it("a malformed --token is a usage error too: exit 2 with the usage", async () => {
    const result = run(["local", "--token", "abc"]);
    expect(await result.exit).toBe(2);
    await eventually(() => expect(result.stderr()).toContain('--token must be "distr-" followed by 32 hexadecimal'));
    expect(result.stderr()).toContain("Usage: pulumi-distr local");
    expect(result.stdout()).toBe("");
  }, 30_000);

  it("an unknown command exits 2 with the command list; --help lists the commands; local --help its options", async () => {
    const unknown = run(["serve"]);
    expect(await unknown.exit).toBe(2);
    expect(unknown.stderr()).toContain('unknown command "serve"');
    expect(unknown.stderr()).toMatch(/Commands:\n {2}local /);
    const help = run(["--help"]);
    expect(await help.exit).toBe(0);
    expect(help.stdout()).toMatch(/^Usage: pulumi-distr <command>/);
    expect(help.stdout()).toMatch(/ {2}local +run a local Distr hub/);
    expect(help.stdout()).toMatch(/ {2}review +review the license changes of a pulumi preview/);
    expect(help.stdout()).toMatch(/ {2}export +write a Distr organization/);
    const localHelp = run(["local", "--help"]);
    expect(await localHelp.exit).toBe(0);
    expect(localHelp.stdout()).toContain("Usage: pulumi-distr local");
  }, 30_000);

  it("a port in use fails with exit 1 and a message", async () => {
    const first = await startCli([]);
    const port = new URL(first.host).port;
    const second = run(["local", "--port", port]);
    expect(await second.exit).toBe(1);
    await eventually(() => expect(second.stderr()).toMatch(/EADDRINUSE/));
  }, 30_000);
});
