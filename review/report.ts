/**
 * The review of one preview: license changes grouped by customer, keyed by identity (the Customer resource of the
 * program, else Distr's id; never the name alone: Distr allows two customers of one name), licenses without customer
 * in a group of their own, the rules' findings, adoptions (objects taken over without a write) counted apart, what
 * stayed unchanged (counted only), and a summary line. Customers that share a name are told apart in every format by
 * the resource name in the program and a short id. Deterministic: customers by name, licenses by kind and name,
 * findings in that order. The zod schema is the `--format json` contract (schemaVersion 1; fields are only ever
 * added).
 */
import { z } from "zod";
import { customerChangeSchema, type CustomerChange } from "./customerChange";
import type { DistrFactsResult } from "./distrLookups";
import { licenseChangeSchema, type LicenseChange } from "./licenseChange";
import type { CustomerRef } from "./licenseSnapshot";
import type { PreviewChanges } from "./previewChanges";
import {
  DEFAULT_EXPIRY_WINDOW_DAYS,
  evaluateRules,
  ruleFindingSchema,
  ruleNameSchema,
  type RuleFinding,
  type RuleName,
} from "./rules";

export const REPORT_SCHEMA_VERSION = 1;

export const customerSectionSchema = z.object({
  /** The customer's name (after the change); null for the licenses without customer. */
  customer: z.string().nullable(),
  id: z.string().optional(),
  /** The Customer resource's name in the program, when the preview shows it. */
  resource: z.string().optional(),
  /**
   * How the report names this customer: the name, or where another customer of the preview (or of Distr) has the
   * same name, the name with the resource and a short id ("Dup Co (dup-co-2, id 3f2a9c1e)"). Findings use it too.
   */
  label: z.string().nullable().optional(),
  status: z.enum(["new", "existing", "deleted", "none", "adopted"]),
  change: customerChangeSchema.optional(),
  gainsAccess: z.boolean(),
  losesAccess: z.boolean(),
  licenses: z.array(licenseChangeSchema),
  findings: z.array(ruleFindingSchema),
});
export type CustomerSection = z.infer<typeof customerSectionSchema>;

export const reviewReportSchema = z.object({
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  /** The moment expiries were judged at (RFC 3339). */
  now: z.string(),
  expiryWindowDays: z.number(),
  summary: z.object({
    text: z.string(),
    customersAffected: z.number(),
    gainAccess: z.number(),
    loseAccess: z.number(),
    risks: z.number(),
    licensesChanged: z.number(),
    licensesWithoutCustomer: z.number(),
    /** Objects the preview takes over from Distr (`adopt`) without any write. */
    adoptedUnchanged: z.object({ customers: z.number(), licenses: z.number() }),
  }),
  customers: z.array(customerSectionSchema),
  findings: z.array(ruleFindingSchema),
  skippedRules: z.array(z.object({ rule: ruleNameSchema, reason: z.string() })),
  /** Our resources the preview leaves alone; null when the preview does not list them (no --show-sames). */
  unchanged: z
    .object({ customers: z.number(), applicationLicenses: z.number(), artifactLicenses: z.number() })
    .nullable(),
  notes: z.array(z.string()),
  /** Application → its archived versions among those the changes name (from Distr), marked "(archived)". */
  archivedVersions: z.record(z.string(), z.array(z.string())).optional(),
});
export type ReviewReport = z.infer<typeof reviewReportSchema>;

export interface ReviewOptions {
  readonly now: Date;
  readonly expiryWindowDays?: number;
  /** What Distr told (or why it could not): organization licensing for first-entitlement. */
  readonly distr?: DistrFactsResult;
  /** Application → archived version names, from Distr. */
  readonly archivedVersions?: Readonly<Record<string, readonly string[]>>;
}

interface SectionDraft {
  key: string;
  customer: string | null;
  id?: string;
  resource?: string;
  status: CustomerSection["status"];
  change?: CustomerChange;
  licenses: LicenseChange[];
}

/** An adoption that writes nothing: shown as such, never judged by the rules. */
export function adoptedUnchanged(change: { adopted?: { changed: boolean } | undefined }): boolean {
  return change.adopted !== undefined && !change.adopted.changed;
}

