/**
 * The engine watchdog with real processes: a stand-in engine (node started under the name `pulumi`, as the engine's
 * process is named) starts a stand-in plugin in a process group of its own, as the engine does, and is killed with
 * SIGKILL while the plugin keeps POSTs on the wire to a real HTTP server on loopback. The plugin must stop sending,
 * let the requests on the wire finish, and exit, ending the engine's idle language host on its way out. And in process: once the engine is gone, the transport refuses new
 * requests and a retry, so a request that failed is never sent again.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { ENGINE_GONE_EXIT_CODE, engineGoneReason, reportEngineGone } from "../../sdk/engineWatchdog";
import { RequestSender } from "../../sdk/requestSender";
import { RetryPolicy } from "../../sdk/retryPolicy";
import { systemClock } from "../../sdk/clock";
import { Transport } from "../../sdk/transport";

const REPO = path.resolve(__dirname, "../..");
const PLUGIN = path.join(__dirname, "engineWatchdogPlugin.ts");
const TOKEN = `distr-${"0".repeat(32)}`;

// Each case starts two node processes, one of which transpiles TypeScript: seconds on a loaded machine.
jest.setTimeout(30_000);

interface RecordingServer {
  readonly host: string;
  readonly arrivals: number[];
  close(): Promise<void>;
}

/** Answers every request after `answerAfterMs` (so that requests are on the wire when the engine dies). */
async function recordingServer(answerAfterMs: number, onArrival?: () => void): Promise<RecordingServer> {
  const arrivals: number[] = [];
  const server = http.createServer((req, res) => {
    arrivals.push(Date.now());
    onArrival?.();
    req.resume();
    setTimeout(() => res.writeHead(503, { "content-type": "application/json" }).end("{}"), answerAfterMs);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `http://127.0.0.1:${port}`,
    arrivals,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function running(pid: number): boolean {
  try {
    // A zombie has ended; only its parent has yet to collect it.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

interface KilledEngine {
  readonly requestsAfterKill: number;
  readonly lastRequestAfterKillMs: number;
  readonly exitedAfterMs: number | undefined;
  /** Whether the engine's (stand-in) language host ended too: the watchdog interrupts it as the engine would. */
  readonly languageHostEnded: boolean;
  readonly pluginOutput: string;
  readonly watchdog: { enginePid?: number; watchesStdin: boolean };
}

/**
 * Starts engine → [shell →] plugin, waits for `killAfter` requests, kills the engine with SIGKILL and watches the
 * plugin (and the shell) end. `stdin`: what the engine gives the plugin (the real engine: a pipe it holds).
 */
async function killEngineUnderPlugin(options: {
  readonly viaShell: boolean;
  readonly stdin: "pipe" | "ignore";
  readonly lanes: number;
}): Promise<KilledEngine> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-distr-watchdog-"));
  const enginePath = path.join(dir, "pulumi");
  fs.symlinkSync(process.execPath, enginePath);
  // An idle stand-in for Pulumi's language host: started by the engine with the engine's address, in its own group.
  const languageHostPath = path.join(dir, "pulumi-language-nodejs");
  fs.symlinkSync(process.execPath, languageHostPath);
  const engineAddress = "127.0.0.1:1";
  let started: (() => void) | undefined;
  const enoughRequests = new Promise<void>((resolve) => (started = resolve));
  const server = await recordingServer(400, () => {
    if (server.arrivals.length >= 4) started?.();
  });
  const pluginCommand = [process.execPath, "-r", path.join(REPO, "scripts/register-typescript.cjs"), PLUGIN];
  const pluginArgs = [server.host, String(options.lanes), engineAddress];
  const [command, args] = options.viaShell
    ? // As `pulumi-resource-pulumi-nodejs` does: the shell forks node and waits (a final `:` keeps dash from exec'ing).
      ["/bin/sh", ["-c", '"$@"; :', "sh", ...pluginCommand, ...pluginArgs]]
    : [pluginCommand[0], [...pluginCommand.slice(1), ...pluginArgs]];
  const engineScript = `
    const { spawn } = require("node:child_process");
    const plugin = spawn(${JSON.stringify(command)}, ${JSON.stringify(args)}, {
      cwd: ${JSON.stringify(REPO)}, detached: true, stdio: [${JSON.stringify(options.stdin)}, "inherit", "inherit"],
    });
    const languageHost = spawn(${JSON.stringify(languageHostPath)}, ["-e", "setInterval(() => undefined, 60000)", ${JSON.stringify(engineAddress)}], {
      detached: true, stdio: "ignore",
    });
    process.stdout.write(JSON.stringify({ plugin: plugin.pid, languageHost: languageHost.pid }) + "\\n");
    setInterval(() => undefined, 60000);`;
  const engine = spawn(enginePath, ["-e", engineScript], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  let languageHost: number | undefined;
  engine.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  engine.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  try {
    await enoughRequests;
    const pids = /"plugin":(\d+),"languageHost":(\d+)/.exec(output);
    const shellOrPlugin = Number(pids?.[1]);
    languageHost = Number(pids?.[2]);
    if (!shellOrPlugin || !languageHost) throw new Error(`no plugin pids in ${output}`);
    const hostPid = languageHost;
    const killedAt = Date.now();
    engine.kill("SIGKILL");
    const exited = await until(() => !running(shellOrPlugin), 10_000);
    const exitedAfterMs = exited ? Date.now() - killedAt : undefined;
    const hostEnded = await until(() => !running(hostPid), 1_000);
    // Give a late request time to arrive before counting.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const late = server.arrivals.filter((at) => at > killedAt);
    const watchdog = JSON.parse(/\{"watchdog":.*\}/.exec(output)?.[0] ?? "{}").watchdog as KilledEngine["watchdog"];
    return {
      requestsAfterKill: late.length,
      lastRequestAfterKillMs: Math.max(0, ...late.map((at) => at - killedAt)),
      exitedAfterMs,
      languageHostEnded: hostEnded,
      pluginOutput: output,
      watchdog,
    };
  } finally {
    engine.kill("SIGKILL");
    if (languageHost) {
      try {
        process.kill(languageHost, "SIGKILL");
      } catch {
        // Ended, as it should.
      }
    }
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe("a plugin whose engine is killed (SIGKILL) stops sending and exits", () => {
  it.each([
    ["the engine's stdin pipe ends (plugin started directly, as the native plugin is)", false, "pipe"],
    ["the engine's stdin pipe ends (behind a forking /bin/sh, as the dynamic provider is)", true, "pipe"],
    ["the shell between plugin and engine is reparented (no stdin pipe)", true, "ignore"],
  ] as const)("%s", async (_name, viaShell, stdin) => {
    const lanes = 2;
    const result = await killEngineUnderPlugin({ viaShell, stdin, lanes });
    console.log(
      `${_name}: ${result.requestsAfterKill} request(s) arrived after the kill (last ${result.lastRequestAfterKillMs} ms ` +
        `after it), the plugin ended ${result.exitedAfterMs ?? "NOT"} ms after the kill`,
    );
    expect(result.watchdog.watchesStdin).toBe(stdin === "pipe");
    // The engine is found by name through the shell; without /proc (not Linux) only the direct parent is watched.
    if (process.platform === "linux") expect(result.watchdog.enginePid).toBeGreaterThan(1);
    expect(result.exitedAfterMs).toBeDefined();
    if (process.platform === "linux") expect(result.languageHostEnded).toBe(true);
    // Each lane may have had one request leaving at the moment of the kill; none is sent after the engine is gone.
    expect(result.requestsAfterKill).toBeLessThanOrEqual(lanes);
    expect(result.pluginOutput).toMatch(/pulumi-distr: the engine .*; no further request is sent, exiting/);
  });
});

describe("once the engine is gone, the transport sends nothing more", () => {
  it("a request that failed (503) while the engine died is not retried; new requests are refused unsent", async () => {
    const server = await recordingServer(0, () => reportEngineGone("the engine is gone (test)"));
    const transport = new Transport({ host: server.host, token: TOKEN });
    const sender = new RequestSender({
      transport,
      policy: new RetryPolicy({ maxAttempts: 5, minDelayMs: 1, maxDelayMs: 2 }),
      limiter: undefined,
      clock: systemClock,
      dialect: "3",
    });
    try {
      await expect(sender.send({ method: "GET", path: "/applications", subject: "application" })).rejects.toThrow(
        /not sent: the engine is gone \(test\); not retried \(2 attempts/,
      );
      expect(server.arrivals).toHaveLength(1);
      const outcome = await transport.exchange({ method: "POST", path: "/customer-organizations", body: {} });
      expect(outcome).toMatchObject({ kind: "no-response", requestSent: false, transient: false });
      expect(server.arrivals).toHaveLength(1);
      expect(engineGoneReason()).toBe("the engine is gone (test)");
      expect(ENGINE_GONE_EXIT_CODE).toBeGreaterThan(0);
    } finally {
      await transport.close();
      await server.close();
    }
  });
});
