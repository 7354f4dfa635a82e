/**
 * The expiry and access overview as markdown (a scheduled job's summary or issue), plain text and JSON: licenses by
 * expiry, soonest first, then each customer with what it may use. The HTML page is renderOverviewHtml.ts.
 */
import { escape } from "../review/renderMarkdown";
import { describeDaysLeft, describeExpiresAt, type OverviewLicense, type OverviewReport } from "./licenseOverview";

export function renderOverviewMarkdown(report: OverviewReport): string {
  const out = [
    "## Licenses by expiry",
    "",
    `**${escape(report.summary.text)}**`,
    "",
    `Distr ${escape(report.host)} (${report.dialect}.x) at ${report.now}.`,
    "",
  ];
  if (report.licenses.length > 0) {
    out.push("| Expires | | Customer | License | Grants |", "| --- | --- | --- | --- | --- |");
    for (const license of report.licenses) {
      out.push(
        `| ${describeExpiresAt(license)} | ${statusMark(license)}${describeDaysLeft(license)} | ` +
          `${escape(license.customer ?? "(no customer)")} | ${escape(license.name)} | ${escape(grantsText(license))} |`,
      );
    }
    out.push("");
  }
  out.push("## Access by customer", "");
  for (const customer of report.customers) {
    out.push(`### ${escape(customer.name)}`, "");
    const own = customer.licenses.map((id) => licenseById(report, id));
    if (own.length === 0) out.push("- no licenses: may use nothing", "");
    for (const license of own) {
      out.push(`- **${escape(license.name)}**: ${escape(expiryPhrase(license))}`);
      for (const grant of license.grants) out.push(`  - ${grant.target} ${escape(grant.name)}: ${escape(grant.text)}`);
    }
    if (own.length > 0) out.push("");
  }
  const orphans = report.licenses.filter((license) => license.customer === null);
  if (orphans.length > 0) {
    out.push("### Licenses without customer", "");
    for (const license of orphans) out.push(`- **${escape(license.name)}**: ${escape(grantsText(license))}`);
    out.push("");
  }
  out.push(...footer(report));
  return out.join("\n");
}

export function renderOverviewText(report: OverviewReport): string {
  const out = [report.summary.text, `Distr ${report.host} (${report.dialect}.x) at ${report.now}.`, "", "By expiry:"];
  const rows = report.licenses.map((license) => [
    describeExpiresAt(license),
    describeDaysLeft(license),
    license.customer ?? "(no customer)",
    license.name,
    grantsText(license),
  ]);
  const widths = [0, 1, 2, 3].map((column) => Math.max(0, ...rows.map((row) => (row[column] ?? "").length)));
  for (const row of rows) {
    out.push(`  ${row.map((cell, column) => (column < 4 ? cell.padEnd(widths[column] ?? 0) : cell)).join("  ")}`);
  }
  if (rows.length === 0) out.push("  (no licenses)");
  out.push("", "By customer:");
  for (const customer of report.customers) {
    out.push(`  ${customer.name}`);
    const own = customer.licenses.map((id) => licenseById(report, id));
    if (own.length === 0) out.push("    may use nothing (no licenses)");
    for (const license of own) {
      out.push(`    ${license.name}: ${expiryPhrase(license)}`);
      for (const grant of license.grants) out.push(`      ${grant.target} ${grant.name}: ${grant.text}`);
    }
  }
  out.push("", ...footer(report));
  return out.join("\n");
}

export function renderOverviewJson(report: OverviewReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

export function grantsText(license: OverviewLicense): string {
  return license.grants.map((grant) => `${grant.name}: ${grant.text}`).join("; ") || "nothing";
}

/** "expires 2027-01-31 (in 30 days)", "no expiry". */
function expiryPhrase(license: OverviewLicense): string {
  return license.expiresAt === undefined
    ? "no expiry"
    : `expires ${describeExpiresAt(license)} (${describeDaysLeft(license)})`;
}

function licenseById(report: OverviewReport, id: string): OverviewLicense {
  const license = report.licenses.find((candidate) => candidate.id === id);
  if (!license) throw new Error(`overview lists license ${id} for a customer but not among its licenses`);
  return license;
}

function statusMark(license: OverviewLicense): string {
  return license.status === "expired" ? "⛔ " : license.status === "expiring" ? "⚠️ " : "";
}

function footer(report: OverviewReport): string[] {
  const lines: string[] = [];
  if (report.stacks.length > 0) {
    lines.push(
      `Ranges and tags as the code of ${report.stacks.join(", ")} wrote them, with what they grant today.`,
      "",
    );
  }
  const reads = report.requests !== undefined ? `Read from Distr with ${report.requests} requests (no writes); ` : "";
  lines.push(`${reads}"expiring" means within ${report.expiringWithinDays} days.`, "");
  return lines;
}
