/**
 * The property bags the engine exchanges with a dynamic provider. It puts the serialized provider source into
 * every bag it hands over (check, diff, create, update, read, delete) under `__provider`, and adds it back to
 * whatever we return (pulumi-notes §1): engine plumbing, never resource data, so it is stripped before anything is
 * parsed or compared. What we return goes through protobuf `Struct.fromJavaScript`, which throws on `undefined`:
 * outputs are made JSON-clean first.
 */
import type { z } from "zod";
import { DistrResourceError } from "./resourceError";

export const PROVIDER_KEY = "__provider";

/** A shallow copy of an engine property bag without `__provider`; non-objects become an empty bag. */
export function withoutProvider(properties: unknown): Record<string, unknown> {
  if (properties === null || typeof properties !== "object" || Array.isArray(properties)) return {};
  const copy: Record<string, unknown> = { ...(properties as Record<string, unknown>) };
  delete copy[PROVIDER_KEY];
  return copy;
}

/** Parses checked inputs or state read back; `what` names the bag in the error ("outputs of customer …"). */
export function parseProperties<T extends z.ZodType>(schema: T, properties: unknown, what: string): z.output<T> {
  const result = schema.safeParse(withoutProvider(properties));
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`);
  throw new DistrResourceError(
    "invalid-state",
    `cannot read the ${what}: ${problems.join("; ")}. ` +
      "If the state was written by another version of pulumi-distr, run `pulumi refresh` with this version.",
  );
}

/** A copy without `undefined` values (dropped keys), for values handed back to the engine. */
export function jsonClean<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item) => jsonClean(item)) as T;
  if (value !== null && typeof value === "object") {
    const clean: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (item !== undefined) clean[key] = jsonClean(item);
    }
    return clean as T;
  }
  return value;
}
