import { compareLicenses } from "../../review/licenseChange";
import { applicationLicenseSnapshotOf, artifactLicenseSnapshotOf } from "../../review/licenseSnapshot";
import { buildReviewReport } from "../../review/report";
import { wordLicense } from "../../review/reportWording";

const NOW = new Date("2027-01-01T00:00:00Z");

describe("the words for a license that changes hands", () => {
  const app = (customer: string, customerName: string) =>
    applicationLicenseSnapshotOf({
      name: "acme-pro",
      customer,
      customerName,
      application: "hello-distr",
      versions: { range: "^2", includePrerelease: false, matches: ["2.0.0", "2.1.0"] },
      expiresAt: "2027-06-30T00:00:00Z",
    });
  const images = (customer: string, customerName: string) =>
    artifactLicenseSnapshotOf({
      name: "acme-images",
      customer,
      customerName,
      expiresAt: "2027-06-30T00:00:00Z",
      artifacts: [{ artifact: "hello-distr/chart", tags: "all" }],
    });
  const report = buildReviewReport(
    {
      customers: [],
      licenses: [
        compareLicenses(app("a", "ACME Corp"), app("g", "Globex"), { resource: "acme-pro", action: "replace" }),
        compareLicenses(images("a", "ACME Corp"), images("g", "Globex"), { resource: "acme-images", action: "update" }),
      ],
      unchanged: { customers: 0, applicationLicenses: 0, artifactLicenses: 0 },
      unnamedCustomerIds: [],
      listsUnchanged: true,
    },
    { now: NOW, distr: { unavailable: "not asked" } },
  );
  const words = (customer: string) => {
    const section = report.customers.find((c) => c.customer === customer);
    if (!section) throw new Error(`no section ${customer}`);
    return section.licenses.map((change) => wordLicense(change, section, NOW));
  };

  it("the receiving customer sees everything the license grants", () => {
    expect(words("Globex").map((w) => [w.name, w.action, w.lines.map((l) => `${l.tone}: ${l.text}`)])).toEqual([
      ["acme-pro", "replaced", ["neutral: customer: ACME Corp → Globex", "gain: grants range ^2 (now 2.0.0, 2.1.0)"]],
      [
        "acme-images",
        "updated",
        [
          "neutral: customer: ACME Corp → Globex",
          "gain: artifact hello-distr/chart: grants all tags, including future pushes",
        ],
      ],
    ]);
  });

  it("the customer it leaves sees that it loses it", () => {
    expect(words("ACME Corp").map((w) => [w.name, w.action, w.lines.map((l) => `${l.tone}: ${l.text}`)])).toEqual([
      ["acme-pro", "moves to Globex", ["loss: ACME Corp loses this license"]],
      ["acme-images", "moves to Globex", ["loss: ACME Corp loses this license"]],
    ]);
  });
});
