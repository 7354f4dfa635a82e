/**
 * The review as GitHub-flavoured markdown for a pull-request comment: summary first, then the risks table, then one
 * section per customer. GitHub refuses comments of 65,536 characters or more, so sections that do not fit are cut
 * with an "N more" line that says how to see everything.
 */
import type { ReviewReport } from "./report";
import { customerHeading, customerLines, customerStatus, wordLicense, type WordedLine } from "./reportWording";
import { RULES } from "./rules";

/** GitHub's limit for an issue or pull-request comment body is 65,536 characters; stay clearly below it. */
export const MARKDOWN_LIMIT = 65_000;

export interface MarkdownOptions {
  /** Upper bound of the output's length in characters (default MARKDOWN_LIMIT). */
  readonly limit?: number;
  /** The heading's text (default "License review"). */
  readonly title?: string;
}

export function renderMarkdown(report: ReviewReport, options: MarkdownOptions = {}): string {
  const limit = options.limit ?? MARKDOWN_LIMIT;
  const now = new Date(report.now);
  const head: string[] = [`## ${options.title ?? "License review"}`, "", `**${escape(report.summary.text)}**`, ""];
  const footer = footerLines(report);

  const risks = riskLines(report);
  const sections = report.customers.map((section) => {
    const status = customerStatus(section);
    const lines = [
      `### ${escape(customerHeading(section))}${status.length > 0 ? ` (${escape(status.join("; "))})` : ""}`,
      "",
    ];
    for (const line of customerLines(section)) lines.push(`- ${mark(line)}`);
    for (const change of section.licenses) {
      const worded = wordLicense(change, section, now, report.archivedVersions ?? {});
      lines.push(`- **${escape(worded.name)}** (${escape(worded.what)}): ${escape(worded.action)}`);
      for (const line of worded.lines) lines.push(`  - ${mark(line)}`);
    }
    lines.push("");
    return lines.join("\n");
  });

  const fixed = [...head, ...footer].join("\n").length + 200;
  let budget = limit - fixed;
  const out = [...head];
  const riskText = risks.join("\n");
  if (riskText.length <= budget / 2 || risks.length <= 3) {
    out.push(riskText);
    budget -= riskText.length;
  } else {
    // Keep the table to half the budget: the customers' sections are what the reviewer reads next.
    const kept: string[] = [];
    let used = 0;
    for (const line of risks) {
      if (used + line.length + 1 > budget / 2) break;
      kept.push(line);
      used += line.length + 1;
    }
    const rows = risks.filter((line) => line.startsWith("| `")).length;
    const shown = kept.filter((line) => line.startsWith("| `")).length;
    kept.push("", `*… and ${rows - shown} more risks not shown: \`pulumi-distr review --format text\` lists all.*`, "");
    out.push(kept.join("\n"));
    budget -= used;
  }
  let shown = 0;
  for (const section of sections) {
    if (section.length + 1 > budget) break;
    out.push(section);
    budget -= section.length + 1;
    shown += 1;
  }
  if (shown < sections.length) {
    const rest = report.customers.slice(shown);
    const licenses = rest.reduce((sum, section) => sum + section.licenses.length, 0);
    out.push(
      `*… and ${rest.length} more customer${rest.length === 1 ? "" : "s"} (${licenses} license change${licenses === 1 ? "" : "s"}) ` +
        "not shown: this comment would exceed GitHub's limit. `pulumi-distr review --format text` shows everything.*",
      "",
    );
  }
  out.push(...footer);
  return out.join("\n");
}

function riskLines(report: ReviewReport): string[] {
  if (report.findings.length === 0) return ["No risks found by the rules.", ""];
  const lines = ["### Risks", "", "| Rule | Customer | License | What |", "| --- | --- | --- | --- |"];
  for (const finding of report.findings) {
    lines.push(
      `| \`${finding.rule}\` | ${escape(finding.customer ?? "(no customer)")} | ${escape(finding.license)} | ${escape(finding.message)} |`,
    );
  }
  lines.push("");
  return lines;
}

function footerLines(report: ReviewReport): string[] {
  const lines: string[] = [];
  if (report.unchanged) {
    const u = report.unchanged;
    lines.push(
      `Unchanged: ${count(u.customers, "customer")}, ${count(u.applicationLicenses, "application license")}, ` +
        `${count(u.artifactLicenses, "artifact license")}.`,
      "",
    );
  }
  for (const skipped of report.skippedRules) {
    lines.push(`> Rule \`${skipped.rule}\` skipped: ${escapeProse(skipped.reason)}.`, "");
  }
  for (const note of report.notes) lines.push(`> Note: ${escapeProse(note)}.`, "");
  const fired = new Set(report.findings.map((finding) => finding.rule));
  lines.push(
    "<details><summary>Rules</summary>",
    "",
    "| Rule | Flags | Fired |",
    "| --- | --- | --- |",
    ...RULES.map((rule) => `| \`${rule.name}\` | ${escape(rule.summary)} | ${fired.has(rule.name) ? "yes" : "no"} |`),
    "",
    `Judged at ${report.now}; expiry window ${report.expiryWindowDays} days.`,
    "</details>",
    "",
  );
  return lines;
}

function mark(line: WordedLine): string {
  const sign = line.tone === "gain" ? "➕ " : line.tone === "loss" ? "➖ " : "";
  return `${sign}${escape(line.text)}`;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/** Our own sentences: code in backticks (a command to run) stays code; the rest is escaped. */
function escapeProse(text: string): string {
  return text
    .split(/(`[^`\n]+`)/)
    .map((part, index) => (index % 2 === 1 ? part : escape(part)))
    .join("");
}

/** Markdown's active characters in names and messages, and `|` for table cells. */
export function escape(text: string): string {
  return text.replace(/[\\`*_[\]<>|~#]/g, (character) => `\\${character}`);
}
