/**
 * `npm run measure:stall`: what a stalled process does to Distr's limits (issue 17). One process paces requests to a
 * local Distr 3.x with its rate limits on, running in a process of its own as Distr does; 400 ms in, the pacing
 * process's event loop is blocked for a while (a loaded machine, a long synchronous task), then every timer due
 * meanwhile fires at once. Prints how many requests Distr answered 429 and how long all of them took.
 *
 *   npm run measure:stall [-- --requests 90 --stall-ms 3000]
 *
 * The requests go through the client's limiter and request ledger (a temporary directory), not through the retry
 * policy: a 429 is counted, not waited out.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DIALECT_SPECS } from "../sdk/dialect";
import { LEDGER_RETENTION_MS, RateLimiter } from "../sdk/rateLimiter";
import { FileLedger } from "../sdk/requestLedger";
import { REPO_ROOT } from "../test/engine/harness/engine";
import { wholeNumberOptions } from "./wholeNumberOptions";

/** `pulumi-distr local` in a child process (built dist/), its host and token from what it prints. */
function startHub(): Promise<{ host: string; token: string; stop: () => void }> {
  const hub = spawn(process.execPath, [path.join(REPO_ROOT, "dist", "cli", "main.js"), "local"], {
    stdio: ["ignore", "pipe", "ignore"],
  });
  return new Promise((resolve, reject) => {
    let printed = "";
    hub.on("exit", (code) => reject(new Error(`pulumi-distr local exited with ${code}; run npm run build first`)));
    hub.stdout.on("data", (chunk: Buffer) => {
      printed += chunk.toString();
      const host = /DISTR_HOST=(\S+)/.exec(printed)?.[1];
      const token = /DISTR_TOKEN=(\S+)/.exec(printed)?.[1];
      if (host && token) resolve({ host, token, stop: () => hub.kill() });
    });
  });
}

async function main(): Promise<void> {
  const options = wholeNumberOptions(["requests", "stall-ms"], 1);
  const count = options.requests ?? 90;
  const stallMs = options["stall-ms"] ?? 3_000;
  const hub = await startHub();
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-distr-stall-"));
  try {
    const limiter = new RateLimiter({
      limits: DIALECT_SPECS["3"].rateLimits,
      ledger: new FileLedger({ directory, fileName: "ledger.json", retentionMs: LEDGER_RETENTION_MS }),
    });
    const started = Date.now();
    setTimeout(() => {
      const until = Date.now() + stallMs;
      while (Date.now() < until) {
        // The stall: nothing else of this process runs, timers included.
      }
    }, 400);
    const statuses = await Promise.all(
      Array.from({ length: count }, async () => {
        await limiter.acquire(Infinity);
        const response = await fetch(`${hub.host}/api/v1/customer-organizations`, {
          headers: { Authorization: `AccessToken ${hub.token}` },
        });
        await response.text();
        return response.status;
      }),
    );
    console.log(
      `${count} requests paced through the client's limiter, the process stalled ${stallMs} ms 400 ms in: ` +
        `${statuses.filter((status) => status === 429).length} answered 429 by the local Distr 3.x; all answered ` +
        `${((Date.now() - started) / 1000).toFixed(1)} s after the first was paced`,
    );
  } finally {
    hub.stop();
    fs.rmSync(directory, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
