/**
 * The license rules: what makes a license change risky, as data (a name and a short explanation) plus a pure
 * function over one license-level change (its "before" and "after", licenseChange.ts). One module for every front
 * end that judges license changes: `pulumi-distr review` evaluates them over a preview, a CrossGuard policy pack over
 * a resource's new inputs ("after") and Distr's current object ("before").
 *
 * For a policy pack:
 * ```ts
 * import { compareLicenses, applicationLicenseSnapshotOf, evaluateRules } from "pulumi-distr/review";
 * const after = applicationLicenseSnapshotOf(args.props);            // the resource's new inputs
 * const before = current && applicationLicenseSnapshotFromDistr(current, application, customerName); // or undefined
 * const change = compareLicenses(before, after, { resource: args.name, action: before ? "update" : "create" });
 * for (const finding of evaluateRules([change], { now: new Date(), expiryWindowDays: 30, organization }).findings)
 *   reportViolation(`${finding.rule}: ${finding.message}`);
 * ```
 */
import * as semver from "semver";
import { z } from "zod";
import { shortDigest } from "./grantSelection";
import type { LicenseChange, SelectionChange } from "./licenseChange";
import type { CustomerRef } from "./licenseSnapshot";

export const RULE_NAMES = [
  "loses-access",
  "widens-to-all",
  "prerelease",
  "no-expiry",
  "expires-soon",
  "already-expired",
  "first-entitlement",
  "replacement-gap",
] as const;
export type RuleName = (typeof RULE_NAMES)[number];
export const ruleNameSchema = z.enum(RULE_NAMES);

export function isRuleName(name: string): name is RuleName {
  return (RULE_NAMES as readonly string[]).includes(name);
}

export const DEFAULT_EXPIRY_WINDOW_DAYS = 30;

/** How many licenses of each kind the organization has in Distr before the change (read-only look-ups). */
export interface OrganizationLicensing {
  readonly applicationLicenses: number;
  readonly artifactLicenses: number;
}

export interface RuleContext {
  /** The moment the change is judged at (injectable: reports and tests stay deterministic). */
  readonly now: Date;
  /** `expires-soon` fires for an expiry within this many days of `now`. Default 30. */
  readonly expiryWindowDays?: number;
  /**
   * The organization's licenses before the change, for `first-entitlement`; undefined when Distr could not be
   * asked (the rule is then skipped, with `unavailable` as the reason).
   */
  readonly organization?: OrganizationLicensing;
  /** Why `organization` is missing, e.g. "Distr at https://… is not reachable: …". */
  readonly unavailable?: string;
  /** Application name → its archived version names (from Distr): marked "(archived)" in messages. */
  readonly archivedVersions?: Readonly<Record<string, readonly string[]>>;
}

export interface RuleFinding {
  readonly rule: RuleName;
  /** The license's resource name in the program and its name in Distr. */
  readonly resource: string;
  readonly license: string;
  /** The customer the finding is about, by name (or id when the name is not known). */
  readonly customer?: string;
  readonly message: string;
}

export const ruleFindingSchema = z.object({
  rule: ruleNameSchema,
  resource: z.string(),
  license: z.string(),
  customer: z.string().optional(),
  message: z.string(),
});

export interface LicenseRule {
  readonly name: RuleName;
  /** One line: what the rule flags and why it matters. */
  readonly summary: string;
  /** Needs read-only look-ups at Distr (`context.organization`). */
  readonly needsDistr: boolean;
  /** The messages for one change (empty: the rule does not fire). */
  evaluate(change: LicenseChange, context: RuleContext): string[];
}

const DAY_MS = 86_400_000;

