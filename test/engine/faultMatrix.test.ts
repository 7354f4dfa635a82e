/**
 * The engine-level fault matrix, representative subset (the whole matrix: `npm run faults:matrix`). Each case deploys
 * a 32-resource stack through the real engine, runs one operation under one fault, recovers the way the README's
 * "Failure and recovery" section says, and compares Distr with the program: 0 duplicate customers or licenses, 0
 * grants wider than declared, 0 declared grants missing, 0 resources in state that Distr lacks, 0 orphans; a final
 * `pulumi preview --expect-no-changes` passes; and no process of a killed run is still running 5 s after the kill.
 * Mostly on Distr 3.x; one case on 2.x (60 requests a minute, a license name unique per organization, no narrowing:
 * `npm run faults:matrix -- --dialect 2` runs all of them).
 */
import type { Dialect } from "../../sdk/dialect";
import { allFaultCases, runFaultCase, ZERO_COMPARISON_KEYS, type FaultCase } from "./harness/faultMatrix";
import { SuiteClock } from "./harness/measurements";

jest.setTimeout(15 * 60_000);
const clock = new SuiteClock();
clock.install("faultMatrix.test.ts");

/**
 * A kill in the middle of a mixed up, a create whose answer is lost, a 5xx burst during destroy (3.x); on 2.x a kill
 * in the middle of the mixed up, whose recovery has the most to settle (pending creates, a replacement that deletes
 * first, 2.x's per-organization license names).
 */
const SUBSET: ReadonlyArray<Pick<FaultCase, "fault" | "operation"> & { readonly dialect: Dialect }> = [
  { fault: "SIGKILL after 1 write(s)", operation: "up", dialect: "3" },
  { fault: "SIGKILL after 8 write(s)", operation: "up", dialect: "3" },
  { fault: "create commits, answer lost (×3 POST)", operation: "up", dialect: "3" },
  { fault: "5xx burst (503 ×6, 502 ×2, 500 ×2)", operation: "destroy", dialect: "3" },
  { fault: "SIGKILL after 8 write(s)", operation: "up", dialect: "2" },
];

const cases = SUBSET.map((wanted) => {
  const found = allFaultCases().find((c) => c.fault === wanted.fault && c.operation === wanted.operation);
  if (!found) throw new Error(`no matrix case ${wanted.operation}: ${wanted.fault}`);
  return { faultCase: found, dialect: wanted.dialect };
});

describe("faults during real engine operations, then the README's recovery", () => {
  it.each(cases.map((c) => [`Distr ${c.dialect}.x, ${c.faultCase.operation}: ${c.faultCase.fault}`, c] as const))(
    "%s → Distr matches the program (0 duplicates, 0 wider, 0 missing, 0 state∖Distr, 0 orphans, 0 left running)",
    async (_name, { faultCase, dialect }) => {
      const result = await runFaultCase(faultCase, dialect);
      clock.note(
        `Distr ${dialect}.x, ${faultCase.operation}: ${faultCase.fault}: ${result.faulted}, ${result.pending} ` +
          `pending operation(s); recovery: ${result.recovery.join("; ") || "none needed"}; ${result.seconds.toFixed(0)} s`,
      );
      expect(result.comparison.details).toEqual([]);
      expect(Object.fromEntries(ZERO_COMPARISON_KEYS.map((key) => [key, result.comparison[key]]))).toEqual({
        duplicates: 0,
        wider: 0,
        missing: 0,
        stateNotInDistr: 0,
        orphans: 0,
      });
      expect(result.converged).toBe(true);
      // Nothing of a killed run keeps running: every process the engine started ended by itself within 5 s.
      expect(result.survivors).toEqual([]);
    },
  );
});
