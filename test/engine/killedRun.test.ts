/**
 * A killed Pulumi run leaves no writer behind (the whole set, 3.x and 2.x, SIGKILL and SIGINT, up and destroy:
 * `npm run faults:killed`). A `pulumi up` of 104 resources, and a `pulumi destroy` of them, is killed after K writes
 * on the local Distr (rate limits off on the server: this is about what a kill leaves behind, not about pacing).
 * Every process the engine started must notice that its engine is gone and stop: requests that reach Distr after the
 * kill are only those already leaving (the figures are printed), no process of the run is left 5 s after the kill,
 * and the README's recovery converges with 0 duplicates.
 */
import type { Dialect } from "../../sdk/dialect";
import {
  describeKilledRun,
  KilledRunBench,
  killedRunFailures,
  largeSpec,
  resourceCount,
  type KilledRunCase,
} from "./harness/killedRun";
import { SuiteClock } from "./harness/measurements";

jest.setTimeout(10 * 60_000);
const clock = new SuiteClock();
clock.install("killedRun.test.ts");

/** The subset for `npm test`: a SIGKILL of an up on 3.x, a SIGINT of the destroy that follows. */
const SUBSET: ReadonlyArray<readonly [Dialect, readonly KilledRunCase[]]> = [
  [
    "3",
    [
      { operation: "up", signal: "SIGKILL" },
      { operation: "destroy", signal: "SIGINT" },
    ],
  ],
];

describe.each(SUBSET)("Distr %s.x: a killed run leaves no writer behind", (dialect, cases) => {
  let bench: KilledRunBench | undefined;

  beforeAll(async () => {
    bench = await KilledRunBench.open(dialect);
  });

  afterAll(async () => {
    await bench?.close();
  });

  it.each(cases.map((c) => [c.operation, c.signal, c] as const))(
    `pulumi %s of ${resourceCount(largeSpec())} resources, %s after K writes: nothing sent after the kill but requests already leaving, nothing left running, recovery converges`,
    async (_operation, _signal, killedCase) => {
      const result = await bench!.run(killedCase);
      clock.note(`${dialect}.x: ${describeKilledRun(result)}`);
      expect(killedRunFailures(result)).toEqual([]);
    },
  );
});
