/**
 * The history's logic without a process: states after five updates (grant, widen, expiry moved, narrow, delete) read
 * as the command reads them, the changes per customer in the review's words, and what ACME had at every interval.
 */
import { buildAccessReport, buildHistoryReport, CustomerNotInHistoryError } from "../../history/historyReport";
import type { StackHistory } from "../../history/historySource";
import { accessAt, licenseEvents } from "../../history/licenseTimeline";
import { FIVE_STATES, FIVE_UPDATES, updateStates } from "./fixtures";

const states = updateStates(FIVE_UPDATES, FIVE_STATES);
const history: StackHistory = { stack: "production", backend: "file:///state", states };

/** ACME's granted versions of hello-distr at a moment, "expired", or "none". */
function acmeAt(at: string): string {
  const access = accessAt(states, new Date(at));
  const license = access.customers.find((c) => c.customer === "ACME Corp")?.licenses[0];
  if (!license) return "none";
  if (license.expired) return "expired";
  const versions = license.snapshot.kind === "applicationLicense" ? license.snapshot.versions : undefined;
  return versions?.kind === "list"
    ? versions.names.join(",")
    : versions?.kind === "range"
      ? (versions.matches ?? []).join(",")
      : String(versions?.kind);
}

describe("license history of a stack", () => {
  it("numbers the updates of a file backend (which records version 0) from the oldest, with their commits", () => {
    expect(states.map((s) => s.update.number)).toEqual([1, 2, 3, 4, 5]);
    expect(states[0]?.update).toMatchObject({
      kind: "update",
      result: "succeeded",
      endTime: "2026-01-10T10:00:00.000Z",
      message: "Grant ACME 2.0 and 2.1",
      commit: { hash: "1111111aaaaaaa", author: "Ann Example", branch: "main" },
    });
  });

  it("lists each change to ACME's license with the update that made it; Initech's grant once", () => {
    const events = licenseEvents(states);
    expect(events.map((e) => [e.update.number, e.customer, e.change.action])).toEqual([
      [1, "ACME Corp", "create"],
      [1, "Initech", "create"],
      [2, "ACME Corp", "update"],
      [3, "ACME Corp", "update"],
      [4, "ACME Corp", "update"],
      [5, "ACME Corp", "delete"],
    ]);
    const report = buildHistoryReport(history, { customer: "ACME Corp" });
    expect(report.customers.map((c) => c.customer)).toEqual(["ACME Corp"]);
    const lines = report.customers[0]?.entries.map((e) => [e.update.number, e.action, e.lines.map((l) => l.text)]);
    expect(lines).toEqual([
      [1, "created", ["grants 2.0.0, 2.1.0", "expires 2026-03-31 (in 79 days)"]],
      [2, "updated", ["versions of hello-distr: [2.0.0, 2.1.0] → range >=2.0.0 <3.0.0", "gains versions 2.2.0, 2.3.0"]],
      [3, "updated", ["expiry 2026-03-31 → 2026-06-30 (in 129 days), +91 days"]],
      [4, "updated", ["versions of hello-distr: range >=2.0.0 <3.0.0 → [2.3.0]", "loses versions 2.0.0, 2.1.0, 2.2.0"]],
      [5, "deleted", ["no longer grants 2.3.0"]],
    ]);
  });

  it("answers what ACME had at every interval between the updates (an update counts from its end)", () => {
    expect(acmeAt("2026-01-01T00:00:00Z")).toBe("none");
    expect(acmeAt("2026-01-10T09:59:59Z")).toBe("none");
    expect(acmeAt("2026-01-10T10:00:00Z")).toBe("2.0.0,2.1.0");
    expect(acmeAt("2026-01-20T00:00:00Z")).toBe("2.0.0,2.1.0");
    expect(acmeAt("2026-02-10T00:00:00Z")).toBe("2.0.0,2.1.0,2.2.0,2.3.0");
    expect(acmeAt("2026-03-01T00:00:00Z")).toBe("2.0.0,2.1.0,2.2.0,2.3.0");
    expect(acmeAt("2026-03-15T00:00:00Z")).toBe("2.3.0");
    expect(acmeAt("2026-04-02T00:00:00Z")).toBe("none");
  });

  it("marks a license whose expiry had passed: without the move in update 3, ACME's would have lapsed on March 31", () => {
    const withoutMove = updateStates(FIVE_UPDATES.slice(0, 2), FIVE_STATES.slice(0, 2));
    const access = accessAt(withoutMove, new Date("2026-04-15T00:00:00Z"));
    expect(access.update?.number).toBe(2);
    expect(access.customers[0]?.licenses[0]).toMatchObject({ license: "acme-hello-distr", expired: true });
  });

  it("names the update whose state answers, the next one, and the update that last changed each license", () => {
    const report = buildAccessReport(history, new Date("2026-03-01T00:00:00Z"), { customer: "ACME Corp" });
    expect(report.update?.number).toBe(3);
    expect(report.nextUpdate?.number).toBe(4);
    expect(report.customers).toEqual([
      {
        customer: "ACME Corp",
        licenses: [
          expect.objectContaining({
            license: "acme-hello-distr",
            what: "application license for hello-distr",
            grants: [
              {
                subject: "application hello-distr",
                granted: ["2.0.0", "2.1.0", "2.2.0", "2.3.0"],
                definition: "range >=2.0.0 <3.0.0",
              },
            ],
            expiresAt: "2026-06-30T00:00:00Z",
            expired: false,
            since: expect.objectContaining({ number: 3 }),
          }),
        ],
      },
    ]);
    const after = buildAccessReport(history, new Date("2026-05-01T00:00:00Z"), { customer: "ACME Corp" });
    expect(after.customers).toEqual([{ customer: "ACME Corp", licenses: [] }]);
  });

  it("refuses a customer no license was ever for, naming the ones there are", () => {
    expect(() => buildHistoryReport(history, { customer: "Globex" })).toThrow(CustomerNotInHistoryError);
    expect(() => buildHistoryReport(history, { customer: "Globex" })).toThrow(
      '--customer "Globex": no license of stack production was ever for a customer of that name; its customers are "ACME Corp", "Initech"',
    );
  });

  it("reads a replaced license (same resource, new id in Distr) as a replacement", () => {
    const replaced = FIVE_STATES[0]?.map((resource) =>
      (resource as { id: string }).id === "lic-acme" ? { ...(resource as object), id: "lic-acme-2" } : resource,
    );
    const events = licenseEvents(updateStates(FIVE_UPDATES.slice(0, 2), [FIVE_STATES[0] ?? [], replaced ?? []]));
    expect(events.filter((e) => e.update.number === 2).map((e) => e.change.action)).toEqual(["replace"]);
  });
});
