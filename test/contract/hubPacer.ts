/**
 * Keeps the contract suite inside a real hub's per-user limits (distr-api.md §3, B2), also when a run starts right
 * after another one. Distr's sliding-window estimate (`previous window × fraction left + current window`) never
 * exceeds the number of requests the user sent in the last two window lengths, whatever the windows' alignment; so
 * that number is what the pacer bounds, with a margin, over a ledger of its own that outlives the run: one small
 * JSON file per hub and token (a hash of both, never the token) in the temp directory, with the send times of the
 * last two hours. A run that starts while the previous run's requests still fill the hub's window therefore waits
 * for them to age out instead of meeting 429s.
 *
 * What the pacer cannot see (another client of the same user) still ends in a 429: the caller waits it out as Distr
 * says (`X-RateLimit-Reset`, at least `Retry-After` when the reset is not later) and sends again. The hub's hourly
 * budget as its headers report it (`X-RateLimit-Remaining`, `X-RateLimit-Reset` on every success) is kept for the
 * suite's closing line.
 *
 * Written independently of the client's limiter (sdk/rateLimiter.ts), which this suite must not import.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { RateLimits } from "./dialect";

/** What the hub's headers told last: its hourly budget left and when that window ends. */
export interface HubBudget {
  readonly remaining: number;
  readonly limit: number;
  readonly resetAt: Date;
}

const TWO_HOURS_MS = 2 * 3_600_000;

export class HubPacer {
  private readonly sentAt: number[];
  private readonly windows: ReadonlyArray<{ lengthMs: number; budget: number }>;
  private lastBudget: HubBudget | undefined;
  private throttled = 0;
  private waitedMs = 0;

  constructor(
    limits: RateLimits,
    private readonly ledgerFile: string,
  ) {
    this.windows = [
      { lengthMs: 2 * 1000, budget: limits.perSecond - 5 },
      { lengthMs: 2 * 60_000, budget: limits.perMinute - 5 },
      { lengthMs: 2 * 3_600_000, budget: limits.perHour - 50 },
    ];
    this.sentAt = HubPacer.readLedger(ledgerFile);
  }

  /** The ledger of one hub and token: `<temp dir>/pulumi-distr-contract/<hash>.json`. */
  static ledgerFileFor(host: string, token: string): string {
    const hash = createHash("sha256").update(`${host}\n${token}`).digest("hex").slice(0, 32);
    return path.join(os.tmpdir(), "pulumi-distr-contract", `${hash}.json`);
  }

  private static readLedger(file: string): number[] {
    try {
      const parsed: unknown = JSON.parse(fs.readFileSync(file, "utf8"));
      const horizon = Date.now() - TWO_HOURS_MS;
      return Array.isArray(parsed)
        ? parsed.filter((t): t is number => typeof t === "number" && t > horizon).sort((a, b) => a - b)
        : [];
    } catch {
      return []; // none yet, or unreadable: start afresh
    }
  }

  private writeLedger(): void {
    fs.mkdirSync(path.dirname(this.ledgerFile), { recursive: true });
    const temporary = `${this.ledgerFile}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, JSON.stringify(this.sentAt));
    fs.renameSync(temporary, this.ledgerFile);
  }

  /** Waits until one more request keeps every bound, records it, and returns. */
  async waitForSlot(): Promise<void> {
    for (;;) {
      const now = Date.now();
      while ((this.sentAt[0] ?? now) <= now - TWO_HOURS_MS) this.sentAt.shift();
      let waitMs = 0;
      for (const window of this.windows) {
        const inWindow = this.sentAt.filter((t) => t > now - window.lengthMs);
        const mustExpire = inWindow[inWindow.length - window.budget];
        if (mustExpire !== undefined) waitMs = Math.max(waitMs, mustExpire + window.lengthMs - now + 1);
      }
      if (waitMs <= 0) {
        this.sentAt.push(now);
        this.writeLedger();
        return;
      }
      this.waitedMs += waitMs;
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }

  /**
   * Reads an answer's rate-limit headers. On success they are the hourly limiter's (kept for the report); a 429
   * returns how long to wait before sending again: until its window's reset, at least Retry-After when the reset is
   * not later (it comes from the hub's clock).
   */
  observe(status: number, header: (name: string) => string | undefined): number | undefined {
    const reset = Number(header("X-RateLimit-Reset"));
    const remaining = Number(header("X-RateLimit-Remaining"));
    const limit = Number(header("X-RateLimit-Limit"));
    if (status !== 429) {
      if (Number.isFinite(reset) && Number.isFinite(remaining) && Number.isFinite(limit)) {
        this.lastBudget = { remaining, limit, resetAt: new Date(reset * 1000) };
      }
      return undefined;
    }
    this.throttled += 1;
    const retryAfterMs = Number(header("Retry-After")) * 1000;
    const untilReset = Number.isFinite(reset) ? reset * 1000 - Date.now() : NaN;
    const waitMs = Math.max(
      Number.isFinite(retryAfterMs) ? retryAfterMs : 1000,
      Number.isFinite(untilReset) ? untilReset : 0,
    );
    this.waitedMs += waitMs;
    return waitMs;
  }

  /** For the suite's closing line. */
  summary(): { throttled: number; waitedMs: number; budget: HubBudget | undefined } {
    return { throttled: this.throttled, waitedMs: this.waitedMs, budget: this.lastBudget };
  }
}
