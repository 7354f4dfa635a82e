/**
 * The review for a terminal: the same content as the markdown, laid out as indented plain text. Colour (gains
 * green, losses red, risks yellow) only when asked for: the command turns it on for a TTY without NO_COLOR.
 */
import { styleText } from "node:util";
import type { ReviewReport } from "./report";
import { customerHeading, customerLines, customerStatus, wordLicense, type WordedLine } from "./reportWording";

export interface TextOptions {
  readonly color?: boolean;
}

export function renderText(report: ReviewReport, options: TextOptions = {}): string {
  const paint = (format: Parameters<typeof styleText>[0], text: string) =>
    options.color ? styleText(format, text, { validateStream: false }) : text;
  const now = new Date(report.now);
  const out: string[] = [paint("bold", report.summary.text), ""];
  if (report.findings.length > 0) {
    out.push(paint("bold", "Risks:"));
    for (const finding of report.findings) {
      out.push(
        `  ${paint("yellow", finding.rule)}  ${finding.customer ?? "(no customer)"} / ${finding.license}: ${finding.message}`,
      );
    }
    out.push("");
  }
  for (const section of report.customers) {
    const status = customerStatus(section);
    out.push(paint("bold", `${customerHeading(section)}${status.length > 0 ? ` (${status.join("; ")})` : ""}`));
    for (const line of customerLines(section)) out.push(`  ${tone(line, paint)}`);
    for (const change of section.licenses) {
      const worded = wordLicense(change, section, now, report.archivedVersions ?? {});
      out.push(`  ${worded.name} (${worded.what}): ${worded.action}`);
      for (const line of worded.lines) out.push(`    ${tone(line, paint)}`);
    }
    out.push("");
  }
  if (report.unchanged) {
    const u = report.unchanged;
    out.push(
      `Unchanged: ${count(u.customers, "customer")}, ${count(u.applicationLicenses, "application license")}, ` +
        `${count(u.artifactLicenses, "artifact license")}.`,
    );
  }
  for (const skipped of report.skippedRules) out.push(`Rule ${skipped.rule} skipped: ${skipped.reason}.`);
  for (const note of report.notes) out.push(`Note: ${note}.`);
  out.push(`Judged at ${report.now}; expiry window ${report.expiryWindowDays} days.`, "");
  return out.join("\n");
}

function tone(line: WordedLine, paint: (format: Parameters<typeof styleText>[0], text: string) => string): string {
  if (line.tone === "gain") return paint("green", `+ ${line.text}`);
  if (line.tone === "loss") return paint("red", `- ${line.text}`);
  return `  ${line.text}`;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
