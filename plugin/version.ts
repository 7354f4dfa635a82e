/**
 * The plugin's version: pulumi-distr's package version. Read from the package.json above the compiled file; a
 * bundled plugin (npm run package:plugin) has no package.json beside it and gets the version written into the
 * bundle as PULUMI_DISTR_PLUGIN_VERSION at build time.
 */
import * as fs from "node:fs";
import * as path from "node:path";

declare const PULUMI_DISTR_PLUGIN_VERSION: string | undefined;

export function pluginVersion(): string {
  if (typeof PULUMI_DISTR_PLUGIN_VERSION === "string") return PULUMI_DISTR_PLUGIN_VERSION;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const file = path.join(dir, "package.json");
    if (fs.existsSync(file)) {
      const manifest = JSON.parse(fs.readFileSync(file, "utf8")) as { name?: unknown; version?: unknown };
      if (manifest.name === "pulumi-distr" && typeof manifest.version === "string") return manifest.version;
    }
    if (path.dirname(dir) === dir) throw new Error("pulumi-resource-distr: cannot find pulumi-distr's package.json");
  }
}
