/**
 * A license-level change: what one license grants before and after, compared the way a reviewer asks: which
 * versions (by name) and artifact tags are gained or lost, whether a grant becomes or stops being "all", whether a
 * tag now points at other content, how the expiry moves, whether registry credentials change. Pure: the callers
 * (the preview reader, a policy pack) decide where "before" and "after" come from.
 */
import { z } from "zod";
import {
  grantedNames,
  grantSelectionSchema,
  selectionDefinition,
  sortedNames,
  type GrantSelection,
} from "./grantSelection";
import {
  customerRefSchema,
  licenseSnapshotSchema,
  registrySnapshotSchema,
  type ArtifactGrant,
  type CustomerRef,
  type LicenseSnapshot,
} from "./licenseSnapshot";

export const selectionChangeSchema = z.object({
  before: grantSelectionSchema.optional(),
  after: grantSelectionSchema.optional(),
  /** The selection as written changed (a range's text, the list, "all"), whatever it matches. */
  definitionChanged: z.boolean(),
  /** Concrete names newly granted (a range that now matches a new release included). */
  gained: z.array(z.string()),
  /** Concrete names no longer granted. */
  lost: z.array(z.string()),
  /** Becomes "all": every version, including future releases. */
  toAll: z.boolean(),
  /** Stops being "all". */
  fromAll: z.boolean(),
});
export type SelectionChange = z.infer<typeof selectionChangeSchema>;

export const movedTagSchema = z.object({ tag: z.string(), from: z.string(), to: z.string() });

export const artifactGrantChangeSchema = z.object({
  artifact: z.string(),
  change: z.enum(["added", "removed", "changed"]),
  tags: selectionChangeSchema,
  /** Content (digests) newly granted / no longer granted; empty where "all" is involved. */
  digestsGained: z.array(z.string()),
  digestsLost: z.array(z.string()),
  /** A tag granted before and after that now points at another digest. */
  movedTags: z.array(movedTagSchema),
});
export type ArtifactGrantChange = z.infer<typeof artifactGrantChangeSchema>;

export const expiryChangeSchema = z.object({
  before: z.string().optional(),
  after: z.string().optional(),
  /** after − before in days (one decimal), when both are set. */
  days: z.number().optional(),
});
export type ExpiryChange = z.infer<typeof expiryChangeSchema>;

export const registryChangeSchema = z.object({
  before: registrySnapshotSchema.optional(),
  after: registrySnapshotSchema.optional(),
  /**
   * The password changed: true, false, or null when it cannot be told (previews show every secret as "[secret]";
   * the review infers a password change only where it is the one change the provider can have seen).
   */
  passwordChanged: z.boolean().nullable(),
});
export type RegistryChange = z.infer<typeof registryChangeSchema>;

export const replacementReasonSchema = z.object({ property: z.string(), explanation: z.string() });

export const replacementSchema = z.object({
  reasons: z.array(replacementReasonSchema),
  /** Distr needs the old license gone before the new one can take its name: a moment without the license. */
  deleteBeforeReplace: z.boolean().nullable(),
  /** Why the order is what it is. */
  order: z.string(),
});
export type Replacement = z.infer<typeof replacementSchema>;

export const LICENSE_ACTIONS = ["create", "update", "replace", "delete"] as const;
export type LicenseAction = (typeof LICENSE_ACTIONS)[number];

export const licenseChangeSchema = z.object({
  /** The resource's name in the program and its URN (absent for changes a policy pack builds). */
  resource: z.string(),
  urn: z.string().optional(),
  kind: z.enum(["applicationLicense", "artifactLicense"]),
  action: z.enum(LICENSE_ACTIONS),
  /** The license name in Distr (after the change; before it for a deletion). */
  name: z.string(),
  before: licenseSnapshotSchema.optional(),
  after: licenseSnapshotSchema.optional(),
  renamedFrom: z.string().optional(),
  /** The license changes hands (the old customer loses it, the new one gains it). */
  customerMoved: z.object({ from: customerRefSchema.optional(), to: customerRefSchema.optional() }).optional(),
  application: z.object({ before: z.string().optional(), after: z.string().optional() }).optional(),
  versions: selectionChangeSchema.optional(),
  artifacts: z.array(artifactGrantChangeSchema),
  expiry: expiryChangeSchema.optional(),
  registry: registryChangeSchema.optional(),
  replacement: replacementSchema.optional(),
  /**
   * The engine creates the resource, but the provider takes over this existing license (`adopt`): "before" is
   * Distr's license; `changed` false means Distr already grants exactly this and nothing is written.
   */
  adopted: z.object({ id: z.string(), changed: z.boolean() }).optional(),
  /** The id Distr gave the license (before the change; a replacement on Distr 2.x gets a new one). */
  id: z.string().optional(),
});
export type LicenseChange = z.infer<typeof licenseChangeSchema>;

