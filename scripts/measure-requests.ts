/**
 * Requests per operation of the demo catalog (the root program on catalog/licenses.yaml), run through the `pulumi`
 * CLI as a user runs it (`up` previews first) against the local Distr with its rate limits on: the figures of the
 * README's request table. Counts what the hub received, dialect probes (which Distr does not count) left out.
 *
 *   npm run measure:requests
 *
 * Distr 3.x only: the catalog uses portal features that 2.x lacks.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startLocalDistr } from "../local-distr";
import { isDialectProbe } from "../sdk";
import { REPO_ROOT } from "../test/engine/harness/engine";
import { ProgramStack } from "../test/engine/harness/programStack";

async function main(): Promise<void> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-distr-requests-"));
  const catalogFile = path.join(directory, "licenses.yaml");
  const catalog = fs.readFileSync(path.join(REPO_ROOT, "catalog", "licenses.yaml"), "utf8");
  fs.writeFileSync(catalogFile, catalog);

  const distr = await startLocalDistr({ dialect: "3", rateLimits: true });
  const stack = await ProgramStack.open({
    program: ".",
    distr,
    name: "requests",
    config: { catalogFile: { value: catalogFile } },
  });
  const rows: string[] = [];
  try {
    const measure = async (operation: string, ...args: string[]) => {
      const before = distr.control.requests.length;
      const started = performance.now();
      const result = await stack.cli(...args);
      if (result.code !== 0) throw new Error(`pulumi ${args.join(" ")} failed:\n${result.stdout}\n${result.stderr}`);
      const seconds = (performance.now() - started) / 1000;
      const sent = distr.control.requests.slice(before).filter((r) => !isDialectProbe(r));
      const writes = sent.filter((r) => r.method !== "GET").length;
      const throttled = sent.filter((r) => r.status === 429).length;
      rows.push(`| ${operation} | ${sent.length} | ${writes} | ${throttled} | ${seconds.toFixed(1)} |`);
      console.error(`${operation}: ${sent.length} requests`);
    };
    await measure("first `pulumi up` (preview + create)", "up", "--yes");
    await measure("`pulumi up` with no changes (preview + update phases)", "up", "--yes");
    await measure("`pulumi preview`", "preview");
    await measure("`pulumi refresh` (its preview + the refresh)", "refresh", "--yes");
    const changed = catalog.replace('expiresAt: "2027-06-30T00:00:00Z"', 'expiresAt: "2027-09-30T00:00:00Z"');
    if (changed === catalog) throw new Error("catalog/licenses.yaml no longer has ACME's 2027-06-30 expiry to change");
    fs.writeFileSync(catalogFile, changed);
    await measure("`pulumi up` changing ACME's `expiresAt`", "up", "--yes");
    await measure("`pulumi destroy`", "destroy", "--yes");
    console.log("The demo catalog on the local Distr 3.x with its rate limits on:\n");
    console.log(["| Operation | Requests | Writes | 429 | Seconds |", "|---|---|---|---|---|", ...rows].join("\n"));
  } finally {
    await stack.dispose();
    await distr.close();
    fs.rmSync(directory, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
