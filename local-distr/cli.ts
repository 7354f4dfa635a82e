#!/usr/bin/env node
/**
 * `pulumi-distr local`: runs the local Distr on 127.0.0.1 until SIGINT/SIGTERM. The first two lines of stdout are
 * `DISTR_HOST=…` and `DISTR_TOKEN=…` so that `eval "$(… | head -2)"` or grep can pick them up; everything else
 * (request log, notes) goes to stderr, never with the token.
 */
import type { Dialect } from "../sdk/dialect";
import type { LocalDistrOptions } from "./localDistr";
import { startLocalDistr } from "./server";

export const USAGE = `Usage: pulumi-distr local [options]

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

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export type CliCommand = { kind: "help" } | { kind: "local"; options: LocalDistrOptions };

/** Parses `argv` (without node and script); throws UsageError for anything unknown or malformed. */
export function parseCliArguments(argv: readonly string[]): CliCommand {
  const [command, ...rest] = argv;
  if (command === "-h" || command === "--help" || command === "help") return { kind: "help" };
  if (command !== "local") {
    throw new UsageError(command === undefined ? "missing command" : `unknown command ${JSON.stringify(command)}`);
  }
  const options: LocalDistrOptions = {};
  for (let i = 0; i < rest.length; i++) {
    const argument = rest[i]!;
    const [flag, inline] =
      argument.startsWith("--") && argument.includes("=") ? argument.split(/=(.*)/s, 2) : [argument];
    const value = (): string => {
      if (inline !== undefined) return inline;
      const next = rest[i + 1];
      if (next === undefined) throw new UsageError(`${flag} needs a value`);
      i++;
      return next;
    };
    switch (flag) {
      case "-h":
      case "--help":
        return { kind: "help" };
      case "--port": {
        const text = value();
        const port = Number(text);
        if (!/^\d+$/.test(text) || port > 65535) throw new UsageError(`--port must be a number 0-65535, got ${text}`);
        options.port = port;
        break;
      }
      case "--data":
        options.dataFile = value();
        break;
      case "--dialect": {
        const dialect = value();
        if (dialect !== "2" && dialect !== "3") throw new UsageError(`--dialect must be 2 or 3, got ${dialect}`);
        options.dialect = dialect satisfies Dialect;
        break;
      }
      case "--no-rate-limits":
        options.rateLimits = false;
        break;
      case "--no-seed":
        options.seed = false;
        break;
      case "--token":
        options.token = value();
        break;
      default:
        throw new UsageError(`unknown option ${JSON.stringify(flag)}`);
    }
  }
  return { kind: "local", options };
}

export async function main(argv: readonly string[]): Promise<number> {
  let command: CliCommand;
  try {
    command = parseCliArguments(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`pulumi-distr: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (command.kind === "help") {
    process.stdout.write(USAGE);
    return 0;
  }
  const distr = await startLocalDistr({
    ...command.options,
    onRequest: (event) =>
      process.stderr.write(`${event.method} ${event.path} ${event.status ?? "dropped"} ${event.durationMs}ms\n`),
  });
  process.stdout.write(`DISTR_HOST=${distr.host}\nDISTR_TOKEN=${distr.token}\n`);
  process.stderr.write(
    `local Distr (dialect ${distr.dialect}) listening on ${distr.host}` +
      `${command.options.dataFile ? `, data in ${command.options.dataFile}` : ""}; Ctrl+C to stop\n`,
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
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`pulumi-distr: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
