/**
 * A license resource's change as the policy pack can know it. CrossGuard's `validateResource` sees only the
 * resource's new (checked) inputs, never its Pulumi state, so "before" is what Distr holds right now under the
 * license's name (review/distrSnapshots.ts), looked up read-only through the sdk client: one list call per kind for
 * the whole pack run (the client's shared list cache), whatever the number of resources and policies. When Distr
 * cannot be asked, the judgement says so and carries no "before": only the rules that need none are evaluated.
 */
import type { Dialect } from "../sdk/dialect";
import { DIALECT_SPECS } from "../sdk/dialect";
import type { DistrClient } from "../sdk/distrClient";
import { grantedNames } from "../review/grantSelection";
import { compareLicenses, type LicenseAction, type LicenseChange } from "../review/licenseChange";
import { byContent, grantsUnchanged } from "../review/sameGrants";
import { lookUpDistrFacts, type DistrFacts } from "../review/distrLookups";
import { currentLicenseSnapshot } from "../review/distrSnapshots";
import {
  applicationLicenseSnapshotOf,
  artifactLicenseSnapshotOf,
  type LicenseSnapshot,
} from "../review/licenseSnapshot";
import { replacementOf } from "../review/replacement";
import type { OrganizationLicensing } from "../review/rules";

export type LicenseKind = "applicationLicense" | "artifactLicense";

/** One license resource as `validateResource` presents it. */
export interface LicenseResource {
  readonly kind: LicenseKind;
  readonly urn: string;
  /** The resource's name in the program. */
  readonly name: string;
  /** The new inputs (checked by the provider's `check`). */
  readonly props: Readonly<Record<string, unknown>>;
}

export interface LicenseJudgement {
  readonly change: LicenseChange;
  /** Distr was asked: `change.before` is Distr's current license (or none: a creation). */
  readonly beforeKnown: boolean;
  /**
   * Distr already grants exactly this: the engine validates every resource of the program, changed or not, and an
   * untouched license is not a change to judge. (Distr keeps a range as the versions it matched, so "the same
   * grants" is judged by the names granted, not by how the program writes them.)
   */
  readonly unchanged: boolean;
  readonly organization?: OrganizationLicensing;
  /** Why Distr could not be asked, when it could not. */
  readonly unavailable?: string;
  /** Distr has other customers with this license's customer's name: messages then add its id. */
  readonly customerNameShared?: boolean;
}

/** Connects to Distr; throws when it cannot (no token, a malformed host): that counts as "not reachable". */
export type DistrConnector = () => DistrClient;

/** Judges license resources for one pack run, each once, whatever the number of policies asking. */
export class LicenseJudge {
  private readonly judgements = new Map<string, Promise<LicenseJudgement>>();
  private facts: Promise<{ client: DistrClient; facts: DistrFacts } | { unavailable: string }> | undefined;

  constructor(private readonly connect: DistrConnector) {}

  judge(resource: LicenseResource): Promise<LicenseJudgement> {
    let judgement = this.judgements.get(resource.urn);
    if (judgement === undefined) {
      judgement = this.evaluate(resource);
      this.judgements.set(resource.urn, judgement);
      // A failed judgement (e.g. an unknown value during preview) is not cached: the next policy gets the error too.
      judgement.catch(() => this.judgements.delete(resource.urn));
    }
    return judgement;
  }

  private async evaluate(resource: LicenseResource): Promise<LicenseJudgement> {
    const after =
      resource.kind === "applicationLicense"
        ? applicationLicenseSnapshotOf(resource.props)
        : artifactLicenseSnapshotOf(resource.props);
    const distr = await this.distrFacts();
    if ("unavailable" in distr) {
      return {
        change: compareLicenses(undefined, after, { resource: resource.name, urn: resource.urn, action: "create" }),
        beforeKnown: false,
        unchanged: false,
        unavailable: distr.unavailable,
      };
    }
    const { client, facts } = distr;
    const named = withCustomerName(after, facts.customerNames);
    const before = await currentLicenseSnapshot(client, resource.kind, {
      name: named.name,
      customer: named.customer?.id,
    });
    const reasons = before ? replacementReasons(before, named, facts.dialect) : [];
    const action: LicenseAction = before === undefined ? "create" : reasons.length > 0 ? "replace" : "update";
    const change = byContent(
      compareLicenses(before, named, {
        resource: resource.name,
        urn: resource.urn,
        action,
        ...(reasons.length > 0 && before
          ? {
              replacement: replacementOf(reasons, {
                dialect: facts.dialect,
                current: { name: before.name, customer: before.customer?.id },
                desired: { name: named.name, customer: named.customer?.id },
              }),
            }
          : {}),
      }),
    );
    const customerId = named.customer?.id;
    const customerName = customerId === undefined ? undefined : facts.customerNames.get(customerId);
    const namesakes = [...facts.customerNames.values()].filter((name) => name === customerName).length;
    return {
      change,
      beforeKnown: true,
      unchanged: change.action === "update" && grantsUnchanged(change),
      organization: facts.organization,
      ...(namesakes > 1 ? { customerNameShared: true } : {}),
    };
  }

  /** Dialect, customer names and license counts: asked once per pack run. */
  private distrFacts(): Promise<{ client: DistrClient; facts: DistrFacts } | { unavailable: string }> {
    this.facts ??= (async () => {
      let client: DistrClient;
      try {
        client = this.connect();
      } catch (error) {
        return { unavailable: `Distr could not be asked: ${error instanceof Error ? error.message : String(error)}` };
      }
      const result = await lookUpDistrFacts(client);
      return "facts" in result ? { client, facts: result.facts } : result;
    })();
    return this.facts;
  }
}

/** The inputs carry the customer's id only; the review speaks of customers by name. */
function withCustomerName(snapshot: LicenseSnapshot, names: ReadonlyMap<string, string>): LicenseSnapshot {
  const id = snapshot.customer?.id;
  const name = id === undefined ? undefined : names.get(id);
  if (id === undefined || name === undefined || snapshot.customer?.name !== undefined) return snapshot;
  return { ...snapshot, customer: { id, name } };
}

/**
 * Where the provider will replace instead of update (provider/applicationLicense.ts `diff`): Distr does not change an
 * application license's application, nor its customer once it has one (quirk 7), and 2.x refuses any narrowing of
 * its versions (quirk 8). Artifact licenses change in place.
 */
function replacementReasons(before: LicenseSnapshot, after: LicenseSnapshot, dialect: Dialect): string[] {
  if (before.kind !== "applicationLicense" || after.kind !== "applicationLicense") return [];
  const reasons: string[] = [];
  if (before.application !== after.application) reasons.push("application");
  if (before.customer?.id !== undefined && before.customer.id !== after.customer?.id) reasons.push("customer");
  if (DIALECT_SPECS[dialect].narrowing === "rejected" && narrows(grantedNames(before.versions), after)) {
    reasons.push("versions");
  }
  return reasons;
}

function narrows(from: "all" | string[] | undefined, after: LicenseSnapshot): boolean {
  if (after.kind !== "applicationLicense") return false;
  const to = grantedNames(after.versions);
  if (to === "all") return false;
  if (to === undefined || from === undefined) return true;
  if (from === "all") return true;
  return from.some((name) => !to.includes(name));
}
