/**
 * `pulumi-distr drift`: what changed in Distr behind the code's back, and what in Distr no stack manages. A thin
 * front end over drift/ (checkDrift, the renderers); it reads the options, connects to Distr read-only, prints the
 * report and turns "drift found" into its own exit code.
 */
import * as fs from "node:fs";
import { checkDrift, renderDriftJson, renderDriftMarkdown, renderDriftText, StackStateError } from "../drift";
import type { DriftReport } from "../drift";
import { PreviewDocumentError } from "../review/previewDocument";
import { isDistrApiError } from "../sdk/errors";
import { parseOptions, UsageError, type CliCommand } from "./command";
import { connectDistr } from "./distrConnection";

const FORMATS = ["markdown", "text", "json"] as const;
type Format = (typeof FORMATS)[number];
/** Exit code when drift was found; 1 is a failure (Distr or a stack could not be read), 2 a usage mistake. */
export const DRIFT_EXIT_CODE = 3;

const USAGE = `Usage: pulumi-distr drift --stack STACK [--stack STACK ...] [options]

Compares Distr with the state of one or more stacks (read with \`pulumi stack export\`): licenses, customers and
license keys changed or deleted in the Distr portal, and objects in Distr that no stack manages (made in the portal,
or left by an interrupted run). Reads only: list calls, no per-license requests, no writes.

Options:
  --stack STACK          a stack whose state to compare with (repeatable: an object any of them manages is managed)
  --cwd DIR              the Pulumi project directory for the stacks (default: the current directory)
  --format FORMAT        markdown (default; the body of a GitHub issue), text, or json
  --out FILE             write the report to FILE (default: stdout)
  --now TIMESTAMP        judge expiries at this moment instead of now (RFC 3339), for reproducible reports
  -h, --help             show this help

Distr: the first stack's distr:host/distr:token, else DISTR_HOST/DISTR_TOKEN.
Exit codes: 0 no drift; ${DRIFT_EXIT_CODE} drift found; 1 Distr or a stack could not be read; 2 a usage error.
`;

export interface DriftArguments {
  readonly stacks: readonly string[];
  readonly cwd?: string;
  readonly format: Format;
  readonly out?: string;
  readonly now?: Date;
}

/** `null` means: print the usage. */
export function parseDriftArguments(argv: readonly string[]): DriftArguments | null {
  const { values } = parseOptions(argv, {
    help: { type: "boolean", short: "h" },
    stack: { type: "string", multiple: true },
    cwd: { type: "string" },
    format: { type: "string" },
    out: { type: "string" },
    now: { type: "string" },
  });
  if (values.help) return null;
  const stacks = values.stack ?? [];
  if (stacks.length === 0) {
    throw new UsageError("--stack is required: the stack (or stacks) whose state says what the code manages");
  }
  const format = values.format ?? "markdown";
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format must be one of ${FORMATS.join(", ")}, got ${JSON.stringify(format)}`);
  }
  return {
    stacks: [...new Set(stacks)],
    ...(values.cwd !== undefined ? { cwd: values.cwd } : {}),
    format: format as Format,
    ...(values.out !== undefined ? { out: values.out } : {}),
    ...(values.now !== undefined ? { now: parseNow(values.now) } : {}),
  };
}

export function parseNow(value: string): Date {
  const now = new Date(value);
  if (Number.isNaN(now.getTime()) || !/^\d{4}-\d{2}-\d{2}T/.test(value)) {
    throw new UsageError(`--now must be an RFC 3339 timestamp like 2027-01-01T00:00:00Z, got ${JSON.stringify(value)}`);
  }
  return now;
}

export const driftCommand: CliCommand = {
  name: "drift",
  summary: "find license changes made in the Distr portal and objects no stack manages (exit 3 on drift)",
  usage: USAGE,
  async run(argv) {
    const args = parseDriftArguments(argv);
    if (args === null) {
      process.stdout.write(USAGE);
      return 0;
    }
    const target = args.cwd !== undefined ? { cwd: args.cwd } : {};
    const connection = await connectDistr({ stack: args.stacks[0] ?? "", ...target });
    if ("error" in connection) {
      process.stderr.write(`pulumi-distr drift: ${connection.error}\n`);
      return 1;
    }
    try {
      const report = await checkDrift(connection.client, {
        stacks: args.stacks,
        target,
        now: args.now ?? new Date(),
        requestCount: () => connection.requests().total,
      });
      const text = render(report, args.format);
      if (args.out !== undefined) fs.writeFileSync(args.out, text);
      else process.stdout.write(text);
      const { total, writes } = connection.requests();
      process.stderr.write(
        `pulumi-distr drift: ${report.summary.text} (${total} requests to Distr, ${writes} writes)\n`,
      );
      return report.summary.drift ? DRIFT_EXIT_CODE : 0;
    } catch (error) {
      if (error instanceof StackStateError || error instanceof PreviewDocumentError || isDistrApiError(error)) {
        process.stderr.write(`pulumi-distr drift: ${error.message}\n`);
        return 1;
      }
      throw error;
    } finally {
      await connection.client.close();
    }
  },
};

function render(report: DriftReport, format: Format): string {
  if (format === "json") return renderDriftJson(report);
  if (format === "text") return renderDriftText(report);
  return renderDriftMarkdown(report);
}
