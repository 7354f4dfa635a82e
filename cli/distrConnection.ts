/**
 * The read-only Distr client of the reporting commands (drift, licenses): settings from a stack's `distr:*`
 * configuration (as the provider reads them) or DISTR_HOST / DISTR_TOKEN, and a count of the requests it sent, so
 * that every report can say what it cost. The token never reaches an option, a message or a log.
 */
import { distrSettings, type StackTarget } from "../review/previewSource";
import { createDistrClient, type ClosableDistrClient } from "../sdk/client";
import { DEFAULT_DISTR_HOST } from "../sdk/dialect";
import { isDistrApiError } from "../sdk/errors";

export interface DistrConnection {
  readonly client: ClosableDistrClient;
  /** Requests sent so far, and how many of them were not GETs (always 0 for these commands). */
  requests(): { total: number; writes: number };
}

export async function connectDistr(
  stack: StackTarget | undefined,
  overrides: { host?: string | undefined; allowInsecureHttp?: boolean | undefined } = {},
): Promise<DistrConnection | { error: string }> {
  const settings = await distrSettings(stack);
  if (settings.token === undefined) {
    return {
      error:
        `no Distr token (${settings.source}): set DISTR_TOKEN to a personal access token (distr-…)` +
        (stack ? `, or distr:token in stack ${stack.stack}` : ""),
    };
  }
  let total = 0;
  let writes = 0;
  try {
    const client = createDistrClient({
      host: overrides.host ?? settings.host ?? DEFAULT_DISTR_HOST,
      token: settings.token,
      ...(settings.dialect !== undefined ? { dialect: settings.dialect } : {}),
      ...((overrides.allowInsecureHttp ?? settings.allowInsecureHttp) !== undefined
        ? { allowInsecureHttp: overrides.allowInsecureHttp ?? settings.allowInsecureHttp }
        : {}),
      onRequest: (event) => {
        total += 1;
        if (event.method !== "GET") writes += 1;
      },
    });
    return { client, requests: () => ({ total, writes }) };
  } catch (error) {
    // A malformed token or a refused plain-http host: the message says which and what to do, never the token.
    if (!isDistrApiError(error)) throw error;
    return { error: `Distr settings from ${settings.source} are not usable: ${error.message}` };
  }
}
