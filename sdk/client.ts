/**
 * The Distr client: composes transport, limiter, retry policy, dialect detection, list caches and the modules per
 * Distr object behind the `DistrClient` contract. `sharedDistrClient` gives every resource of a Pulumi program the
 * same client per host and token, hence one rate-limit budget and one cache.
 */
import { createHash } from "node:crypto";
import * as path from "node:path";
import type { Dispatcher } from "undici";
import { z } from "zod";
import { ApplicationLicenses, loadApplicationLicenses } from "./applicationLicenses";
import { ArtifactLicenses, loadArtifactLicenses } from "./artifactLicenses";
import type { ClientContext } from "./clientContext";
import type { Clock } from "./clock";
import { systemClock } from "./clock";
import { Customers, loadCustomers } from "./customers";
import type { Dialect, RateLimits } from "./dialect";
import { DIALECT_SPECS, DIALECTS } from "./dialect";
import { detectDialect } from "./dialectDetection";
import type { DistrClient, DistrClientOptions, RequestEvent } from "./distrClient";
import { DistrApiError } from "./errors";
import { CoalescedList } from "./listCache";
import { LicenseKeys, loadLicenseKeys } from "./licenseKeys";
import { LicenseTemplates } from "./licenseTemplates";
import { readLicenseSnapshot, type CustomerLicenses } from "./licenseSnapshot";
import { Lookups } from "./lookups";
import { readOrganization } from "./organization";
import { LEDGER_RETENTION_MS, RateLimiter, sharedRateLimiter } from "./rateLimiter";
import type { RequestLedger } from "./requestLedger";
import { defaultCacheDirectory, FileLedger, InProcessLedger, ledgerFileName } from "./requestLedger";
import { RequestSender } from "./requestSender";
import { RetryPolicy } from "./retryPolicy";
import type { Organization } from "./schemas";
import { normalizeHost, Transport } from "./transport";

/**
 * What tests may swap: the time base (limiter and retry waits in milliseconds), jitter, the undici dispatcher, and
 * the directory of the machine-wide request ledger (default: the user's cache directory; `false`: in-process only,
 * which is also the default with an injected clock).
 */
export interface ClientEnvironment {
  readonly clock?: Clock;
  readonly random?: () => number;
  readonly dispatcher?: Dispatcher;
  readonly ledgerDirectory?: string | false;
}

/** A client that owns network resources: `close()` ends its keep-alive connections. */
export interface ClosableDistrClient extends DistrClient {
  close(): Promise<void>;
}

const positive = z.number().positive();
const OptionsSchema = z.object({
  host: z.string().min(1),
  token: z.string(),
  dialect: z.enum(DIALECTS as [Dialect, ...Dialect[]]).optional(),
  allowInsecureHttp: z.boolean().optional(),
  requestTimeoutMs: positive.optional(),
  rateLimits: z
    .union([
      z.literal(false),
      z.object({ perSecond: positive.optional(), perMinute: positive.optional(), perHour: positive.optional() }),
    ])
    .optional(),
  maxRateLimitWaitMs: z.number().nonnegative().optional(),
  retry: z
    .object({
      maxAttempts: z.number().int().min(1).optional(),
      maxElapsedMs: z.number().nonnegative().optional(),
      minDelayMs: z.number().nonnegative().optional(),
      maxDelayMs: z.number().nonnegative().optional(),
    })
    .optional(),
  onRequest: z.custom<(event: RequestEvent) => void>((value) => typeof value === "function").optional(),
});

function parseOptions(options: DistrClientOptions): DistrClientOptions {
  const parsed = OptionsSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DistrApiError({
      kind: "configuration",
      // The issue names the option, never its value (the token must not end up in a message).
      hint: `invalid Distr client option ${issue?.path.join(".") || "(options)"}: ${issue?.message ?? "invalid"}`,
    });
  }
  return options;
}

/** A short digest to key process-wide registries by token without keeping the token in the key. */
function tokenDigest(token: string): string {
  return createHash("sha256").update(token).digest("hex").slice(0, 16);
}

/** Below the cache directory: one ledger file per host and token. */
const RATE_LIMIT_LEDGER_DIRECTORY = "rate-limits";

class DistrApiClient implements ClosableDistrClient {
  readonly host: string;
  readonly customers: Customers;
  readonly applicationLicenses: ApplicationLicenses;
  readonly artifactLicenses: ArtifactLicenses;
  readonly licenseKeys: LicenseKeys;
  readonly licenseTemplates: LicenseTemplates;
  readonly lookups: Lookups;

  /** The options without the token: the token lives only inside the transport (unreachable by util.inspect). */
  private readonly options: Omit<DistrClientOptions, "token">;
  private readonly environment: ClientEnvironment;
  private readonly clock: Clock;
  private readonly transport: Transport;
  private readonly budgetKey: string;
  /** Names the ledger file by a hash of host and token (the token itself stays in the transport). */
  private readonly ledgerFile: string;
  private context: Promise<ClientContext> | undefined;
  private organizationCheck: Promise<Organization> | undefined;

