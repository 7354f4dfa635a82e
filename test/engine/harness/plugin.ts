/**
 * The native plugin for engine tests: `pulumi-resource-distr` from a fresh build, found by the engine on PATH the
 * way `npm install pulumi-distr` puts it there (node_modules/.bin links the package's bin), and the plugin program
 * (test/engine/programs/plugin), which registers resources with the plugin's type tokens.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ensureBuilt, pulumiEngine, REPO_ROOT } from "./engine";

export const PLUGIN_PROGRAM = "test/engine/programs/plugin";

export type PluginResourceType =
  "Customer" | "ApplicationLicense" | "ArtifactLicense" | "LicenseKey" | "LicenseTemplate";

/** What the plugin program declares (its stack config value `spec`). */
export interface PluginProgramSpec {
  providers?: Array<{ name: string; host: string }>;
  resources: Array<{ type: PluginResourceType; name: string; args: Record<string, unknown>; provider?: string }>;
}

let binDirectory: string | undefined;

/** The environment that puts the built plugin first on the engine's PATH. */
export async function pluginOnPath(): Promise<Record<string, string>> {
  ensureBuilt();
  const engine = await pulumiEngine();
  if (binDirectory === undefined) {
    binDirectory = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-distr-plugin-bin-"));
    fs.symlinkSync(path.join(REPO_ROOT, "dist/plugin/main.js"), path.join(binDirectory, "pulumi-resource-distr"));
  }
  return { PATH: `${binDirectory}${path.delimiter}${engine.env["PATH"] ?? ""}` };
}
