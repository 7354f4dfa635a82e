/**
 * The public surface of the local Distr: an in-process Distr hub (3.1.0 by default, 2.7.1 with dialect "2") for
 * tests, examples and offline use, with test controls that are not reachable over HTTP.
 */
import type { Dialect, RateLimits } from "../sdk/dialect";
import type { Fault } from "./faults";

export interface LocalDistrRequestEvent {
  readonly method: string;
  /** Path without the query string (tokens never appear in paths). */
  readonly path: string;
  /** Undefined when the connection was dropped by a fault. */
  readonly status: number | undefined;
  readonly durationMs: number;
}

export interface LocalDistrOptions {
  /** Default 0 = a random free port; the server always binds 127.0.0.1. */
  port?: number;
  /** Default "3". */
  dialect?: Dialect;
  /** Default true = the dialect's per-user limits; false = off; an object overrides single limits. */
  rateLimits?: boolean | Partial<RateLimits>;
  /** JSON persistence: written atomically after every change, read at start (same token, same objects). */
  dataFile?: string;
  /** Default true: the demo vendor's catalog (applications, artifacts). false: the organization alone. */
  seed?: boolean;
  /** A fixed PAT for the seed organization (else the one in `dataFile`, else a random one). */
  token?: string;
  /** Called after each request (the CLI logs these). */
  onRequest?: (event: LocalDistrRequestEvent) => void;
}

export interface LocalDistrRequestRecord {
  readonly method: string;
  readonly path: string;
  readonly status: number | undefined;
  /** Arrival time, epoch milliseconds. */
  readonly at: number;
}

export interface LocalDistrControl {
  /** Publishes a new version of an application (by name or id); it appears in GET /applications/{id}. */
  addApplicationVersion(application: string, version: string, options?: { archived?: boolean }): { id: string };
  /** Pushes a tag of an artifact (by name or id): a new digest unless `digest` is given. */
  addArtifactTag(artifact: string, tag: string, options?: { digest?: string }): { versionId: string };
  /**
   * A deployment (of the license's customer, on a deployment target with this name) whose latest revision uses
   * this version of the license's application: narrowing away from it is 409 (3.x), deleting the license 400.
   */
  markVersionDeployed(applicationLicenseId: string, version: string, deploymentTarget: string): void;
  /** A second vendor organization with its own user and PAT; licensing on unless told otherwise. */
  addOrganization(options?: { name?: string; licensing?: boolean; role?: "read_only" | "read_write" | "admin" }): {
    token: string;
    id: string;
  };
  /** The seed organization's `licensing` feature. */
  setLicensing(enabled: boolean): void;
  /** Any feature of the seed organization (e.g. `vendor_billing`, which license templates need). */
  setFeature(feature: string, enabled: boolean): void;
  /**
   * A deployment of the key's customer (on a deployment target with this name, created if missing) whose values
   * template references the key (`{{ .LicenseKeys.<name> }}`): a key update creating a revision then answers 409
   * until confirmed (and re-deploys it), a delete answers 409. The key must have a customer and a revision.
   */
  useLicenseKey(
    licenseKeyId: string,
    deploymentTarget: string,
    options?: { application?: string },
  ): { deploymentId: string; deploymentTargetId: string };
  /** Deployments that reference license keys, with how many re-deploys a confirmed key update caused. */
  licenseKeyDeployments(): ReadonlyArray<{
    deploymentId: string;
    deploymentTargetName: string;
    applicationName: string;
    licenseKeyNames: readonly string[];
    redeploys: number;
  }>;
  injectFaults(...faults: Fault[]): void;
  clearFaults(): void;
  /** Every request received: method, path (no query), status (undefined if dropped), arrival time. */
  readonly requests: ReadonlyArray<LocalDistrRequestRecord>;
  resetRateLimits(): void;
  /**
   * Where the per-user rate-limit windows begin (epoch ms; a window of length L starts at `origin + k·L`): the hub's
   * start on 3.x, 0 (UTC boundaries) on 2.x; undefined with rate limits off. For benchmarks that start at a chosen
   * point of Distr's minute.
   */
  readonly rateLimitOrigin: number | undefined;
}

export interface LocalDistr {
  /** `http://127.0.0.1:<port>` (without /api/v1). */
  readonly host: string;
  /** The seed organization's PAT, `distr-` + 32 hex. */
  readonly token: string;
  readonly dialect: Dialect;
  readonly control: LocalDistrControl;
  close(): Promise<void>;
}
