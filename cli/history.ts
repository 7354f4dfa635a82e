/**
 * `pulumi-distr history`: for each customer, when each license was granted, changed or removed, and by which update
 * of the stack (number, time, commit and message); with `--at`, what each customer had at a moment. A thin front end
 * over history/ (readStackHistory, the reports, the renderers).
 */
import { BackendBucketError } from "../history/backendBucket";
import { DeploymentDocumentError } from "../review/deploymentDocument";
import { buildAccessReport, buildHistoryReport, CustomerNotInHistoryError } from "../history/historyReport";
import { readStackHistory, StackHistoryError } from "../history/historySource";
import { HISTORY_FORMATS, renderHistory, type HistoryFormat } from "../history/renderHistory";
import { parseOptions, UsageError, type CliCommand } from "./command";

const USAGE = `Usage: pulumi-distr history --stack STACK [--customer NAME] [--at DATE] [--format FORMAT] [--cwd DIR]

For each customer, the license grants and expiries over the stack's updates: when each license was granted,
changed or removed, by which update (number, time, and the commit and message the engine recorded). With --at,
what each customer had at that moment: the licenses the last update before it left, each in force or expired.

Options:
  --stack STACK      the stack (as \`pulumi stack history --stack\` takes it)
  --customer NAME    only this customer
  --at DATE          the moment: 2026-03-01 (00:00 UTC that day) or an RFC 3339 time, 2026-03-01T12:00:00Z
  --format FORMAT    markdown (default), text, or json
  --cwd DIR          the Pulumi project directory (default: the current directory)
  -h, --help         show this help

Reads the stack's updates with \`pulumi stack history --json\` (the Pulumi CLI must be on PATH and logged in to
the stack's backend). The state after each update comes from \`pulumi stack export --version N\` on Pulumi Cloud,
and from the backend's own history files on file:// and s3:// backends (S3 credentials from the environment:
AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE, as for \`pulumi login\`). An update counts from its end.
Exit codes: 0 reported; 1 the history could not be read; 2 a usage error.
`;

export interface HistoryArguments {
  readonly stack: string;
  readonly customer?: string;
  readonly at?: Date;
  readonly format: HistoryFormat;
  readonly cwd?: string;
}

/** `null` means: print the usage. */
export function parseHistoryArguments(argv: readonly string[]): HistoryArguments | null {
  const { values } = parseOptions(argv, {
    help: { type: "boolean", short: "h" },
    stack: { type: "string" },
    customer: { type: "string" },
    at: { type: "string" },
    format: { type: "string" },
    cwd: { type: "string" },
  });
  if (values.help) return null;
  if (values.stack === undefined || values.stack.trim() === "") {
    throw new UsageError("--stack is required: the stack whose history to read, e.g. --stack production");
  }
  const format = values.format ?? "markdown";
  if (!(HISTORY_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format must be one of ${HISTORY_FORMATS.join(", ")}, got ${JSON.stringify(format)}`);
  }
  return {
    stack: values.stack.trim(),
    ...(values.customer !== undefined ? { customer: values.customer } : {}),
    ...(values.at !== undefined ? { at: parseMoment(values.at) } : {}),
    format: format as HistoryFormat,
    ...(values.cwd !== undefined ? { cwd: values.cwd } : {}),
  };
}

/** A date alone is that day's start in UTC; a time needs its zone (Z or ±hh:mm), so the moment is not the machine's. */
export function parseMoment(value: string): Date {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const dateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(value);
  const at = new Date(dateOnly ? `${value}T00:00:00Z` : value);
  if ((!dateOnly && !dateTime) || Number.isNaN(at.getTime()) || !isCalendarDate(value.slice(0, 10))) {
    throw new UsageError(
      `--at must be a date like 2026-03-01 or an RFC 3339 time with its zone like 2026-03-01T12:00:00Z, got ${JSON.stringify(value)}`,
    );
  }
  return at;
}

/** Date parsing rolls 2026-02-30 over into March: check the day exists. */
function isCalendarDate(date: string): boolean {
  const [year, month, day] = date.split("-").map(Number);
  const utc = new Date(Date.UTC(year ?? 0, (month ?? 0) - 1, day ?? 0));
  return utc.getUTCFullYear() === year && utc.getUTCMonth() + 1 === month && utc.getUTCDate() === day;
}

export const historyCommand: CliCommand = {
  name: "history",
  summary: "each customer's license grants and expiries over the stack's updates; --at DATE: who had what then",
  usage: USAGE,
  async run(argv) {
    const args = parseHistoryArguments(argv);
    if (args === null) {
      process.stdout.write(USAGE);
      return 0;
    }
    try {
      const history = await readStackHistory({
        stack: args.stack,
        ...(args.cwd !== undefined ? { cwd: args.cwd } : {}),
      });
      const options = args.customer !== undefined ? { customer: args.customer } : {};
      const report =
        args.at !== undefined ? buildAccessReport(history, args.at, options) : buildHistoryReport(history, options);
      process.stdout.write(renderHistory(report, args.format));
      return 0;
    } catch (error) {
      if (
        error instanceof StackHistoryError ||
        error instanceof BackendBucketError ||
        error instanceof DeploymentDocumentError ||
        error instanceof CustomerNotInHistoryError
      ) {
        process.stderr.write(`pulumi-distr history: ${error.message}\n`);
        return 1;
      }
      throw error;
    }
  },
};
