/**
 * The contract of the Distr licensing API client: what the provider and the tools may call. Routes, dialects,
 * rate limits, retries and caching are the client's business; callers never build a URL or parse a body.
 */
import type { Dialect, RateLimits } from "./dialect";
import type {
  Application,
  ApplicationLicense,
  ApplicationLicenseRequest,
  Artifact,
  ArtifactLicense,
  ArtifactLicenseRequest,
  Customer,
  CustomerRequest,
  LicenseKey,
  LicenseKeyCreateRequest,
  LicenseKeyRevision,
  LicenseKeyUpdate,
  LicenseKeyUpdateRequest,
  LicenseTemplate,
  LicenseTemplateRequest,
  Organization,
} from "./schemas";
import type { CustomerLicenses } from "./licenseSnapshot";

/** One HTTP exchange, reported to `onRequest` observers (figures for scripts, never the token). */
export interface RequestEvent {
  readonly method: string;
  readonly path: string;
  /** HTTP status, or undefined when no response arrived (timeout, reset). */
  readonly status: number | undefined;
  readonly attempt: number;
  readonly durationMs: number;
}

export interface RetryOptions {
  /** Attempts per request, the first included. */
  readonly maxAttempts?: number;
  /** Upper bound of all attempts and waits of one request. */
  readonly maxElapsedMs?: number;
  readonly minDelayMs?: number;
  readonly maxDelayMs?: number;
}

export interface DistrClientOptions {
  /** Base URL of the hub without `/api/v1`, e.g. `https://app.distr.sh` or `http://127.0.0.1:8585`. */
  readonly host: string;
  /** Personal access token, `distr-` + 32 hex. Never logged, never part of an error. */
  readonly token: string;
  /** Skip detection when the dialect is known. */
  readonly dialect?: Dialect;
  /** Allow `http://` to hosts other than loopback. */
  readonly allowInsecureHttp?: boolean;
  readonly requestTimeoutMs?: number;
  /** Client-side budgets; default: the dialect's limits. `false` turns the limiter off. */
  readonly rateLimits?: Partial<RateLimits> | false;
  /** Longest wait for a rate-limit window before failing with a "budget spent, resets at …" error. */
  readonly maxRateLimitWaitMs?: number;
  readonly retry?: RetryOptions;
  readonly onRequest?: (event: RequestEvent) => void;
}

export interface CustomersApi {
  list(): Promise<Customer[]>;
  /** From the (cached) list: Distr has no GET by id for customers (quirk 4). Undefined when gone. */
  get(id: string): Promise<Customer | undefined>;
  /** Sets non-default features with a follow-up PUT, since create ignores them (quirk 6). */
  create(request: CustomerRequest): Promise<Customer>;
  /** Full replacement (quirk 5): every field is sent. */
  update(id: string, request: CustomerRequest): Promise<Customer>;
  delete(id: string): Promise<void>;
}

export interface ApplicationLicensesApi {
  list(filter?: { applicationId?: string }): Promise<ApplicationLicense[]>;
  /** `GET /{id}`; undefined when gone (404). */
  get(id: string): Promise<ApplicationLicense | undefined>;
  /** Never blindly repeated: an unknown outcome is settled by looking the name up in its scope. */
  create(request: ApplicationLicenseRequest): Promise<ApplicationLicense>;
  update(id: string, request: ApplicationLicenseRequest): Promise<ApplicationLicense>;
  delete(id: string): Promise<void>;
  /** Licenses with this name in the dialect's uniqueness scope (3.x: per customer; 2.x: per organization). */
  findByName(name: string, customerOrganizationId: string | undefined): Promise<ApplicationLicense | undefined>;
}

export interface ArtifactLicensesApi {
  list(): Promise<ArtifactLicense[]>;
  /** From the list: Distr has no GET by id (quirk 4). Undefined when gone. */
  get(id: string): Promise<ArtifactLicense | undefined>;
  create(request: ArtifactLicenseRequest): Promise<ArtifactLicense>;
  update(id: string, request: ArtifactLicenseRequest): Promise<ArtifactLicense>;
  delete(id: string): Promise<void>;
  findByName(name: string, customerOrganizationId: string | undefined): Promise<ArtifactLicense | undefined>;
}

/** Distr 3.x license keys (section 8); on 2.x every call fails with kind `not-supported`. */
export interface LicenseKeysApi {
  list(): Promise<LicenseKey[]>;
  /** From the (cached) list: no GET by id (quirk 4). Undefined when gone. */
  get(id: string): Promise<LicenseKey | undefined>;
  /** The key of this name for this customer (names are unique per customer; undefined = customer-less keys). */
  findByName(name: string, customerOrganizationId: string | undefined): Promise<LicenseKey | undefined>;
  create(request: LicenseKeyCreateRequest): Promise<LicenseKey>;
  /**
   * A new revision when dates or payload differ. Without `confirm`, a change that running deployments would render
   * differently fails with kind `deployments-affected`; with it, Distr re-deploys them and lists them in the answer.
   */
  update(id: string, request: LicenseKeyUpdateRequest, options?: { confirm?: boolean }): Promise<LicenseKeyUpdate>;
  /** Fails with kind `deployments-affected` while deployment templates reference the key. */
  delete(id: string): Promise<void>;
  /** The signed JWT of the latest revision. */
  token(id: string): Promise<string>;
  /** Newest first, each with its token. */
  revisions(id: string): Promise<LicenseKeyRevision[]>;
}

/** Distr 3.x license templates (section 8.7, feature `vendor_billing`). */
export interface LicenseTemplatesApi {
  list(): Promise<LicenseTemplate[]>;
  get(id: string): Promise<LicenseTemplate | undefined>;
  findByName(name: string): Promise<LicenseTemplate | undefined>;
  create(request: LicenseTemplateRequest): Promise<LicenseTemplate>;
  update(id: string, request: LicenseTemplateRequest): Promise<LicenseTemplate>;
  delete(id: string): Promise<void>;
}

export interface LookupsApi {
  /** All applications of the organization (cached per process). */
  applications(): Promise<Application[]>;
  /** One application with its versions, by id or by name (cached per process). Undefined when unknown. */
  application(nameOrId: string): Promise<Application | undefined>;
  artifacts(): Promise<Artifact[]>;
  /** One artifact with its versions and tags, by id or by name (cached per process). */
  artifact(nameOrId: string): Promise<Artifact | undefined>;
  /**
   * One application by an id known to be one (from state): `GET /applications/{id}` without the list by which
   * `application` finds names. Undefined when Distr has no such application.
   */
  applicationById(id: string): Promise<Application | undefined>;
  /** One artifact by an id known to be one (from state), without the list. */
  artifactById(id: string): Promise<Artifact | undefined>;
  /** Drop cached lookups (a new version was published and the caller must see it now). */
  invalidate(): void;
}

export interface DistrClient {
  readonly host: string;
  /** Detected once per process and host, then cached. */
  dialect(): Promise<Dialect>;
  /** Checks the token and that the organization has the `licensing` feature. */
  organization(): Promise<Organization>;
  readonly customers: CustomersApi;
  readonly applicationLicenses: ApplicationLicensesApi;
  readonly artifactLicenses: ArtifactLicensesApi;
  readonly licenseKeys: LicenseKeysApi;
  readonly licenseTemplates: LicenseTemplatesApi;
  readonly lookups: LookupsApi;
  /**
   * Distr 3.x only (`GET /licenses`): every customer with its application and artifact licenses in one request;
   * customer-less licenses are not included. Fails with kind `configuration` on 2.x. Not cached.
   */
  licenseSnapshot(): Promise<CustomerLicenses[]>;
}
