/**
 * `pulumi-distr history` as markdown (an issue or a wiki page), plain text (a terminal) or JSON (other tools): the
 * license changes per customer with the update that made each, or what each customer had at a moment. The lines of a
 * change are the review's (review/reportWording.ts), marked the same way (➕ gain, ➖ loss in markdown; + / - in text).
 */
import { escape } from "../review/renderMarkdown";
import type { WordedLine } from "../review/reportWording";
import { formatExpiry } from "../review/reportWording";
import type { AccessGrant, AccessReport, HistoryReport, LicenseAtMoment } from "./historyReport";
import type { StackUpdate } from "./stackUpdate";

export const HISTORY_FORMATS = ["markdown", "text", "json"] as const;
export type HistoryFormat = (typeof HISTORY_FORMATS)[number];

export function renderHistory(report: HistoryReport | AccessReport, format: HistoryFormat): string {
  if (format === "json") return `${JSON.stringify(report, null, 2)}\n`;
  const markdown = format === "markdown";
  const lines = report.kind === "history" ? historyLines(report, markdown) : accessLines(report, markdown);
  return `${lines
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trimEnd()}\n`;
}

const text = (value: string, markdown: boolean) => (markdown ? escape(value) : value);
const strong = (value: string, markdown: boolean) => (markdown ? `**${escape(value)}**` : value);
const code = (value: string, markdown: boolean) => (markdown ? `\`${value}\`` : value);

function historyLines(report: HistoryReport, markdown: boolean): string[] {
  const out = [heading(1, `License history of stack ${code(report.stack, markdown)}`, markdown), ""];
  const first = report.updates[0];
  const last = report.updates[report.updates.length - 1];
  out.push(
    first && last
      ? `${count(report.updates.length, "update")} from ${moment(first.startTime)} to ${moment(last.endTime ?? last.startTime)} ` +
          `(${text(report.backend, markdown)}); ${count(report.customers.filter((c) => c.customer !== null).length, "customer")} ` +
          "with license changes."
      : `Stack ${code(report.stack, markdown)} has no updates yet (${text(report.backend, markdown)}).`,
    "",
  );
  for (const { customer, entries } of report.customers) {
    out.push(heading(2, text(customer ?? "Licenses without customer", markdown), markdown));
    if (markdown) out.push("");
    for (const entry of entries) {
      const head = `${strong(`Update ${entry.update.number}`, markdown)} ${text(describeUpdate(entry.update), markdown)}:`;
      const license = `${strong(entry.license, markdown)} (${text(entry.what, markdown)}) ${text(entry.action, markdown)}`;
      out.push(markdown ? `- ${head} ${license}` : `  ${head} ${license}`);
      for (const line of entry.lines) out.push(markdown ? `  - ${mark(line)}` : `      ${sign(line)}`);
    }
    out.push("");
  }
  return out;
}

function accessLines(report: AccessReport, markdown: boolean): string[] {
  const out = [heading(1, `Licenses of stack ${code(report.stack, markdown)} at ${moment(report.at)}`, markdown), ""];
  const until = report.nextUpdate
    ? `; it held until update ${report.nextUpdate.number} ended at ${moment(report.nextUpdate.endTime ?? "")}`
    : "; no later update has changed it";
  out.push(
    report.update
      ? `As left by ${strong(`update ${report.update.number}`, markdown)} ${text(describeUpdate(report.update), markdown)}${until}.`
      : `No update of the stack had ended by then: it granted nothing yet${
          report.nextUpdate
            ? ` (update ${report.nextUpdate.number} ended at ${moment(report.nextUpdate.endTime ?? "")})`
            : ""
        }.`,
    "",
  );
  for (const { customer, licenses } of report.customers) {
    out.push(heading(2, text(customer ?? "Licenses without customer", markdown), markdown));
    if (markdown) out.push("");
    if (licenses.length === 0) out.push(markdown ? "- no license: no access" : "  no license: no access");
    for (const license of licenses) {
      const state = licenseState(license);
      const head = `${strong(license.license, markdown)} (${text(license.what, markdown)}): ${text(state, markdown)}`;
      out.push(markdown ? `- ${head}` : `  ${head}`);
      const details = [
        ...license.grants.map((grant) => grantLine(grant)),
        `last changed by update ${license.since.number}${license.since.commit ? ` (commit ${license.since.commit.hash.slice(0, 7)})` : ""}`,
      ];
      for (const detail of details) out.push(markdown ? `  - ${text(detail, markdown)}` : `      ${detail}`);
    }
    out.push("");
  }
  return out;
}

function licenseState(license: LicenseAtMoment): string {
  if (license.expired) return `expired on ${formatExpiry(license.expiresAt ?? "")}: no access`;
  return license.expiresAt === undefined
    ? "in force, no expiry"
    : `in force, expires ${formatExpiry(license.expiresAt)}`;
}

function grantLine(grant: AccessGrant): string {
  if (grant.granted === "all") return `${grant.subject}: all, including future releases`;
  const names = grant.granted.length > 0 ? grant.granted.join(", ") : "nothing";
  return grant.definition.startsWith("[")
    ? `${grant.subject}: ${names}`
    : `${grant.subject}: ${names} (${grant.definition})`;
}

/** "(update, 2026-12-06 04:40:11 UTC, commit 3f2a1b9 by Ann on main: "Grant ACME 2.x")". */
export function describeUpdate(update: StackUpdate): string {
  const parts = [update.kind === "update" ? "" : update.kind, update.result === "succeeded" ? "" : update.result]
    .filter((part) => part !== "")
    .join(", ");
  const commit = update.commit
    ? `, commit ${update.commit.hash.slice(0, 7)}${update.commit.author ? ` by ${update.commit.author}` : ""}` +
      `${update.commit.branch ? ` on ${update.commit.branch}` : ""}`
    : "";
  const message = update.message !== "" ? `: "${update.message}"` : "";
  return `(${parts !== "" ? `${parts}, ` : ""}${moment(update.endTime ?? update.startTime)}${commit}${message})`;
}

/** "2026-12-06 04:40:11 UTC": to the second, as the engine records update times. */
function moment(iso: string): string {
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso : `${at.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

function heading(level: 1 | 2, value: string, markdown: boolean): string {
  return markdown ? `${level === 1 ? "##" : "###"} ${value}` : value;
}

function mark(line: WordedLine): string {
  const marker = line.tone === "gain" ? "➕ " : line.tone === "loss" ? "➖ " : "";
  return `${marker}${escape(line.text)}`;
}

function sign(line: WordedLine): string {
  return line.tone === "gain" ? `+ ${line.text}` : line.tone === "loss" ? `- ${line.text}` : `  ${line.text}`;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