  constructor(options: DistrClientOptions, environment: ClientEnvironment) {
    const { token: _token, ...rest } = parseOptions(options);
    this.options = rest;
    this.environment = environment;
    this.clock = environment.clock ?? systemClock;
    this.transport = new Transport({
      host: options.host,
      token: options.token,
      allowInsecureHttp: options.allowInsecureHttp,
      requestTimeoutMs: options.requestTimeoutMs,
      dispatcher: environment.dispatcher,
    });
    this.host = this.transport.host;
    this.budgetKey = `${this.host} ${tokenDigest(options.token)}`;
    this.ledgerFile = ledgerFileName(this.host, options.token);
    const context = () => this.resolveContext();
    this.customers = new Customers(context);
    this.applicationLicenses = new ApplicationLicenses(context);
    this.artifactLicenses = new ArtifactLicenses(context);
    this.licenseKeys = new LicenseKeys(context);
    this.licenseTemplates = new LicenseTemplates(context);
    this.lookups = new Lookups(context);
  }

  async dialect(): Promise<Dialect> {
    return (await this.resolveContext()).dialect;
  }

  organization(): Promise<Organization> {
    if (this.organizationCheck === undefined) {
      const checking = readOrganization(() => this.resolveContext()).catch((error: unknown) => {
        this.organizationCheck = undefined;
        throw error;
      });
      this.organizationCheck = checking;
    }
    return this.organizationCheck.then((organization) => structuredClone(organization));
  }

  licenseSnapshot(): Promise<CustomerLicenses[]> {
    return readLicenseSnapshot(() => this.resolveContext());
  }

  close(): Promise<void> {
    return this.transport.close();
  }

  private resolveContext(): Promise<ClientContext> {
    if (this.context === undefined) {
      const resolving = this.buildContext().catch((error: unknown) => {
        this.context = undefined;
        throw error;
      });
      this.context = resolving;
    }
    return this.context;
  }

  private async buildContext(): Promise<ClientContext> {
    const { options } = this;
    const retry = { ...options.retry, maxRateLimitWaitMs: options.maxRateLimitWaitMs, random: this.environment.random };
    const dialect =
      options.dialect ??
      (await detectDialect(
        this.host,
        new RequestSender({
          transport: this.transport,
          policy: new RetryPolicy(retry),
          limiter: undefined,
          clock: this.clock,
          dialect: undefined,
          onRequest: options.onRequest,
        }),
      ));
    const spec = DIALECT_SPECS[dialect];
    const sender = new RequestSender({
      transport: this.transport,
      policy: new RetryPolicy({ ...retry, serverLimits: spec.rateLimits }),
      limiter: this.limiter(spec.rateLimits),
      clock: this.clock,
      dialect,
      onRequest: options.onRequest,
    });
    const base = { sender, spec };
    return {
      dialect,
      spec,
      sender,
      policy: new RetryPolicy(retry),
      clock: this.clock,
      caches: {
        customers: new CoalescedList(() => loadCustomers(base)),
        applicationLicenses: new CoalescedList((applicationId) => loadApplicationLicenses(base, applicationId)),
        artifactLicenses: new CoalescedList(() => loadArtifactLicenses(base)),
        licenseKeys: new CoalescedList(() => loadLicenseKeys(base)),
      },
    };
  }

  private limiter(dialectLimits: RateLimits): RateLimiter | undefined {
    if (this.options.rateLimits === false) {
      return undefined;
    }
    const limits: RateLimits = { ...dialectLimits, ...this.options.rateLimits };
    const { clock, ledgerDirectory } = this.environment;
    const directory =
      ledgerDirectory ?? (clock ? false : path.join(defaultCacheDirectory(), RATE_LIMIT_LEDGER_DIRECTORY));
    const ledger = (): RequestLedger =>
      directory === false
        ? new InProcessLedger(LEDGER_RETENTION_MS)
        : new FileLedger({ directory, fileName: this.ledgerFile, retentionMs: LEDGER_RETENTION_MS });
    // An injected clock means a test: it gets a limiter of its own instead of the process-wide one.
    return clock
      ? new RateLimiter({ limits, clock, ledger: ledger() })
      : sharedRateLimiter(`${this.budgetKey} ${directory || ""}`, limits, ledger);
  }
}

/** A new client (own connections and caches; the rate-limit budget is still shared per host and token). */
export function createDistrClient(
  options: DistrClientOptions,
  environment: ClientEnvironment = {},
): ClosableDistrClient {
  return new DistrApiClient(options, environment);
}

const sharedClients = new Map<string, ClosableDistrClient>();

/**
 * The process-wide client for this host and token: all resources of a stack share one limiter and one cache. The
 * options of the first call win for later calls with the same host and token.
 */
export function sharedDistrClient(options: DistrClientOptions): DistrClient {
  parseOptions(options);
  const host = normalizeHost(options.host, options.allowInsecureHttp ?? false).href.replace(/\/$/, "");
  const key = `${host} ${tokenDigest(options.token)}`;
  let client = sharedClients.get(key);
  if (client === undefined) {
    client = new DistrApiClient(options, {});
    sharedClients.set(key, client);
  }
  return client;
}
