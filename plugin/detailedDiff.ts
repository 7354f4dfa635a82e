/**
 * The engine's view of a handler's diff. A dynamic handler answers "changes?" and which properties force a
 * replacement; a plugin also tells the engine which properties change and how (`detailedDiff`), which is what
 * `pulumi preview --diff` and the step's `diffs` show. The kinds come from comparing the checked inputs the handler
 * judged: the old inputs in state against the new ones. When the handler finds a change that the inputs do not
 * show (Distr drifted, or a range now matches another version), the new inputs are compared with the outputs the
 * handler compared them to.
 */
import { isDeepStrictEqual } from "node:util";
import type { dynamic } from "@pulumi/pulumi";
import { containsUnknown } from "../provider/unknowns";

export type PropertyDiffKind = "add" | "add-replace" | "delete" | "delete-replace" | "update" | "update-replace";

export interface EngineDiff {
  readonly changes: "none" | "some" | "unknown";
  readonly replaces: readonly string[];
  readonly deleteBeforeReplace: boolean;
  /** Top-level property → how it changes; empty when there are no changes. */
  readonly detailedDiff: Readonly<Record<string, PropertyDiffKind>>;
}

export function engineDiff(
  result: dynamic.DiffResult,
  oldInputs: Record<string, unknown>,
  oldOutputs: Record<string, unknown>,
  news: Record<string, unknown>,
): EngineDiff {
  const replaces = [...(result.replaces ?? [])];
  if (result.changes === false) {
    return { changes: "none", replaces: [], deleteBeforeReplace: false, detailedDiff: {} };
  }
  let changed = changedKeys(oldInputs, news);
  if (changed.length === 0) {
    changed = Object.keys(news).filter(
      (key) => containsUnknown(news[key]) || !isDeepStrictEqual(news[key], oldOutputs[key]),
    );
  }
  const detailedDiff: Record<string, PropertyDiffKind> = {};
  for (const key of new Set([...changed, ...replaces])) {
    const kind =
      !Object.hasOwn(oldInputs, key) && Object.hasOwn(news, key)
        ? "add"
        : !Object.hasOwn(news, key) && Object.hasOwn(oldInputs, key)
          ? "delete"
          : "update";
    detailedDiff[key] = replaces.includes(key) ? `${kind}-replace` : kind;
  }
  return {
    changes: result.changes === true ? "some" : "unknown",
    replaces,
    deleteBeforeReplace: result.deleteBeforeReplace === true,
    detailedDiff,
  };
}

function changedKeys(olds: Record<string, unknown>, news: Record<string, unknown>): string[] {
  const keys = new Set([...Object.keys(olds), ...Object.keys(news)]);
  return [...keys].filter((key) => containsUnknown(news[key]) || !isDeepStrictEqual(olds[key], news[key]));
}
