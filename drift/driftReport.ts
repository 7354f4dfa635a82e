/**
 * Drift: what Distr has now against what the stacks' state says the code made, by customer. Two kinds of finding:
 * - a managed object changed or deleted in the portal (compared by Distr id with the review's own comparison,
 *   review/licenseChange.ts, and worded by review/reportWording.ts: the same words as a pull request's review);
 * - an object in Distr that no stack manages (created in the portal, or left by an interrupted run).
 * Pure: the state (drift/stackState.ts) and Distr's objects (drift/distrInventory.ts) are read by the callers.
 * Customers are keyed by id everywhere (two customers may share a name). The zod schema is the `--format json`
 * contract (schemaVersion 1; fields are only ever added).
 */
import { z } from "zod";
import type { GrantedTags } from "../provider/tagSelection";
import { resolvedSelectionSchema } from "../provider/selection";
import { compareCustomers, customerChangeSchema, type CustomerChange } from "../review/customerChange";
import { applicationLicenseSnapshotFromDistr, artifactLicenseSnapshotFromDistr } from "../review/distrSnapshots";
import { describeSelection, type GrantSelection } from "../review/grantSelection";
import {
  compareLicenses,
  hasVisibleChange,
  licenseChangeSchema,
  type LicenseChange,
  type SelectionChange,
} from "../review/licenseChange";
import {
  applicationLicenseSnapshotOf,
  artifactLicenseSnapshotOf,
  customerSnapshotOf,
  type LicenseSnapshot,
} from "../review/licenseSnapshot";
import type { CustomerSection } from "../review/report";
import { customerLines, formatExpiry, wordLicense } from "../review/reportWording";
import type { ArtifactLicense } from "../sdk/schemas";
import type { DistrInventory } from "./distrInventory";
import type { InterruptedCreate, ManagedObject, StackState } from "./stackState";

export const DRIFT_SCHEMA_VERSION = 1;
/** Characters of an id that tell two customers of the same name apart (Distr's ids are UUIDs). */
const SHORT_ID_LENGTH = 8;

const wordedLineSchema = z.object({ tone: z.enum(["gain", "loss", "neutral"]), text: z.string() });

export const driftObjectKinds = ["customer", "applicationLicense", "artifactLicense", "licenseKey"] as const;
export type DriftObjectKind = (typeof driftObjectKinds)[number];

export const driftItemSchema = z.object({
  /** changed / deleted in Distr behind the code's back, or unmanaged: no stack manages it. */
  drift: z.enum(["changed", "deleted", "unmanaged"]),
  object: z.enum(driftObjectKinds),
  /** The name in Distr (the state's name for a deleted object). */
  name: z.string(),
  id: z.string(),
  /** The stack and resource that manage it (absent for unmanaged objects). */
  stack: z.string().optional(),
  resource: z.string().optional(),
  /** One sentence per fact, for an issue's list: "ACME Corp now also has 3.0.0 of hello-distr, which …". */
  sentences: z.array(z.string()),
  /** The review's lines for the change (or for what an unmanaged license grants). */
  lines: z.array(wordedLineSchema),
  licenseChange: licenseChangeSchema.optional(),
  customerChange: customerChangeSchema.optional(),
  /** An interrupted run that was creating an object of this kind and name: where it probably came from. */
  interruptedCreate: z.object({ stack: z.string(), resource: z.string() }).optional(),
});
export type DriftItem = z.infer<typeof driftItemSchema>;

export const driftSectionSchema = z.object({
  /** The customer's name (Distr's, else the state's); null for objects without customer. */
  customer: z.string().nullable(),
  /** The heading: the name, with a short id when another customer in Distr has the same name (as the review does). */
  label: z.string().nullable(),
  id: z.string().optional(),
  items: z.array(driftItemSchema),
});
export type DriftSection = z.infer<typeof driftSectionSchema>;

