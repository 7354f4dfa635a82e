/**
 * A local Distr (the real in-process server, over loopback) and a client pointed at it, per test. Rate limits are
 * off on both sides unless a test asks for them, so that functional tests run in milliseconds.
 */
import type { ClientEnvironment, ClosableDistrClient } from "../../sdk/client";
import { createDistrClient } from "../../sdk/client";
import type { Dialect } from "../../sdk/dialect";
import { forgetDetectedDialects } from "../../sdk/dialectDetection";
import type { DistrClientOptions, RequestEvent } from "../../sdk/distrClient";
import type { LocalDistr, LocalDistrOptions } from "../../local-distr";
import { startLocalDistr } from "../../local-distr";

export interface Harness {
  readonly distr: LocalDistr;
  readonly client: ClosableDistrClient;
  /** Every exchange the client reported to `onRequest`. */
  readonly events: RequestEvent[];
  /** Another client of the same server (own caches and connections). */
  newClient(options?: Partial<DistrClientOptions>, environment?: ClientEnvironment): ClosableDistrClient;
  /** Requests the server received, excluding those before `since` (an index into its log). */
  serverRequests(since?: number): Array<{ method: string; path: string; status: number | undefined }>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  readonly server?: LocalDistrOptions;
  readonly client?: Partial<DistrClientOptions>;
  readonly environment?: ClientEnvironment;
}

export async function startHarness(dialect: Dialect, options: HarnessOptions = {}): Promise<Harness> {
  const distr = await startLocalDistr({ dialect, rateLimits: false, ...options.server });
  // A new hub may get the port of a closed hub of the other dialect: the process must not trust its old probe.
  forgetDetectedDialects();
  const events: RequestEvent[] = [];
  const clients: ClosableDistrClient[] = [];
  const newClient = (extra: Partial<DistrClientOptions> = {}, environment: ClientEnvironment = {}) => {
    const client = createDistrClient(
      {
        host: distr.host,
        token: distr.token,
        rateLimits: false,
        retry: { minDelayMs: 1, maxDelayMs: 20 },
        onRequest: (event) => events.push(event),
        ...extra,
      },
      environment,
    );
    clients.push(client);
    return client;
  };
  const client = newClient(options.client, options.environment);
  return {
    distr,
    client,
    events,
    newClient,
    serverRequests: (since = 0) =>
      distr.control.requests.slice(since).map(({ method, path, status }) => ({ method, path, status })),
    async close() {
      await Promise.all(clients.map((c) => c.close()));
      await distr.close();
    },
  };
}

/** The id of a seed application version, e.g. `versionId(client, "hello-distr", "2.1.0")`. */
export async function versionId(client: ClosableDistrClient, application: string, version: string): Promise<string> {
  const found = (await client.lookups.application(application))?.versions?.find((v) => v.name === version);
  if (!found) throw new Error(`seed application ${application} has no version ${version}`);
  return found.id;
}

/** The id of the digest row a seed artifact's tag points to. */
export async function artifactVersionId(client: ClosableDistrClient, artifact: string, tag: string): Promise<string> {
  const found = (await client.lookups.artifact(artifact))?.versions?.find((v) => v.tags.some((t) => t.name === tag));
  if (!found) throw new Error(`seed artifact ${artifact} has no tag ${tag}`);
  return found.id;
}

export async function applicationId(client: ClosableDistrClient, application: string): Promise<string> {
  const found = await client.lookups.application(application);
  if (!found) throw new Error(`no seed application ${application}`);
  return found.id;
}

export async function artifactId(client: ClosableDistrClient, artifact: string): Promise<string> {
  const found = await client.lookups.artifact(artifact);
  if (!found) throw new Error(`no seed artifact ${artifact}`);
  return found.id;
}

/**
 * ACME Corp with `acme-pro` (hello-distr 2.0.0 and 2.1.0, expiring 2027-06-30) and `acme-images` (the backend
 * granted as `latest`, which points at 2.1.0's digest): what the review's and the policy pack's look-ups judge
 * against. Returns the customer's id.
 */
export async function seedAcmeLicenses(client: ClosableDistrClient): Promise<string> {
  const customerId = (await client.customers.create({ name: "ACME Corp" })).id;
  await client.applicationLicenses.create({
    name: "acme-pro",
    applicationId: await applicationId(client, "hello-distr"),
    customerOrganizationId: customerId,
    versions: [
      { id: await versionId(client, "hello-distr", "2.0.0") },
      { id: await versionId(client, "hello-distr", "2.1.0") },
    ],
    expiresAt: "2027-06-30T00:00:00Z",
  });
  await client.artifactLicenses.create({
    name: "acme-images",
    customerOrganizationId: customerId,
    artifacts: [
      {
        artifactId: await artifactId(client, "hello-distr/backend"),
        versionIds: [await artifactVersionId(client, "hello-distr/backend", "latest")],
      },
    ],
  });
  return customerId;
}