export function buildReviewReport(changes: PreviewChanges, options: ReviewOptions): ReviewReport {
  const expiryWindowDays = options.expiryWindowDays ?? DEFAULT_EXPIRY_WINDOW_DAYS;
  const sections = new Map<string, SectionDraft>();
  const resources = changes.customerResources ?? [];
  const urnOfId = new Map(resources.filter((c) => c.id !== undefined).map((c) => [c.id as string, c.urn] as const));
  const keyOf = (ref: CustomerRef | undefined) => sectionKey(ref, urnOfId);
  const section = (ref: CustomerRef | undefined): SectionDraft => {
    const key = keyOf(ref);
    let draft = sections.get(key);
    if (!draft) {
      const known = resources.find((candidate) => `urn:${candidate.urn}` === key);
      const id = ref?.id ?? known?.id;
      draft = {
        key,
        customer: ref ? (ref.name ?? known?.name ?? ref.id ?? "(customer known after apply)") : null,
        ...(id !== undefined ? { id } : {}),
        ...(known ? { resource: known.resource } : {}),
        status: ref ? "existing" : "none",
        licenses: [],
      };
      sections.set(key, draft);
    }
    return draft;
  };

  for (const change of changes.customers) {
    const snapshot = change.after ?? change.before;
    const draft = section({
      ...(change.id !== undefined ? { id: change.id } : {}),
      ...(snapshot ? { name: snapshot.name } : {}),
      ...(change.urn !== undefined ? { urn: change.urn } : {}),
    });
    draft.change = change;
    draft.resource = change.resource;
    draft.status =
      change.adopted !== undefined
        ? "adopted"
        : change.action === "create"
          ? "new"
          : change.action === "delete"
            ? "deleted"
            : "existing";
    if (snapshot) draft.customer = snapshot.name;
  }
  for (const change of changes.licenses) {
    const owner = change.after ? change.after.customer : change.before?.customer;
    section(owner).licenses.push(change);
    // The customer a license moves away from loses it: its section shows that too.
    const previous = change.customerMoved?.from;
    if (previous && keyOf(previous) !== keyOf(owner)) section(previous).licenses.push(change);
  }

  const ordered = [...sections.values()].sort(compareSections);
  for (const draft of ordered) draft.licenses.sort(compareLicenseChanges);
  const allChanges = uniqueChanges(ordered.flatMap((draft) => draft.licenses));
  const allLicenses = allChanges.filter((change) => !adoptedUnchanged(change));
  const distr = options.distr;
  const labels = sectionLabels(ordered, distr && "facts" in distr ? distr.facts.customerNames : undefined);
  const archivedVersions = archivedVersionsNamed(allChanges, options.archivedVersions ?? {});
  const evaluation = evaluateRules(allLicenses, {
    now: options.now,
    expiryWindowDays,
    archivedVersions,
    ...(distr === undefined
      ? { unavailable: "no Distr to ask (no DISTR_HOST/DISTR_TOKEN or stack configuration)" }
      : "facts" in distr
        ? { organization: distr.facts.organization }
        : { unavailable: distr.unavailable }),
  });

  const customers: CustomerSection[] = ordered.map((draft) => {
    const label = labels.get(draft) ?? draft.customer;
    const findings = evaluation.findings
      .filter((finding) => belongsTo(finding, draft))
      .map((finding) => (finding.customer !== undefined && label !== null ? { ...finding, customer: label } : finding));
    return {
      customer: draft.customer,
      ...(draft.id !== undefined ? { id: draft.id } : {}),
      ...(draft.resource !== undefined ? { resource: draft.resource } : {}),
      label,
      status: draft.status,
      ...(draft.change ? { change: draft.change } : {}),
      gainsAccess: draft.licenses.some((change) => gainsAccess(change, draft.key, keyOf)),
      losesAccess: findings.some((finding) => finding.rule === "loses-access") || draft.status === "deleted",
      licenses: draft.licenses,
      findings,
    };
  });
  const findings = customers.flatMap((c) => c.findings);
  const affected = customers.filter(
    (c) =>
      c.customer !== null &&
      !(c.change !== undefined && adoptedUnchanged(c.change) && c.licenses.every(adoptedUnchanged)) &&
      !(c.change === undefined && c.licenses.length > 0 && c.licenses.every(adoptedUnchanged)),
  );
  const withoutCustomer =
    customers.find((c) => c.customer === null)?.licenses.filter((change) => !adoptedUnchanged(change)).length ?? 0;
  const summary = {
    customersAffected: affected.length,
    gainAccess: affected.filter((c) => c.gainsAccess).length,
    loseAccess: affected.filter((c) => c.losesAccess).length,
    risks: findings.length,
    licensesChanged: allLicenses.length,
    licensesWithoutCustomer: withoutCustomer,
    adoptedUnchanged: {
      customers: changes.customers.filter(adoptedUnchanged).length,
      licenses: allChanges.filter(adoptedUnchanged).length,
    },
  };
  const notes: string[] = [];
  if (!changes.listsUnchanged) {
    notes.push("the preview does not list unchanged resources (run `pulumi preview --json --show-sames`): not counted");
  }
  for (const id of changes.unnamedCustomerIds) {
    if (customers.some((c) => c.customer === id)) notes.push(`customer ${id} is shown by id: its name is not known`);
  }
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    now: options.now.toISOString(),
    expiryWindowDays,
    summary: { text: summaryText(summary), ...summary },
    customers,
    findings,
    skippedRules: evaluation.skipped,
    unchanged: changes.listsUnchanged ? { ...changes.unchanged } : null,
    notes,
    ...(Object.keys(archivedVersions).length > 0 ? { archivedVersions } : {}),
  };
}

