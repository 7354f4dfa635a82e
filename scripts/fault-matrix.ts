/**
 * `npm run faults:matrix`: every case of the engine-level fault matrix (test/engine/harness/faultMatrix.ts), one
 * after another, each on a fresh local Distr and stack; prints the table faults × operations with the outcome of
 * each run and the six figures that must be 0 (the sixth: processes of a killed run still running 5 s after the
 * kill). Exits non-zero if any run did not converge to them.
 *
 * `npm run faults:matrix -- --only SIGKILL` runs the cases whose fault contains the text; `-- --dialect 2` runs them
 * against the local Distr 2.x (60 requests a minute: each run takes longer).
 */
import { parseArgs } from "node:util";
import {
  allFaultCases,
  formatTable,
  runFaultCase,
  ZERO_COMPARISON_KEYS,
  type RunResult,
} from "../test/engine/harness/faultMatrix";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { only: { type: "string", multiple: true }, dialect: { type: "string", default: "3" } },
  });
  const dialect = values.dialect;
  if (dialect !== "2" && dialect !== "3") {
    console.error(`--dialect needs 2 or 3 (Distr 2.x or 3.x), got ${JSON.stringify(dialect)}`);
    process.exit(2);
  }
  const cases = allFaultCases().filter(
    (c) => !values.only || values.only.some((text) => `${c.fault} ${c.operation}`.includes(text)),
  );
  const results: RunResult[] = [];
  const started = Date.now();
  for (const [index, faultCase] of cases.entries()) {
    process.stderr.write(`[${index + 1}/${cases.length}] ${faultCase.operation}: ${faultCase.fault} ... `);
    try {
      const result = await runFaultCase(faultCase, dialect);
      results.push(result);
      process.stderr.write(`${result.faulted}, ${result.seconds.toFixed(0)} s\n`);
      for (const detail of result.comparison.details) process.stderr.write(`    ${detail}\n`);
      for (const survivor of result.survivors)
        process.stderr.write(`    still running 5 s after the kill: ${survivor}\n`);
    } catch (error) {
      process.stderr.write(`ERROR\n${String(error)}\n`);
      results.push({
        fault: faultCase.fault,
        operation: faultCase.operation,
        faulted: "harness error",
        pending: NaN,
        recovery: [String(error).split("\n")[0] ?? ""],
        converged: false,
        comparison: { duplicates: NaN, wider: NaN, missing: NaN, stateNotInDistr: NaN, orphans: NaN, details: [] },
        survivors: [],
        seconds: 0,
      });
    }
  }
  console.log(`Fault matrix against the local Distr ${dialect}.x with rate limits on\n`);
  console.log(formatTable(results));
  const failed = results.filter(
    (r) => !r.converged || ZERO_COMPARISON_KEYS.some((key) => r.comparison[key] !== 0) || r.survivors.length > 0,
  );
  console.log(
    `\n${results.length} runs in ${((Date.now() - started) / 60_000).toFixed(1)} min: ` +
      `${results.length - failed.length} converged with 0 duplicates, 0 wider, 0 missing, 0 state∖Distr, 0 orphans, ` +
      `0 processes left running` +
      (failed.length > 0 ? `; ${failed.length} did not` : ""),
  );
  process.exitCode = failed.length > 0 ? 1 : 0;
}

void main();
