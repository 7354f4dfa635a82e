/**
 * Test data through plain HTTP: creates customers and licenses the tests build on (asserting that creation
 * succeeded), reads lists, and remembers everything it created so the suite leaves a real hub as it found it.
 */
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { ApplicationLicenseSchema, ArtifactLicenseSchema, CustomerSchema } from "./distrShapes";
import type { ApplicationLicense, ArtifactLicense, Customer } from "./distrShapes";
import type { DistrHttp } from "./distrHttp";
import type { DistrPaths } from "./distrPaths";
import { expectJson } from "./expectations";

export type RequestBody = Record<string, unknown>;

export class DistrObjects {
  private readonly created = {
    applicationLicenses: new Set<string>(),
    artifactLicenses: new Set<string>(),
    customers: new Set<string>(),
  };
  private names = 0;
  /** Random per run, so names never collide with a real hub's data or an earlier run's leftovers. */
  readonly suffix = randomBytes(3).toString("hex");

  constructor(
    private readonly http: DistrHttp,
    private readonly paths: DistrPaths,
  ) {}

  /** `contract-<label>-<run suffix>-<n>`: unique, lowercase, so name ordering is the same for any collation. */
  uniqueName(label: string): string {
    this.names += 1;
    return `contract-${label}-${this.suffix}-${this.names}`;
  }

  trackCustomer(id: string): void {
    this.created.customers.add(id);
  }
  trackApplicationLicense(id: string): void {
    this.created.applicationLicenses.add(id);
  }
  trackArtifactLicense(id: string): void {
    this.created.artifactLicenses.add(id);
  }

  async createCustomer(name = this.uniqueName("customer")): Promise<Customer> {
    const res = await this.http.send({ method: "POST", path: this.paths.customers(), json: { name } });
    const customer = expectJson(res, CustomerSchema);
    this.trackCustomer(customer.id);
    return customer;
  }

  async createApplicationLicense(body: RequestBody): Promise<ApplicationLicense> {
    const res = await this.http.send({ method: "POST", path: this.paths.applicationLicenses(), json: body });
    const license = expectJson(res, ApplicationLicenseSchema);
    this.trackApplicationLicense(license.id);
    return license;
  }

  async createArtifactLicense(body: RequestBody): Promise<ArtifactLicense> {
    const res = await this.http.send({ method: "POST", path: this.paths.artifactLicenses(), json: body });
    const license = expectJson(res, ArtifactLicenseSchema);
    this.trackArtifactLicense(license.id);
    return license;
  }

  async getApplicationLicense(id: string): Promise<ApplicationLicense> {
    return expectJson(
      await this.http.send({ method: "GET", path: this.paths.applicationLicense(id) }),
      ApplicationLicenseSchema,
    );
  }

  async listCustomers(): Promise<Customer[]> {
    return expectJson(await this.http.send({ method: "GET", path: this.paths.customers() }), z.array(CustomerSchema));
  }

  async listApplicationLicenses(query?: { applicationId: string }): Promise<ApplicationLicense[]> {
    return expectJson(
      await this.http.send({ method: "GET", path: this.paths.applicationLicenses(query) }),
      z.array(ApplicationLicenseSchema),
    );
  }

  async listArtifactLicenses(): Promise<ArtifactLicense[]> {
    return expectJson(
      await this.http.send({ method: "GET", path: this.paths.artifactLicenses() }),
      z.array(ArtifactLicenseSchema),
    );
  }

  /**
   * Deletes what the tests created (licenses first, then customers, whose delete cascades anyway). 404 means a test
   * already removed it. Returns what could not be deleted, for the end-of-suite report.
   */
  async cleanUp(): Promise<string[]> {
    const failed: Array<{ path: string; status: number; body: string }> = [];
    const remove = async (path: string): Promise<void> => {
      const res = await this.http.send({ method: "DELETE", path });
      if (res.status !== 204 && res.status !== 404) failed.push({ path, status: res.status, body: res.body.trim() });
    };
    for (const id of this.created.applicationLicenses) await remove(this.paths.applicationLicense(id));
    for (const id of this.created.artifactLicenses) await remove(this.paths.artifactLicense(id));
    for (const id of this.created.customers) await remove(this.paths.customer(id));
    this.created.applicationLicenses.clear();
    this.created.artifactLicenses.clear();
    this.created.customers.clear();
    // A license still in use (400) goes with its customer's deployments: retry once after the customers are gone.
    const leftovers: string[] = [];
    for (const failure of failed.splice(0)) {
      await remove(failure.path);
    }
    for (const failure of failed) leftovers.push(`${failure.path} (${failure.status} ${failure.body})`);
    return leftovers;
  }
}
