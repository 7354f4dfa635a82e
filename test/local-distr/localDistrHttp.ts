/** A minimal HTTP caller for the local Distr's own tests (the contract suite has its richer one). */
import { z } from "zod";
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

/** The body parsed as JSON, checked against `schema` when one is given. */
export function json(result: CallResult): unknown;
export function json<S extends z.ZodType>(result: CallResult, schema: S): z.infer<S>;
export function json(result: CallResult, schema?: z.ZodType): unknown {
  const value: unknown = JSON.parse(result.text);
  return schema === undefined ? value : schema.parse(value);
}

/** The `id` of a created object. */
export function created(result: CallResult): { id: string } {
  return json(result, z.object({ id: z.string() }));
}