export const RULES: readonly LicenseRule[] = [
  {
    name: "loses-access",
    summary: "a customer loses versions, tags, artifacts or a whole license",
    needsDistr: false,
    evaluate: (change, context) => losesAccess(change, context.archivedVersions?.[applicationOf(change)] ?? []),
  },
  {
    name: "widens-to-all",
    summary: 'a grant becomes "all": every version, including future releases',
    needsDistr: false,
    evaluate: (change) => [
      ...(change.versions?.toAll ? [`grants all versions of ${applicationOf(change)}, including future releases`] : []),
      ...change.artifacts
        .filter((artifact) => artifact.tags.toAll)
        .map((artifact) => `grants all tags of ${artifact.artifact}, including future pushes`),
    ],
  },
  {
    name: "prerelease",
    summary: "a prerelease version or tag is granted",
    needsDistr: false,
    evaluate: (change) => [
      ...prereleases(change.versions).map((v) => `grants prerelease ${v} of ${applicationOf(change)}`),
      ...change.artifacts.flatMap((artifact) =>
        prereleases(artifact.tags).map((tag) => `grants prerelease tag ${tag} of ${artifact.artifact}`),
      ),
    ],
  },
  {
    name: "no-expiry",
    summary: "a license is created without expiry, or its expiry is removed (not other changes to one without)",
    needsDistr: false,
    evaluate: (change) => {
      if (!change.after || change.after.expiresAt !== undefined || change.action === "delete") return [];
      if (change.before?.expiresAt !== undefined) return [`expiry removed (was ${change.before.expiresAt}): no expiry`];
      // Only where the change decides it: a version added to a license that never had an expiry is not news.
      return change.action === "create" ? ["no expiry"] : [];
    },
  },
  {
    name: "expires-soon",
    summary: "the license expires within the expiry window (default 30 days)",
    needsDistr: false,
    evaluate: (change, context) => {
      const at = expiryOf(change);
      if (at === undefined) return [];
      const window = context.expiryWindowDays ?? DEFAULT_EXPIRY_WINDOW_DAYS;
      const left = (at - context.now.getTime()) / DAY_MS;
      if (left <= 0 || left > window) return [];
      return [`expires in ${formatDays(left)} (${change.after?.expiresAt}), within ${window} days`];
    },
  },
  {
    name: "already-expired",
    summary: "the license's expiry is in the past",
    needsDistr: false,
    evaluate: (change, context) => {
      const at = expiryOf(change);
      if (at === undefined || at > context.now.getTime()) return [];
      return [`expired ${formatDays((context.now.getTime() - at) / DAY_MS)} ago (${change.after?.expiresAt})`];
    },
  },
  {
    name: "first-entitlement",
    summary:
      "the organization has no application (or artifact) license yet: the first one restricts what every customer sees",
    needsDistr: true,
    evaluate: (change, context) => {
      if (change.action !== "create" || context.organization === undefined) return [];
      const count =
        change.kind === "applicationLicense"
          ? context.organization.applicationLicenses
          : context.organization.artifactLicenses;
      if (count > 0) return [];
      return change.kind === "applicationLicense"
        ? [
            "first application license of the organization: from then on every customer sees and deploys only the " +
              "applications licensed to it",
          ]
        : [
            "first artifact license of the organization: from then on every customer sees and pulls only the " +
              "artifacts licensed to it",
          ];
    },
  },
  {
    name: "replacement-gap",
    summary: "the license is deleted before its replacement exists: the customer is without it for a moment",
    needsDistr: false,
    evaluate: (change) => {
      if (change.action !== "replace" || !change.replacement) return [];
      if (change.replacement.deleteBeforeReplace === true)
        return [`deleted before it is re-created (${change.replacement.order})`];
      if (change.replacement.deleteBeforeReplace === null) {
        return [`may be deleted before it is re-created (${change.replacement.order})`];
      }
      return [];
    },
  },
];

export function ruleNamed(name: RuleName): LicenseRule {
  const rule = RULES.find((candidate) => candidate.name === name);
  if (!rule) throw new Error(`no rule ${name}`);
  return rule;
}

export interface RuleEvaluation {
  readonly findings: RuleFinding[];
  /** Rules that could not be evaluated, with why (e.g. first-entitlement without access to Distr). */
  readonly skipped: Array<{ rule: RuleName; reason: string }>;
}

/**
 * Evaluates the rules (all, or `only`) over changes, in the given order of changes and then of RULES. A first
 * license of a kind counts once: later creations in the same batch are no longer the first.
 */
export function evaluateRules(
  changes: readonly LicenseChange[],
  context: RuleContext,
  only: readonly RuleName[] = RULE_NAMES,
): RuleEvaluation {
  const findings: RuleFinding[] = [];
  const skipped: Array<{ rule: RuleName; reason: string }> = [];
  let organization = context.organization;
  const rules = RULES.filter((rule) => only.includes(rule.name));
  for (const change of changes) {
    for (const rule of rules) {
      const messages = rule.evaluate(change, { ...context, ...(organization ? { organization } : {}) });
      for (const message of messages) findings.push(findingOf(rule.name, change, message));
    }
    if (organization && change.action === "create") {
      organization = {
        applicationLicenses: organization.applicationLicenses + (change.kind === "applicationLicense" ? 1 : 0),
        artifactLicenses: organization.artifactLicenses + (change.kind === "artifactLicense" ? 1 : 0),
      };
    }
  }
  const creates = changes.some((change) => change.action === "create");
  if (context.organization === undefined && creates && only.includes("first-entitlement")) {
    skipped.push({
      rule: "first-entitlement",
      reason: context.unavailable ?? "the organization's licenses in Distr were not looked up",
    });
  }
  return { findings, skipped };
}

