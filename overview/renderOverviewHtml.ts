/**
 * The overview as one self-contained HTML page: a customer × application/artifact matrix whose cells are coloured
 * by the days to the soonest expiry among the licenses behind them, then every license by expiry. Inline CSS only,
 * no script, no image, no font or link to fetch: the page shows the same offline, attached to a CI run or mailed.
 */
import {
  describeDaysLeft,
  describeExpiresAt,
  RENEWAL_HORIZON_DAYS,
  type ExpiryStatus,
  type OverviewLicense,
  type OverviewReport,
} from "./licenseOverview";
import { grantsText } from "./renderOverview";

/** Cell colours by expiry status (background, text): the page's legend says what each means. */
export const STATUS_COLOURS: Readonly<Record<ExpiryStatus, { background: string; text: string }>> = {
  expired: { background: "#7f1d1d", text: "#ffffff" },
  expiring: { background: "#dc2626", text: "#ffffff" },
  "renew-soon": { background: "#f59e0b", text: "#111827" },
  ok: { background: "#16a34a", text: "#ffffff" },
  "no-expiry": { background: "#cbd5e1", text: "#111827" },
};

/** Most urgent first: a cell takes the colour of its most urgent license. */
const URGENCY: readonly ExpiryStatus[] = ["expired", "expiring", "renew-soon", "ok", "no-expiry"];

export function renderOverviewHtml(report: OverviewReport): string {
  const rows: Array<{ name: string; id: string | undefined; licenses: OverviewLicense[] }> = report.customers.map(
    (customer) => ({
      name: customer.name,
      id: customer.id,
      licenses: report.licenses.filter((license) => license.customerId === customer.id),
    }),
  );
  const orphans = report.licenses.filter((license) => license.customer === null);
  if (orphans.length > 0) rows.push({ name: "(no customer)", id: undefined, licenses: orphans });

  const header = report.targets
    .map((target) => `<th scope="col">${target.target === "artifact" ? "artifact " : ""}${html(target.name)}</th>`)
    .join("");
  const body = rows
    .map((row) => {
      const cells = report.targets.map((target) => {
        const here = row.licenses.filter((license) =>
          license.grants.some((grant) => grant.target === target.target && grant.name === target.name),
        );
        const data = `data-customer="${html(row.name)}" data-target="${html(`${target.target}:${target.name}`)}"`;
        if (here.length === 0) return `<td class="none" ${data}></td>`;
        const status = URGENCY.find((candidate) => here.some((license) => license.status === candidate)) ?? "ok";
        const soonest = here.map((license) => license.daysLeft).filter((days): days is number => days !== undefined);
        const lines = here.map((license) => {
          const grants = license.grants
            .filter((grant) => grant.target === target.target && grant.name === target.name)
            .map((grant) => grant.text)
            .join("; ");
          return (
            `<div class="grant">${html(grants)}</div>` +
            `<div class="license">${html(license.name)} · ${html(
              license.expiresAt === undefined
                ? "no expiry"
                : `${describeExpiresAt(license)} (${describeDaysLeft(license)})`,
            )}</div>`
          );
        });
        return (
          `<td class="status-${status}" ${data} data-status="${status}"` +
          `${soonest.length > 0 ? ` data-days="${Math.min(...soonest)}"` : ""}>${lines.join("")}</td>`
        );
      });
      return `<tr><th scope="row">${html(row.name)}</th>${cells.join("")}</tr>`;
    })
    .join("\n");

  const byExpiry = report.licenses
    .map(
      (license) =>
        `<tr class="status-${license.status}"><td>${html(describeExpiresAt(license))}</td>` +
        `<td>${html(describeDaysLeft(license))}</td><td>${html(license.customer ?? "(no customer)")}</td>` +
        `<td>${html(license.name)}</td><td>${html(grantsText(license))}</td></tr>`,
    )
    .join("\n");

  const statusCss = URGENCY.map(
    (status) =>
      `.status-${status} { background: ${STATUS_COLOURS[status].background}; color: ${STATUS_COLOURS[status].text}; }`,
  ).join("\n");
  const legend = URGENCY.map(
    (status) => `<span class="key status-${status}">${html(LEGEND[status](report.expiringWithinDays))}</span>`,
  ).join(" ");

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Licenses of ${html(report.host)}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 24px; color: #111827; background: #ffffff; }
table { border-collapse: collapse; margin-bottom: 24px; }
th, td { border: 2px solid #ffffff; padding: 12px; vertical-align: top; text-align: left; font-size: 13px; }
thead th, tbody th { background: #f3f4f6; }
td.none { background: #ffffff; border-color: #e5e7eb; }
.matrix td { min-width: 160px; }
.grant { font-weight: 600; }
.license { font-size: 11px; }
.key { display: inline-block; padding: 4px 8px; margin-right: 4px; }
${statusCss}
</style>
</head>
<body>
<h1>Licenses of ${html(report.host)}</h1>
<p><strong>${html(report.summary.text)}</strong> Distr ${report.dialect}.x at ${html(report.now)}.</p>
<p>${legend}</p>
<h2>Who may use what</h2>
<table class="matrix">
<thead><tr><th scope="col">Customer</th>${header}</tr></thead>
<tbody>
${body}
</tbody>
</table>
<h2>Licenses by expiry</h2>
<table class="by-expiry">
<thead><tr><th>Expires</th><th></th><th>Customer</th><th>License</th><th>Grants</th></tr></thead>
<tbody>
${byExpiry}
</tbody>
</table>
</body>
</html>
`;
}

const LEGEND: Readonly<Record<ExpiryStatus, (window: number) => string>> = {
  expired: () => "expired",
  expiring: (window) => `expires within ${window} days`,
  "renew-soon": (window) =>
    window < RENEWAL_HORIZON_DAYS ? `within ${RENEWAL_HORIZON_DAYS} days` : `after ${window} days`,
  ok: (window) => `later than ${Math.max(window, RENEWAL_HORIZON_DAYS)} days`,
  "no-expiry": () => "no expiry",
};

function html(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (character) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[character] ?? character,
  );
}