export interface LicenseChangeIdentity {
  readonly resource: string;
  readonly urn?: string;
  readonly action: LicenseAction;
  readonly replacement?: Replacement;
  /** Known only to the caller (secrets are hidden in previews); null: cannot be told. */
  readonly registryPasswordChanged?: boolean | null;
}

/** Compares two snapshots of one license; `before` absent = created, `after` absent = deleted. */
export function compareLicenses(
  before: LicenseSnapshot | undefined,
  after: LicenseSnapshot | undefined,
  identity: LicenseChangeIdentity,
): LicenseChange {
  const either = after ?? before;
  if (either === undefined) throw new Error("compareLicenses needs a snapshot before or after the change");
  if (before && after && before.kind !== after.kind) {
    throw new Error(`cannot compare a ${before.kind} with a ${after.kind}`);
  }
  const change: LicenseChange = {
    resource: identity.resource,
    ...(identity.urn !== undefined ? { urn: identity.urn } : {}),
    kind: either.kind,
    action: identity.action,
    name: either.name,
    ...(before ? { before } : {}),
    ...(after ? { after } : {}),
    artifacts: [],
    ...(identity.replacement ? { replacement: identity.replacement } : {}),
  };
  if (before && after && before.name !== after.name) change.renamedFrom = before.name;
  if (before && after && !sameCustomer(before.customer, after.customer)) {
    change.customerMoved = {
      ...(before.customer ? { from: before.customer } : {}),
      ...(after.customer ? { to: after.customer } : {}),
    };
  }

  const beforeApp = before?.kind === "applicationLicense" ? before : undefined;
  const afterApp = after?.kind === "applicationLicense" ? after : undefined;
  if (either.kind === "applicationLicense") {
    if (beforeApp?.application !== afterApp?.application) {
      change.application = {
        ...(beforeApp ? { before: beforeApp.application } : {}),
        ...(afterApp ? { after: afterApp.application } : {}),
      };
    }
    const versions =
      beforeApp && afterApp && beforeApp.application !== afterApp.application
        ? otherApplication(beforeApp.versions, afterApp.versions)
        : compareSelections(beforeApp?.versions, afterApp?.versions);
    if (selectionChanged(versions)) change.versions = versions;
    const registry = compareRegistry(beforeApp, afterApp, identity.registryPasswordChanged);
    if (registry) change.registry = registry;
  }

  const beforeArt = before?.kind === "artifactLicense" ? before.artifacts : [];
  const afterArt = after?.kind === "artifactLicense" ? after.artifacts : [];
  change.artifacts = compareArtifacts(beforeArt, afterArt);

  if (before?.expiresAt !== after?.expiresAt) {
    change.expiry = {
      ...(before?.expiresAt !== undefined ? { before: before.expiresAt } : {}),
      ...(after?.expiresAt !== undefined ? { after: after.expiresAt } : {}),
      ...(before?.expiresAt !== undefined && after?.expiresAt !== undefined
        ? { days: daysBetween(before.expiresAt, after.expiresAt) }
        : {}),
    };
  } else if (!before && after?.expiresAt === undefined) {
    // A new license without expiry: worth a line of its own ("no expiry").
    change.expiry = {};
  }
  return change;
}

/** True when the comparison found something a reviewer can see (besides a hidden password). */
export function hasVisibleChange(change: LicenseChange): boolean {
  return (
    change.action !== "update" ||
    change.renamedFrom !== undefined ||
    change.customerMoved !== undefined ||
    change.application !== undefined ||
    change.versions !== undefined ||
    change.artifacts.length > 0 ||
    change.expiry !== undefined ||
    (change.registry !== undefined && change.registry.passwordChanged !== true)
  );
}

