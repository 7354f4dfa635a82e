/**
 * Where the provider finds Distr: stack configuration handed to the dynamic provider's `configure` (namespace
 * `distr`, secrets arrive decrypted, pulumi-notes §1), else environment variables read when a method runs. Nothing
 * is read at module level of the program: such values would be serialized into `__provider` and stored in state in
 * plain text (pulumi-notes §3). One client per process (per host and token) via `sharedDistrClient`, so every
 * resource of an operation shares one rate limiter and one lookup cache.
 */
import type { dynamic } from "@pulumi/pulumi";
import { ACCESS_TOKEN_PATTERN, DEFAULT_DISTR_HOST, type Dialect } from "../sdk/dialect";
import type { DistrClient } from "../sdk/distrClient";
import { sharedDistrClient } from "../sdk/index";
import { DistrResourceError } from "./resourceError";

/**
 * Stack configuration of the Distr resources (namespace `distr`), e.g.
 * `pulumi config set distr:host https://distr.example.com` and `pulumi config set --secret distr:token distr-…`.
 */
export interface DistrProviderConfig {
  /** `distr:host`: base URL of the Distr hub, without `/api/v1`. Else env `DISTR_HOST`, else https://app.distr.sh. */
  readonly host?: string;
  /**
   * `distr:token` (set it with `--secret`): a personal access token, `distr-` + 32 hex characters, of a user with
   * role read_write (admin to delete customers on Distr 3.x). Else env `DISTR_TOKEN`. Never put it in a resource
   * input or read it at module level of the program: it would be stored in state in plain text.
   * @secret
   */
  readonly token?: string;
  /** `distr:dialect`: `"3"` (Distr 3.x, entitlements) or `"2"` (Distr 2.x, licenses); detected when unset. */
  readonly dialect?: Dialect;
  /** `distr:allowInsecureHttp`: `true` allows `http://` to hosts other than loopback. */
  readonly allowInsecureHttp?: boolean;
}

export const CONFIG_KEYS = {
  host: "distr:host",
  token: "distr:token",
  dialect: "distr:dialect",
  allowInsecureHttp: "distr:allowInsecureHttp",
} as const;

export const ENV_VARS = { host: "DISTR_HOST", token: "DISTR_TOKEN" } as const;

/** The `distr:*` settings as strings, before validation; keys as in {@link CONFIG_KEYS}. */
export interface RawSettings {
  readonly host?: string;
  readonly token?: string;
  readonly dialect?: string;
  readonly allowInsecureHttp?: string;
}

/** What `configure` received; process-wide because the engine configures each serialized provider once. */
let configured: RawSettings = {};

/** The dynamic provider's `configure`: remembers the `distr:*` stack configuration, validated on first use. */
export async function configure(request: dynamic.ConfigureRequest): Promise<void> {
  useStackConfiguration((key) => request.config.get(key));
}

/**
 * Takes the `distr:*` keys from a stack's configuration (full keys, secrets decrypted): the dynamic provider's
 * `configure`, the plugin's `Configure` (plugin/providerConfiguration.ts), and the policy pack with what the engine
 * sent its analyzer (policy/analyzerRequests.ts). One place decides what they mean.
 */
export function useStackConfiguration(get: (key: string) => string | undefined): void {
  configured = {
    host: nonEmpty(get(CONFIG_KEYS.host)),
    token: nonEmpty(get(CONFIG_KEYS.token)),
    dialect: nonEmpty(get(CONFIG_KEYS.dialect)),
    allowInsecureHttp: nonEmpty(get(CONFIG_KEYS.allowInsecureHttp)),
  };
}

/** One wrong setting: which key, and a message that names the fix (never the token's value). */
export interface ConfigurationProblem {
  readonly key: keyof RawSettings;
  readonly reason: string;
}

/**
 * What is wrong with settings that are present (an absent token is only an error when Distr is called, so that
 * schema and plan-time checks work without one). `tokenSource` names where the token came from, for the message.
 */
export function configurationProblems(settings: RawSettings, tokenSource: string): ConfigurationProblem[] {
  const problems: ConfigurationProblem[] = [];
  const token = nonEmpty(settings.token);
  if (token !== undefined && !ACCESS_TOKEN_PATTERN.test(token)) {
    // The value is not repeated: a mistyped token is still a secret.
    problems.push({
      key: "token",
      reason:
        `${tokenSource} is not a Distr personal access token (expected "distr-" followed by 32 hexadecimal characters); ` +
        "create one in Distr under Settings → Access tokens",
    });
  }
  const dialect = nonEmpty(settings.dialect);
  if (dialect !== undefined && dialect !== "2" && dialect !== "3") {
    problems.push({
      key: "dialect",
      reason: `${CONFIG_KEYS.dialect} is ${JSON.stringify(dialect)}; use "3" (Distr 3.x) or "2" (Distr 2.x), or unset it to detect`,
    });
  }
  const insecure = nonEmpty(settings.allowInsecureHttp);
  if (insecure !== undefined && insecure !== "true" && insecure !== "false") {
    problems.push({
      key: "allowInsecureHttp",
      reason: `${CONFIG_KEYS.allowInsecureHttp} is ${JSON.stringify(insecure)}; use true or false`,
    });
  }
  return problems;
}

/** The validated settings: stack configuration first, then the environment, then defaults. */
export function resolveProviderConfig(): Required<Pick<DistrProviderConfig, "host" | "token">> & DistrProviderConfig {
  const host = configured.host ?? nonEmpty(process.env[ENV_VARS.host]) ?? DEFAULT_DISTR_HOST;
  const token = configured.token ?? nonEmpty(process.env[ENV_VARS.token]);
  if (token === undefined) {
    throw new DistrResourceError(
      "configuration",
      `no Distr access token: set it with \`pulumi config set --secret ${CONFIG_KEYS.token} <token>\` ` +
        `or the ${ENV_VARS.token} environment variable`,
    );
  }
  const tokenSource = configured.token !== undefined ? CONFIG_KEYS.token : ENV_VARS.token;
  const [problem] = configurationProblems({ ...configured, token }, tokenSource);
  if (problem !== undefined) throw new DistrResourceError("configuration", problem.reason);
  const dialect = configured.dialect as Dialect | undefined;
  const insecure = configured.allowInsecureHttp;
  return {
    host,
    token,
    ...(dialect !== undefined ? { dialect } : {}),
    ...(insecure !== undefined ? { allowInsecureHttp: insecure === "true" } : {}),
  };
}

/** The process's Distr client for the configured host and token. */
export function distrClient(): DistrClient {
  const settings = resolveProviderConfig();
  return sharedDistrClient({
    host: settings.host,
    token: settings.token,
    ...(settings.dialect !== undefined ? { dialect: settings.dialect } : {}),
    ...(settings.allowInsecureHttp !== undefined ? { allowInsecureHttp: settings.allowInsecureHttp } : {}),
  });
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}
