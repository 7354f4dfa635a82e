/**
 * What a license grants of one application (versions) or one artifact (tags), in the reviewer's words: everything
 * ("all versions, including future releases": Distr's empty list), a list of names, or a semver range with the names
 * it matched when the program ran (the provider resolves ranges in `check`, provider/versionSelection.ts). A range
 * whose matches are not known yet (the application itself is only known after apply) has `matches: null`.
 */
import { z } from "zod";
import { compareNames } from "../provider/selection";
import { isUnknown } from "../provider/unknowns";

export const grantSelectionSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("all") }),
  z.object({ kind: z.literal("list"), names: z.array(z.string()) }),
  z.object({
    kind: z.literal("range"),
    range: z.string(),
    includePrerelease: z.boolean(),
    matches: z.array(z.string()).nullable(),
  }),
  z.object({ kind: z.literal("unknown") }),
]);
export type GrantSelection = z.infer<typeof grantSelectionSchema>;

export const ALL: GrantSelection = { kind: "all" };
export const UNKNOWN_SELECTION: GrantSelection = { kind: "unknown" };

/**
 * Reads a selection as the provider keeps it (checked inputs, outputs) or as a program writes it (`"all"`, a list,
 * `{ range, includePrerelease? }` without matches). Anything else, or a hidden value, is unknown.
 */
export function grantSelectionOf(value: unknown): GrantSelection {
  if (value === undefined || value === "all") return ALL;
  if (Array.isArray(value)) {
    if (!value.every((name): name is string => typeof name === "string" && !isUnknown(name))) {
      return UNKNOWN_SELECTION;
    }
    return { kind: "list", names: sortedNames(value) };
  }
  if (value !== null && typeof value === "object" && "range" in value) {
    const { range, includePrerelease, matches } = value as Record<string, unknown>;
    if (typeof range !== "string" || isUnknown(range)) return UNKNOWN_SELECTION;
    const known =
      Array.isArray(matches) && matches.every((name): name is string => typeof name === "string" && !isUnknown(name));
    return {
      kind: "range",
      range,
      includePrerelease: includePrerelease === true,
      matches: known ? sortedNames(matches) : null,
    };
  }
  return UNKNOWN_SELECTION;
}

/** The names granted, "all", or undefined while not known. */
export function grantedNames(selection: GrantSelection): "all" | string[] | undefined {
  switch (selection.kind) {
    case "all":
      return "all";
    case "list":
      return selection.names;
    case "range":
      return selection.matches ?? undefined;
    case "unknown":
      return undefined;
  }
}

export function sortedNames(names: Iterable<string>): string[] {
  return [...new Set(names)].sort(compareNames);
}

/** How a selection reads in a report: "all versions, including future releases", "2.1.0, 2.2.0", a range. */
export function describeSelection(selection: GrantSelection, noun: "versions" | "tags"): string {
  switch (selection.kind) {
    case "all":
      return noun === "versions" ? "all versions, including future releases" : "all tags, including future pushes";
    case "list":
      return selection.names.join(", ");
    case "range": {
      const prerelease = selection.includePrerelease ? ", prereleases included" : "";
      const matches = selection.matches === null ? "matches known after apply" : `now ${selection.matches.join(", ")}`;
      return `range ${selection.range}${prerelease} (${matches})`;
    }
    case "unknown":
      return "known after apply";
  }
}

/** The text that defines a selection, without what it matched: for "before → after" when the definition changed. */
export function selectionDefinition(selection: GrantSelection): string {
  switch (selection.kind) {
    case "all":
      return "all";
    case "list":
      return `[${selection.names.join(", ")}]`;
    case "range":
      return `range ${selection.range}${selection.includePrerelease ? " (prereleases included)" : ""}`;
    case "unknown":
      return "known after apply";
  }
}

/** `sha256:` and the first 12 hex digits: enough to tell digests apart in a review. */
export function shortDigest(digest: string): string {
  const match = /^(sha256:[0-9a-f]{12})[0-9a-f]+$/.exec(digest);
  return match ? `${match[1]}…` : digest;
}
