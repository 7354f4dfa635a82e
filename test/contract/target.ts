/**
 * What the contract suite runs against. By default the local Distr server, started in-process once per dialect
 * with its test controls; with DISTR_CONTRACT_HOST and DISTR_CONTRACT_TOKEN set (an opt-in of its own), a real hub
 * once, in the dialect its routes reveal (quirk 1). Tests ask for capabilities instead of checking which target they have, so a test that needs a
 * server-side control is skipped against a real hub with the reason in its name.
 */
import { execFileSync } from "node:child_process";
import { startLocalDistr, type LocalDistr, type LocalDistrControl } from "../../local-distr";
import { createRemoteCatalog, publishApplicationVersion, readSeedCatalog } from "./catalog";
import type { ApplicationFixture, CatalogFixture, VersionFixture } from "./catalog";
import { DIALECTS, DISTR_RATE_LIMITS, PROBE_PATH, type Dialect, type RateLimits } from "./dialect";
import { DistrHttp } from "./distrHttp";
import { DistrObjects } from "./distrObjects";
import { DistrPaths } from "./distrPaths";

export type Capability =
  | "publish-version"
  | "deploy-version"
  | "second-organization"
  | "toggle-licensing"
  | "push-artifact-tag"
  | "rate-limited-server"
  | "artifacts"
  | "artifact-versions"
  | "seed-catalog"
  | "upload-file"
  | "use-license-key"
  | "license-templates";

/** Why a target lacks a capability: becomes part of the skipped test's name. */
const MISSING_CAPABILITY: Record<Capability, string> = {
  "publish-version": "publishing application versions",
  "deploy-version":
    "a deployment using a license (needs a deployment target with a running agent; the local server's markVersionDeployed control)",
  "second-organization": "a second vendor organization with its own token (local server control addOrganization)",
  "toggle-licensing": "switching the organization's licensing feature off (SQL on a real hub)",
  "push-artifact-tag": "pushing artifact tags (needs a registry push)",
  "rate-limited-server":
    "exhausting the per-user rate limits (would burn the real hub's hourly budget and block the PAT's user)",
  artifacts: "artifacts (2.x has no POST /artifacts; they need a registry push or SQL)",
  "artifact-versions": "artifact versions (digest rows only come from a registry push or SQL, distr-api.md §13.5)",
  "seed-catalog": "the local server's seed catalog (archived version, tags sharing a digest)",
  "upload-file":
    "a file upload for customer images (POST /files; the hub answered 404 there without credentials, as the local server, which has none, does)",
  "use-license-key":
    "a deployment whose values template references a license key (needs a deployment target with a running agent; the local server's useLicenseKey control)",
  "license-templates":
    "the organization feature vendor_billing, which only Distr's staff grant (set DISTR_VENDOR_BILLING=true when the hub's organization has it)",
};

/** A dedicated local server with rate limits on (the suite's main local server runs without limits). */
export interface RateLimitedServer {
  readonly http: DistrHttp;
  readonly paths: DistrPaths;
  readonly control: LocalDistrControl;
  close(): Promise<void>;
}

/** Server-side controls; each throws on a target without the matching capability. */
export interface ServerControls {
  publishVersion(application: ApplicationFixture, name: string): Promise<VersionFixture>;
  markVersionDeployed(applicationLicenseId: string, version: string, deploymentTarget: string): void;
  addOrganization(options?: { licensing?: boolean; role?: "read_only" | "read_write" | "admin" }): {
    token: string;
    id: string;
  };
  setLicensing(enabled: boolean): void;
  pushArtifactTag(artifactName: string, tag: string): { versionId: string };
  startRateLimitedServer(limits?: Partial<RateLimits>): Promise<RateLimitedServer>;
  /** A deployment of the key's customer whose template references the key (section 8.4/8.6). */
  useLicenseKey(licenseKeyId: string, deploymentTarget: string): { deploymentId: string; deploymentTargetId: string };
  /** How often a confirmed key update re-deployed this deployment. */
  redeploysOf(deploymentId: string): number;
}

export interface ContractTarget {
  readonly descriptor: TargetDescriptor;
  readonly dialect: Dialect;
  readonly http: DistrHttp;
  readonly paths: DistrPaths;
  readonly objects: DistrObjects;
  readonly catalog: CatalogFixture;
  readonly server: ServerControls;
  /** Deletes what the tests created, reports the request count of a real hub, and stops a local server. */
  close(): Promise<void>;
}