export const driftReportSchema = z.object({
  schemaVersion: z.literal(DRIFT_SCHEMA_VERSION),
  now: z.string(),
  host: z.string(),
  dialect: z.enum(["2", "3"]),
  stacks: z.array(z.string()),
  summary: z.object({
    text: z.string(),
    drift: z.boolean(),
    changed: z.number(),
    deleted: z.number(),
    unmanaged: z.number(),
    managed: z.number(),
  }),
  sections: z.array(driftSectionSchema),
  /** Requests sent to Distr for this report (all reads), when the caller counted them. */
  requests: z.number().optional(),
  notes: z.array(z.string()),
});
export type DriftReport = z.infer<typeof driftReportSchema>;

export interface DriftOptions {
  readonly now: Date;
  readonly requests?: number;
}

/** The object kinds drift compares; other pulumi-distr resources (license templates) only count as managed. */
const KIND_OF: Readonly<Record<string, DriftObjectKind>> = {
  Customer: "customer",
  ApplicationLicense: "applicationLicense",
  ArtifactLicense: "artifactLicense",
  LicenseKey: "licenseKey",
};

const outputsVersionsSchema = z.object({ versions: resolvedSelectionSchema.optional() }).loose();
const outputsArtifactsSchema = z
  .object({
    artifacts: z
      .array(
        z
          .object({
            artifactId: z.string(),
            tags: resolvedSelectionSchema,
            digests: z.array(z.string()).optional(),
          })
          .loose(),
      )
      .optional(),
  })
  .loose();

