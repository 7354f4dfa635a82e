#!/usr/bin/env node
/**
 * The `pulumi-distr` bin: one dispatcher over the commands in this folder, one file per command. Usage mistakes exit
 * with 2 and the command's usage; a failure the command anticipated is printed as one line, exit 1.
 */
import "./supportedNode";
import { UsageError, type CliCommand } from "./command";
import { driftCommand } from "./drift";
import { exportCommand } from "./export";
import { historyCommand } from "./history";
import { licensesCommand } from "./licenses";
import { localCommand } from "./local";
import { moveToPluginCommand } from "./moveToPlugin";
import { reviewCommand } from "./review";

export const COMMANDS: readonly CliCommand[] = [
  localCommand,
  reviewCommand,
  exportCommand,
  driftCommand,
  licensesCommand,
  moveToPluginCommand,
  historyCommand,
];

export function overview(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  return [
    "Usage: pulumi-distr <command> [options]",
    "",
    "Commands:",
    ...COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    "",
    "Run `pulumi-distr <command> --help` for a command's options.",
    "",
  ].join("\n");
}

export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === "-h" || name === "--help" || name === "help") {
    process.stdout.write(overview());
    return 0;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (command === undefined) {
    const problem = name === undefined ? "missing command" : `unknown command ${JSON.stringify(name)}`;
    process.stderr.write(`pulumi-distr: ${problem}\n\n${overview()}`);
    return 2;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`pulumi-distr ${command.name}: ${error.message}\n\n${command.usage}`);
    return 2;
  }
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
