/**
 * Measures what creating licenses costs against Distr's rate limits: starts a local Distr 3.x with its per-user
 * limits on (30/s, 300/min, 2000/h), creates one customer and 100 application licenses through the client (all at
 * once, as a Pulumi program with unbounded parallelism would), and prints the requests sent (as the client reported
 * them and as the server logged them), the failed ones, the 429s and the wall time. Exits non-zero if any API
 * request failed or not all licenses exist.
 *
 *   npm run measure:creations [-- --licenses N --parallel N]
 */
import { startLocalDistr } from "../local-distr";
import { wholeNumberOptions } from "./wholeNumberOptions";
import type { RequestEvent } from "../sdk";
import { createDistrClient, isDialectProbe } from "../sdk";

async function inBatches<T>(count: number, parallel: number, task: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      results[index] = await task(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, count) }, worker));
  return results;
}

async function main(): Promise<void> {
  const options = wholeNumberOptions(["licenses", "parallel"], 1);
  const licenses = options.licenses ?? 100;
  const parallel = options.parallel ?? licenses;
  const distr = await startLocalDistr({ dialect: "3", rateLimits: true });
  const events: RequestEvent[] = [];
  const client = createDistrClient({ host: distr.host, token: distr.token, onRequest: (event) => events.push(event) });
  const started = performance.now();
  try {
    await client.organization();
    const application = await client.lookups.application("hello-distr");
    if (application === undefined) throw new Error("the local Distr has no hello-distr application");
    const customer = await client.customers.create({ name: "Measure Corp" });
    await inBatches(licenses, parallel, (index) =>
      client.applicationLicenses.create({
        name: `measure-${String(index + 1).padStart(3, "0")}`,
        applicationId: application.id,
        customerOrganizationId: customer.id,
        versions: [],
      }),
    );
    const seconds = (performance.now() - started) / 1000;

    const sent = events.length;
    const logged = [...distr.control.requests];
    const probes = logged.filter(isDialectProbe);
    const api = logged.filter((r) => !probes.includes(r));
    const failed = api.filter((r) => r.status === undefined || r.status < 200 || r.status >= 300);
    const tooMany = logged.filter((r) => r.status === 429);
    const busiestSecond = Math.max(...api.map((r) => api.filter((o) => o.at >= r.at && o.at < r.at + 1000).length));
    const busiestMinute = Math.max(...api.map((r) => api.filter((o) => o.at >= r.at && o.at < r.at + 60_000).length));
    const stored = (await client.applicationLicenses.list()).filter((l) => l.customerOrganizationId === customer.id);

    console.log(`licenses created:               ${stored.length} of ${licenses} (parallel ${parallel})`);
    console.log(`requests sent (onRequest):      ${sent}`);
    console.log(
      `requests received (server log): ${logged.length} (${probes.length} unauthenticated dialect probe, 401 by design)`,
    );
    console.log(`failed API requests (non-2xx):  ${failed.length}`);
    console.log(`429 answers:                    ${tooMany.length}`);
    console.log(`busiest 1 s / 60 s at server:   ${busiestSecond} / ${busiestMinute} requests (limits 30 / 300)`);
    console.log(`wall time:                      ${seconds.toFixed(2)} s`);
    if (failed.length > 0 || stored.length !== licenses) process.exitCode = 1;
  } finally {
    await client.close();
    await distr.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
