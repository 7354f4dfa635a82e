/**
 * What the report says about each change, in words, independent of the format: the markdown and text renderers
 * lay these lines out, the JSON report carries the structured changes instead. Every line has a tone (gain, loss,
 * neutral) that the text renderer colours and the markdown renderer marks with + / −. No secret value ever gets
 * here: snapshots carry registry url and user name only.
 */
import { describeSelection, selectionDefinition, shortDigest } from "./grantSelection";
import type { ArtifactGrantChange, LicenseChange, SelectionChange } from "./licenseChange";
import { PENDING_TEXT } from "./licenseSnapshot";
import { SECRET_PLACEHOLDER } from "./previewDocument";
import type { CustomerSection } from "./report";
import { customerName, formatDays, markArchived } from "./rules";

export type Tone = "gain" | "loss" | "neutral";

export interface WordedLine {
  readonly tone: Tone;
  readonly text: string;
}

export interface WordedLicense {
  /** "acme-pro", the license name in Distr. */
  readonly name: string;
  /** "application license for hello-distr", "artifact license". */
  readonly what: string;
  /** "created", "updated", "replaced", "deleted", "moves to Globex". */
  readonly action: string;
  readonly lines: WordedLine[];
}

const DAY_MS = 86_400_000;

export function customerHeading(section: CustomerSection): string {
  if (section.customer === null) return "Licenses without customer";
  return section.label ?? section.customer;
}

/** Said of an object the provider takes over without writing anything. */
export const ADOPTED_UNCHANGED = "adopted, no change in Distr";

export function customerStatus(section: CustomerSection): string[] {
  const notes: string[] = [];
  const change = section.change;
  if (section.status === "new") notes.push("new customer");
  if (section.status === "adopted" && change?.adopted) {
    notes.push(change.adopted.changed ? "adopted existing customer" : `customer ${ADOPTED_UNCHANGED}`);
  }
  if (section.status === "deleted") notes.push("customer deleted (Distr deletes its licenses with it)");
  if (change?.renamedFrom !== undefined) notes.push(`renamed from ${change.renamedFrom}`);
  return notes;
}

export function customerLines(section: CustomerSection): WordedLine[] {
  const change = section.change;
  if (!change) return [];
  const lines: WordedLine[] = [];
  if (change.action === "create" && change.after && !change.adopted) {
    lines.push({ tone: "neutral", text: `portal features: ${change.after.features.join(", ") || "none"}` });
  } else {
    if (change.featuresGained.length > 0) {
      lines.push({ tone: "gain", text: `gains portal features ${change.featuresGained.join(", ")}` });
    }
    if (change.featuresLost.length > 0) {
      lines.push({ tone: "loss", text: `loses portal features ${change.featuresLost.join(", ")}` });
    }
  }
  return lines;
}

/** The words for a license in the section of `section` (a license moving away reads differently there). */
export function wordLicense(
  change: LicenseChange,
  section: CustomerSection,
  now: Date,
  archivedVersions: Readonly<Record<string, readonly string[]>> = {},
): WordedLicense {
  const snapshot = change.after ?? change.before;
  const application = snapshot?.kind === "applicationLicense" ? snapshot.application : undefined;
  const what =
    change.kind === "applicationLicense"
      ? `application license for ${change.application?.after ?? application ?? PENDING_TEXT}`
      : "artifact license";
  const movedAway =
    change.customerMoved?.from !== undefined &&
    section.customer !== null &&
    (change.customerMoved.from.id === section.id || customerName(change.customerMoved.from) === section.customer) &&
    change.after?.customer !== undefined &&
    customerName(change.after.customer) !== section.customer;
  if (movedAway) {
    return {
      name: change.name,
      what,
      action: `moves to ${customerName(change.customerMoved?.to) ?? "no customer"}`,
      lines: [{ tone: "loss", text: `${section.customer} loses this license` }],
    };
  }
  if (change.adopted && !change.adopted.changed)
    return { name: change.name, what, action: ADOPTED_UNCHANGED, lines: [] };
  const action = change.adopted
    ? "adopted; updated"
    : {
        create: "created",
        update: "updated",
        replace: "replaced",
        delete: "deleted",
      }[change.action];
  const lines: WordedLine[] = [];
  if (change.renamedFrom !== undefined) lines.push({ tone: "neutral", text: `renamed from ${change.renamedFrom}` });
  if (change.replacement) {
    for (const reason of change.replacement.reasons) {
      lines.push({ tone: "neutral", text: `replaced because ${reason.explanation} (${reason.property} changes)` });
    }
    lines.push({
      tone: change.replacement.deleteBeforeReplace === false ? "neutral" : "loss",
      text: `order: ${change.replacement.order}`,
    });
    // What refers to the license by id (a deployment's license, automation) must follow it.
    lines.push({
      tone: "neutral",
      text: `Distr gives the new license a new id${change.id !== undefined ? ` (the old one, ${change.id}, goes away)` : ""}`,
    });
  }
  if (change.customerMoved && change.action !== "create") {
    lines.push({
      tone: "neutral",
      text:
        `customer: ${customerName(change.customerMoved.from) ?? "none"} → ` +
        `${customerName(change.customerMoved.to) ?? "none"}`,
    });
  }
  // A license arriving from another customer: what this customer now gets is all of it.
  if (change.customerMoved && change.action !== "create" && change.after) lines.push(...arrivingGrants(change));
  if (change.application?.before !== undefined && change.application.after !== undefined) {
    lines.push({ tone: "neutral", text: `application: ${change.application.before} → ${change.application.after}` });
  }
  if (change.versions) {
    const archived = archivedVersions[change.application?.after ?? application ?? ""] ?? [];
    lines.push(...selectionLines(change, change.versions, "versions", application, archived));
  }
  for (const artifact of change.artifacts) lines.push(...artifactLines(change, artifact));
  lines.push(...expiryLines(change, now));
  lines.push(...registryLines(change));
  // A new customer's id is pending, but its name is known from the same preview: nothing to flag then.
  const pending = (change.after?.pending ?? []).filter(
    (field) => field !== "customer" || change.after?.customer?.name === undefined,
  );
  if (pending.length > 0) {
    lines.push({ tone: "neutral", text: `known only after apply: ${[...new Set(pending)].join(", ")}` });
  }
  return { name: change.name, what, action, lines };
}

