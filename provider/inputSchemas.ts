/**
 * Zod building blocks for resource inputs as `check` receives them: any value may still be the engine's unknown
 * sentinel during a preview, and every message names the bad value and what to write instead.
 */
import { z } from "zod";
import { describeValue } from "./checkFailures";
import { isUnknown, UNKNOWN, type Unknown } from "./unknowns";

/** The schema's value, or the unknown sentinel passed through untouched. */
export function orUnknown<T extends z.ZodType>(schema: T) {
  return z.unknown().transform((value, context): z.output<T> | Unknown => {
    if (isUnknown(value)) return UNKNOWN;
    return parseInto(schema, value, context);
  });
}

/**
 * Picks the schema by the value's JavaScript type (string, array, object, boolean), so that a wrong range object
 * reports what is wrong inside it instead of zod's generic "invalid union".
 */
export function byValueType<
  S extends z.ZodType = z.ZodNever,
  A extends z.ZodType = z.ZodNever,
  O extends z.ZodType = z.ZodNever,
  B extends z.ZodType = z.ZodNever,
>(branches: { string?: S; array?: A; object?: O; boolean?: B }, mismatch: (value: unknown) => string) {
  return z.unknown().transform((value, context): z.output<S> | z.output<A> | z.output<O> | z.output<B> => {
    const branch =
      typeof value === "string"
        ? branches.string
        : Array.isArray(value)
          ? branches.array
          : typeof value === "boolean"
            ? branches.boolean
            : value !== null && typeof value === "object"
              ? branches.object
              : undefined;
    if (!branch) {
      context.addIssue({ code: "custom", message: mismatch(value), input: value });
      return z.NEVER;
    }
    return parseInto(branch, value, context);
  });
}

/** A string with something in it; `what` says what belongs there, for the message. */
export function nonBlankString(what: string) {
  return z
    .string({ error: (issue) => `expected ${what}, got ${describeValue(issue.input)}` })
    .refine((value) => value.trim() !== "", { error: `must not be blank; set it to ${what}` });
}

function parseInto<T extends z.ZodType>(schema: T, value: unknown, context: z.RefinementCtx): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const message =
      issue.code === "unrecognized_keys"
        ? `unknown ${issue.keys.length === 1 ? "property" : "properties"} ${issue.keys
            .map((key) => JSON.stringify(key))
            .join(", ")}; remove ${issue.keys.length === 1 ? "it" : "them"}`
        : issue.message;
    context.addIssue({ code: "custom", message, path: [...issue.path], input: value });
  }
  return z.NEVER;
}
