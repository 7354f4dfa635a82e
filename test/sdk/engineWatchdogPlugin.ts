/**
 * A stand-in plugin for engineWatchdog.test.ts: starts the engine watchdog as a plugin does, then keeps `lanes`
 * POSTs going to `host` through the real transport, one after another per lane, forever. Prints one JSON line
 * `{ "watchdog": <status> }` once watching. Run with `node -r scripts/register-typescript.cjs`.
 *
 *   engineWatchdogPlugin.ts <host> <lanes> <engine address>

 * (The engine address is only passed on, as the engine passes its address to every plugin: the watchdog finds the
 * engine's language host by it.)
 */
import { startEngineWatchdog } from "../../sdk/engineWatchdog";
import { Transport } from "../../sdk/transport";

async function lane(transport: Transport): Promise<void> {
  for (;;) {
    const outcome = await transport.exchange({ method: "POST", path: "/customer-organizations", body: {} });
    // Refused once the engine is gone: wait as a handler failing its call would, until the watchdog ends us.
    if (outcome.kind === "no-response" && !outcome.requestSent) await new Promise((r) => setTimeout(r, 1_000));
  }
}

function main(): void {
  const [host, lanes] = process.argv.slice(2);
  if (!host || !lanes) throw new Error("usage: engineWatchdogPlugin.ts <host> <lanes> <engine address>");
  const watchdog = startEngineWatchdog({ pollIntervalMs: 50 });
  process.stdout.write(`${JSON.stringify({ watchdog })}\n`);
  const transport = new Transport({ host, token: `distr-${"0".repeat(32)}` });
  for (let i = 0; i < Number(lanes); i++) void lane(transport);
}

main();
