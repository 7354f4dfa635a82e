/**
 * The review of one preview: license changes grouped by customer name (new customers named from the same preview,
 * licenses without customer in a group of their own), the rules' findings, what stayed unchanged (counted only),
 * and a summary line. Deterministic: customers by name, licenses by kind and name, findings in that order. The zod
 * schema is the `--format json` contract (schemaVersion 1; fields are only ever added).
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
  status: z.enum(["new", "existing", "deleted", "none"]),
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
  }),
  customers: z.array(customerSectionSchema),
  findings: z.array(ruleFindingSchema),
  skippedRules: z.array(z.object({ rule: ruleNameSchema, reason: z.string() })),
  /** Our resources the preview leaves alone; null when the preview does not list them (no --show-sames). */
  unchanged: z
    .object({ customers: z.number(), applicationLicenses: z.number(), artifactLicenses: z.number() })
    .nullable(),
  notes: z.array(z.string()),
});
export type ReviewReport = z.infer<typeof reviewReportSchema>;

export interface ReviewOptions {
  readonly now: Date;
  readonly expiryWindowDays?: number;
  /** What Distr told (or why it could not): organization licensing for first-entitlement. */
  readonly distr?: DistrFactsResult;
}

interface SectionDraft {
  key: string;
  customer: string | null;
  id?: string;
  status: CustomerSection["status"];
  change?: CustomerChange;
  licenses: LicenseChange[];
}

export function buildReviewReport(changes: PreviewChanges, options: ReviewOptions): ReviewReport {
  const expiryWindowDays = options.expiryWindowDays ?? DEFAULT_EXPIRY_WINDOW_DAYS;
  const sections = new Map<string, SectionDraft>();
  const section = (ref: CustomerRef | undefined): SectionDraft => {
    const key = sectionKey(ref);
    let draft = sections.get(key);
    if (!draft) {
      draft = {
        key,
        customer: ref ? (ref.name ?? ref.id ?? "(customer known after apply)") : null,
        ...(ref?.id !== undefined ? { id: ref.id } : {}),
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
    });
    draft.change = change;
    draft.status = change.action === "create" ? "new" : change.action === "delete" ? "deleted" : "existing";
    if (snapshot) draft.customer = snapshot.name;
  }
  for (const change of changes.licenses) {
    const owner = change.after ? change.after.customer : change.before?.customer;
    section(owner).licenses.push(change);
    // The customer a license moves away from loses it: its section shows that too.
    const previous = change.customerMoved?.from;
    if (previous && sectionKey(previous) !== sectionKey(owner)) section(previous).licenses.push(change);
  }

  const ordered = [...sections.values()].sort(compareSections);
  for (const draft of ordered) draft.licenses.sort(compareLicenseChanges);
  const allLicenses = uniqueChanges(ordered.flatMap((draft) => draft.licenses));
  const distr = options.distr;
  const evaluation = evaluateRules(allLicenses, {
    now: options.now,
    expiryWindowDays,
    ...(distr === undefined
      ? { unavailable: "no Distr to ask (no DISTR_HOST/DISTR_TOKEN or stack configuration)" }
      : "facts" in distr
        ? { organization: distr.facts.organization }
        : { unavailable: distr.unavailable }),
  });

  const customers: CustomerSection[] = ordered.map((draft) => {
    const findings = evaluation.findings.filter((finding) => belongsTo(finding, draft));
    return {
      customer: draft.customer,
      ...(draft.id !== undefined ? { id: draft.id } : {}),
      status: draft.status,
      ...(draft.change ? { change: draft.change } : {}),
      gainsAccess: draft.licenses.some((change) => gainsAccess(change, draft.key)),
      losesAccess: findings.some((finding) => finding.rule === "loses-access") || draft.status === "deleted",
      licenses: draft.licenses,
      findings,
    };
  });
  const findings = customers.flatMap((c) => c.findings);
  const named = customers.filter((c) => c.customer !== null);
  const withoutCustomer = customers.find((c) => c.customer === null)?.licenses.length ?? 0;
  const summary = {
    customersAffected: named.length,
    gainAccess: named.filter((c) => c.gainsAccess).length,
    loseAccess: named.filter((c) => c.losesAccess).length,
    risks: findings.length,
    licensesChanged: allLicenses.length,
    licensesWithoutCustomer: withoutCustomer,
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
  };
}

function sectionKey(ref: CustomerRef | undefined): string {
  if (!ref) return "none";
  if (ref.id !== undefined) return `id:${ref.id}`;
  return `name:${ref.name ?? ""}`;
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

function gainsAccess(change: LicenseChange, key: string): boolean {
  const owner = change.after?.customer;
  if (!change.after || sectionKey(owner) !== key) return false;
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
}): string {
  if (summary.customersAffected === 0 && summary.licensesChanged === 0) return "No license changes.";
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
  return `${parts.join(", ")}; ${summary.risks} risk${summary.risks === 1 ? "" : "s"}`;
}

/** Rule names that fired in a report (for --fail-on). */
export function firedRules(report: ReviewReport): Set<RuleName> {
  return new Set(report.findings.map((finding) => finding.rule));
}
