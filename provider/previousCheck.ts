/**
 * What `check` may take from the inputs it resolved on an earlier run instead of asking Distr again. The engine
 * hands those back as `olds` (the checked inputs in state, pulumi-notes §1), and on a stack without changes every
 * reference in them is still the one the program writes: asking Distr to resolve it again costs a read per kind in
 * every provider process (two per `up`), out of a per-user budget (quirk 19) that the operation before may have just
 * spent. An `up` without changes then waits for Distr's window to turn instead of finishing at once.
 *
 * Only what cannot have changed in Distr without the program changing is kept: that a customer id or an
 * application or artifact reference named what it named, and a selection that names its versions ("all", a list).
 * A semver range and a tag list are resolved every time: a newly published version may match the range, a tag may
 * have moved to another digest, and either is a change the next `up` must show. What a kept reference names may
 * still be gone from Distr (deleted in the portal): `pulumi refresh` finds that, as it finds every other drift, and
 * an update that needs it fails with Distr's answer.
 */
import { isDeepStrictEqual } from "node:util";
import type { z } from "zod";
import { withoutProvider } from "./properties";
import { sortNames, type ResolvedSelection, type SelectionInput } from "./selection";
import { containsUnknown, isUnknown, type Unknown } from "./unknowns";

/** The checked inputs of an earlier run, when `olds` holds a complete set (nothing unknown). */
export function previousInputs<T extends z.ZodType>(schema: T, olds: unknown): z.output<T> | undefined {
  const parsed = schema.safeParse(withoutProvider(olds));
  return parsed.success && !containsUnknown(parsed.data) ? parsed.data : undefined;
}

/** True when the program's reference (a name or an id) is what the earlier run resolved to this name and id. */
export function samePreviousReference(
  written: string | Unknown,
  previous: { readonly name: string; readonly id: string } | undefined,
): boolean {
  if (previous === undefined || isUnknown(written)) return false;
  const reference = written.trim();
  return reference === previous.name || reference === previous.id;
}

/**
 * True when the selection names what it grants and grants what it granted on the earlier run: "all", or the same
 * names. A range (its matches depend on what Distr has now) is never kept.
 */
export function sameStaticSelection(
  written: SelectionInput | Unknown,
  previous: ResolvedSelection | undefined,
): boolean {
  if (previous === undefined || isUnknown(written)) return false;
  if (written === "all") return previous === "all";
  if (!Array.isArray(written) || !Array.isArray(previous) || written.some(isUnknown)) return false;
  return isDeepStrictEqual(sortNames(written as string[]), previous);
}