export function buildDriftReport(state: StackState, distr: DistrInventory, options: DriftOptions): DriftReport {
  const sections = new Map<string, DriftSection>();
  const customersById = new Map(distr.customers.map((customer) => [customer.id, customer]));
  const stateCustomerNames = new Map<string, string>();
  for (const object of state.objects) {
    if (KIND_OF[object.kind] === "customer" && typeof object.outputs["name"] === "string") {
      stateCustomerNames.set(object.id, object.outputs["name"]);
    }
    const customer = object.outputs["customer"];
    const name = object.outputs["customerName"];
    if (typeof customer === "string" && typeof name === "string" && !stateCustomerNames.has(customer)) {
      stateCustomerNames.set(customer, name);
    }
  }
  const nameOf = (id: string | undefined): string | undefined =>
    id === undefined ? undefined : (customersById.get(id)?.name ?? stateCustomerNames.get(id));
  const section = (customerId: string | undefined): DriftSection => {
    const key = customerId ?? "";
    let draft = sections.get(key);
    if (!draft) {
      draft = {
        customer: customerId === undefined ? null : (nameOf(customerId) ?? customerId),
        label: null,
        ...(customerId !== undefined ? { id: customerId } : {}),
        items: [],
      };
      sections.set(key, draft);
    }
    return draft;
  };
  const now = options.now;

  const managedIds = new Set(state.objects.map((object) => object.id));
  const applications = distr.applications;
  const artifactOf = (id: string) => distr.artifacts.get(id);

  for (const object of state.objects) {
    const kind = KIND_OF[object.kind];
    if (kind === "customer") {
      const current = customersById.get(object.id);
      const before = customerSnapshotOf(object.outputs);
      if (!current) {
        section(object.id).items.push({
          drift: "deleted",
          object: "customer",
          name: before.name,
          id: object.id,
          stack: object.stack,
          resource: object.resource,
          sentences: [
            `customer ${before.name} was deleted in Distr (Distr deleted its licenses and keys with it); the code still has it`,
          ],
          lines: [],
        });
        continue;
      }
      const after = customerSnapshotOf({ name: current.name, features: current.features });
      const change = compareCustomers(before, after, {
        resource: object.resource,
        urn: object.urn,
        id: object.id,
        action: "update",
      });
      if (change.renamedFrom === undefined && change.featuresGained.length + change.featuresLost.length === 0) continue;
      section(object.id).items.push({
        drift: "changed",
        object: "customer",
        name: current.name,
        id: object.id,
        stack: object.stack,
        resource: object.resource,
        sentences: customerSentences(change),
        lines: customerLines(customerSectionFor(change.after?.name ?? null, object.id, change)),
        customerChange: change,
      });
      continue;
    }
    if (kind === "applicationLicense" || kind === "artifactLicense") {
      const before = licenseBefore(kind, object, nameOf);
      const currentApplicationLicense =
        kind === "applicationLicense"
          ? distr.applicationLicenses.find((license) => license.id === object.id)
          : undefined;
      const currentArtifactLicense =
        kind === "artifactLicense" ? distr.artifactLicenses.find((license) => license.id === object.id) : undefined;
      const owner = before.customer?.id;
      if (!currentApplicationLicense && !currentArtifactLicense) {
        const change = compareLicenses(before, undefined, {
          resource: object.resource,
          urn: object.urn,
          action: "delete",
        });
        section(owner).items.push({
          drift: "deleted",
          object: kind,
          name: before.name,
          id: object.id,
          stack: object.stack,
          resource: object.resource,
          sentences: [deletedSentence(before, nameOf(owner))],
          lines: wordLicense(change, customerSectionFor(nameOf(owner) ?? null, owner, undefined), now).lines,
          licenseChange: change,
        });
        continue;
      }
      const after = currentApplicationLicense
        ? applicationLicenseSnapshotFromDistr(
            currentApplicationLicense,
            applications.get(currentApplicationLicense.applicationId),
            nameOf(currentApplicationLicense.customerOrganizationId),
            outputsVersionsSchema.safeParse(object.outputs).data?.versions,
          )
        : artifactLicenseSnapshotFromDistr(
            currentArtifactLicense as ArtifactLicense,
            artifactOf,
            nameOf(currentArtifactLicense?.customerOrganizationId),
            priorArtifacts(object),
          );
      // Distr returns the registry password in clear text, the state keeps ciphertext: never compared here.
      const change = compareLicenses(before, after, {
        resource: object.resource,
        urn: object.urn,
        action: "update",
        registryPasswordChanged: false,
      });
      if (!hasVisibleChange(change)) continue;
      const customerId = after.customer?.id;
      section(customerId).items.push({
        drift: "changed",
        object: kind,
        name: after.name,
        id: object.id,
        stack: object.stack,
        resource: object.resource,
        sentences: changedSentences(change, nameOf(customerId)),
        lines: wordLicense(change, customerSectionFor(nameOf(customerId) ?? null, customerId, undefined), now).lines,
        licenseChange: change,
      });
      continue;
    }
    if (kind === "licenseKey" && !distr.licenseKeys.some((key) => key.id === object.id)) {
      const name = typeof object.outputs["name"] === "string" ? object.outputs["name"] : object.resource;
      const owner = typeof object.outputs["customer"] === "string" ? object.outputs["customer"] : undefined;
      section(owner).items.push({
        drift: "deleted",
        object: "licenseKey",
        name,
        id: object.id,
        stack: object.stack,
        resource: object.resource,
        sentences: [`license key ${name} was deleted in Distr; the code still has it`],
        lines: [],
      });
    }
  }

  const interrupted = (kind: string, name: string) => interruptedCreateOf(state.interruptedCreates, kind, name);
  for (const customer of distr.customers) {
    if (managedIds.has(customer.id)) continue;
    const snapshot = customerSnapshotOf({ name: customer.name, features: customer.features });
    const change = compareCustomers(undefined, snapshot, {
      resource: customer.name,
      id: customer.id,
      action: "create",
    });
    section(customer.id).items.push({
      drift: "unmanaged",
      object: "customer",
      name: customer.name,
      id: customer.id,
      sentences: [`customer ${customer.name} is in Distr, but no stack manages it`],
      lines: customerLines(customerSectionFor(customer.name, customer.id, change)),
      ...interrupted("Customer", customer.name),
    });
  }
  for (const current of distr.applicationLicenses) {
    if (managedIds.has(current.id)) continue;
    const snapshot = applicationLicenseSnapshotFromDistr(
      current,
      applications.get(current.applicationId),
      nameOf(current.customerOrganizationId),
    );
    section(current.customerOrganizationId).items.push(unmanagedLicense(snapshot, current.id, now, interrupted));
  }
  for (const current of distr.artifactLicenses) {
    if (managedIds.has(current.id)) continue;
    const snapshot = artifactLicenseSnapshotFromDistr(current, artifactOf, nameOf(current.customerOrganizationId));
    section(current.customerOrganizationId).items.push(unmanagedLicense(snapshot, current.id, now, interrupted));
  }
  for (const key of distr.licenseKeys) {
    if (managedIds.has(key.id)) continue;
    const owner = nameOf(key.customerOrganizationId);
    section(key.customerOrganizationId).items.push({
      drift: "unmanaged",
      object: "licenseKey",
      name: key.name,
      id: key.id,
      sentences: [`license key ${key.name}${owner ? ` of ${owner}` : ""} is in Distr, but no stack manages it`],
      lines: key.expiresAt ? [{ tone: "neutral", text: `expires ${formatExpiry(key.expiresAt)}` }] : [],
      ...interrupted("LicenseKey", key.name),
    });
  }

  const ordered = [...sections.values()].filter((s) => s.items.length > 0).sort(compareSections);
  const sameName = new Map<string, number>();
  for (const customer of distr.customers) sameName.set(customer.name, (sameName.get(customer.name) ?? 0) + 1);
  for (const s of ordered) {
    if (s.customer === null) continue;
    const shared = (sameName.get(s.customer) ?? 0) > 1 && s.id !== undefined;
    s.label = shared ? `${s.customer} (id ${s.id?.slice(0, SHORT_ID_LENGTH)})` : s.customer;
  }
  for (const s of ordered) s.items.sort(compareItems);
  const items = ordered.flatMap((s) => s.items);
  const count = (drift: DriftItem["drift"]) => items.filter((item) => item.drift === drift).length;
  const summary = {
    drift: items.length > 0,
    changed: count("changed"),
    deleted: count("deleted"),
    unmanaged: count("unmanaged"),
    managed: state.objects.length,
  };
  const notes: string[] = [];
  if (distr.dialect === "2") notes.push("Distr 2.x has no license keys: none were compared");
  return {
    schemaVersion: DRIFT_SCHEMA_VERSION,
    now: now.toISOString(),
    host: distr.host,
    dialect: distr.dialect,
    stacks: [...state.stacks],
    summary: { text: summaryText(summary, items), ...summary },
    sections: ordered,
    ...(options.requests !== undefined ? { requests: options.requests } : {}),
    notes,
  };
}

