/**
 * Check failures: what `check` returns instead of throwing when an input is wrong, so the engine reports every
 * problem of a resource at once, per property (pulumi-notes §1). Each reason names the bad value and the fix.
 */
import type { z } from "zod";

export interface CheckFailure {
  readonly property: string;
  readonly reason: string;
}

/** `artifacts[1].tags.range` from a path of keys and indexes. */
export function propertyPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((text, key) => {
    if (typeof key === "number") return `${text}[${key}]`;
    return text === "" ? String(key) : `${text}.${String(key)}`;
  }, "");
}

/** One failure per zod issue; `issue.message` comes from the schemas' error functions. */
export function failuresFromZod(error: z.ZodError): CheckFailure[] {
  return error.issues.map((issue) => {
    const property = propertyPath(issue.path);
    if (issue.code === "unrecognized_keys") {
      const keys = issue.keys.map((key) => JSON.stringify(key)).join(", ");
      return { property, reason: `unknown ${issue.keys.length === 1 ? "property" : "properties"} ${keys}; remove it` };
    }
    return { property, reason: issue.message };
  });
}

/** A user value as it appears in a message: JSON, shortened. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
