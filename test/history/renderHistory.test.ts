/**
 * The history's three formats, for the five updates of the fixture: markdown and text say the same things, JSON
 * carries the structured report (and parses back).
 */
import { buildAccessReport, buildHistoryReport } from "../../history/historyReport";
import type { StackHistory } from "../../history/historySource";
import { renderHistory } from "../../history/renderHistory";
import { FIVE_STATES, FIVE_UPDATES, updateStates } from "./fixtures";

const history: StackHistory = {
  stack: "production",
  backend: "s3://licenses-state",
  states: updateStates(FIVE_UPDATES, FIVE_STATES),
};

describe("rendering the license history", () => {
  it("markdown: one section per customer, each change under the update that made it", () => {
    const text = renderHistory(buildHistoryReport(history), "markdown");
    expect(text).toBe(
      [
        "## License history of stack `production`",
        "",
        "5 updates from 2026-01-10 09:59:52 UTC to 2026-04-01 10:00:00 UTC (s3://licenses-state); 2 customers with license changes.",
        "",
        "### ACME Corp",
        "",
        '- **Update 1** (2026-01-10 10:00:00 UTC, commit 1111111 by Ann Example on main: "Grant ACME 2.0 and 2.1"): **acme-hello-distr** (application license for hello-distr) created',
        "  - ➕ grants 2.0.0, 2.1.0",
        "  - expires 2026-03-31 (in 79 days)",
        '- **Update 2** (2026-02-01 10:00:00 UTC, commit 2222222 by Ann Example on main: "Widen ACME to every 2.x"): **acme-hello-distr** (application license for hello-distr) updated',
        "  - versions of hello-distr: \\[2.0.0, 2.1.0\\] → range \\>=2.0.0 \\<3.0.0",
        "  - ➕ gains versions 2.2.0, 2.3.0",
        '- **Update 3** (2026-02-20 10:00:00 UTC, commit 3333333 by Ann Example on main: "Move ACME\'s expiry to June"): **acme-hello-distr** (application license for hello-distr) updated',
        "  - ➕ expiry 2026-03-31 → 2026-06-30 (in 129 days), +91 days",
        '- **Update 4** (2026-03-10 10:00:00 UTC, commit 4444444 by Ann Example on main: "Narrow ACME to 2.3.0"): **acme-hello-distr** (application license for hello-distr) updated',
        "  - versions of hello-distr: range \\>=2.0.0 \\<3.0.0 → \\[2.3.0\\]",
        "  - ➖ loses versions 2.0.0, 2.1.0, 2.2.0",
        '- **Update 5** (2026-04-01 10:00:00 UTC, commit 5555555 by Ann Example on main: "Remove ACME\'s license"): **acme-hello-distr** (application license for hello-distr) deleted',
        "  - ➖ no longer grants 2.3.0",
        "",
        "### Initech",
        "",
        '- **Update 1** (2026-01-10 10:00:00 UTC, commit 1111111 by Ann Example on main: "Grant ACME 2.0 and 2.1"): **initech-hello-distr** (application license for hello-distr) created',
        "  - ➕ grants 1.1.0",
        "  - no expiry",
        "",
      ].join("\n"),
    );
  });

  it("text: what ACME had on 2026-03-01, from which update, until when", () => {
    const text = renderHistory(
      buildAccessReport(history, new Date("2026-03-01T00:00:00Z"), { customer: "ACME Corp" }),
      "text",
    );
    expect(text).toBe(
      [
        "Licenses of stack production at 2026-03-01 00:00:00 UTC",
        "",
        'As left by update 3 (2026-02-20 10:00:00 UTC, commit 3333333 by Ann Example on main: "Move ACME\'s expiry to June"); it held until update 4 ended at 2026-03-10 10:00:00 UTC.',
        "",
        "ACME Corp",
        "  acme-hello-distr (application license for hello-distr): in force, expires 2026-06-30",
        "      application hello-distr: 2.0.0, 2.1.0, 2.2.0, 2.3.0 (range >=2.0.0 <3.0.0)",
        "      last changed by update 3 (commit 3333333)",
        "",
      ].join("\n"),
    );
  });

  it("text: before the first update the stack granted nothing", () => {
    const text = renderHistory(buildAccessReport(history, new Date("2025-12-01T00:00:00Z")), "text");
    expect(text).toContain(
      "No update of the stack had ended by then: it granted nothing yet (update 1 ended at 2026-01-10 10:00:00 UTC).",
    );
    expect(text).toContain("ACME Corp\n  no license: no access");
  });

  it("json: the structured report, with the review's change objects", () => {
    const parsed = JSON.parse(renderHistory(buildHistoryReport(history), "json")) as {
      schemaVersion: number;
      kind: string;
      customers: Array<{
        customer: string;
        entries: Array<{ update: { number: number }; change: { action: string } }>;
      }>;
    };
    expect(parsed.schemaVersion).toBe(1);
    expect(parsed.kind).toBe("history");
    expect(parsed.customers[0]?.entries.map((e) => [e.update.number, e.change.action])).toEqual([
      [1, "create"],
      [2, "update"],
      [3, "update"],
      [4, "update"],
      [5, "delete"],
    ]);
  });
});