function arrivingGrants(change: LicenseChange): WordedLine[] {
  const after = change.after;
  if (after?.kind === "applicationLicense") {
    if (change.application) return []; // the application's lines say it
    return [{ tone: "gain", text: `grants ${describeSelection(after.versions, "versions")}` }];
  }
  if (after?.kind === "artifactLicense") {
    return after.artifacts.map((grant) => ({
      tone: "gain" as const,
      text: `artifact ${grant.artifact}: grants ${describeSelection(grant.tags, "tags")}`,
    }));
  }
  return [];
}

function selectionLines(
  change: LicenseChange,
  selection: SelectionChange,
  noun: "versions" | "tags",
  of: string | undefined,
  archived: readonly string[] = [],
): WordedLine[] {
  const lines: WordedLine[] = [];
  const subject = of === undefined ? noun : `${noun} of ${of}`;
  if (change.action === "create" || (change.application && change.action !== "delete")) {
    if (selection.after) {
      lines.push({
        tone: selection.after.kind === "all" ? "gain" : "gain",
        text: `grants ${describeSelection(selection.after, noun)}`,
      });
    }
    if (change.application && selection.lost.length + (selection.fromAll ? 1 : 0) > 0 && selection.before) {
      lines.push({
        tone: "loss",
        text: `no longer grants ${describeSelection(selection.before, noun)} of ${change.application.before}`,
      });
    }
    return lines;
  }
  if (change.action === "delete") {
    if (selection.before)
      lines.push({ tone: "loss", text: `no longer grants ${describeSelection(selection.before, noun)}` });
    return lines;
  }
  if (selection.definitionChanged && selection.before && selection.after) {
    lines.push({
      tone: "neutral",
      text: `${subject}: ${selectionDefinition(selection.before)} → ${selectionDefinition(selection.after)}`,
    });
  }
  if (selection.toAll) lines.push({ tone: "gain", text: `now grants ${describeSelection({ kind: "all" }, noun)}` });
  if (selection.fromAll) {
    lines.push({ tone: "loss", text: `no longer grants ${describeSelection({ kind: "all" }, noun)}` });
  }
  if (selection.gained.length > 0) {
    const range = selection.after?.kind === "range" && !selection.definitionChanged ? selection.after.range : undefined;
    lines.push({
      tone: "gain",
      text:
        `gains ${countedNoun(noun, selection.gained.length)} ${markArchived(selection.gained, archived).join(", ")}` +
        (range !== undefined ? ` (newly matched by the unchanged range ${range})` : ""),
    });
  }
  if (selection.lost.length > 0) {
    lines.push({
      tone: "loss",
      text: `loses ${countedNoun(noun, selection.lost.length)} ${markArchived(selection.lost, archived).join(", ")}`,
    });
  }
  return lines;
}

