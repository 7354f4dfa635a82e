/**
 * Reads and changes the local Distr over plain HTTP, the way the vendor portal (or a colleague with curl) would:
 * independent of the package's client, so the engine suite checks the provider against Distr itself.
 */
import { z } from "zod";
import { API_PREFIX, DIALECT_SPECS, type Dialect } from "../../../sdk/dialect";
import {
  ApplicationLicenseSchema,
  ApplicationSchema,
  ArtifactLicenseSchema,
  ArtifactSchema,
  CustomerSchema,
  type ApplicationLicense,
  type ArtifactLicense,
  type Customer,
} from "../../../sdk/schemas";

export interface DistrSnapshot {
  readonly customers: Customer[];
  readonly applicationLicenses: ApplicationLicense[];
  readonly artifactLicenses: ArtifactLicense[];
}

export interface PortalOptions {
  /**
   * Called after each request. Tests pass the local Distr's `resetRateLimits` so that their own inspection traffic
   * does not eat the per-user budget of the provider under test (Distr 2.x allows only 60 requests a minute).
   */
  readonly afterRequest?: () => void;
}

export class DistrPortal {
  constructor(
    private readonly host: string,
    private readonly token: string,
    readonly dialect: Dialect,
    private readonly options: PortalOptions = {},
  ) {}

  private get routes() {
    return DIALECT_SPECS[this.dialect].routes;
  }

  async request<T>(method: string, route: string, schema: z.ZodType<T>, body?: unknown): Promise<T> {
    const response = await fetch(`${this.host}${API_PREFIX}${route}`, {
      method,
      headers: {
        Authorization: `AccessToken ${this.token}`,
        ...(body === undefined ? {} : { "Content-Type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    this.options.afterRequest?.();
    if (!response.ok) throw new Error(`${method} ${route} answered ${response.status}: ${text}`);
    return schema.parse(text === "" ? undefined : JSON.parse(text));
  }

  customers(): Promise<Customer[]> {
    return this.request("GET", this.routes.customers, z.array(CustomerSchema));
  }

  applicationLicenses(): Promise<ApplicationLicense[]> {
    return this.request("GET", this.routes.applicationLicenses, z.array(ApplicationLicenseSchema));
  }

  artifactLicenses(): Promise<ArtifactLicense[]> {
    return this.request("GET", this.routes.artifactLicenses, z.array(ArtifactLicenseSchema));
  }

  async snapshot(): Promise<DistrSnapshot> {
    const [customers, applicationLicenses, artifactLicenses] = await Promise.all([
      this.customers(),
      this.applicationLicenses(),
      this.artifactLicenses(),
    ]);
    const byId = <T extends { id: string }>(items: T[]) => [...items].sort((a, b) => a.id.localeCompare(b.id));
    return {
      customers: byId(customers),
      applicationLicenses: byId(applicationLicenses),
      artifactLicenses: byId(artifactLicenses),
    };
  }

  async applicationLicenseNamed(name: string): Promise<ApplicationLicense> {
    const found = (await this.applicationLicenses()).filter((license) => license.name === name);
    if (found.length !== 1) throw new Error(`expected one application license named ${name}, found ${found.length}`);
    return found[0] as ApplicationLicense;
  }

  async artifactLicenseNamed(name: string): Promise<ArtifactLicense> {
    const found = (await this.artifactLicenses()).filter((license) => license.name === name);
    if (found.length !== 1) throw new Error(`expected one artifact license named ${name}, found ${found.length}`);
    return found[0] as ArtifactLicense;
  }

  async customerNamed(name: string): Promise<Customer> {
    const found = (await this.customers()).filter((customer) => customer.name === name);
    if (found.length !== 1) throw new Error(`expected one customer named ${name}, found ${found.length}`);
    return found[0] as Customer;
  }

  /** Version names of an application by id (licenses store version ids). */
  async applicationVersionNames(application: string): Promise<Map<string, string>> {
    const applications = await this.request("GET", this.routes.applications, z.array(ApplicationSchema));
    const summary = applications.find((candidate) => candidate.name === application);
    if (!summary) throw new Error(`no application ${application}`);
    const full = await this.request("GET", `${this.routes.applications}/${summary.id}`, ApplicationSchema);
    return new Map((full.versions ?? []).map((version) => [version.id, version.name]));
  }

  async applicationId(application: string): Promise<string> {
    const applications = await this.request("GET", this.routes.applications, z.array(ApplicationSchema));
    const found = applications.find((candidate) => candidate.name === application);
    if (!found) throw new Error(`no application ${application}`);
    return found.id;
  }

  /** Tag names per artifact version id of an artifact. */
  async artifactTags(artifact: string): Promise<{ id: string; versions: Map<string, string[]> }> {
    const artifacts = await this.request("GET", this.routes.artifacts, z.array(ArtifactSchema));
    const summary = artifacts.find((candidate) => candidate.name === artifact);
    if (!summary) throw new Error(`no artifact ${artifact}`);
    const full = await this.request("GET", `${this.routes.artifacts}/${summary.id}`, ArtifactSchema);
    return {
      id: summary.id,
      versions: new Map((full.versions ?? []).map((version) => [version.id, version.tags.map((tag) => tag.name)])),
    };
  }

  /** The version names an application license grants ("all" for an empty list, section 5.4). */
  async grantedVersions(license: ApplicationLicense, application: string): Promise<string[] | "all"> {
    if (license.versions.length === 0) return "all";
    const names = await this.applicationVersionNames(application);
    return license.versions.map((version) => names.get(version.id) ?? `?${version.id}`).sort();
  }

  /** A portal edit: PUT the license with some fields changed (full replacement, quirk 5; with `id`, quirk 7). */
  async updateApplicationLicense(
    license: ApplicationLicense,
    changes: Partial<Record<string, unknown>>,
  ): Promise<void> {
    const body = {
      id: license.id,
      name: license.name,
      applicationId: license.applicationId,
      customerOrganizationId: license.customerOrganizationId,
      ...(license.expiresAt ? { expiresAt: license.expiresAt } : {}),
      ...(license.registryUrl
        ? {
            registryUrl: license.registryUrl,
            registryUsername: license.registryUsername,
            registryPassword: license.registryPassword,
          }
        : {}),
      versions: license.versions.map((version) => ({ id: version.id })),
      ...changes,
    };
    await this.request("PUT", `${this.routes.applicationLicenses}/${license.id}`, z.unknown(), body);
  }

  async deleteApplicationLicense(id: string): Promise<void> {
    await this.request("DELETE", `${this.routes.applicationLicenses}/${id}`, z.unknown());
  }

  async createCustomer(name: string): Promise<Customer> {
    return this.request("POST", this.routes.customers, CustomerSchema, { name });
  }

  async createApplicationLicense(body: {
    name: string;
    applicationId: string;
    customerOrganizationId: string;
    versions: Array<{ id: string }>;
    expiresAt?: string;
  }): Promise<ApplicationLicense> {
    return this.request("POST", this.routes.applicationLicenses, ApplicationLicenseSchema, body);
  }
}
