/**
 * `pulumi-distr review`: what a preview does to licenses, by customer, with the rules' risks. A thin front end over
 * review/ (reviewPreview, the renderers); it reads the input, finds Distr for the read-only look-ups the way the
 * provider does, prints the report and turns `--fail-on` into the exit code.
 */
import { DEFAULT_DISTR_HOST } from "../sdk/dialect";
import { createDistrClient } from "../sdk/client";
import { PreviewDocumentError } from "../review/previewDocument";
import {
  distrSettings,
  readPreviewFile,
  readPreviewStdin,
  runPreview,
  type StackTarget,
} from "../review/previewSource";
import { firedRules } from "../review/report";
import { renderJson } from "../review/renderJson";
import { renderMarkdown } from "../review/renderMarkdown";
import { renderText } from "../review/renderText";
import { reviewPreview } from "../review/reviewPreview";
import { DEFAULT_EXPIRY_WINDOW_DAYS, isRuleName, RULE_NAMES, type RuleName } from "../review/rules";
import { parseOptions, UsageError, type CliCommand } from "./command";

const FORMATS = ["markdown", "text", "json"] as const;
/** Exit code when a `--fail-on` rule fired; 1 is a failure, 2 a usage mistake (cli/main.ts). */
const FAIL_ON_EXIT_CODE = 3;
type Format = (typeof FORMATS)[number];

const USAGE = `Usage: pulumi-distr review [FILE | -] [options]
       pulumi-distr review --stack STACK [--cwd DIR] [options]

Reviews the license changes of a Pulumi preview: who gains or loses access to what, from when to when, and the
risks the license rules find. Input: the JSON of \`pulumi preview --json --show-sames --show-replacement-steps\`
(FILE, or stdin), or --stack to run that preview here.

Options:
  --stack STACK          run \`pulumi preview --json\` for this stack
  --cwd DIR              the Pulumi project directory for --stack (default: the current directory)
  --format FORMAT        markdown (default; fits a pull-request comment), text, or json
  --expiry-window N      days for the expires-soon rule (default: ${DEFAULT_EXPIRY_WINDOW_DAYS})
  --fail-on RULES        exit with ${FAIL_ON_EXIT_CODE} when any of these rules fire (comma-separated; "all" for every rule)
  --now TIMESTAMP        judge expiries at this moment instead of now (RFC 3339), for reproducible reports
  --no-distr             skip the read-only look-ups at Distr (first-entitlement is then skipped)
  -h, --help             show this help

Rules: ${RULE_NAMES.join(", ")}.
Distr look-ups use the stack's distr:host/distr:token (with --stack), else DISTR_HOST/DISTR_TOKEN.
Exit codes: 0 reviewed; 1 the input or the preview failed; 2 a usage error; ${FAIL_ON_EXIT_CODE} a --fail-on rule fired.
`;

export interface ReviewArguments {
  readonly input: { file: string } | { stdin: true } | StackTarget;
  readonly format: Format;
  readonly expiryWindowDays: number;
  readonly failOn: readonly RuleName[];
  readonly now?: Date;
  readonly distr: boolean;
}

