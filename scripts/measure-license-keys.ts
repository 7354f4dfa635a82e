/**
 * Measures what license keys cost against Distr's rate limits, per engine operation: starts a local Distr 3.x with
 * its per-user limits on, then drives the LicenseKey handlers the way the engine does, each phase in a fresh module
 * registry (the engine starts a new provider process per operation): `up` creating N keys (check + create), a
 * `refresh` (read), an `up` revising every payload (check + diff + update), and a `destroy`. Prints requests per
 * phase and per key, 429s and wall time. Exits non-zero if any request failed. The phases run back to back, so the
 * last one usually meets Distr's 300/min limit (each new process starts with a fresh client-side budget) and waits
 * out the 429s' Retry-After: the figures show that cost too.
 *
 *   npm run measure:license-keys [-- --keys N]
 */
import * as path from "node:path";
import { startLocalDistr } from "../local-distr";
import { wholeNumberOptions } from "./wholeNumberOptions";
import type { ResourceHandlers, ResourceKind } from "../provider/resourceHandlers";

const ROOT = path.resolve(__dirname, "..");

/** A new "provider process": the implementation loaded afresh (own client, caches, limiter), configured. */
async function providerProcess(host: string, token: string): Promise<Record<ResourceKind, ResourceHandlers>> {
  for (const file of Object.keys(require.cache)) {
    if (file.startsWith(ROOT) && !file.includes(`${path.sep}node_modules${path.sep}`)) delete require.cache[file];
  }
  const { resourceProviders } = require("../provider/implementation") as typeof import("../provider/implementation");
  const config = { "distr:host": host, "distr:token": token } as Record<string, string>;
  const request = { config: { get: (key: string) => config[key], require: (key: string) => config[key] ?? "" } };
  for (const handlers of Object.values(resourceProviders)) await handlers.configure(request);
  return resourceProviders;
}

async function main(): Promise<void> {
  const count = wholeNumberOptions(["keys"], 1).keys ?? 50;
  const distr = await startLocalDistr({ dialect: "3", rateLimits: true });
  const phases: Array<{ phase: string; requests: number; seconds: number }> = [];
  const keys: Array<{ id: string; inputs: unknown; outputs: unknown }> = [];
  const validity = { notBefore: "2026-01-01T00:00:00Z", expiresAt: "2027-01-01T00:00:00Z" };
  const phase = async (name: string, work: (p: Record<ResourceKind, ResourceHandlers>) => Promise<void>) => {
    const before = distr.control.requests.length;
    const started = performance.now();
    await work(await providerProcess(distr.host, distr.token));
    phases.push({
      phase: name,
      requests: distr.control.requests.length - before,
      seconds: (performance.now() - started) / 1000,
    });
  };
  try {
    let customerId = "";
    await phase("create customer", async (p) => {
      const checked = await p.customer.check({}, { name: "Measure Corp" });
      customerId = (await p.customer.create(checked.inputs)).id;
    });
    await phase(`up: create ${count} keys`, async (p) => {
      await Promise.all(
        Array.from({ length: count }, async (_, index) => {
          const args = { name: `key-${index}`, customer: customerId, payload: { seats: 10 }, ...validity };
          const checked = await p.licenseKey.check({}, args);
          const created = await p.licenseKey.create(checked.inputs);
          keys[index] = { id: created.id, inputs: checked.inputs, outputs: created.outs };
        }),
      );
    });
    await phase(`refresh: read ${count} keys`, async (p) => {
      await Promise.all(keys.map(async (key) => void (await p.licenseKey.read(key.id, key.outputs))));
    });
    await phase(`up: revise ${count} payloads`, async (p) => {
      await Promise.all(
        keys.map(async (key, index) => {
          const args = { name: `key-${index}`, customer: customerId, payload: { seats: 11 }, ...validity };
          const checked = await p.licenseKey.check(key.inputs, args);
          const diff = await p.licenseKey.diff(key.id, key.outputs, checked.inputs);
          if (diff.changes !== true) throw new Error(`key-${index}: no change found`);
          key.outputs = (await p.licenseKey.update(key.id, key.outputs, checked.inputs)).outs;
        }),
      );
    });
    await phase(`destroy: delete ${count} keys`, async (p) => {
      await Promise.all(keys.map((key) => p.licenseKey.delete(key.id, key.outputs)));
    });
    const failed = distr.control.requests.filter(
      (r) => r.status === undefined || (r.status >= 400 && r.status !== 401),
    );
    for (const { phase: name, requests, seconds } of phases) {
      const perKey = name.includes(`${count}`) ? ` (${(requests / count).toFixed(2)} per key)` : "";
      console.log(`${name.padEnd(28)} ${String(requests).padStart(5)} requests${perKey}, ${seconds.toFixed(2)} s`);
    }
    console.log(`429 answers: ${distr.control.requests.filter((r) => r.status === 429).length}`);
    console.log(`failed requests (non-2xx besides 429 and the 401 dialect probe): ${failed.length}`);
    if (failed.length > 0) process.exitCode = 1;
  } finally {
    await distr.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
