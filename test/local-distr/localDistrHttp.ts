/** A minimal HTTP caller for the local Distr's own tests (the contract suite has its richer one). */
import { API_PREFIX } from "../../sdk/dialect";
import type { LocalDistr } from "../../local-distr";

export interface CallResult {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

export async function call(
  distr: Pick<LocalDistr, "host" | "token">,
  method: string,
  path: string,
  options: { body?: unknown; token?: string | null } = {},
): Promise<CallResult> {
  const headers: Record<string, string> = {};
  const token = options.token === undefined ? distr.token : options.token;
  if (token !== null) headers.Authorization = `AccessToken ${token}`;
  const response = await fetch(`${distr.host}${API_PREFIX}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

export function json<T = unknown>(result: CallResult): T {
  return JSON.parse(result.text) as T;
}