export interface TargetDescriptor {
  readonly label: string;
  readonly kind: "local" | "remote";
  readonly dialect: Dialect;
  readonly capabilities: ReadonlySet<Capability>;
  start(): Promise<ContractTarget>;
}

function unavailable(label: string, capability: Capability): never {
  throw new Error(`${label} cannot provide ${MISSING_CAPABILITY[capability]}`);
}

function localTarget(dialect: Dialect): TargetDescriptor {
  const descriptor: TargetDescriptor = {
    label: `local Distr server, dialect ${dialect}`,
    kind: "local",
    dialect,
    capabilities: new Set<Capability>([
      "publish-version",
      "deploy-version",
      "second-organization",
      "toggle-licensing",
      "push-artifact-tag",
      "rate-limited-server",
      "artifacts",
      "artifact-versions",
      "seed-catalog",
      "use-license-key",
      "license-templates",
    ]),
    start: async () => {
      // Rate limits off here: the suite sends far more than 30 requests per second. The rate-limit tests start
      // their own server with the dialect's limits.
      const local = await startLocalDistr({ dialect, rateLimits: false });
      const http = new DistrHttp(local.host, local.token);
      const paths = new DistrPaths(dialect);
      try {
        const catalog = await readSeedCatalog(http, paths);
        return {
          descriptor,
          dialect,
          http,
          paths,
          objects: new DistrObjects(http, paths),
          catalog,
          server: localControls(local, dialect),
          close: async () => {
            await http.close();
            await local.close();
          },
        };
      } catch (error) {
        await http.close();
        await local.close();
        throw error;
      }
    },
  };
  return descriptor;
}

function localControls(local: LocalDistr, dialect: Dialect): ServerControls {
  return {
    publishVersion: async (application, name) => {
      const { id } = local.control.addApplicationVersion(application.name, name);
      return { id, name, archived: false };
    },
    markVersionDeployed: (licenseId, version, deploymentTarget) =>
      local.control.markVersionDeployed(licenseId, version, deploymentTarget),
    addOrganization: (options) => local.control.addOrganization(options),
    setLicensing: (enabled) => local.control.setLicensing(enabled),
    pushArtifactTag: (artifactName, tag) => local.control.addArtifactTag(artifactName, tag),
    useLicenseKey: (licenseKeyId, deploymentTarget) => local.control.useLicenseKey(licenseKeyId, deploymentTarget),
    redeploysOf: (deploymentId) =>
      local.control.licenseKeyDeployments().find((d) => d.deploymentId === deploymentId)?.redeploys ?? -1,
    startRateLimitedServer: async (limits) => {
      const limited = await startLocalDistr({ dialect, rateLimits: limits ?? true });
      const http = new DistrHttp(limited.host, limited.token);
      return {
        http,
        paths: new DistrPaths(dialect),
        control: limited.control,
        close: async () => {
          await http.close();
          await limited.close();
        },
      };
    },
  };
}

/** Where a hub's file uploads live (customer images): a route of its own, 401 without credentials. */
const FILES_PATH = "/api/v1/files";

/**
 * The dialect of a real hub and whether it has file uploads, decided before any test is declared (test names and
 * skips depend on them, and jest declares tests synchronously). The probes have no credentials, so they cost nothing
 * of the rate-limit budget: an existing route answers 401 (3.x's entitlement routes, Distr's /files), a missing one
 * 404 (2.x, or a local Distr, which has no file uploads).
 */
function probeHubSync(host: string): { dialect: Dialect; fileUploads: boolean } {
  const script =
    "Promise.all(process.argv.slice(1).map((u) => fetch(u).then((r) => r.status))).then((s) => process.stdout.write(s.join(' ')), (e) => { console.error(String(e)); process.exit(2); })";
  const [probe, files] = execFileSync(
    process.execPath,
    ["-e", script, `${host}${PROBE_PATH}`, `${host}${FILES_PATH}`],
    { encoding: "utf8", timeout: 20_000 },
  )
    .trim()
    .split(" ");
  const fileUploads = files !== "404";
  if (probe === "404") return { dialect: "2", fileUploads };
  if (["200", "401", "403", "429"].includes(probe ?? "")) return { dialect: "3", fileUploads };
  throw new Error(`GET ${host}${PROBE_PATH} answered ${probe}: neither Distr 3.x nor 2.x (quirk 1)`);
}

