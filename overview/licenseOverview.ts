/**
 * The expiry and access overview: every customer with what it may use, per application and artifact, and every
 * license with its expiry, soonest first. It is Distr's view (what Distr grants now), read with list calls
 * (drift/distrInventory.ts). Distr keeps concrete versions only; given the stacks' state, a license the code wrote
 * with a range shows that range with the versions it grants today (the provider's own rule: the range is kept when
 * Distr grants exactly what it matched, provider/versionSelection.ts). Pure; the zod schema is the `--format json`
 * contract (schemaVersion 1; fields are only ever added).
 */
import { z } from "zod";
import { resolvedSelectionSchema } from "../provider/selection";
import type { GrantedTags } from "../provider/tagSelection";
import { applicationLicenseSnapshotFromDistr, artifactLicenseSnapshotFromDistr } from "../review/distrSnapshots";
import { describeSelection, grantSelectionSchema } from "../review/grantSelection";
import { formatExpiry } from "../review/reportWording";
import type { DistrInventory } from "../drift/distrInventory";
import type { StackState } from "../drift/stackState";

export const OVERVIEW_SCHEMA_VERSION = 1;
/** The window of "expiring" when none is asked for (the review's expires-soon rule uses the same default). */
export const DEFAULT_EXPIRING_WINDOW_DAYS = 30;
/** Beyond the expiring window and up to this many days: "renew soon" (amber in the page). */
export const RENEWAL_HORIZON_DAYS = 90;

const DAY_MS = 86_400_000;

export const expiryStatusSchema = z.enum(["expired", "expiring", "renew-soon", "ok", "no-expiry"]);
export type ExpiryStatus = z.infer<typeof expiryStatusSchema>;

export const overviewGrantSchema = z.object({
  /** What the grant is of: an application (versions) or an artifact (tags). */
  target: z.enum(["application", "artifact"]),
  /** The application's or artifact's name. */
  name: z.string(),
  selection: grantSelectionSchema,
  /** "all versions, including future releases", "2.0.0, 2.1.0", "range ^2 (now 2.0.0, 2.1.0)". */
  text: z.string(),
});
export type OverviewGrant = z.infer<typeof overviewGrantSchema>;

export const overviewLicenseSchema = z.object({
  kind: z.enum(["applicationLicense", "artifactLicense"]),
  name: z.string(),
  id: z.string(),
  /** The customer's name; null for a license without customer. */
  customer: z.string().nullable(),
  customerId: z.string().optional(),
  expiresAt: z.string().optional(),
  /** Whole days from now to the expiry (negative: expired that many days ago); absent without expiry. */
  daysLeft: z.number().optional(),
  status: expiryStatusSchema,
  grants: z.array(overviewGrantSchema),
  /** The stack and resource that manage it, when stacks were given. */
  managedBy: z.object({ stack: z.string(), resource: z.string() }).optional(),
});
export type OverviewLicense = z.infer<typeof overviewLicenseSchema>;

export const overviewCustomerSchema = z.object({
  name: z.string(),
  id: z.string(),
  /** Ids of the customer's licenses (in `licenses`), soonest expiry first. */
  licenses: z.array(z.string()),
});
export type OverviewCustomer = z.infer<typeof overviewCustomerSchema>;

export const overviewReportSchema = z.object({
  schemaVersion: z.literal(OVERVIEW_SCHEMA_VERSION),
  now: z.string(),
  host: z.string(),
  dialect: z.enum(["2", "3"]),
  expiringWithinDays: z.number(),
  summary: z.object({
    text: z.string(),
    customers: z.number(),
    licenses: z.number(),
    expired: z.number(),
    expiring: z.number(),
    withoutExpiry: z.number(),
  }),
  /** Every license, soonest expiry first (expired ones first of all, those without expiry last). */
  licenses: z.array(overviewLicenseSchema),
  /** Every customer by name (customers without licenses too: they may use nothing). */
  customers: z.array(overviewCustomerSchema),
  /** The applications and artifacts that licenses grant, by name: the page's columns. */
  targets: z.array(z.object({ target: z.enum(["application", "artifact"]), name: z.string() })),
  stacks: z.array(z.string()),
  requests: z.number().optional(),
});
export type OverviewReport = z.infer<typeof overviewReportSchema>;

