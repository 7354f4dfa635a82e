/**
 * `npm run faults:killed`: a `pulumi up` of 104 resources and a `pulumi destroy` of them, each killed with SIGKILL
 * and with SIGINT after K writes, on the local Distr 3.x and 2.x (test/engine/harness/killedRun.ts); after each, the
 * README's recovery. Prints per run what reached Distr after the kill, the processes of the run left 5 s after it,
 * and what the recovery left (duplicates, missing, convergence). Exits non-zero if any run fails the checks of
 * killedRunFailures (the same as test/engine/killedRun.test.ts).
 *
 * `npm run faults:killed -- --dialect 3` runs one dialect.
 */
import { parseArgs } from "node:util";
import { DIALECTS, type Dialect } from "../sdk/dialect";
import {
  describeKilledRun,
  KILLED_RUN_CASES,
  KilledRunBench,
  killedRunFailures,
  type KilledRunResult,
} from "../test/engine/harness/killedRun";

interface Row {
  readonly dialect: Dialect;
  readonly result: KilledRunResult;
}

function table(rows: readonly Row[]): string {
  const header = [
    "Distr",
    "operation",
    "signal",
    "K",
    "CLI",
    "requests after kill",
    "last after kill",
    "CLI ended after",
    "requests after CLI end",
    "left running after 5 s",
    "pending ops",
    "dup",
    "missing",
    "converged",
    "s",
  ];
  const cells = rows.map(({ dialect, result: r }) => [
    `${dialect}.x`,
    r.operation,
    r.signal,
    String(r.writesAtKill),
    r.cliEnded,
    String(r.requestsAfterKill),
    `${r.lastRequestAfterKillMs} ms`,
    `${r.cliEndedAfterMs} ms`,
    String(r.requestsAfterCliEnded),
    String(r.survivors.length),
    String(r.pendingOperations),
    String(r.comparison.duplicates),
    String(r.comparison.missing),
    r.converged ? "yes" : "NO",
    r.seconds.toFixed(0),
  ]);
  const all = [header, ...cells];
  const widths = header.map((_, column) => Math.max(...all.map((row) => row[column]!.length)));
  const line = (row: string[]) => `| ${row.map((cell, column) => cell.padEnd(widths[column]!)).join(" | ")} |`;
  return [line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...cells.map(line)].join("\n");
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { dialect: { type: "string", multiple: true } } });
  const dialects = (values.dialect ?? ["3", "2"]).map((d) => {
    if (!(DIALECTS as readonly string[]).includes(d)) throw new Error(`--dialect ${d}: expected one of ${DIALECTS}`);
    return d as Dialect;
  });
  const started = Date.now();
  const rows: Row[] = [];
  for (const dialect of dialects) {
    const bench = await KilledRunBench.open(dialect);
    try {
      for (const killedCase of KILLED_RUN_CASES) {
        process.stderr.write(`${dialect}.x ${killedCase.operation} ${killedCase.signal} ... `);
        const result = await bench.run(killedCase);
        rows.push({ dialect, result });
        process.stderr.write(`${describeKilledRun(result)}\n`);
        for (const detail of result.comparison.details) process.stderr.write(`    ${detail}\n`);
        for (const survivor of result.survivors)
          process.stderr.write(`    still running 5 s after the kill: ${survivor}\n`);
      }
    } finally {
      await bench.close();
    }
  }
  console.log(table(rows));
  const failures = rows.filter((row) => killedRunFailures(row.result).length > 0).length;
  console.log(
    `\n${rows.length} killed runs in ${((Date.now() - started) / 60_000).toFixed(1)} min: ` +
      `${rows.length - failures} with 0 processes left after 5 s, no request sent after the engine was gone, ` +
      `recovery converged with 0 duplicates${failures > 0 ? `; ${failures} did not` : ""}`,
  );
  process.exitCode = failures > 0 ? 1 : 0;
}

void main();
