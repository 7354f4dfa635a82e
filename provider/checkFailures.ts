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
    // A key that is not a plain name ("", "a b", "💥") is quoted, so the path still names it unambiguously.
    if (typeof key !== "string" || !/^[A-Za-z_$][\w$]*$/.test(key)) return `${text}[${JSON.stringify(String(key))}]`;
    return text === "" ? key : `${text}.${key}`;
  }, "");
}

/** One failure per zod issue; `issue.message` comes from the schemas' error functions. */
export function failuresFromZod(error: z.ZodError): CheckFailure[] {
  return error.issues.flatMap((issue) => {
    // One failure per unknown key, named by its own path: the engine prints the property, and "" would name none.
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({
        property: propertyPath([...issue.path, key]),
        reason: `unknown property ${JSON.stringify(key)}; remove it (or check its spelling)`,
      }));
    }
    return [{ property: propertyPath(issue.path), reason: issue.message }];
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
