/**
 * Request paths of one dialect, written out as Distr's router declares them (distr-api.md §1, B0; 3.x
 * internal/routing/routing.go): deliberately not built from sdk/dialect.ts, so a wrong shared route fails the suite.
 */
import type { Dialect } from "./dialect";

const ROUTES: Readonly<Record<Dialect, { applicationLicenses: string; artifactLicenses: string }>> = {
  "3": { applicationLicenses: "/api/v1/application-entitlements", artifactLicenses: "/api/v1/artifact-entitlements" },
  "2": { applicationLicenses: "/api/v1/application-licenses", artifactLicenses: "/api/v1/artifact-licenses" },
};

export class DistrPaths {
  private readonly routes: (typeof ROUTES)[Dialect];

  constructor(dialect: Dialect) {
    this.routes = ROUTES[dialect];
  }

  customers(): string {
    return "/api/v1/customer-organizations";
  }
  customer(id: string): string {
    return `${this.customers()}/${encodeURIComponent(id)}`;
  }
  applicationLicenses(query?: { applicationId: string }): string {
    const base = this.routes.applicationLicenses;
    return query ? `${base}?applicationId=${encodeURIComponent(query.applicationId)}` : base;
  }
  applicationLicense(id: string): string {
    return `${this.applicationLicenses()}/${encodeURIComponent(id)}`;
  }
  artifactLicenses(): string {
    return this.routes.artifactLicenses;
  }
  artifactLicense(id: string): string {
    return `${this.artifactLicenses()}/${encodeURIComponent(id)}`;
  }
  applications(): string {
    return "/api/v1/applications";
  }
  application(id: string): string {
    return `${this.applications()}/${encodeURIComponent(id)}`;
  }
  applicationVersions(applicationId: string): string {
    return `${this.application(applicationId)}/versions`;
  }
  artifacts(): string {
    return "/api/v1/artifacts";
  }
  artifact(id: string): string {
    return `${this.artifacts()}/${encodeURIComponent(id)}`;
  }
  organization(): string {
    return "/api/v1/organization";
  }
  /** Distr's file upload (customer images). */
  files(): string {
    return "/api/v1/files";
  }
}