/** The archived versions the changes gain or lose, per application. */
function archivedVersionsNamed(
  changes: readonly LicenseChange[],
  archived: Readonly<Record<string, readonly string[]>>,
): Record<string, string[]> {
  const named: Record<string, Set<string>> = {};
  for (const change of changes) {
    const snapshot = change.after ?? change.before;
    const applications = [
      change.application?.before,
      change.application?.after,
      snapshot?.kind === "applicationLicense" ? snapshot.application : undefined,
    ];
    for (const application of applications) {
      if (application === undefined) continue;
      const names = [...(change.versions?.gained ?? []), ...(change.versions?.lost ?? [])];
      for (const name of names) {
        if (archived[application]?.includes(name)) (named[application] ??= new Set()).add(name);
      }
    }
  }
  return Object.fromEntries(Object.entries(named).map(([application, names]) => [application, [...names].sort()]));
}

/** Identity: the program's Customer resource, else Distr's id; the name only when neither is known. */
function sectionKey(ref: CustomerRef | undefined, urnOfId: ReadonlyMap<string, string>): string {
  if (!ref) return "none";
  const urn = ref.urn ?? (ref.id !== undefined ? urnOfId.get(ref.id) : undefined);
  if (urn !== undefined) return `urn:${urn}`;
  if (ref.id !== undefined) return `id:${ref.id}`;
  return `name:${ref.name ?? ""}`;
}

/** Characters of an id that tell customers apart in a report (Distr's ids are UUIDs). */
const SHORT_ID_LENGTH = 8;

/**
 * Each section's label: its name, unless another section or another customer in Distr has the same name; then the
 * resource name in the program and a short id (or "new" for a customer the preview creates) follow.
 */
function sectionLabels(
  drafts: readonly SectionDraft[],
  distrNames: ReadonlyMap<string, string> | undefined,
): Map<SectionDraft, string | null> {
  const count = new Map<string, number>();
  for (const draft of drafts) {
    if (draft.customer !== null) count.set(draft.customer, (count.get(draft.customer) ?? 0) + 1);
  }
  const inDistr = new Map<string, number>();
  for (const name of distrNames?.values() ?? []) inDistr.set(name, (inDistr.get(name) ?? 0) + 1);
  const labels = new Map<SectionDraft, string | null>();
  for (const draft of drafts) {
    const name = draft.customer;
    if (name === null) {
      labels.set(draft, null);
      continue;
    }
    const shared = (count.get(name) ?? 0) > 1 || (inDistr.get(name) ?? 0) > 1;
    if (!shared) {
      labels.set(draft, name);
      continue;
    }
    const parts = [
      ...(draft.resource !== undefined ? [draft.resource] : []),
      draft.id !== undefined ? `id ${draft.id.slice(0, SHORT_ID_LENGTH)}` : "new",
    ];
    labels.set(draft, `${name} (${parts.join(", ")})`);
  }
  return labels;
}

