/**
 * `pulumi-distr local`: runs the local Distr on 127.0.0.1 until SIGINT/SIGTERM. The first two lines of stdout are
 * `DISTR_HOST=…` and `DISTR_TOKEN=…` so that `eval "$(… | head -2)"` or grep can pick them up; everything else
 * (request log, notes) goes to stderr, never with the token.
 */
import { ACCESS_TOKEN_PATTERN } from "../sdk/dialect";
import type { LocalDistrOptions } from "../local-distr/localDistr";
import { startLocalDistr } from "../local-distr/server";
import { parseOptions, UsageError, type CliCommand } from "./command";

const USAGE = `Usage: pulumi-distr local [options]

Runs a local Distr hub (licensing API of Distr 3.1.0, or 2.7.1 with --dialect 2) on 127.0.0.1.

Options:
  --port N           listen on port N (default: a random free port)
  --data FILE        keep state in FILE (JSON, survives restarts with the same token)
  --dialect 2|3      Distr API dialect (default: 3)
  --no-rate-limits   turn off Distr's per-user rate limits
  --no-seed          start without the demo applications and artifacts
  --token T          use T (distr- + 32 hex) as the demo vendor's access token
  -h, --help         show this help
`;

/** `null` means: print the usage. */
export function parseLocalArguments(argv: readonly string[]): LocalDistrOptions | null {
  const { values } = parseOptions(argv, {
    help: { type: "boolean", short: "h" },
    port: { type: "string" },
    data: { type: "string" },
    dialect: { type: "string" },
    "no-rate-limits": { type: "boolean" },
    "no-seed": { type: "boolean" },
    token: { type: "string" },
  });
  if (values.help) return null;
  const options: LocalDistrOptions = {};
  if (values.port !== undefined) {
    const port = Number(values.port);
    if (!/^\d+$/.test(values.port) || port > 65535) {
      throw new UsageError(`--port must be a number 0-65535, got ${values.port}`);
    }
    options.port = port;
  }
  if (values.data !== undefined) options.dataFile = values.data;
  if (values.dialect !== undefined) {
    if (values.dialect !== "2" && values.dialect !== "3") {
      throw new UsageError(`--dialect must be 2 or 3, got ${values.dialect}`);
    }
    options.dialect = values.dialect;
  }
  if (values["no-rate-limits"]) options.rateLimits = false;
  if (values["no-seed"]) options.seed = false;
  if (values.token !== undefined) {
    // Checked here, like every other option: a usage mistake (exit 2, with the usage), not a failed start.
    if (!ACCESS_TOKEN_PATTERN.test(values.token)) {
      throw new UsageError(
        `--token must be "distr-" followed by 32 hexadecimal characters, got ${JSON.stringify(values.token)}; ` +
          "leave it out to get a generated token",
      );
    }
    options.token = values.token;
  }
  return options;
}

export const localCommand: CliCommand = {
  name: "local",
  summary: "run a local Distr hub on 127.0.0.1 (demo data, Distr's rules and rate limits)",
  usage: USAGE,
  async run(argv) {
    const options = parseLocalArguments(argv);
    if (options === null) {
      process.stdout.write(USAGE);
      return 0;
    }
    const distr = await startLocalDistr({
      ...options,
      onRequest: (event) =>
        process.stderr.write(`${event.method} ${event.path} ${event.status ?? "dropped"} ${event.durationMs}ms\n`),
    });
    process.stdout.write(`DISTR_HOST=${distr.host}\nDISTR_TOKEN=${distr.token}\n`);
    process.stderr.write(
      `local Distr (dialect ${distr.dialect}) listening on ${distr.host}` +
        `${options.dataFile ? `, data in ${options.dataFile}` : ""}; Ctrl+C to stop\n`,
    );
    return new Promise<number>((resolve) => {
      const stop = (signal: NodeJS.Signals) => {
        process.stderr.write(`${signal}: stopping local Distr\n`);
        distr.close().then(
          () => resolve(0),
          () => resolve(1),
        );
      };
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
  },
};