function licenseBefore(
  kind: "applicationLicense" | "artifactLicense",
  object: ManagedObject,
  nameOf: (id: string | undefined) => string | undefined,
): LicenseSnapshot {
  const snapshot =
    kind === "applicationLicense"
      ? applicationLicenseSnapshotOf(object.outputs)
      : artifactLicenseSnapshotOf(object.outputs);
  const id = snapshot.customer?.id;
  const name = nameOf(id);
  // The name Distr has now: a customer renamed in the portal is reported once, on the customer, not on each license.
  return id !== undefined && name !== undefined ? { ...snapshot, customer: { id, name } } : snapshot;
}

function priorArtifacts(object: ManagedObject): (artifactId: string) => GrantedTags | undefined {
  const artifacts = outputsArtifactsSchema.safeParse(object.outputs).data?.artifacts ?? [];
  return (artifactId) => {
    const prior = artifacts.find((artifact) => artifact.artifactId === artifactId);
    return prior ? { tags: prior.tags, digests: prior.digests } : undefined;
  };
}

function unmanagedLicense(
  snapshot: LicenseSnapshot,
  id: string,
  now: Date,
  interrupted: (kind: string, name: string) => Pick<DriftItem, "interruptedCreate">,
): DriftItem {
  const kind = snapshot.kind;
  const change = compareLicenses(undefined, snapshot, { resource: snapshot.name, action: "create" });
  const owner = snapshot.customer?.name;
  const what = kind === "applicationLicense" ? `application license for ${snapshot.application}` : "artifact license";
  return {
    drift: "unmanaged",
    object: kind,
    name: snapshot.name,
    id,
    sentences: [`${snapshot.name} (${what}${owner ? ` of ${owner}` : ""}) is in Distr, but no stack manages it`],
    lines: wordLicense(change, customerSectionFor(owner ?? null, snapshot.customer?.id, undefined), now).lines,
    licenseChange: change,
    ...interrupted(kind === "applicationLicense" ? "ApplicationLicense" : "ArtifactLicense", snapshot.name),
  };
}

