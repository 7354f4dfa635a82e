/**
 * Where the dynamic provider's code runs: in Pulumi's Node.js plugin host (`pulumi-resource-pulumi-nodejs`, a shell
 * script running `node …/@pulumi/pulumi/cmd/dynamic-provider <engine address>`, pulumi-notes §5), or elsewhere (the
 * unit tests, a program calling the handlers). Only the plugin host belongs to an engine whose end it must notice.
 */
import { startEngineWatchdog } from "../sdk/engineWatchdog";

const DYNAMIC_PROVIDER_HOST = /[\\/]@pulumi[\\/]pulumi[\\/]cmd[\\/]dynamic-provider([\\/]index\.js)?$/;

export function isDynamicProviderHost(argv: readonly string[] = process.argv): boolean {
  const script = argv[1];
  return script !== undefined && DYNAMIC_PROVIDER_HOST.test(script);
}

/** Starts the engine watchdog when this process is the plugin host; anywhere else it does nothing. */
export function watchEngineInPluginHost(): void {
  if (isDynamicProviderHost()) startEngineWatchdog();
}
