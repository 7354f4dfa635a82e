/**
 * What `pulumi-distr history` reports, independent of the format: per customer, each license change with the update
 * that made it (worded by review/reportWording.ts, as in a pull request's review), or, with a moment (`--at`), what
 * each customer had then. Plain data: the renderers (history/renderHistory.ts) lay it out, `--format json` prints it.
 */
import { grantedNames, selectionDefinition } from "../review/grantSelection";
import type { LicenseChange } from "../review/licenseChange";
import type { LicenseSnapshot } from "../review/licenseSnapshot";
import type { CustomerSection } from "../review/report";
import { wordLicense, type WordedLine } from "../review/reportWording";
import type { StackHistory } from "./historySource";
import { accessAt, compareCustomers, licenseEvents, type LicenseEvent } from "./licenseTimeline";
import type { StackUpdate } from "./stackUpdate";

export const HISTORY_SCHEMA_VERSION = 1;

export interface HistoryEntry {
  readonly update: StackUpdate;
  /** The license name in Distr. */
  readonly license: string;
  /** "application license for hello-distr", "artifact license". */
  readonly what: string;
  /** "created", "updated", "replaced", "deleted", "moves to Globex". */
  readonly action: string;
  readonly lines: readonly WordedLine[];
  readonly change: LicenseChange;
}

export interface HistoryReport {
  readonly schemaVersion: typeof HISTORY_SCHEMA_VERSION;
  readonly kind: "history";
  readonly stack: string;
  readonly backend: string;
  readonly updates: readonly StackUpdate[];
  readonly customers: ReadonlyArray<{ readonly customer: string | null; readonly entries: readonly HistoryEntry[] }>;
}

export interface AccessGrant {
  /** "application hello-distr", "artifact hello-distr/backend". */
  readonly subject: string;
  /** The names granted ("all" = everything, including future releases), as matched when the update ran. */
  readonly granted: "all" | readonly string[];
  /** How the license says it: `range >=2.0.0 <3.0.0`, `[2.1.0, 2.2.0]`, `all`. */
  readonly definition: string;
}

export interface LicenseAtMoment {
  readonly license: string;
  readonly what: string;
  readonly grants: readonly AccessGrant[];
  readonly expiresAt: string | undefined;
  /** Past its expiry at that moment: it gives no access. */
  readonly expired: boolean;
  /** The update that last changed it. */
  readonly since: StackUpdate;
}

export interface AccessReport {
  readonly schemaVersion: typeof HISTORY_SCHEMA_VERSION;
  readonly kind: "access";
  readonly stack: string;
  readonly backend: string;
  /** The moment asked about (RFC 3339). */
  readonly at: string;
  /** The last update that had ended by then (its state is the answer); undefined: none had. */
  readonly update: StackUpdate | undefined;
  /** The next update after the moment, if any: the answer holds until it ended. */
  readonly nextUpdate: StackUpdate | undefined;
  readonly customers: ReadonlyArray<{
    readonly customer: string | null;
    readonly licenses: readonly LicenseAtMoment[];
  }>;
}

export interface ReportOptions {
  /** Only this customer (by name, as the licenses' outputs name it). */
  readonly customer?: string;
}

export function buildHistoryReport(history: StackHistory, options: ReportOptions = {}): HistoryReport {
  const events = licenseEvents(history.states);
  const customers = selectCustomers([...new Set(events.map((event) => event.customer))], options.customer, history);
  return {
    schemaVersion: HISTORY_SCHEMA_VERSION,
    kind: "history",
    stack: history.stack,
    backend: history.backend,
    updates: history.states.map((state) => state.update),
    customers: customers.map((customer) => ({
      customer,
      entries: events.filter((event) => event.customer === customer).map((event) => entryOf(event)),
    })),
  };
}

export function buildAccessReport(history: StackHistory, at: Date, options: ReportOptions = {}): AccessReport {
  const access = accessAt(history.states, at);
  const known = [...new Set(licenseEvents(history.states).map((event) => event.customer))];
  const wanted = selectCustomers(known, options.customer, history);
  return {
    schemaVersion: HISTORY_SCHEMA_VERSION,
    kind: "access",
    stack: history.stack,
    backend: history.backend,
    at: at.toISOString(),
    update: access.update,
    nextUpdate: access.nextUpdate,
    customers: wanted.map((customer) => ({
      customer,
      licenses: (access.customers.find((entry) => entry.customer === customer)?.licenses ?? []).map((license) => ({
        license: license.license,
        what: whatOf(license.snapshot),
        grants: grantsOf(license.snapshot),
        expiresAt: license.snapshot.expiresAt,
        expired: license.expired,
        since: license.since,
      })),
    })),
  };
}

/** A customer filter that matches no customer of the history is a mistake worth naming, with the ones there are. */
function selectCustomers(
  customers: Array<string | null>,
  wanted: string | undefined,
  history: StackHistory,
): Array<string | null> {
  const sorted = customers.sort(compareCustomers);
  if (wanted === undefined) return sorted;
  if (sorted.includes(wanted)) return [wanted];
  const names = sorted.filter((name): name is string => name !== null);
  throw new CustomerNotInHistoryError(
    `--customer ${JSON.stringify(wanted)}: no license of stack ${history.stack} was ever for a customer of that name; ` +
      (names.length > 0 ? `its customers are ${names.map((n) => JSON.stringify(n)).join(", ")}` : "it has no licenses"),
  );
}

export class CustomerNotInHistoryError extends Error {
  readonly kind = "customer-not-in-history";
  constructor(message: string) {
    super(message);
    this.name = "CustomerNotInHistoryError";
  }
}

function entryOf(event: LicenseEvent): HistoryEntry {
  // The review's words, judged at the update's end: "expires 2027-06-30 (in 206 days)" counts from then.
  const when = new Date(event.update.endTime ?? event.update.startTime);
  const worded = wordLicense(event.change, sectionOf(event), when);
  return {
    update: event.update,
    license: worded.name,
    what: worded.what,
    action: worded.action,
    lines: worded.lines,
    change: event.change,
  };
}

function sectionOf(event: LicenseEvent): CustomerSection {
  return {
    customer: event.customer,
    label: event.customer,
    status: event.customer === null ? "none" : "existing",
    gainsAccess: false,
    losesAccess: false,
    licenses: [event.change],
    findings: [],
  };
}

function whatOf(snapshot: LicenseSnapshot): string {
  return snapshot.kind === "applicationLicense"
    ? `application license for ${snapshot.application}`
    : "artifact license";
}

function grantsOf(snapshot: LicenseSnapshot): AccessGrant[] {
  if (snapshot.kind === "applicationLicense") {
    return [
      {
        subject: `application ${snapshot.application}`,
        granted: grantedNames(snapshot.versions) ?? [],
        definition: selectionDefinition(snapshot.versions),
      },
    ];
  }
  return snapshot.artifacts.map((grant) => ({
    subject: `artifact ${grant.artifact}`,
    granted: grantedNames(grant.tags) ?? [],
    definition: selectionDefinition(grant.tags),
  }));
}