function artifactLines(change: LicenseChange, artifact: ArtifactGrantChange): WordedLine[] {
  const name = artifact.artifact;
  if (artifact.change === "added" && artifact.tags.after) {
    return [{ tone: "gain", text: `artifact ${name}: grants ${describeSelection(artifact.tags.after, "tags")}` }];
  }
  if (artifact.change === "removed" && artifact.tags.before) {
    const verb = change.action === "delete" ? "no longer grants" : "removed; it granted";
    return [{ tone: "loss", text: `artifact ${name}: ${verb} ${describeSelection(artifact.tags.before, "tags")}` }];
  }
  const lines = selectionLines(change, artifact.tags, "tags", name).map((line) => ({
    ...line,
    text: line.text.startsWith("tags of")
      ? `artifact ${line.text.slice("tags of ".length)}`
      : `artifact ${name}: ${line.text}`,
  }));
  for (const moved of artifact.movedTags) {
    lines.push({
      tone: "neutral",
      text: `artifact ${name}: tag ${moved.tag} moved to new content ${shortDigest(moved.from)} → ${shortDigest(moved.to)}`,
    });
  }
  if (artifact.movedTags.length === 0) {
    if (artifact.digestsGained.length > 0 && artifact.tags.gained.length === 0) {
      lines.push({
        tone: "gain",
        text: `artifact ${name}: gains content ${artifact.digestsGained.map(shortDigest).join(", ")}`,
      });
    }
    if (artifact.digestsLost.length > 0 && artifact.tags.lost.length === 0) {
      lines.push({
        tone: "loss",
        text: `artifact ${name}: loses content ${artifact.digestsLost.map(shortDigest).join(", ")}`,
      });
    }
  }
  return lines;
}

function expiryLines(change: LicenseChange, now: Date): WordedLine[] {
  const expiry = change.expiry;
  if (change.action === "delete" || !expiry) return [];
  if (change.action === "create" || !change.before) {
    return [
      {
        tone: "neutral",
        text: expiry.after === undefined ? "no expiry" : `expires ${describeExpiry(expiry.after, now)}`,
      },
    ];
  }
  if (expiry.after === undefined) {
    return [{ tone: "gain", text: `expiry ${formatExpiry(expiry.before ?? "")} → no expiry (expiry removed)` }];
  }
  if (expiry.before === undefined) {
    return [{ tone: "loss", text: `expiry: none → ${describeExpiry(expiry.after, now)}` }];
  }
  const days = expiry.days ?? 0;
  return [
    {
      tone: days >= 0 ? "gain" : "loss",
      text:
        `expiry ${formatExpiry(expiry.before)} → ${describeExpiry(expiry.after, now)}, ` +
        `${days >= 0 ? "+" : "−"}${Math.abs(days)} day${Math.abs(days) === 1 ? "" : "s"}`,
    },
  ];
}

function registryLines(change: LicenseChange): WordedLine[] {
  const registry = change.registry;
  if (!registry || change.action === "delete") return [];
  const where = (r: { url: string; username: string }) =>
    r.url === SECRET_PLACEHOLDER ? "(secret)" : `${r.url} as ${r.username}`;
  if (!registry.before && registry.after) {
    return [{ tone: "neutral", text: `registry credentials: ${where(registry.after)} (password set, not shown)` }];
  }
  if (registry.before && !registry.after) {
    return [{ tone: "loss", text: `registry credentials removed (were ${where(registry.before)})` }];
  }
  const parts: string[] = [];
  if (registry.before && registry.after && where(registry.before) !== where(registry.after)) {
    parts.push(`${where(registry.before)} → ${where(registry.after)}`);
  }
  if (registry.passwordChanged === true) parts.push("password changed (not shown)");
  if (registry.passwordChanged === null) parts.push("password: not comparable in a preview (secrets are hidden)");
  return parts.length === 0 ? [] : [{ tone: "neutral", text: `registry credentials: ${parts.join("; ")}` }];
}

/** "2027-06-30" for midnight UTC, the full timestamp otherwise. */
export function formatExpiry(expiresAt: string): string {
  return /T00:00:00(\.0+)?Z$/.test(expiresAt) ? expiresAt.slice(0, 10) : expiresAt;
}

function describeExpiry(expiresAt: string, now: Date): string {
  const at = Date.parse(expiresAt);
  if (Number.isNaN(at)) return expiresAt;
  // Counted like the rules' messages (formatDays), from the report's one "now": the risks and the details agree.
  const relative =
    at <= now.getTime()
      ? `expired ${formatDays((now.getTime() - at) / DAY_MS)} ago`
      : `in ${formatDays((at - now.getTime()) / DAY_MS)}`;
  return `${formatExpiry(expiresAt)} (${relative})`;
}

/** "version" for one, "versions" for more. */
function countedNoun(noun: "versions" | "tags", count: number): string {
  return count === 1 ? noun.slice(0, -1) : noun;
}
