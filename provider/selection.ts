/**
 * What a license grants of an application (its versions) or of an artifact (its tags): everything (`"all"`, Distr's
 * empty list, future versions included), a list of names, or a semver range resolved against what exists each time
 * the program runs. Shared by versionSelection.ts and tagSelection.ts.
 */
import * as semver from "semver";
import { z } from "zod";
import { describeValue } from "./checkFailures";
import { byValueType, orUnknown } from "./inputSchemas";
import { UNKNOWN, type Unknown } from "./unknowns";

/** The selection as a program writes it (after the engine resolved its inputs). */
export type SelectionInput =
  "all" | Array<string | Unknown> | { range: string | Unknown; includePrerelease?: boolean | undefined };

/**
 * The selection as it is kept in checked inputs and outputs: normalized (sorted, de-duplicated) and with what a range
 * matched, so that the engine's old-vs-new rendering reads as names and a newly published match shows as a change.
 */
export type ResolvedSelection =
  | "all"
  | Array<string | Unknown>
  | { range: string; includePrerelease: boolean; matches: string[] | Unknown }
  | Unknown;

/**
 * Distr's ids (UUIDs). A list may name a version or digest by id where no name says it (a version of another
 * application, a digest without tags, which Distr does not list): `pulumi-distr export` writes those so.
 */
export const VERSION_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const RANGE_EXAMPLE = '">=2.0.0 <3.0.0"';

const rangeSchema = z.strictObject({
  range: orUnknown(z.string({ error: (issue) => `range must be a string, got ${describeValue(issue.input)}` })),
  includePrerelease: z
    .boolean({ error: (issue) => `includePrerelease must be true or false, got ${describeValue(issue.input)}` })
    .optional(),
});

/** Zod schema of a selection input; `what` names the things selected ("versions", "tags") in messages. */
export function selectionInputSchema(what: string) {
  const expected = `"all", a list of ${what} like ["2.1.0"], or a range like { range: ${RANGE_EXAMPLE} }`;
  return byValueType(
    {
      string: z.literal("all", {
        error: (issue) => `${describeValue(issue.input)} is not a ${what} selection; use ${expected}`,
      }),
      array: z.array(orUnknown(z.string({ error: (issue) => `expected a name, got ${describeValue(issue.input)}` }))),
      object: rangeSchema,
    },
    (value) => `${describeValue(value)} is not a ${what} selection; use ${expected}`,
  );
}

/** Zod schema of a resolved selection (state read back). */
export const resolvedSelectionSchema: z.ZodType<ResolvedSelection> = z.union([
  z.literal("all"),
  z.literal(UNKNOWN),
  z.array(z.string()),
  z.object({
    range: z.string(),
    includePrerelease: z.boolean(),
    matches: z.union([z.array(z.string()), z.literal(UNKNOWN)]),
  }),
]);

/** Why a range expression is unusable, or undefined when `semver` accepts it. */
export function rangeProblem(range: string): string | undefined {
  if (range.trim() === "") {
    return `an empty range matches everything; use "all" to grant everything, or a range like ${RANGE_EXAMPLE}`;
  }
  if (semver.validRange(range) === null) {
    return `${JSON.stringify(range)} is not a valid semver range; use a range like ${RANGE_EXAMPLE}`;
  }
  return undefined;
}

/**
 * Whether a name is matched by a range, with the `semver` package's logic: only valid semver names match; a
 * prerelease only with `includePrerelease` (or when the range itself names a prerelease of the same version).
 */
export function rangeMatches(name: string, range: string, includePrerelease: boolean): boolean {
  return semver.valid(name) !== null && semver.satisfies(name, range, { includePrerelease });
}

/** Semver names first in semver order, then the other names alphabetically: the one order used everywhere. */
export function compareNames(a: string, b: string): number {
  const va = semver.valid(a);
  const vb = semver.valid(b);
  if (va && vb) return semver.compare(va, vb) || (a < b ? -1 : a > b ? 1 : 0);
  if (va) return -1;
  if (vb) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sortNames<T extends string>(names: Iterable<T>): T[] {
  return [...new Set(names)].sort(compareNames);
}

/** A list for error messages: at most `limit` entries, then "… and N more". */
export function listForMessage(items: readonly string[], limit = 40): string {
  if (items.length === 0) return "(none)";
  const shown = items.slice(0, limit).join(", ");
  return items.length > limit ? `${shown}, … and ${items.length - limit} more` : shown;
}