function remoteTarget(host: string, token: string): TargetDescriptor {
  const { dialect, fileUploads } = probeHubSync(host);
  const capabilities = new Set<Capability>(["publish-version"]);
  if (fileUploads) capabilities.add("upload-file");
  if (dialect === "3") capabilities.add("artifacts");
  if (dialect === "3" && process.env["DISTR_VENDOR_BILLING"] === "true") capabilities.add("license-templates");
  const descriptor: TargetDescriptor = {
    label: `real hub ${host} (dialect ${dialect})`,
    kind: "remote",
    dialect,
    capabilities,
    start: async () => {
      // Pace below the hub's per-user limits so a test never sees a 429 it did not ask for.
      const http = new DistrHttp(host, token, { pace: DISTR_RATE_LIMITS[dialect] });
      const paths = new DistrPaths(dialect);
      const objects = new DistrObjects(http, paths);
      const remote = await createRemoteCatalog(http, paths, dialect, objects.suffix);
      const refuse = (capability: Capability) => () => unavailable(descriptor.label, capability);
      return {
        descriptor,
        dialect,
        http,
        paths,
        objects,
        catalog: remote.catalog,
        server: {
          publishVersion: (application, name) => publishApplicationVersion(http, paths, application.id, name),
          markVersionDeployed: refuse("deploy-version"),
          addOrganization: refuse("second-organization"),
          setLicensing: refuse("toggle-licensing"),
          pushArtifactTag: refuse("push-artifact-tag"),
          startRateLimitedServer: refuse("rate-limited-server"),
          useLicenseKey: refuse("use-license-key"),
          redeploysOf: refuse("use-license-key"),
        },
        close: async () => {
          const leftovers = await objects.cleanUp();
          await remote.remove();
          const pace = http.paceSummary();
          const budget = pace?.budget;
          console.log(
            `Contract suite against ${host}: ${http.requestCount} requests` +
              (pace
                ? `, ${(pace.waitedMs / 1000).toFixed(0)} s waited for the hub's window, ${pace.throttled} answers 429 waited out`
                : "") +
              (budget
                ? `; the hub reports ${budget.remaining} of ${budget.limit} requests left in its hourly window ` +
                  `(X-RateLimit-Remaining, resets ${budget.resetAt.toISOString()})`
                : "") +
              (leftovers.length > 0 ? `; could not delete: ${leftovers.join(", ")}` : ""),
          );
          await http.close();
        },
      };
    },
  };
  return descriptor;
}

/**
 * One target per local dialect, or the real hub named by DISTR_CONTRACT_HOST/DISTR_CONTRACT_TOKEN. The provider's own
 * DISTR_HOST/DISTR_TOKEN are deliberately ignored: `npx pulumi-distr local` tells users to export them, and a shell
 * that has them (or a real hub's) must not silently turn `npm test` into writes against that hub.
 */
export function contractTargets(env: NodeJS.ProcessEnv = process.env): TargetDescriptor[] {
  const host = env["DISTR_CONTRACT_HOST"];
  const token = env["DISTR_CONTRACT_TOKEN"];
  if (host && token) return [remoteTarget(host.replace(/\/+$/, ""), token)];
  if (host || token)
    throw new Error(
      "Set both DISTR_CONTRACT_HOST and DISTR_CONTRACT_TOKEN to run the contract suite against a real hub (it writes there)",
    );
  return DIALECTS.map(localTarget);
}

/** The running target of one `describe.each` branch plus capability-aware test declaration. */
export interface ContractSuite {
  readonly descriptor: TargetDescriptor;
  readonly dialect: Dialect;
  target(): ContractTarget;
  /** `test` if the target has every capability, else a `test.skip` whose name says what is missing and why. */
  testRequiring(...capabilities: Capability[]): (name: string, fn: () => Promise<void>, timeoutMs?: number) => void;
}

/** Starts the target before the branch's tests and closes it after them. */
export function useContractTarget(descriptor: TargetDescriptor): ContractSuite {
  let running: ContractTarget | undefined;
  // A real hub's window may still hold a previous run's requests: the first ones wait for them to age out.
  beforeAll(async () => {
    running = await descriptor.start();
  }, 600_000);
  afterAll(async () => {
    await running?.close();
  }, 900_000);
  return {
    descriptor,
    dialect: descriptor.dialect,
    target: () => {
      if (!running) throw new Error(`${descriptor.label} did not start`);
      return running;
    },
    testRequiring: (...capabilities) => {
      const missing = capabilities.filter((c) => !descriptor.capabilities.has(c));
      if (missing.length === 0) return (name, fn, timeoutMs) => test(name, fn, timeoutMs);
      const reason = `skipped against ${descriptor.label}: needs ${missing.map((c) => MISSING_CAPABILITY[c]).join("; ")}`;
      return (name) => test.skip(`${name} [${reason}]`, () => undefined);
    },
  };
}
