/** Request paths of one dialect, built only from DIALECT_SPECS so that no route is retyped in a test. */
import { API_PREFIX, DIALECT_SPECS, type Dialect, type DialectSpec } from "../../sdk/dialect";

export class DistrPaths {
  private readonly routes: DialectSpec["routes"];

  constructor(dialect: Dialect) {
    this.routes = DIALECT_SPECS[dialect].routes;
  }

  customers(): string {
    return `${API_PREFIX}${this.routes.customers}`;
  }
  customer(id: string): string {
    return `${this.customers()}/${encodeURIComponent(id)}`;
  }
  applicationLicenses(query?: { applicationId: string }): string {
    const base = `${API_PREFIX}${this.routes.applicationLicenses}`;
    return query ? `${base}?applicationId=${encodeURIComponent(query.applicationId)}` : base;
  }
  applicationLicense(id: string): string {
    return `${this.applicationLicenses()}/${encodeURIComponent(id)}`;
  }
  artifactLicenses(): string {
    return `${API_PREFIX}${this.routes.artifactLicenses}`;
  }
  artifactLicense(id: string): string {
    return `${this.artifactLicenses()}/${encodeURIComponent(id)}`;
  }
  applications(): string {
    return `${API_PREFIX}${this.routes.applications}`;
  }
  application(id: string): string {
    return `${this.applications()}/${encodeURIComponent(id)}`;
  }
  applicationVersions(applicationId: string): string {
    return `${this.application(applicationId)}/versions`;
  }
  artifacts(): string {
    return `${API_PREFIX}${this.routes.artifacts}`;
  }
  artifact(id: string): string {
    return `${this.artifacts()}/${encodeURIComponent(id)}`;
  }
  organization(): string {
    return `${API_PREFIX}${this.routes.organization}`;
  }
  /** Distr's file upload (customer images); not part of DIALECT_SPECS because only the contract suite needs it. */
  files(): string {
    return `${API_PREFIX}/files`;
  }
}
