/**
 * PostgreSQL constraint violations as pgx prints them (`SEVERITY: message (SQLSTATE code)`); Distr passes these
 * texts through as 500 bodies (distr-api.md sections 4.3, 5.4, 5.6, 6.5). The local Distr reproduces the wording
 * so clients classify them as server errors, not as something they could parse.
 */
import type { Dialect } from "../sdk/dialect";

export function foreignKeyViolation(table: string, constraint: string): string {
  return `ERROR: insert or update on table "${table}" violates foreign key constraint "${constraint}" (SQLSTATE 23503)`;
}

export function checkViolation(table: string, constraint: string): string {
  return `ERROR: new row for relation "${table}" violates check constraint "${constraint}" (SQLSTATE 23514)`;
}

export function invalidEnumValue(type: string, value: string): string {
  return `ERROR: invalid input value for enum ${type}: ${JSON.stringify(value)} (SQLSTATE 22P02)`;
}

/** Table names of the licensing rows per dialect (renamed with the routes in 2.12.0). */
export function licensingTables(dialect: Dialect) {
  const application = dialect === "3" ? "applicationentitlement" : "applicationlicense";
  const artifact = dialect === "3" ? "artifactentitlement" : "artifactlicense";
  return {
    applicationLicense: application,
    applicationLicenseVersion: `${application}_applicationversion`,
    artifactLicense: artifact,
    artifactLicenseArtifact: `${artifact}_artifact`,
  };
}