export function compareSelections(before?: GrantSelection, after?: GrantSelection): SelectionChange {
  const beforeNames = before ? grantedNames(before) : [];
  const afterNames = after ? grantedNames(after) : [];
  const known = (names: "all" | string[] | undefined): names is string[] => Array.isArray(names);
  const gained = known(beforeNames) && known(afterNames) ? afterNames.filter((n) => !beforeNames.includes(n)) : [];
  const lost = known(beforeNames) && known(afterNames) ? beforeNames.filter((n) => !afterNames.includes(n)) : [];
  // Going from a list to "all", the list's names stay granted: nothing lost; from "all" to a list, the names of the
  // list were granted before: nothing gained (what else existed is not in the preview: `fromAll` says it).
  return {
    ...(before ? { before } : {}),
    ...(after ? { after } : {}),
    definitionChanged: (before && selectionDefinition(before)) !== (after && selectionDefinition(after)),
    gained: sortedNames(gained),
    lost: sortedNames(lost),
    toAll: after?.kind === "all" && before?.kind !== "all",
    fromAll: before?.kind === "all" && after?.kind !== "all",
  };
}

/** Versions of two different applications: everything of the old one is lost, everything of the new one gained. */
function otherApplication(before: GrantSelection, after: GrantSelection): SelectionChange {
  const lost = compareSelections(before, undefined);
  const gained = compareSelections(undefined, after);
  return { ...gained, before, definitionChanged: true, lost: lost.lost, fromAll: lost.fromAll };
}

export function selectionChanged(change: SelectionChange): boolean {
  return change.definitionChanged || change.gained.length > 0 || change.lost.length > 0;
}

function compareArtifacts(before: readonly ArtifactGrant[], after: readonly ArtifactGrant[]): ArtifactGrantChange[] {
  const names = [...new Set([...before, ...after].map((grant) => grant.artifact))].sort();
  const changes: ArtifactGrantChange[] = [];
  for (const artifact of names) {
    const old = before.find((grant) => grant.artifact === artifact);
    const now = after.find((grant) => grant.artifact === artifact);
    const tags = compareSelections(old?.tags, now?.tags);
    const oldDigests = old ? old.digests : [];
    const newDigests = now ? now.digests : [];
    const digestsGained = Array.isArray(oldDigests) && Array.isArray(newDigests) ? minus(newDigests, oldDigests) : [];
    const digestsLost = Array.isArray(oldDigests) && Array.isArray(newDigests) ? minus(oldDigests, newDigests) : [];
    const movedTags =
      old &&
      now &&
      !tags.definitionChanged &&
      tags.gained.length === 0 &&
      tags.lost.length === 0 &&
      digestsGained.length === 1 &&
      digestsLost.length === 1 &&
      grantedNames(now.tags)?.length === 1
        ? [
            {
              tag: (grantedNames(now.tags) as string[])[0] ?? "",
              from: digestsLost[0] ?? "",
              to: digestsGained[0] ?? "",
            },
          ]
        : [];
    if (old && now && !selectionChanged(tags) && digestsGained.length === 0 && digestsLost.length === 0) continue;
    changes.push({
      artifact,
      change: !old ? "added" : !now ? "removed" : "changed",
      tags,
      digestsGained,
      digestsLost,
      movedTags,
    });
  }
  return changes;
}

function compareRegistry(
  before: { registry?: { url: string; username: string } } | undefined,
  after: { registry?: { url: string; username: string } } | undefined,
  passwordChanged: boolean | null | undefined,
): RegistryChange | undefined {
  const old = before?.registry;
  const now = after?.registry;
  if (!old && !now) return undefined;
  const visible = old?.url !== now?.url || old?.username !== now?.username;
  // A created or deleted license sets or drops credentials: the password goes with them.
  const password = !old || !now ? true : (passwordChanged ?? null);
  if (!visible && password !== true) return undefined;
  return { ...(old ? { before: old } : {}), ...(now ? { after: now } : {}), passwordChanged: password };
}

/** Same customer: the same id, or (ids not known yet) the same name. */
export function sameCustomer(a: CustomerRef | undefined, b: CustomerRef | undefined): boolean {
  if (!a || !b) return a === b;
  if (a.id !== undefined && b.id !== undefined) return a.id === b.id;
  if (a.id !== undefined || b.id !== undefined) return false;
  return a.name === b.name;
}

export function daysBetween(from: string, to: string): number {
  return Math.round(((Date.parse(to) - Date.parse(from)) / 86_400_000) * 10) / 10;
}

function minus(a: readonly string[], b: readonly string[]): string[] {
  return a.filter((item) => !b.includes(item)).sort();
}