export interface OverviewOptions {
  readonly now: Date;
  /** "expiring" = expires within this many days (default DEFAULT_EXPIRING_WINDOW_DAYS). */
  readonly expiringWithinDays?: number;
  /** Stacks' state, to show the ranges and tags the code wrote. */
  readonly state?: StackState;
  readonly requests?: number;
}

const outputsSchema = z
  .object({
    versions: resolvedSelectionSchema.optional(),
    artifacts: z
      .array(
        z
          .object({ artifactId: z.string(), tags: resolvedSelectionSchema, digests: z.array(z.string()).optional() })
          .loose(),
      )
      .optional(),
  })
  .loose();

export function buildLicenseOverview(distr: DistrInventory, options: OverviewOptions): OverviewReport {
  const now = options.now;
  const window = options.expiringWithinDays ?? DEFAULT_EXPIRING_WINDOW_DAYS;
  const names = new Map(distr.customers.map((customer) => [customer.id, customer.name]));
  const managed = new Map((options.state?.objects ?? []).map((object) => [object.id, object]));
  const licenses: OverviewLicense[] = [];

  for (const license of distr.applicationLicenses) {
    const object = managed.get(license.id);
    const prior = object ? outputsSchema.safeParse(object.outputs).data?.versions : undefined;
    const application = distr.applications.get(license.applicationId);
    const snapshot = applicationLicenseSnapshotFromDistr(license, application, undefined, prior);
    licenses.push({
      kind: "applicationLicense",
      name: license.name,
      id: license.id,
      ...owner(license.customerOrganizationId, names),
      ...expiry(license.expiresAt, now, window),
      grants: [
        {
          target: "application",
          name: snapshot.application,
          selection: snapshot.versions,
          text: describeSelection(snapshot.versions, "versions"),
        },
      ],
      ...(object ? { managedBy: { stack: object.stack, resource: object.resource } } : {}),
    });
  }
  for (const license of distr.artifactLicenses) {
    const object = managed.get(license.id);
    const priors = object ? (outputsSchema.safeParse(object.outputs).data?.artifacts ?? []) : [];
    const priorOf = (artifactId: string): GrantedTags | undefined => {
      const prior = priors.find((artifact) => artifact.artifactId === artifactId);
      return prior ? { tags: prior.tags, digests: prior.digests } : undefined;
    };
    const snapshot = artifactLicenseSnapshotFromDistr(license, (id) => distr.artifacts.get(id), undefined, priorOf);
    licenses.push({
      kind: "artifactLicense",
      name: license.name,
      id: license.id,
      ...owner(license.customerOrganizationId, names),
      ...expiry(license.expiresAt, now, window),
      grants: snapshot.artifacts.map((grant) => ({
        target: "artifact" as const,
        name: grant.artifact,
        selection: grant.tags,
        text: describeSelection(grant.tags, "tags"),
      })),
      ...(object ? { managedBy: { stack: object.stack, resource: object.resource } } : {}),
    });
  }
  licenses.sort(compareByExpiry);

  const customers: OverviewCustomer[] = [...distr.customers]
    .sort((a, b) => compareText(a.name, b.name) || compareText(a.id, b.id))
    .map((customer) => ({
      name: customer.name,
      id: customer.id,
      licenses: licenses.filter((license) => license.customerId === customer.id).map((license) => license.id),
    }));
  const targetKeys = new Map<string, { target: "application" | "artifact"; name: string }>();
  for (const grant of licenses.flatMap((license) => license.grants)) {
    targetKeys.set(`${grant.target}:${grant.name}`, { target: grant.target, name: grant.name });
  }
  const targets = [...targetKeys.values()].sort(
    (a, b) => compareText(a.target, b.target) || compareText(a.name, b.name),
  );
  const count = (status: ExpiryStatus) => licenses.filter((license) => license.status === status).length;
  const summary = {
    customers: customers.length,
    licenses: licenses.length,
    expired: count("expired"),
    expiring: count("expiring"),
    withoutExpiry: count("no-expiry"),
  };
  return {
    schemaVersion: OVERVIEW_SCHEMA_VERSION,
    now: now.toISOString(),
    host: distr.host,
    dialect: distr.dialect,
    expiringWithinDays: window,
    summary: { text: summaryText(summary, window), ...summary },
    licenses,
    customers,
    targets,
    stacks: [...(options.state?.stacks ?? [])],
    ...(options.requests !== undefined ? { requests: options.requests } : {}),
  };
}