/** By name, in code-point order (locale-independent), the licenses without customer last. */
function compareSections(a: SectionDraft, b: SectionDraft): number {
  if (a.customer === null || b.customer === null) return a.customer === b.customer ? 0 : a.customer === null ? 1 : -1;
  return compareText(a.customer, b.customer) || compareText(a.key, b.key);
}

function compareLicenseChanges(a: LicenseChange, b: LicenseChange): number {
  return compareText(a.kind, b.kind) || compareText(a.name, b.name) || compareText(a.resource, b.resource);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function uniqueChanges(changes: readonly LicenseChange[]): LicenseChange[] {
  return [...new Set(changes)];
}

function belongsTo(finding: RuleFinding, draft: SectionDraft): boolean {
  const change = draft.licenses.find((license) => license.resource === finding.resource);
  if (!change) return false;
  if (draft.customer === null) return finding.customer === undefined;
  return finding.customer === draft.customer || finding.customer === draft.id;
}

function gainsAccess(change: LicenseChange, key: string, keyOf: (ref: CustomerRef | undefined) => string): boolean {
  const owner = change.after?.customer;
  if (!change.after || keyOf(owner) !== key || adoptedUnchanged(change)) return false;
  if (change.action === "create" || change.customerMoved) return true;
  return (
    (change.versions !== undefined && (change.versions.gained.length > 0 || change.versions.toAll)) ||
    change.artifacts.some(
      (artifact) =>
        artifact.change === "added" ||
        artifact.tags.gained.length > 0 ||
        artifact.tags.toAll ||
        artifact.digestsGained.length > 0,
    )
  );
}

function summaryText(summary: {
  customersAffected: number;
  gainAccess: number;
  loseAccess: number;
  risks: number;
  licensesChanged: number;
  licensesWithoutCustomer: number;
  adoptedUnchanged: { customers: number; licenses: number };
}): string {
  const adopted = adoptedText(summary.adoptedUnchanged);
  if (summary.customersAffected === 0 && summary.licensesChanged === 0) {
    return adopted === undefined ? "No license changes." : `No license changes; ${adopted}.`;
  }
  const access: string[] = [];
  if (summary.gainAccess > 0)
    access.push(`${summary.gainAccess} ${summary.gainAccess === 1 ? "gains" : "gain"} access`);
  if (summary.loseAccess > 0)
    access.push(`${summary.loseAccess} ${summary.loseAccess === 1 ? "loses" : "lose"} access`);
  const customers = `${summary.customersAffected} customer${summary.customersAffected === 1 ? "" : "s"} affected`;
  const parts = [`${customers}${access.length > 0 ? `: ${access.join(", ")}` : ""}`];
  if (summary.licensesWithoutCustomer > 0) {
    parts.push(
      `${summary.licensesWithoutCustomer} license${summary.licensesWithoutCustomer === 1 ? "" : "s"} without customer`,
    );
  }
  return (
    `${parts.join(", ")}; ${summary.risks} risk${summary.risks === 1 ? "" : "s"}` +
    (adopted === undefined ? "" : `; ${adopted}`)
  );
}

/** "2 customers and 5 licenses adopted, no change in Distr". */
function adoptedText(adopted: { customers: number; licenses: number }): string | undefined {
  const parts: string[] = [];
  if (adopted.customers > 0) parts.push(`${adopted.customers} customer${adopted.customers === 1 ? "" : "s"}`);
  if (adopted.licenses > 0) parts.push(`${adopted.licenses} license${adopted.licenses === 1 ? "" : "s"}`);
  return parts.length === 0 ? undefined : `${parts.join(" and ")} adopted, no change in Distr`;
}

/** Rule names that fired in a report (for --fail-on). */
export function firedRules(report: ReviewReport): Set<RuleName> {
  return new Set(report.findings.map((finding) => finding.rule));
}
