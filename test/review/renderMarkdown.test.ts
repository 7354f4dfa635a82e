import { compareLicenses } from "../../review/licenseChange";
import { applicationLicenseSnapshotOf } from "../../review/licenseSnapshot";
import { buildReviewReport } from "../../review/report";
import { MARKDOWN_LIMIT, renderMarkdown } from "../../review/renderMarkdown";

const NOW = new Date("2027-01-01T00:00:00Z");

/** A report of `customers` customers who each gain one license with many versions. */
function bigReport(customers: number) {
  const versions = Array.from({ length: 60 }, (_, i) => `2.${i}.0`);
  const licenses = Array.from({ length: customers }, (_, i) =>
    compareLicenses(
      undefined,
      applicationLicenseSnapshotOf({
        name: `customer-${String(i).padStart(4, "0")}-pro`,
        customer: `id-${i}`,
        customerName: `Customer ${String(i).padStart(4, "0")} | Ltd *`,
        application: "hello-distr",
        versions,
        expiresAt: "2027-06-30T00:00:00Z",
      }),
      { resource: `customer-${i}-pro`, action: "create" },
    ),
  );
  return buildReviewReport(
    {
      customers: [],
      licenses,
      unchanged: { customers: 0, applicationLicenses: 0, artifactLicenses: 0 },
      unnamedCustomerIds: [],
      listsUnchanged: true,
    },
    {
      now: NOW,
      distr: {
        facts: {
          dialect: "3",
          customerNames: new Map(),
          organization: { applicationLicenses: 1, artifactLicenses: 1 },
        },
      },
    },
  );
}

describe("renderMarkdown", () => {
  it("stays below GitHub's comment limit and says how many customers it left out", () => {
    const report = bigReport(400);
    const markdown = renderMarkdown(report);
    expect(markdown.length).toBeLessThan(65_536);
    expect(markdown.length).toBeLessThanOrEqual(MARKDOWN_LIMIT);
    const shown = (markdown.match(/^### Customer /gm) ?? []).length;
    expect(shown).toBeGreaterThan(10);
    expect(shown).toBeLessThan(400);
    expect(markdown).toContain(`*… and ${400 - shown} more customers (${400 - shown} license changes) not shown`);
    expect(markdown.startsWith("## License review\n\n**400 customers affected: 400 gain access; 0 risks**")).toBe(true);
    expect(markdown).toContain("<details><summary>Rules</summary>");
  });

  it("cuts the risks table too when it alone would not fit, keeping room for the customers", () => {
    const report = bigReport(50);
    const withRisks = {
      ...report,
      findings: Array.from({ length: 2000 }, (_, i) => ({
        rule: "loses-access" as const,
        resource: `r${i}`,
        license: `license-${i}`,
        customer: `Customer ${i}`,
        message: "loses versions 1.0.0, 1.1.0 of hello-distr",
      })),
    };
    const markdown = renderMarkdown(withRisks, { limit: 20_000 });
    expect(markdown.length).toBeLessThanOrEqual(20_000);
    expect(markdown).toMatch(/\*… and \d+ more risks not shown/);
    expect(markdown).toContain("### Customer 0000");
  });

  it("escapes markdown in names so a customer cannot break the table or the layout", () => {
    const markdown = renderMarkdown(bigReport(1));
    expect(markdown).toContain("### Customer 0000 \\| Ltd \\*\n");
  });

  it("is deterministic", () => {
    expect(renderMarkdown(bigReport(30))).toBe(renderMarkdown(bigReport(30)));
  });
});
