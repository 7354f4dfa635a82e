/**
 * What the Distr object modules share once the dialect is known: the dialect's routes and rules, the request
 * sender, and the process-wide list caches (invalidated across modules: deleting a customer cascades to its
 * licenses, quirk 16).
 */
import type { Clock } from "./clock";
import type { Dialect, DialectSpec } from "./dialect";
import type { CoalescedList } from "./listCache";
import type { RequestSender } from "./requestSender";
import type { RetryPolicy } from "./retryPolicy";
import type { ApplicationLicense, ArtifactLicense, Customer, LicenseKey } from "./schemas";

export interface ListCaches {
  readonly customers: CoalescedList<Customer>;
  /** Keyed by application id filter ("" for all). */
  readonly applicationLicenses: CoalescedList<ApplicationLicense>;
  readonly artifactLicenses: CoalescedList<ArtifactLicense>;
  readonly licenseKeys: CoalescedList<LicenseKey>;
}

export interface ClientContext {
  readonly dialect: Dialect;
  readonly spec: DialectSpec;
  readonly sender: RequestSender;
  readonly policy: RetryPolicy;
  readonly clock: Clock;
  readonly caches: ListCaches;
}

/** Resolves the context (detecting the dialect on first use). */
export type ContextProvider = () => Promise<ClientContext>;
