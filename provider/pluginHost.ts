/**
 * Where this package's code runs: in Pulumi's Node.js plugin host (`pulumi-resource-pulumi-nodejs`, a shell script
 * running `node …/@pulumi/pulumi/cmd/dynamic-provider <engine address>`, pulumi-notes §5), in a Pulumi program that
 * the language host runs (`node …/@pulumi/pulumi/cmd/run …`), in the policy pack's analyzer
 * (`node …/@pulumi/pulumi/cmd/run-policy-pack <engine address> .`), or elsewhere (unit tests, a CLI, the Automation
 * API's inline programs). All but the last belong to an engine whose end they must notice (sdk/engineWatchdog.ts).
 */
import { startEngineWatchdog } from "../sdk/engineWatchdog";

const PULUMI_CMD = /[\\/]@pulumi[\\/]pulumi[\\/]cmd[\\/](dynamic-provider|run|run-policy-pack)([\\/]index\.js)?$/;

export type PulumiProcessRole = "dynamic-provider" | "program" | "policy-pack" | "other";

const ROLES: Readonly<Record<string, PulumiProcessRole>> = {
  "dynamic-provider": "dynamic-provider",
  run: "program",
  "run-policy-pack": "policy-pack",
};

export function pulumiProcessRole(argv: readonly string[] = process.argv): PulumiProcessRole {
  const command = PULUMI_CMD.exec(argv[1] ?? "")?.[1];
  return (command !== undefined && ROLES[command]) || "other";
}

/**
 * Starts the engine watchdog in the dynamic provider host, in the policy pack's analyzer and in a program; anywhere
 * else it does nothing. The analyzer (`pulumi-analyzer-policy` execs node) is a plugin the engine starts like a
 * provider, in a process group of its own: after a killed run it would otherwise wait for its engine forever. A
 * program is the language host's child, not the engine's: its stdin says nothing about the engine, only its parent
 * chain does.
 */
export function watchEngine(): void {
  const role = pulumiProcessRole();
  if (role === "dynamic-provider" || role === "policy-pack") startEngineWatchdog();
  if (role === "program") startEngineWatchdog({ watchStdin: false });
}
