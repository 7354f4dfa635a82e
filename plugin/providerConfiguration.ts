/**
 * The provider's own configuration as the plugin receives it: the inputs of the provider resource (the default
 * provider's come from the stack's `distr:*` configuration, an explicit `new distr.Provider(...)`'s from its
 * arguments). `CheckConfig` validates them with the same rules as the dynamic provider (provider/config.ts),
 * `DiffConfig` says what changed, and `Configure` hands them to provider/config.ts, where both faces read them.
 * The token is secret in every bag returned, so the engine only ever stores it encrypted.
 */
import { isDeepStrictEqual } from "node:util";
import { CONFIG_KEYS, configurationProblems, useStackConfiguration, type RawSettings } from "../provider/config";
import type { CheckFailure } from "../provider/checkFailures";
import { isUnknown } from "../provider/unknowns";
import type { PropertyPath } from "./propertyValues";

/** Provider input name (`host`) → stack configuration key (`distr:host`). */
const SETTING_NAMES = Object.keys(CONFIG_KEYS) as Array<keyof typeof CONFIG_KEYS>;

/** Where the token is secret in the provider's inputs. */
export const SECRET_CONFIG_PATHS: readonly PropertyPath[] = [["token"]];

/** The settings in the provider's inputs (args), else in the legacy `distr:config:<name>` variables. */
export function rawSettings(args: Record<string, unknown>, variables: ReadonlyMap<string, string>): RawSettings {
  const settings: Record<string, string> = {};
  for (const name of SETTING_NAMES) {
    const value = args[name] ?? variables.get(`distr:config:${name}`) ?? variables.get(CONFIG_KEYS[name]);
    if (value === undefined || value === null || isUnknown(value)) continue;
    // Stack configuration arrives as strings; an explicit provider's `allowInsecureHttp: true` as a boolean.
    settings[name] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return settings;
}

/** CheckConfig: failures per property, with the same messages the dynamic provider gives on first use. */
export function checkProviderInputs(news: Record<string, unknown>): CheckFailure[] {
  return configurationProblems(rawSettings(news, new Map()), CONFIG_KEYS.token).map((problem) => ({
    property: problem.key,
    reason: problem.reason,
  }));
}

/** DiffConfig: the settings that changed. A new host, token or dialect is an update of the provider, never a replace. */
export function changedProviderInputs(olds: Record<string, unknown>, news: Record<string, unknown>): string[] {
  const before = rawSettings(olds, new Map());
  const after = rawSettings(news, new Map());
  return SETTING_NAMES.filter((name) => !isDeepStrictEqual(before[name], after[name]));
}

/** Configure: from now on every handler of this process talks to the Distr these settings name. */
export function applyProviderInputs(settings: RawSettings): void {
  useStackConfiguration((key) => {
    const name = SETTING_NAMES.find((candidate) => CONFIG_KEYS[candidate] === key);
    return name === undefined ? undefined : settings[name];
  });
}
