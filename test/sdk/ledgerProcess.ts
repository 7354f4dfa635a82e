/**
 * A second process for the request-ledger tests (requestLedger.test.ts): reserves `count` sends through a rate
 * limiter on the machine-wide ledger in `directory`, on a fake clock starting at `startMs` whose sleeps pass at once,
 * and prints the reserved times as JSON. Run with `node -r scripts/register-typescript.cjs`.
 *
 *   ledgerProcess.ts <directory> <ledger file name> <count> <startMs> <limits JSON>
 */
import { RateLimiter } from "../../sdk/rateLimiter";
import { FileLedger } from "../../sdk/requestLedger";
import { LEDGER_RETENTION_MS } from "../../sdk/rateLimiter";
import type { RateLimits } from "../../sdk/dialect";
import { FakeClock } from "./fakeClock";

async function main(): Promise<void> {
  const [directory, fileName, count, startMs, limits] = process.argv.slice(2);
  if (!directory || !fileName || !count || !startMs || !limits) throw new Error("missing arguments");
  const clock = new FakeClock(Number(startMs));
  const ledger = new FileLedger({ directory, fileName, retentionMs: LEDGER_RETENTION_MS });
  const parsed = JSON.parse(limits, (_key, value: unknown) => (value === null ? Infinity : value)) as RateLimits;
  const limiter = new RateLimiter({ limits: parsed, clock, ledger });
  const times: number[] = [];
  for (let i = 0; i < Number(count); i++) {
    await limiter.acquire(Infinity);
    times.push(clock.now());
  }
  process.stdout.write(JSON.stringify({ times, fallback: ledger.isFallback }));
}

main().catch((error: unknown) => {
  process.stderr.write(String(error instanceof Error ? error.stack : error));
  process.exit(1);
});