function findingOf(rule: RuleName, change: LicenseChange, message: string): RuleFinding {
  // A license that moves away: losing it is about the customer it leaves.
  const lostByPrevious = rule === "loses-access" && message === movedAwayMessage(change);
  const customer = lostByPrevious
    ? change.customerMoved?.from
    : (change.after?.customer ?? (change.after ? undefined : change.before?.customer));
  const name = customerName(customer);
  return {
    rule,
    resource: change.resource,
    license: change.name,
    ...(name !== undefined ? { customer: name } : {}),
    message,
  };
}

export function customerName(customer: CustomerRef | undefined): string | undefined {
  return customer?.name ?? customer?.id;
}

function losesAccess(change: LicenseChange, archived: readonly string[]): string[] {
  if (change.action === "delete") return ["the license is deleted"];
  const messages: string[] = [];
  const movedAway = movedAwayMessage(change);
  if (movedAway !== undefined) messages.push(movedAway);
  const versions = change.versions;
  if (versions) {
    const application = applicationOf(change);
    if (change.application?.before !== undefined && change.application.after !== undefined) {
      messages.push(`application ${change.application.before} is replaced by ${change.application.after}`);
    } else {
      if (versions.fromAll) messages.push(`no longer all versions of ${application}: only the ones listed`);
      if (versions.lost.length > 0) {
        messages.push(`loses ${plural(markArchived(versions.lost, archived), "version")} of ${application}`);
      }
    }
  }
  for (const artifact of change.artifacts) {
    if (artifact.change === "removed") {
      messages.push(`loses artifact ${artifact.artifact}`);
      continue;
    }
    if (artifact.tags.fromAll) messages.push(`no longer all tags of ${artifact.artifact}: only the ones listed`);
    if (artifact.tags.lost.length > 0)
      messages.push(`loses ${plural(artifact.tags.lost, "tag")} of ${artifact.artifact}`);
    for (const moved of artifact.movedTags) {
      messages.push(
        `tag ${moved.tag} of ${artifact.artifact} moves: the content it pointed at (${shortDigest(moved.from)}) is no longer granted`,
      );
    }
    if (artifact.movedTags.length === 0 && artifact.tags.lost.length === 0 && artifact.digestsLost.length > 0) {
      messages.push(`loses content of ${artifact.artifact}: ${artifact.digestsLost.map(shortDigest).join(", ")}`);
    }
  }
  return messages;
}

/** The loses-access message of a license leaving its customer (the finding is then about that customer). */
function movedAwayMessage(change: LicenseChange): string | undefined {
  const moved = change.customerMoved;
  if (moved?.from === undefined) return undefined;
  return `moves to ${customerName(moved.to) ?? "no customer"}: ${customerName(moved.from)} loses it`;
}

/** "1.0.0 (archived)": a version Distr keeps but no longer offers is worth telling apart. */
export function markArchived(names: readonly string[], archived: readonly string[]): string[] {
  return names.map((name) => (archived.includes(name) ? `${name} (archived)` : name));
}

function plural(names: readonly string[], noun: string): string {
  return `${noun}${names.length === 1 ? "" : "s"} ${names.join(", ")}`;
}

function applicationOf(change: LicenseChange): string {
  const snapshot = change.after ?? change.before;
  return snapshot?.kind === "applicationLicense" ? snapshot.application : "the application";
}

/** Prerelease names newly granted. */
function prereleases(selection: SelectionChange | undefined): string[] {
  if (!selection) return [];
  const names = selection.gained;
  return names.filter((name) => semver.valid(name) !== null && semver.prerelease(name) !== null);
}

/** The expiry of a license that exists after the change, as epoch milliseconds. */
function expiryOf(change: LicenseChange): number | undefined {
  if (change.action === "delete" || change.after?.expiresAt === undefined) return undefined;
  const at = Date.parse(change.after.expiresAt);
  return Number.isNaN(at) ? undefined : at;
}

/** Whole days from 2 on (rounded down), tenths below: reports and rules count days the same way. */
export function formatDays(days: number): string {
  const rounded = days >= 2 ? Math.floor(days) : Math.round(days * 10) / 10;
  return `${rounded} day${rounded === 1 ? "" : "s"}`;
}
