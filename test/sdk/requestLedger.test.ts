/**
 * The machine-wide request ledger (requestLedger.ts): real processes sharing one file, a corrupt file, a directory
 * that cannot be used, one budget per host and token, and the hourly budget failing fast across processes. Time is
 * a fake clock in every process (its sleeps pass at once), so nothing here waits for a window.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startLocalDistr, type LocalDistr } from "../../local-distr";
import { createDistrClient } from "../../sdk/client";
import type { RateLimits } from "../../sdk/dialect";
import { DistrApiError } from "../../sdk/errors";
import { LEDGER_RETENTION_MS, RateLimiter } from "../../sdk/rateLimiter";
import { FileLedger, ledgerFileName } from "../../sdk/requestLedger";
import { hubAdmits, hubEstimate } from "../../sdk/slidingWindow";
import { FakeClock } from "./fakeClock";

jest.setTimeout(60_000);

const REPO_ROOT = path.resolve(__dirname, "../..");
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const HOST = "https://distr.example.com";
const TOKEN = "distr-0123456789abcdef0123456789abcdef";
const OTHER_TOKEN = "distr-fedcba9876543210fedcba9876543210";
const DISTR_3: RateLimits = { perSecond: 30, perMinute: 300, perHour: 2000 };

function otherProcess(
  directory: string,
  fileName: string,
  count: number,
  startMs: number,
  limits: RateLimits,
  env: NodeJS.ProcessEnv = {},
): Promise<{ times: number[]; fallback: boolean; stderr: string }> {
  const limitsJson = JSON.stringify(limits, (_key, value: unknown) => (value === Infinity ? null : value));
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [
        "-r",
        path.join(REPO_ROOT, "scripts", "register-typescript.cjs"),
        path.join(__dirname, "ledgerProcess.ts"),
        directory,
        fileName,
        String(count),
        String(startMs),
        limitsJson,
      ],
      { env: { ...process.env, ...env } },
      (error, stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve({ ...JSON.parse(stdout), stderr }),
    );
  });
}

function ledgerSends(directory: string, fileName: string): number[] {
  return (JSON.parse(fs.readFileSync(path.join(directory, fileName), "utf8")) as { sends: number[] }).sends;
}

describe("the request ledger", () => {
  let directory: string;
  beforeEach(() => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-distr-ledger-"));
  });
  afterEach(() => {
    fs.rmSync(directory, { recursive: true, force: true });
  });

  it("is named by a hash of host and token, never the token, and gives another token its own budget", async () => {
    const name = ledgerFileName(HOST, TOKEN);
    expect(name).toMatch(/^[0-9a-f]{32}\.json$/);
    expect(name).not.toContain(TOKEN.slice(6, 14));
    expect(ledgerFileName(HOST, OTHER_TOKEN)).not.toBe(name);
    expect(ledgerFileName("https://other.example.com", TOKEN)).not.toBe(name);

    const limits = { perSecond: Infinity, perMinute: Infinity, perHour: 3 };
    const clock = new FakeClock(T0);
    const limiter = (token: string) =>
      new RateLimiter({
        limits,
        clock,
        ledger: new FileLedger({ directory, fileName: ledgerFileName(HOST, token), retentionMs: LEDGER_RETENTION_MS }),
      });
    for (let i = 0; i < 3; i++) await limiter(TOKEN).acquire(150_000);
    // The same host and token: spent, whichever limiter asks. Another token: its own full budget.
    await expect(limiter(TOKEN).acquire(150_000)).rejects.toThrow(/hour window/);
    await limiter(OTHER_TOKEN).acquire(150_000);
    expect(fs.readFileSync(path.join(directory, name), "utf8")).not.toContain(TOKEN);
  });

  it("is shared by two processes reserving at once: every send recorded, and together within Distr's limits", async () => {
    const fileName = ledgerFileName(HOST, TOKEN);
    const [first, second] = await Promise.all([
      otherProcess(directory, fileName, 200, T0, DISTR_3),
      otherProcess(directory, fileName, 200, T0, DISTR_3),
    ]);
    expect(first.fallback).toBe(false);
    expect(second.fallback).toBe(false);
    const sends = ledgerSends(directory, fileName);
    expect(sends).toHaveLength(400);
    expect(sends).toEqual([...first.times, ...second.times].sort((a, b) => a - b));
    // No phase was learned, so the sends must suit every phase of Distr's per-minute window.
    for (const origin of [0, 7_000, 29_999, 45_500]) {
      for (const [index, send] of sends.entries()) {
        expect(hubAdmits(hubEstimate(sends.slice(0, index), send, 60_000, origin), 300)).toBe(true);
      }
    }
  });

  it("starts a corrupt ledger afresh and keeps pacing", async () => {
    const fileName = ledgerFileName(HOST, TOKEN);
    fs.writeFileSync(path.join(directory, fileName), '{"version":1,"sends":[1,2,');
    const clock = new FakeClock(T0);
    const ledger = new FileLedger({ directory, fileName, retentionMs: LEDGER_RETENTION_MS });
    const limiter = new RateLimiter({ limits: { ...DISTR_3, perHour: 2 }, clock, ledger });
    await limiter.acquire(150_000);
    await limiter.acquire(150_000);
    await expect(limiter.acquire(150_000)).rejects.toThrow(/hour window/);
    expect(ledger.isFallback).toBe(false);
    expect(ledgerSends(directory, fileName)).toEqual([T0, T0]);
  });

  it("falls back to pacing in-process when the directory cannot be used, and says so once at debug level", async () => {
    const blocked = path.join(directory, "not-a-directory");
    fs.writeFileSync(blocked, "");
    const unusable = path.join(blocked, "rate-limits");
    const result = await otherProcess(unusable, ledgerFileName(HOST, TOKEN), 40, T0, DISTR_3, {
      NODE_DEBUG: "pulumi-distr",
    });
    expect(result.fallback).toBe(true);
    expect(result.stderr.match(/rate-limit ledger .* is unusable/g)).toHaveLength(1);
    // Still paced: 40 sends at 30 per second cannot all go at once.
    expect(result.times[39]! - result.times[0]!).toBeGreaterThan(900);
  });

  describe("the hourly budget across processes", () => {
    let distr: LocalDistr;
    beforeAll(async () => {
      distr = await startLocalDistr({ dialect: "3", rateLimits: false });
    });
    afterAll(async () => {
      await distr.close();
    });

    it("fails fast with the budget message when another process spent it, before sending anything", async () => {
      const fileName = ledgerFileName(distr.host, distr.token);
      const spent = await otherProcess(directory, fileName, 2000, T0, DISTR_3);
      expect(spent.times).toHaveLength(2000);
      const clock = new FakeClock(spent.times[1999]! + 1_000);
      const client = createDistrClient(
        { host: distr.host, token: distr.token, dialect: "3" },
        { clock, ledgerDirectory: directory },
      );
      const before = distr.control.requests.length;
      const error = await client.customers.list().catch((e: unknown) => e);
      await client.close();
      expect(error).toBeInstanceOf(DistrApiError);
      expect((error as DistrApiError).kind).toBe("rate-limited");
      expect((error as Error).message).toMatch(
        /the hourly budget \(2000 requests, kept below Distr's per-user limit\) is spent; the next request may go at \d{4}-/,
      );
      expect(distr.control.requests.length).toBe(before);
    });
  });
});
