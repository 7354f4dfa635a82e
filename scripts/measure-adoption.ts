/**
 * Measures the brownfield path on a seeded random organization of N licenses (default 200) in a local Distr with
 * Distr's per-user rate limits on: `pulumi-distr export` (catalog format) → `pulumi up --yes` of the root program on
 * the exported catalog through the real engine (adoption) → `pulumi preview --expect-no-changes`. Prints requests,
 * writes (POST/PUT/DELETE, must be 0), 429s and seconds of each phase, as the server logged them. Exits non-zero
 * when adoption wrote anything or the preview saw changes.
 *
 *   npm run measure:adoption [-- --licenses N --customers N --dialect 2|3 --seed N]
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { exportOrganization } from "../export";
import { startLocalDistr, type LocalDistr, type LocalDistrRequestRecord } from "../local-distr";
import { createDistrClient } from "../sdk";
import { populateRandomOrganization } from "../test/export/randomOrganization";
import { ProgramStack } from "../test/engine/harness/programStack";
import { wholeNumberOptions } from "./wholeNumberOptions";

interface Phase {
  readonly name: string;
  readonly requests: number;
  readonly writes: number;
  readonly tooMany: number;
  readonly seconds: number;
}

async function measure(distr: LocalDistr, name: string, run: () => Promise<void>): Promise<Phase> {
  const since = distr.control.requests.length;
  const started = performance.now();
  await run();
  const seconds = (performance.now() - started) / 1000;
  const requests: readonly LocalDistrRequestRecord[] = distr.control.requests.slice(since);
  return {
    name,
    requests: requests.length,
    writes: requests.filter((r) => r.method !== "GET").length,
    tooMany: requests.filter((r) => r.status === 429).length,
    seconds,
  };
}

async function main(): Promise<void> {
  const options = wholeNumberOptions(["licenses", "customers", "seed", "dialect"], 0);
  const licenses = options.licenses ?? 200;
  const customers = options.customers ?? Math.max(2, Math.round(licenses / 5));
  const seed = options.seed ?? 200;
  const dialect = options.dialect === 2 ? "2" : "3";
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "measure-adoption-"));
  const dataFile = path.join(work, "distr.json");

  // Populated without limits, then served again from the same data with Distr's limits on, counters at zero.
  const setup = await startLocalDistr({ dialect, rateLimits: false, dataFile });
  const portal = createDistrClient({ host: setup.host, token: setup.token, rateLimits: false });
  const organization = await populateRandomOrganization(setup, portal, { seed, customers, licenses });
  await portal.close();
  await setup.close();
  const distr = await startLocalDistr({ dialect, rateLimits: true, dataFile, token: setup.token });

  const catalogFile = path.join(work, "exported.yaml");
  let stack: ProgramStack | undefined;
  try {
    const phases: Phase[] = [];
    let registryConfigs: Array<{ licenseId: string; key: string }> = [];
    phases.push(
      await measure(distr, "pulumi-distr export (catalog)", async () => {
        const client = createDistrClient({ host: distr.host, token: distr.token });
        const result = await exportOrganization(client, { format: "catalog", packageVersion: "measure" });
        fs.writeFileSync(catalogFile, result.text);
        registryConfigs = [
          ...result.organization.customers.flatMap((c) => c.licenses),
          ...result.organization.licensesWithoutCustomer,
        ].flatMap((license) =>
          license.kind === "application" && license.registry
            ? [{ licenseId: license.id, key: license.registry.passwordConfig }]
            : [],
        );
        await client.close();
      }),
    );
    // What the export's warnings ask for: each registry password as a secret config value (one list read, between
    // the measured phases).
    const passwords: Record<string, { value: string; secret: true }> = {};
    const reader = createDistrClient({ host: distr.host, token: distr.token });
    const licenses = await reader.applicationLicenses.list();
    await reader.close();
    for (const { licenseId, key } of registryConfigs) {
      passwords[key] = { value: licenses.find((l) => l.id === licenseId)?.registryPassword ?? "", secret: true };
    }
    const opened = await ProgramStack.open({
      program: ".",
      distr,
      name: "measure-adoption",
      config: { catalogFile: { value: catalogFile }, ...passwords },
    });
    stack = opened;
    let upOutput = "";
    phases.push(
      await measure(distr, "pulumi up --yes (adoption)", async () => {
        const up = await opened.cli("up", "--yes");
        upOutput = up.stdout;
        if (up.code !== 0) throw new Error(`pulumi up failed:\n${up.stdout}\n${up.stderr}`);
      }),
    );
    let unchanged = false;
    phases.push(
      await measure(distr, "pulumi preview --expect-no-changes", async () => {
        unchanged = (await opened.cli("preview", "--expect-no-changes")).code === 0;
      }),
    );

    console.log(
      `organization (seed ${seed}, Distr ${dialect}.x, rate limits on): ${organization.customers} customers, ` +
        `${organization.applicationLicenses} application + ${organization.artifactLicenses} artifact licenses ` +
        `(${organization.withoutCustomer} without customer)`,
    );
    console.log(`resources adopted: ${/\+ (\d+) created/.exec(upOutput)?.[1] ?? "?"} (with the stack)`);
    console.log("");
    console.log("phase                                requests  writes  429s  seconds");
    for (const phase of phases) {
      console.log(
        `${phase.name.padEnd(36)} ${String(phase.requests).padStart(8)} ${String(phase.writes).padStart(7)} ` +
          `${String(phase.tooMany).padStart(5)} ${phase.seconds.toFixed(1).padStart(8)}`,
      );
    }
    const total = phases.reduce((sum, p) => ({ r: sum.r + p.requests, w: sum.w + p.writes, s: sum.s + p.seconds }), {
      r: 0,
      w: 0,
      s: 0,
    });
    console.log(
      `${"total".padEnd(36)} ${String(total.r).padStart(8)} ${String(total.w).padStart(7)} ${"".padStart(5)} ` +
        `${total.s.toFixed(1).padStart(8)}`,
    );
    console.log(`preview --expect-no-changes: ${unchanged ? "passed" : "FAILED"}`);
    if (total.w > 0 || !unchanged) process.exitCode = 1;
  } finally {
    await stack?.dispose();
    await distr.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
