/**
 * `pulumi-distr licenses`: every customer with what it may use and every license by expiry, soonest first; with
 * `--expiring-within DAYS` its own exit code when some license needs renewing. A thin front end over overview/.
 */
import * as fs from "node:fs";
import {
  DEFAULT_EXPIRING_WINDOW_DAYS,
  licensesNeedingAttention,
  readLicenseOverview,
  renderOverviewHtml,
  renderOverviewJson,
  renderOverviewMarkdown,
  renderOverviewText,
  type OverviewReport,
} from "../overview";
import { StackStateError } from "../drift";
import { PreviewDocumentError } from "../review/previewDocument";
import { isDistrApiError } from "../sdk/errors";
import { parseOptions, UsageError, type CliCommand } from "./command";
import { connectDistr } from "./distrConnection";
import { parseNow } from "./drift";

const FORMATS = ["markdown", "text", "json", "html"] as const;
type Format = (typeof FORMATS)[number];
/** Exit code with --expiring-within when some license expires within the window or has expired. */
export const EXPIRING_EXIT_CODE = 3;

const USAGE = `Usage: pulumi-distr licenses [options]

Every customer of a Distr organization with what it may use, per application (versions) and artifact (tags), and
every license with its expiry, soonest first. Distr's view: read with list calls, no writes.

Options:
  --format FORMAT          markdown (default), text, json, or html (a self-contained page: customer x
                           application/artifact matrix coloured by days to expiry; use with --out)
  --out FILE               write to FILE (default: stdout)
  --expiring-within DAYS   exit with ${EXPIRING_EXIT_CODE} when a license expires within DAYS days or has expired
                           (also the "expiring" window of the report; default window ${DEFAULT_EXPIRING_WINDOW_DAYS})
  --stack STACK            show the ranges and tags the code of this stack wrote (repeatable; optional)
  --cwd DIR                the Pulumi project directory for --stack
  --host URL               the Distr hub (default: the first stack's distr:host, else DISTR_HOST)
  --now TIMESTAMP          judge expiries at this moment instead of now (RFC 3339), for reproducible reports
  -h, --help               show this help

The token comes from the first stack's distr:token, else DISTR_TOKEN; never from an option.
Exit codes: 0 done (with --expiring-within: nothing expires within DAYS); ${EXPIRING_EXIT_CODE} with --expiring-within: a
license expires within DAYS or has expired; 1 Distr could not be read; 2 a usage error.
`;

export interface LicensesArguments {
  readonly format: Format;
  readonly out?: string;
  readonly expiringWithin?: number;
  readonly stacks: readonly string[];
  readonly cwd?: string;
  readonly host?: string;
  readonly now?: Date;
}

/** `null` means: print the usage. */
export function parseLicensesArguments(argv: readonly string[]): LicensesArguments | null {
  const { values } = parseOptions(argv, {
    help: { type: "boolean", short: "h" },
    format: { type: "string" },
    out: { type: "string" },
    "expiring-within": { type: "string" },
    stack: { type: "string", multiple: true },
    cwd: { type: "string" },
    host: { type: "string" },
    now: { type: "string" },
  });
  if (values.help) return null;
  const format = values.format ?? "markdown";
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format must be one of ${FORMATS.join(", ")}, got ${JSON.stringify(format)}`);
  }
  let expiringWithin: number | undefined;
  const days = values["expiring-within"];
  if (days !== undefined) {
    if (!/^\d+$/.test(days)) {
      throw new UsageError(`--expiring-within must be a whole number of days, e.g. 30, got ${JSON.stringify(days)}`);
    }
    expiringWithin = Number(days);
  }
  if (values.cwd !== undefined && values.stack === undefined) throw new UsageError("--cwd needs --stack");
  return {
    format: format as Format,
    ...(values.out !== undefined ? { out: values.out } : {}),
    ...(expiringWithin !== undefined ? { expiringWithin } : {}),
    stacks: [...new Set(values.stack ?? [])],
    ...(values.cwd !== undefined ? { cwd: values.cwd } : {}),
    ...(values.host !== undefined ? { host: values.host } : {}),
    ...(values.now !== undefined ? { now: parseNow(values.now) } : {}),
  };
}

export const licensesCommand: CliCommand = {
  name: "licenses",
  summary: "every customer's access and every license by expiry (markdown, text, json, html page)",
  usage: USAGE,
  async run(argv) {
    const args = parseLicensesArguments(argv);
    if (args === null) {
      process.stdout.write(USAGE);
      return 0;
    }
    const target = args.cwd !== undefined ? { cwd: args.cwd } : {};
    const first = args.stacks[0];
    const connection = await connectDistr(first !== undefined ? { stack: first, ...target } : undefined, {
      host: args.host,
    });
    if ("error" in connection) {
      process.stderr.write(`pulumi-distr licenses: ${connection.error}\n`);
      return 1;
    }
    try {
      const report = await readLicenseOverview(connection.client, {
        now: args.now ?? new Date(),
        ...(args.expiringWithin !== undefined ? { expiringWithinDays: args.expiringWithin } : {}),
        stacks: args.stacks,
        target,
        requestCount: () => connection.requests().total,
      });
      const text = render(report, args.format);
      if (args.out !== undefined) fs.writeFileSync(args.out, text);
      else process.stdout.write(text);
      const { total, writes } = connection.requests();
      process.stderr.write(
        `pulumi-distr licenses: ${report.summary.text} (${total} requests to Distr, ${writes} writes)` +
          `${args.out !== undefined ? `; wrote ${args.out}` : ""}\n`,
      );
      if (args.expiringWithin !== undefined && licensesNeedingAttention(report).length > 0) return EXPIRING_EXIT_CODE;
      return 0;
    } catch (error) {
      if (error instanceof StackStateError || error instanceof PreviewDocumentError || isDistrApiError(error)) {
        process.stderr.write(`pulumi-distr licenses: ${error.message}\n`);
        return 1;
      }
      throw error;
    } finally {
      await connection.client.close();
    }
  },
};

function render(report: OverviewReport, format: Format): string {
  if (format === "json") return renderOverviewJson(report);
  if (format === "text") return renderOverviewText(report);
  if (format === "html") return renderOverviewHtml(report);
  return renderOverviewMarkdown(report);
}
