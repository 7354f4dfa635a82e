/**
 * Two pipelines, one token: three stacks of different customers deploy at the same time against one Distr with its
 * per-user rate limits on (the budget is the user's, shared by every process). All succeed with 0 failed
 * operations, Distr holds exactly what each declares, and a second round (updates and a destroy, again at once)
 * does too.
 */
import { startLocalDistr, type LocalDistr } from "../../local-distr";
import { DistrPortal } from "./harness/distrState";
import { SuiteClock } from "./harness/measurements";
import { changesBesidesSame, ProgramStack, type OperationReport } from "./harness/programStack";
import { LICENSES_PROGRAM, type ProgramSpec } from "./harness/spec";

jest.setTimeout(15 * 60_000);
const clock = new SuiteClock();
clock.install("concurrentStacks.test.ts");

const STACKS = ["north", "south", "east"] as const;

function specOf(team: string, expiresAt: string): ProgramSpec {
  const customers = Array.from({ length: 4 }, (_, i) => ({ resource: `${team}-${i}`, name: `${team} customer ${i}` }));
  return {
    customers,
    applicationLicenses: customers.flatMap((c) => [
      {
        resource: `${c.resource}-pro`,
        customer: c.resource,
        application: "hello-distr",
        versions: { range: "^2" },
        expiresAt,
      },
      {
        resource: `${c.resource}-helm`,
        customer: c.resource,
        application: "hello-distr-helm",
        versions: "all",
        expiresAt,
      },
    ]),
    artifactLicenses: customers.map((c) => ({
      resource: `${c.resource}-images`,
      customer: c.resource,
      expiresAt,
      artifacts: [{ artifact: "hello-distr/backend", tags: { range: "^2" } }],
    })),
  };
}

describe("concurrent stacks with one token, rate limits on", () => {
  let distr: LocalDistr;
  const stacks: ProgramStack[] = [];
  afterAll(async () => {
    await Promise.all(stacks.map((stack) => stack.dispose()));
    await distr?.close();
  });

  it("three stacks deploy, update and destroy at once: all succeed, 0 failed operations, Distr matches each", async () => {
    distr = await startLocalDistr({ dialect: "3", rateLimits: true });
    for (const team of STACKS) {
      const stack = await ProgramStack.open({ program: LICENSES_PROGRAM, distr, name: team });
      await stack.setObject("spec", specOf(team, "2027-06-30T00:00:00Z"));
      stacks.push(stack);
    }
    const portal = new DistrPortal(distr.host, distr.token, "3");
    const failedOperations = (reports: OperationReport[]) =>
      reports.flatMap((report) => report.diagnostics.filter((d) => d.startsWith("error")));

    const started = Date.now();
    const ups = await Promise.all(stacks.map((stack) => stack.up()));
    const upSeconds = (Date.now() - started) / 1000;
    expect(failedOperations(ups)).toEqual([]);
    for (const up of ups) expect(up.changes["create"]).toBe(1 + 4 + 8 + 4);
    const snapshot = await portal.snapshot();
    for (const team of STACKS) {
      const customers = snapshot.customers.filter((c) => c.name.startsWith(`${team} customer`));
      expect(customers.map((c) => c.name).sort()).toEqual([0, 1, 2, 3].map((i) => `${team} customer ${i}`));
      const ids = new Set(customers.map((c) => c.id));
      expect(snapshot.applicationLicenses.filter((l) => ids.has(l.customerOrganizationId ?? "")).length).toBe(8);
      expect(snapshot.artifactLicenses.filter((l) => ids.has(l.customerOrganizationId ?? "")).length).toBe(4);
    }

    // Round two at once: two stacks change every license's expiry, the third is destroyed.
    await stacks[0]!.setObject("spec", specOf(STACKS[0], "2028-01-31T00:00:00Z"));
    await stacks[1]!.setObject("spec", specOf(STACKS[1], "2028-01-31T00:00:00Z"));
    const [first, second, destroyed] = await Promise.all([stacks[0]!.up(), stacks[1]!.up(), stacks[2]!.destroy()]);
    expect(failedOperations([first!, second!, destroyed!])).toEqual([]);
    expect(changesBesidesSame(first!)).toEqual({ update: 12 });
    expect(changesBesidesSame(second!)).toEqual({ update: 12 });
    expect(destroyed!.changes["delete"]).toBe(17);
    const after = await portal.snapshot();
    expect(after.customers.filter((c) => c.name.startsWith("east customer"))).toEqual([]);
    expect(after.applicationLicenses.filter((l) => l.expiresAt === "2028-01-31T00:00:00Z").length).toBe(16);

    const requests = distr.control.requests;
    const limited = requests.filter((r) => r.status === 429).length;
    const failed = requests.filter((r) => r.status === undefined || r.status >= 500).length;
    expect(failed).toBe(0);
    clock.note(
      `3 stacks at once: up ${upSeconds.toFixed(1)}s; ${requests.length} requests, ${limited} answered 429 ` +
        "(waited out by the client), 0 failed",
    );
  });
});