function interruptedCreateOf(
  creates: readonly InterruptedCreate[],
  kind: string,
  name: string,
): Pick<DriftItem, "interruptedCreate"> {
  const match = creates.find((create) => create.kind === kind && create.name === name);
  return match ? { interruptedCreate: { stack: match.stack, resource: match.resource } } : {};
}

/** The review's wording functions take a report section; drift has one per customer. */
function customerSectionFor(
  customer: string | null,
  id: string | undefined,
  change: CustomerChange | undefined,
): CustomerSection {
  return {
    customer,
    label: customer,
    ...(id !== undefined ? { id } : {}),
    status: customer === null ? "none" : "existing",
    ...(change ? { change } : {}),
    gainsAccess: false,
    losesAccess: false,
    licenses: [],
    findings: [],
  };
}

function customerSentences(change: CustomerChange): string[] {
  const sentences: string[] = [];
  const name = change.after?.name ?? change.before?.name ?? "";
  if (change.renamedFrom !== undefined) {
    sentences.push(
      `customer ${change.renamedFrom} was renamed to ${name} in Distr; the code still calls it ${change.renamedFrom}`,
    );
  }
  if (change.featuresGained.length > 0) {
    sentences.push(
      `${name} now also has portal features ${change.featuresGained.join(", ")}, which the code does not give`,
    );
  }
  if (change.featuresLost.length > 0) {
    sentences.push(`${name} no longer has portal features ${change.featuresLost.join(", ")}, which the code gives`);
  }
  return sentences;
}

/** "ACME Corp now also has 3.0.0 of hello-distr, which the code does not grant", one sentence per fact. */
function changedSentences(change: LicenseChange, customer: string | undefined): string[] {
  const who = customer ?? "(no customer)";
  const sentences: string[] = [];
  const after = change.after;
  if (change.renamedFrom !== undefined) {
    sentences.push(`license ${change.renamedFrom} was renamed to ${change.name} in Distr`);
  }
  if (change.versions) {
    const application = after?.kind === "applicationLicense" ? after.application : "the application";
    sentences.push(...selectionSentences(who, change.versions, application, "versions"));
  }
  for (const artifact of change.artifacts) {
    if (artifact.change === "added" && artifact.tags.after) {
      sentences.push(
        `${who} now also has artifact ${artifact.artifact} (${describeSelection(artifact.tags.after, "tags")}) through ${change.name}, which the code does not grant`,
      );
    } else if (artifact.change === "removed" && artifact.tags.before) {
      sentences.push(
        `${who} no longer has artifact ${artifact.artifact} (${describeSelection(artifact.tags.before, "tags")}) through ${change.name}, which the code grants`,
      );
    } else {
      sentences.push(...selectionSentences(who, artifact.tags, `artifact ${artifact.artifact}`, "tags"));
      if (artifact.tags.gained.length === 0 && artifact.digestsGained.length > 0) {
        sentences.push(
          `${who} now also has new content of artifact ${artifact.artifact}, which the code does not grant`,
        );
      }
    }
  }
  const expiry = change.expiry;
  if (expiry) {
    if (expiry.before !== undefined && expiry.after !== undefined) {
      const days = expiry.days ?? 0;
      sentences.push(
        `the expiry of ${change.name} was moved from ${formatExpiry(expiry.before)} to ${formatExpiry(expiry.after)} ` +
          `(${days >= 0 ? "+" : "−"}${Math.abs(days)} days); the code says ${formatExpiry(expiry.before)}`,
      );
    } else if (expiry.before !== undefined) {
      sentences.push(`the expiry of ${change.name} was removed in Distr; the code says ${formatExpiry(expiry.before)}`);
    } else if (expiry.after !== undefined) {
      sentences.push(`${change.name} was given the expiry ${formatExpiry(expiry.after)} in Distr; the code sets none`);
    }
  }
  if (change.registry) sentences.push(`the registry credentials of ${change.name} were changed in Distr`);
  if (change.customerMoved) sentences.push(`${change.name} was moved to another customer in Distr`);
  if (sentences.length === 0) sentences.push(`${change.name} was changed in Distr`);
  return sentences;
}

