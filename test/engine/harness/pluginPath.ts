/**
 * The provider plugin on PATH for engine runs, the way installing the package puts it there: a directory holding
 * `pulumi-resource-distr` → dist/plugin/main.js (the package's `bin`), ahead of the engine's PATH. One per test
 * file, removed when the process exits. The engine then warns "using pulumi-resource-distr from $PATH" once per
 * run, as it does for any plugin that is not installed in the plugin cache.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pulumiEngine, REPO_ROOT } from "./engine";

let environment: Promise<Readonly<Record<string, string>>> | undefined;

/** `{ PATH }` for ProgramStack.open's `env`: the plugin first, then what the engine needs. */
export function pluginEnvironment(): Promise<Readonly<Record<string, string>>> {
  environment ??= (async () => {
    const engine = await pulumiEngine(); // also builds dist/, where the plugin is
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-distr-plugin-bin-"));
    fs.symlinkSync(path.join(REPO_ROOT, "dist", "plugin", "main.js"), path.join(dir, "pulumi-resource-distr"));
    process.once("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
    return { PATH: `${dir}:${engine.env["PATH"] ?? ""}` };
  })();
  return environment;
}
