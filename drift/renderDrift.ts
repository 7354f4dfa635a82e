/**
 * The drift report as markdown (the body of the GitHub issue the scheduled job keeps open while there is drift),
 * plain text and JSON. The sentences say each fact from the customer's side; an unmanaged license also gets the
 * review's lines for what it grants. GitHub refuses issue bodies of 65,536 characters or more: sections that do not
 * fit are cut with a line that says how to see everything.
 */
import { escape, MARKDOWN_LIMIT } from "../review/renderMarkdown";
import type { WordedLine } from "../review/reportWording";
import { plural, type DriftItem, type DriftReport, type DriftSection } from "./driftReport";

/** The first line of the issue body: the scheduled job finds its issue again by it. */
export function driftMarker(stacks: readonly string[]): string {
  return `<!-- pulumi-distr-drift:${stacks.join(",")} -->`;
}

const OBJECT_NOUN: Readonly<Record<DriftItem["object"], string>> = {
  customer: "customer",
  applicationLicense: "application license",
  artifactLicense: "artifact license",
  licenseKey: "license key",
};

const DRIFT_WORDS: Readonly<Record<DriftItem["drift"], string>> = {
  changed: "changed in Distr",
  deleted: "deleted in Distr",
  unmanaged: "no stack manages it",
};

export function renderDriftMarkdown(report: DriftReport, options: { limit?: number } = {}): string {
  const limit = options.limit ?? MARKDOWN_LIMIT;
  const head = [
    driftMarker(report.stacks),
    "## License drift",
    "",
    `**${escape(report.summary.text)}**`,
    "",
    `Distr ${escape(report.host)} (${report.dialect}.x) compared with the state of ${stackList(report.stacks)}.`,
    "",
  ];
  const footer = footerLines(report, "markdown");
  let budget = limit - [...head, ...footer].join("\n").length - 200;
  const out = [...head];
  let shown = 0;
  for (const section of report.sections) {
    const lines = [`### ${escape(heading(section))}`, ""];
    for (const item of section.items) {
      lines.push(
        `- **${escape(item.name)}** (${OBJECT_NOUN[item.object]}${managedBy(item)}): ${DRIFT_WORDS[item.drift]}`,
      );
      for (const sentence of item.sentences) lines.push(`  - ${escape(sentence)}`);
      if (item.drift === "unmanaged") for (const line of item.lines) lines.push(`  - ${mark(line)}`);
      if (item.interruptedCreate) lines.push(`  - ${escape(interruptedText(item))}`);
    }
    lines.push("");
    const text = lines.join("\n");
    if (text.length + 1 > budget) break;
    out.push(text);
    budget -= text.length + 1;
    shown += 1;
  }
  if (shown < report.sections.length) {
    const rest = report.sections.slice(shown);
    const items = rest.reduce((sum, section) => sum + section.items.length, 0);
    out.push(
      `*… and ${plural(rest.length, "more customer")} (${plural(items, "finding")}) not shown: GitHub's limit. ` +
        "`pulumi-distr drift --format text` shows everything.*",
      "",
    );
  }
  out.push(...footer);
  return out.join("\n");
}

export function renderDriftText(report: DriftReport): string {
  const out = [
    report.summary.text,
    `Distr ${report.host} (${report.dialect}.x) compared with the state of ${report.stacks.join(", ")}.`,
    "",
  ];
  for (const section of report.sections) {
    out.push(heading(section));
    for (const item of section.items) {
      out.push(`  ${item.name} (${OBJECT_NOUN[item.object]}${managedBy(item)}): ${DRIFT_WORDS[item.drift]}`);
      for (const sentence of item.sentences) out.push(`    - ${sentence}`);
      if (item.drift === "unmanaged") {
        for (const line of item.lines)
          out.push(`    ${line.tone === "gain" ? "+" : line.tone === "loss" ? "-" : " "} ${line.text}`);
      }
      if (item.interruptedCreate) out.push(`    - ${interruptedText(item)}`);
    }
    out.push("");
  }
  out.push(...footerLines(report, "text"));
  return out.join("\n");
}

export function renderDriftJson(report: DriftReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

function heading(section: DriftSection): string {
  return section.customer === null ? "Objects without customer" : (section.label ?? section.customer);
}

function managedBy(item: DriftItem): string {
  return item.stack !== undefined ? `, ${item.resource} in stack ${item.stack}` : "";
}

function interruptedText(item: DriftItem): string {
  const run = item.interruptedCreate;
  return run
    ? `probably left by an interrupted run: stack ${run.stack} was creating ${run.resource} (pending operation)`
    : "";
}

function stackList(stacks: readonly string[]): string {
  return stacks.length === 1 ? `stack \`${stacks[0]}\`` : `stacks ${stacks.map((s) => `\`${s}\``).join(", ")}`;
}

function footerLines(report: DriftReport, format: "markdown" | "text"): string[] {
  const lines: string[] = [];
  if (report.summary.drift) {
    const help =
      "To settle it: `pulumi up` puts back what the code says (after `pulumi refresh`, the preview shows the " +
      "difference); or change the code to match Distr. An object no stack manages: adopt it (`adopt: true`, or " +
      "`pulumi-distr export` writes the code), or delete it in the portal.";
    lines.push(format === "markdown" ? `> ${help}` : help, "");
  }
  for (const note of report.notes)
    lines.push(format === "markdown" ? `> Note: ${escape(note)}.` : `Note: ${note}.`, "");
  const reads =
    report.requests !== undefined ? `Read from Distr with ${plural(report.requests, "request")} (no writes); ` : "";
  lines.push(`${reads}judged at ${report.now}.`, "");
  return lines;
}

function mark(line: WordedLine): string {
  const sign = line.tone === "gain" ? "➕ " : line.tone === "loss" ? "➖ " : "";
  return `${sign}${escape(line.text)}`;
}
