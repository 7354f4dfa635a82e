/**
 * The read-only look-ups a review makes at Distr: customer names for ids the preview does not name, the dialect
 * (where license names must be unique decides the order of a replacement), and how many licenses the organization
 * has (`first-entitlement`). Distr not reachable is not an error: the review goes on without and says so.
 */
import type { Dialect } from "../sdk/dialect";
import type { DistrClient } from "../sdk/distrClient";
import type { OrganizationLicensing } from "./rules";

export interface DistrFacts {
  readonly dialect: Dialect;
  readonly customerNames: ReadonlyMap<string, string>;
  readonly organization: OrganizationLicensing;
}

export type DistrFactsResult = { readonly facts: DistrFacts } | { readonly unavailable: string };

/** Four requests at most (dialect probe, customers, application and artifact licenses), all reads. */
export async function lookUpDistrFacts(client: DistrClient): Promise<DistrFactsResult> {
  try {
    const dialect = await client.dialect();
    const [customers, applicationLicenses, artifactLicenses] = await Promise.all([
      client.customers.list(),
      client.applicationLicenses.list(),
      client.artifactLicenses.list(),
    ]);
    return {
      facts: {
        dialect,
        customerNames: new Map(customers.map((customer) => [customer.id, customer.name])),
        organization: { applicationLicenses: applicationLicenses.length, artifactLicenses: artifactLicenses.length },
      },
    };
  } catch (error) {
    return {
      unavailable: `Distr at ${client.host} could not be asked (${error instanceof Error ? error.message : String(error)})`,
    };
  }
}
