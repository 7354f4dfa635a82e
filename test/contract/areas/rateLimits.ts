import { randomBytes } from "node:crypto";
import { DISTR_RATE_LIMITS, PROBE_PATH, type RateLimits } from "../dialect";
import type { DistrResponse } from "../distrHttp";
import { expectPlainTextError } from "../expectations";
import type { ContractSuite, RateLimitedServer } from "../target";

/** A high limit that keeps a window out of the way while another one is tested. */
const UNLIMITED = 1_000_000;

/** Section 3 / B2, quirk 19: per-user sliding windows of 1 s, 1 min, 1 h; each test uses a fresh local server. */
export function describeRateLimits(suite: ContractSuite): void {
  const limits = DISTR_RATE_LIMITS[suite.dialect];

  describe(`rate limits (section 3, B2, quirk 19): ${limits.perSecond}/s, ${limits.perMinute}/min, ${limits.perHour}/h`, () => {
    const withServer = async (
      overrides: Partial<RateLimits> | undefined,
      run: (server: RateLimitedServer) => Promise<void>,
    ): Promise<void> => {
      const server = await suite.target().server.startRateLimitedServer(overrides);
      try {
        await run(server);
      } finally {
        await server.close();
      }
    };
    const get = (server: RateLimitedServer, authorization?: string) =>
      server.http.send({ method: "GET", path: server.paths.customers(), ...(authorization ? { authorization } : {}) });
    /** `count` requests, `concurrency` at a time, in order of issue. */
    const burst = async (count: number, send: () => Promise<DistrResponse>, concurrency = 50) => {
      const results: DistrResponse[] = [];
      while (results.length < count) {
        const batch = Math.min(concurrency, count - results.length);
        results.push(...(await Promise.all(Array.from({ length: batch }, send))));
      }
      return results;
    };
    const statuses = (responses: readonly DistrResponse[]) => [...new Set(responses.map((r) => r.status))];
    const expectRejectedBy = (res: DistrResponse, limit: number, windowSeconds: number) => {
      expectPlainTextError(res, 429, "Too Many Requests");
      expect({
        limit: res.header("x-ratelimit-limit"),
        remaining: res.header("x-ratelimit-remaining"),
        retryAfter: res.header("retry-after"),
      }).toEqual({ limit: String(limit), remaining: "0", retryAfter: String(windowSeconds) });
      const reset = Number(res.header("x-ratelimit-reset"));
      const now = Date.now() / 1000;
      expect(reset).toBeGreaterThan(now - 1);
      expect(reset).toBeLessThanOrEqual(now + windowSeconds + 1);
    };
    const rateLimited = suite.testRequiring("rate-limited-server");

    rateLimited(
      "success responses carry the hourly budget: Limit 2000, Remaining counting down, Reset within the hour",
      async () => {
        await withServer(undefined, async (server) => {
          const first = await get(server);
          const second = await get(server);
          expect([first.status, second.status]).toEqual([200, 200]);
          expect(first.header("x-ratelimit-limit")).toBe(String(limits.perHour));
          expect(first.header("x-ratelimit-remaining")).toBe(String(limits.perHour - 1));
          expect(second.header("x-ratelimit-remaining")).toBe(String(limits.perHour - 2));
          expect(first.header("retry-after")).toBeUndefined();
          const reset = Number(first.header("x-ratelimit-reset"));
          expect(reset).toBeGreaterThan(Date.now() / 1000 - 1);
          expect(reset).toBeLessThanOrEqual(Date.now() / 1000 + 3600 + 1);
        });
      },
    );

    rateLimited(
      `the ${limits.perSecond + 1}st request within a second → 429 Too Many Requests, Retry-After 1, X-RateLimit-Limit ${limits.perSecond}`,
      async () => {
        await withServer(undefined, async (server) => {
          const allowed = await burst(limits.perSecond, () => get(server), limits.perSecond);
          expect(statuses(allowed)).toEqual([200]);
          expectRejectedBy(await get(server), limits.perSecond, 1);
        });
      },
    );

    rateLimited("401 responses are not counted", async () => {
      await withServer(undefined, async (server) => {
        const unknownToken = `AccessToken distr-${randomBytes(16).toString("hex")}`;
        const rejected = await burst(limits.perSecond + 5, () => get(server, unknownToken), limits.perSecond + 5);
        expect(statuses(rejected)).toEqual([401]);
        const allowed = await burst(limits.perSecond, () => get(server), limits.perSecond);
        expect(statuses(allowed)).toEqual([200]);
        expectRejectedBy(await get(server), limits.perSecond, 1);
      });
    });

    rateLimited("403 licensing not enabled responses are counted", async () => {
      await withServer(undefined, async (server) => {
        server.control.setLicensing(false);
        const forbidden = await burst(
          limits.perSecond,
          () => server.http.send({ method: "GET", path: server.paths.applicationLicenses() }),
          limits.perSecond,
        );
        expect(statuses(forbidden)).toEqual([403]);
        expectRejectedBy(await get(server), limits.perSecond, 1);
      });
    });

    if (suite.dialect === "2") {
      rateLimited("the dialect probe (404 on 2.x) is not counted, even with the PAT", async () => {
        await withServer(undefined, async (server) => {
          const probes = await burst(
            limits.perSecond + 5,
            () => server.http.send({ method: "GET", path: PROBE_PATH }),
            limits.perSecond + 5,
          );
          expect(statuses(probes)).toEqual([404]);
          const allowed = await burst(limits.perSecond, () => get(server), limits.perSecond);
          expect(statuses(allowed)).toEqual([200]);
        });
      });
    }

    rateLimited(
      `the per-minute window admits ${limits.perMinute} requests: the next → 429, Retry-After 60, X-RateLimit-Limit ${limits.perMinute}`,
      async () => {
        // The per-second window is lifted so that the minute window can be reached in a few hundred milliseconds.
        await withServer({ perSecond: UNLIMITED }, async (server) => {
          await avoidWindowBoundary(60_000);
          server.control.resetRateLimits();
          const allowed = await burst(limits.perMinute, () => get(server));
          expect(statuses(allowed)).toEqual([200]);
          expectRejectedBy(await get(server), limits.perMinute, 60);
        });
      },
      30_000,
    );

    rateLimited(
      `the hourly window admits ${limits.perHour} requests: the next → 429, Retry-After 3600`,
      async () => {
        await withServer({ perSecond: UNLIMITED, perMinute: UNLIMITED }, async (server) => {
          const allowed = await burst(limits.perHour, () => get(server));
          expect(statuses(allowed)).toEqual([200]);
          expect(allowed.at(-1)?.header("x-ratelimit-remaining")).toBe("0");
          expectRejectedBy(await get(server), limits.perHour, 3600);
        });
      },
      60_000,
    );
  });
}

/**
 * Sliding windows weigh the previous window's count: a burst that straddles a boundary is counted slightly short.
 * 2.x aligns windows to UTC, 3.x to the start of the limiter (a fresh server, so the first minute has just begun);
 * waiting past a UTC boundary near the end of a minute keeps the burst inside one window in both.
 */
async function avoidWindowBoundary(windowMs: number): Promise<void> {
  const intoWindow = Date.now() % windowMs;
  if (intoWindow > windowMs - 3000) await new Promise((resolve) => setTimeout(resolve, windowMs - intoWindow + 50));
}