/** Licenses that need attention for `--expiring-within`: expired, or expiring within the window. */
export function licensesNeedingAttention(report: OverviewReport): OverviewLicense[] {
  return report.licenses.filter((license) => license.status === "expired" || license.status === "expiring");
}

/** "in 26 days", "today", "expired 3 days ago", "no expiry". */
export function describeDaysLeft(license: Pick<OverviewLicense, "daysLeft" | "status">): string {
  if (license.daysLeft === undefined) return "no expiry";
  if (license.status === "expired") {
    const ago = -license.daysLeft;
    return ago === 0 ? "expired today" : `expired ${ago} day${ago === 1 ? "" : "s"} ago`;
  }
  return license.daysLeft === 0 ? "expires today" : `in ${license.daysLeft} day${license.daysLeft === 1 ? "" : "s"}`;
}

export function describeExpiresAt(license: Pick<OverviewLicense, "expiresAt">): string {
  return license.expiresAt === undefined ? "none" : formatExpiry(license.expiresAt);
}

function owner(
  customerId: string | undefined,
  names: ReadonlyMap<string, string>,
): Pick<OverviewLicense, "customer" | "customerId"> {
  if (customerId === undefined) return { customer: null };
  return { customer: names.get(customerId) ?? customerId, customerId };
}

function expiry(
  expiresAt: string | undefined,
  now: Date,
  window: number,
): Pick<OverviewLicense, "expiresAt" | "daysLeft" | "status"> {
  if (expiresAt === undefined) return { status: "no-expiry" };
  const at = Date.parse(expiresAt);
  const ms = at - now.getTime();
  // Distr refuses a license after its expiry instant: expired as soon as it has passed, whatever the day count says.
  const daysLeft = ms <= 0 ? 0 - Math.floor(-ms / DAY_MS) : Math.floor(ms / DAY_MS);
  const status: ExpiryStatus =
    ms <= 0
      ? "expired"
      : ms <= window * DAY_MS
        ? "expiring"
        : ms <= RENEWAL_HORIZON_DAYS * DAY_MS
          ? "renew-soon"
          : "ok";
  return { expiresAt, daysLeft, status };
}

function compareByExpiry(a: OverviewLicense, b: OverviewLicense): number {
  const at = (license: OverviewLicense) =>
    license.expiresAt === undefined ? Number.POSITIVE_INFINITY : Date.parse(license.expiresAt);
  return (
    at(a) - at(b) ||
    compareText(a.customer ?? "\uffff", b.customer ?? "\uffff") ||
    compareText(a.name, b.name) ||
    compareText(a.id, b.id)
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function summaryText(
  summary: { customers: number; licenses: number; expired: number; expiring: number; withoutExpiry: number },
  window: number,
): string {
  const parts = [
    `${summary.customers} customer${summary.customers === 1 ? "" : "s"}`,
    `${summary.licenses} license${summary.licenses === 1 ? "" : "s"}`,
  ];
  const attention: string[] = [];
  if (summary.expired > 0) attention.push(`${summary.expired} expired`);
  attention.push(`${summary.expiring} expiring within ${window} days`);
  if (summary.withoutExpiry > 0) attention.push(`${summary.withoutExpiry} without expiry`);
  return `${parts.join(", ")}: ${attention.join(", ")}.`;
}
