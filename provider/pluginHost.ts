/**
 * Where this package's code runs: in Pulumi's Node.js plugin host (`pulumi-resource-pulumi-nodejs`, a shell script
 * running `node …/@pulumi/pulumi/cmd/dynamic-provider <engine address>`, pulumi-notes §5), in a Pulumi program that
 * the language host runs (`node …/@pulumi/pulumi/cmd/run …`), or elsewhere (unit tests, a CLI, the Automation API's
 * inline programs). The first two belong to an engine whose end they must notice (sdk/engineWatchdog.ts).
 */
import { startEngineWatchdog } from "../sdk/engineWatchdog";

const PULUMI_CMD = /[\\/]@pulumi[\\/]pulumi[\\/]cmd[\\/](dynamic-provider|run)([\\/]index\.js)?$/;

export type PulumiProcessRole = "dynamic-provider" | "program" | "other";

export function pulumiProcessRole(argv: readonly string[] = process.argv): PulumiProcessRole {
  const command = PULUMI_CMD.exec(argv[1] ?? "")?.[1];
  return command === "dynamic-provider" ? "dynamic-provider" : command === "run" ? "program" : "other";
}

/**
 * Starts the engine watchdog in the dynamic provider host and in a program; anywhere else it does nothing. A program
 * is the language host's child, not the engine's: its stdin says nothing about the engine, only its parent chain does.
 */
export function watchEngine(): void {
  const role = pulumiProcessRole();
  if (role === "dynamic-provider") startEngineWatchdog();
  if (role === "program") startEngineWatchdog({ watchStdin: false });
}
