/** The comment at the top of every export: when, from which Distr (never the token), by which pulumi-distr. */
import type { ExportedOrganization } from "./exportedOrganization";

export interface ExportProvenance {
  /** When the export read Distr. */
  readonly at: Date;
  /** The pulumi-distr version that wrote it. */
  readonly packageVersion: string;
}

/** Header lines without comment markers; each renderer adds its own (`#`, `//`). */
export function headerLines(organization: ExportedOrganization, provenance: ExportProvenance): string[] {
  const licenses =
    organization.customers.reduce((sum, customer) => sum + customer.licenses.length, 0) +
    organization.licensesWithoutCustomer.length;
  const lines = [
    `Exported from ${organization.host} (Distr ${organization.dialect}.x) by pulumi-distr ${provenance.packageVersion} ` +
      `at ${provenance.at.toISOString()}: ${organization.customers.length} customers, ${licenses} licenses.`,
    "Every object is marked for adoption: the first `pulumi up` takes it over as it is, without writing to Distr.",
  ];
  if (organization.warnings.length > 0) {
    lines.push("Warnings (what the code cannot say by name; kept by id or digest unless noted):");
    for (const warning of organization.warnings) lines.push(`- ${warning.subject}: ${warning.message}`);
  }
  return lines;
}