function selectionSentences(who: string, selection: SelectionChange, of: string, noun: "versions" | "tags"): string[] {
  const sentences: string[] = [];
  if (selection.toAll) {
    sentences.push(
      `${who} now has ${describeSelection({ kind: "all" }, noun)} of ${of}, which the code does not grant`,
    );
  } else if (selection.gained.length > 0) {
    sentences.push(`${who} now also has ${selection.gained.join(", ")} of ${of}, which the code does not grant`);
  }
  if (selection.fromAll && selection.after) {
    sentences.push(
      `${who} now has only ${describeSelection(selection.after, noun)} of ${of}; the code grants ${describeSelection({ kind: "all" }, noun)}`,
    );
  } else if (selection.lost.length > 0) {
    sentences.push(`${who} no longer has ${selection.lost.join(", ")} of ${of}, which the code grants`);
  }
  return sentences;
}

function deletedSentence(before: LicenseSnapshot, customer: string | undefined): string {
  const who = customer ?? "no customer";
  const grants: GrantSelection | undefined = before.kind === "applicationLicense" ? before.versions : undefined;
  const what =
    before.kind === "applicationLicense"
      ? `${describeSelection(grants ?? { kind: "all" }, "versions")} of ${before.application}`
      : before.artifacts.map((grant) => `artifact ${grant.artifact}`).join(", ") || "its artifacts";
  return `${before.name} was deleted in Distr: ${who === "no customer" ? "nobody" : who} no longer has ${what}, which the code grants`;
}

function compareSections(a: DriftSection, b: DriftSection): number {
  if (a.customer === null || b.customer === null) return a.customer === b.customer ? 0 : a.customer === null ? 1 : -1;
  return compareText(a.customer, b.customer) || compareText(a.id ?? "", b.id ?? "");
}

const ORDER: Readonly<Record<DriftItem["drift"], number>> = { deleted: 0, changed: 1, unmanaged: 2 };
const OBJECT_ORDER: Readonly<Record<DriftObjectKind, number>> = {
  customer: 0,
  applicationLicense: 1,
  artifactLicense: 2,
  licenseKey: 3,
};

function compareItems(a: DriftItem, b: DriftItem): number {
  return (
    OBJECT_ORDER[a.object] - OBJECT_ORDER[b.object] ||
    ORDER[a.drift] - ORDER[b.drift] ||
    compareText(a.name, b.name) ||
    compareText(a.id, b.id)
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function summaryText(
  summary: { drift: boolean; changed: number; deleted: number; unmanaged: number; managed: number },
  items: readonly DriftItem[],
): string {
  if (!summary.drift) return `No drift: Distr matches the ${plural(summary.managed, "object")} the stacks manage.`;
  const parts: string[] = [];
  if (summary.changed > 0) parts.push(`${plural(summary.changed, "object")} changed in Distr`);
  if (summary.deleted > 0) parts.push(`${summary.deleted} deleted in Distr`);
  if (summary.unmanaged > 0) {
    const kinds = (["customer", "applicationLicense", "artifactLicense", "licenseKey"] as const)
      .map((kind) => ({ kind, n: items.filter((i) => i.drift === "unmanaged" && i.object === kind).length }))
      .filter(({ n }) => n > 0)
      .map(({ kind, n }) => plural(n, KIND_NOUN[kind]));
    parts.push(`${plural(summary.unmanaged, "object")} no stack manages (${kinds.join(", ")})`);
  }
  return `Drift: ${parts.join("; ")}.`;
}

const KIND_NOUN: Readonly<Record<DriftObjectKind, string>> = {
  customer: "customer",
  applicationLicense: "application license",
  artifactLicense: "artifact license",
  licenseKey: "license key",
};

export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