/** `null` means: print the usage. */
export function parseReviewArguments(argv: readonly string[]): ReviewArguments | null {
  const { values, positionals } = parseOptions(
    argv,
    {
      help: { type: "boolean", short: "h" },
      stack: { type: "string" },
      cwd: { type: "string" },
      format: { type: "string" },
      "expiry-window": { type: "string" },
      "fail-on": { type: "string", multiple: true },
      now: { type: "string" },
      "no-distr": { type: "boolean" },
    },
    { positionals: 1 },
  );
  if (values.help) return null;
  const format = values.format ?? "markdown";
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format must be one of ${FORMATS.join(", ")}, got ${JSON.stringify(format)}`);
  }
  let expiryWindowDays = DEFAULT_EXPIRY_WINDOW_DAYS;
  if (values["expiry-window"] !== undefined) {
    if (!/^\d+$/.test(values["expiry-window"])) {
      throw new UsageError(
        `--expiry-window must be a whole number of days, got ${JSON.stringify(values["expiry-window"])}`,
      );
    }
    expiryWindowDays = Number(values["expiry-window"]);
  }
  const failOn = parseFailOn(values["fail-on"] ?? []);
  let now: Date | undefined;
  if (values.now !== undefined) {
    now = new Date(values.now);
    if (Number.isNaN(now.getTime()) || !/^\d{4}-\d{2}-\d{2}T/.test(values.now)) {
      throw new UsageError(
        `--now must be an RFC 3339 timestamp like 2027-01-01T00:00:00Z, got ${JSON.stringify(values.now)}`,
      );
    }
  }
  const file = positionals[0];
  if (values.stack !== undefined && file !== undefined) {
    throw new UsageError("give either a FILE (or - for stdin) or --stack, not both");
  }
  if (values.cwd !== undefined && values.stack === undefined) throw new UsageError("--cwd needs --stack");
  const input: ReviewArguments["input"] =
    values.stack !== undefined
      ? { stack: values.stack, ...(values.cwd !== undefined ? { cwd: values.cwd } : {}) }
      : file === undefined || file === "-"
        ? { stdin: true }
        : { file };
  return {
    input,
    format: format as Format,
    expiryWindowDays,
    failOn,
    ...(now ? { now } : {}),
    distr: !values["no-distr"],
  };
}

function parseFailOn(values: readonly string[]): RuleName[] {
  const names = values
    .flatMap((value) => value.split(","))
    .map((name) => name.trim())
    .filter((name) => name !== "");
  if (names.includes("all")) return [...RULE_NAMES];
  const unknown = names.filter((name) => !isRuleName(name));
  if (unknown.length > 0) {
    throw new UsageError(
      `--fail-on: unknown rule${unknown.length === 1 ? "" : "s"} ${unknown.map((n) => JSON.stringify(n)).join(", ")}; ` +
        `the rules are ${RULE_NAMES.join(", ")} (or all)`,
    );
  }
  return [...new Set(names)] as RuleName[];
}

export const reviewCommand: CliCommand = {
  name: "review",
  summary: "review the license changes of a pulumi preview (markdown for a PR comment, text, or json)",
  usage: USAGE,
  async run(argv) {
    const args = parseReviewArguments(argv);
    if (args === null) {
      process.stdout.write(USAGE);
      return 0;
    }
    const stack = "stack" in args.input ? args.input : undefined;
    try {
      let text: string;
      let source: string;
      if (stack) {
        text = await runPreview(stack);
        source = `stack ${stack.stack}`;
      } else if ("file" in args.input) {
        text = await readPreviewFile(args.input.file);
        source = args.input.file;
      } else {
        if (process.stdin.isTTY) {
          throw new UsageError("no input: pass a file, pipe `pulumi preview --json` into stdin, or use --stack");
        }
        text = await readPreviewStdin();
        source = "stdin";
      }
      const client = args.distr ? await distrClientFor(stack) : { unavailable: "look-ups turned off (--no-distr)" };
      try {
        const report = await reviewPreview(text, source, {
          now: args.now ?? new Date(),
          expiryWindowDays: args.expiryWindowDays,
          distr: client,
        });
        process.stdout.write(render(report, args.format));
        const fired = firedRules(report);
        const failing = args.failOn.filter((rule) => fired.has(rule));
        if (failing.length > 0) {
          process.stderr.write(`pulumi-distr review: ${failing.join(", ")} fired (--fail-on)\n`);
          // Not 2: a pipeline must tell a rule that fired from a mistyped option.
          return FAIL_ON_EXIT_CODE;
        }
        return 0;
      } finally {
        if ("close" in client) await client.close();
      }
    } catch (error) {
      if (error instanceof PreviewDocumentError) {
        process.stderr.write(`pulumi-distr review: ${error.message}\n`);
        return 1;
      }
      throw error;
    }
  },
};

function render(report: Parameters<typeof renderJson>[0], format: Format): string {
  if (format === "json") return renderJson(report);
  if (format === "text") {
    const color = process.stdout.isTTY === true && process.env["NO_COLOR"] === undefined;
    return renderText(report, { color });
  }
  return renderMarkdown(report);
}

async function distrClientFor(stack: StackTarget | undefined) {
  const settings = await distrSettings(stack);
  if (settings.token === undefined) {
    return { unavailable: `no Distr token (${settings.source}): first-entitlement needs read access to Distr` };
  }
  try {
    // The provider's client as the provider builds it: the same pacing, the same request ledger shared with every
    // process using this token, the same retries (a 429 is waited out, as Distr asks).
    return createDistrClient({
      host: settings.host ?? DEFAULT_DISTR_HOST,
      token: settings.token,
      ...(settings.dialect !== undefined ? { dialect: settings.dialect } : {}),
      ...(settings.allowInsecureHttp !== undefined ? { allowInsecureHttp: settings.allowInsecureHttp } : {}),
    });
  } catch (error) {
    return { unavailable: `Distr settings from ${settings.source} are not usable: ${(error as Error).message}` };
  }
}
