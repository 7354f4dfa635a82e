#!/usr/bin/env node
/**
 * `pulumi-resource-distr`: the Distr resources as a Pulumi provider plugin. The engine starts one process per
 * provider (the default one and every `new distr.Provider(...)`), reads the port it prints on stdout, and talks
 * gRPC to it. Nothing else may be written to stdout: the engine takes the first line as the port.
 */
import { startEngineWatchdog } from "../sdk/engineWatchdog";
import { startResourceProviderServer } from "./server";

async function main(): Promise<void> {
  // Stop once the engine that started this process is gone, so a killed `pulumi up` leaves no writer behind.
  startEngineWatchdog();
  const { port } = await startResourceProviderServer();
  process.stdout.write(`${port}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `pulumi-resource-distr: cannot start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
