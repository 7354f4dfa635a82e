/**
 * Why Distr forces a license to be replaced, and in which order the engine replaces it. The provider asks for a
 * replacement where Distr refuses the change in place (provider/applicationLicense.ts `diff`), and deletes the old
 * license first where the new one could not take its name otherwise (provider/licenseScope.ts, quirk 13): then the
 * customer is without the license between the two steps.
 */
import type { Dialect } from "../sdk/dialect";
import { DIALECT_SPECS } from "../sdk/dialect";
import { replacementCollides } from "../provider/licenseScope";
import type { Replacement } from "./licenseChange";

const EXPLANATIONS: Readonly<Record<string, string>> = {
  application: "Distr does not change a license's application",
  customer: "Distr does not move an application license to another customer once it has one",
  versions: "Distr 2.x refuses to narrow a license's versions in place",
};

export function explainReplacement(property: string): string {
  return EXPLANATIONS[property] ?? "the provider cannot change this in place";
}

export interface ReplacementOrderFacts {
  /** The order the engine reported (`--show-replacement-steps`): delete-replaced before create-replacement. */
  readonly reportedDeleteFirst?: boolean;
  /** The dialect of the Distr hub, when known: it decides where names must be unique. */
  readonly dialect?: Dialect;
  readonly current: { name: string; customer?: string | undefined };
  /** New inputs as the engine holds them: unknown values are the engine's sentinel. */
  readonly desired: { name: string; customer?: string | undefined };
}

export function replacementOf(reasons: readonly string[], facts: ReplacementOrderFacts): Replacement {
  const explained = reasons.map((property) => ({ property, explanation: explainReplacement(property) }));
  if (facts.reportedDeleteFirst !== undefined) {
    return {
      reasons: explained,
      deleteBeforeReplace: facts.reportedDeleteFirst,
      order: facts.reportedDeleteFirst
        ? "the engine deletes the old license first: the new one takes its name"
        : "the engine creates the new license first, then deletes the old one",
    };
  }
  if (facts.dialect !== undefined) {
    const deleteFirst = replacementCollides(facts.dialect, facts.current, facts.desired);
    const scope = DIALECT_SPECS[facts.dialect].nameScope === "customer" ? "per customer" : "per organization";
    return {
      reasons: explained,
      deleteBeforeReplace: deleteFirst,
      order: deleteFirst
        ? `Distr ${facts.dialect}.x keeps license names unique ${scope}: the old license is deleted first`
        : "the new license is created first, then the old one deleted",
    };
  }
  const sameName = facts.current.name === facts.desired.name;
  return {
    reasons: explained,
    deleteBeforeReplace: sameName ? null : false,
    order: sameName
      ? "the name stays; whether Distr needs the old license deleted first depends on its version (not reachable)"
      : "a new name: the new license is created first, then the old one deleted",
  };
}
