/**
 * The plugin program for engine tests (test/engine/programs/plugin), which registers resources with the plugin's type
 * tokens; the plugin itself is put on PATH by pluginPath.ts.
 */
export const PLUGIN_PROGRAM = "test/engine/programs/plugin";

export type PluginResourceType =
  "Customer" | "ApplicationLicense" | "ArtifactLicense" | "LicenseKey" | "LicenseTemplate";

/** What the plugin program declares (its stack config value `spec`). */
export interface PluginProgramSpec {
  providers?: Array<{ name: string; host: string }>;
  resources: Array<{ type: PluginResourceType; name: string; args: Record<string, unknown>; provider?: string }>;
}
