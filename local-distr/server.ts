/**
 * The local Distr HTTP server: Node's `http` on 127.0.0.1, routing like Distr's chi router (distr-api.md sections
 * 1, 10, A.1): unknown `/api/v1` paths answer 404 without authentication or rate limiting; known routes
 * authenticate, count against the per-user limits, then run their handler.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { ACCESS_TOKEN_PATTERN, API_PREFIX, DIALECT_SPECS, type Dialect, type RateLimits } from "../sdk/dialect";
import { authenticate, generateAccessToken, tokenKeyHex, TOKEN_PREFIX } from "./auth";
import { createControl } from "./control";
import { faultStatusResponse, FaultQueue, omitField, type Fault } from "./faults";
import type { LocalDistr, LocalDistrOptions, LocalDistrRequestRecord } from "./localDistr";
import { DistrRateLimiter } from "./rateLimit";
import { emptyResponse, pageNotFound, withHeaders, type DistrResponse } from "./responses";
import { handleApplicationLicenses } from "./routes/applicationLicenses";
import { handleArtifactLicenses } from "./routes/artifactLicenses";
import { handleCustomers } from "./routes/customers";
import { handleLicenseKeys } from "./routes/licenseKeys";
import { handleLicenses } from "./routes/licenses";
import { handleLicenseTemplates } from "./routes/licenseTemplates";
import { generateSigningKey, publicKeyPem } from "./licenseKeySigning";
import { handleApplications, handleArtifacts, handleOrganization } from "./routes/lookups";
import { MAX_BODY_BYTES, routeContextTexts, type RequestBody, type RouteHandler } from "./routes/routeContext";
import { seedDemoVendor } from "./seed";
import { DistrStore, emptyState, readStateFile, type DistrState } from "./store";
import { newUuid } from "./uuid";
import { nowDistrTime } from "./distrTime";

export class LocalDistrOptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LocalDistrOptionsError";
  }
}

/** The route table of a dialect: first path segment below /api/v1 → handler. */
function routesFor(dialect: Dialect): ReadonlyMap<string, RouteHandler> {
  const routes = DIALECT_SPECS[dialect].routes;
  const table = new Map<string, RouteHandler>([
    [routes.customers.slice(1), handleCustomers],
    [routes.applicationLicenses.slice(1), handleApplicationLicenses],
    [routes.artifactLicenses.slice(1), handleArtifactLicenses],
    [routes.applications.slice(1), handleApplications],
    [routes.artifacts.slice(1), handleArtifacts],
    [routes.organization.slice(1), handleOrganization],
  ]);
  // GET /licenses exists since 2.12.0 (section 7), license keys since 2.12.0, templates since 2.18.0 (section 8).
  const keyRoutes = DIALECT_SPECS[dialect].licenseKeyRoutes;
  if (dialect === "3") table.set("licenses", handleLicenses);
  if (keyRoutes !== undefined) {
    table.set(keyRoutes.licenseKeys.slice(1), handleLicenseKeys);
    table.set(keyRoutes.licenseTemplates.slice(1), handleLicenseTemplates);
  }
  return table;
}

function resolveRateLimits(dialect: Dialect, option: LocalDistrOptions["rateLimits"]): RateLimits | undefined {
  if (option === false) return undefined;
  const defaults = DIALECT_SPECS[dialect].rateLimits;
  if (option === undefined || option === true) return defaults;
  return { ...defaults, ...option };
}

/** Reads the body, keeping at most the 1 MiB cap plus one byte (the rest is drained, not stored). */
function readBody(request: http.IncomingMessage): Promise<RequestBody> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      size += chunk.length;
    });
    request.on("end", () => {
      const bytes = Buffer.concat(chunks);
      resolve({ bytes: bytes.subarray(0, MAX_BODY_BYTES + 1), tooLarge: size > MAX_BODY_BYTES });
    });
    request.on("error", reject);
  });
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Opens the data file or seeds a fresh state; returns the seed organization and its token. */
function openState(options: LocalDistrOptions): { state: DistrState; seedOrganizationId: string; token: string } {
  if (options.token !== undefined && !ACCESS_TOKEN_PATTERN.test(options.token)) {
    throw new LocalDistrOptionsError("token must be distr- followed by 32 hex characters");
  }
  const stored = options.dataFile === undefined ? undefined : readStateFile(options.dataFile);
  if (stored === undefined) {
    const state = emptyState();
    const token = (options.token ?? generateAccessToken()).toLowerCase();
    const organization = seedDemoVendor(state, token, {
      catalog: options.seed !== false,
      vendorBilling: (options.dialect ?? "3") === "3",
    });
    return { state, seedOrganizationId: organization.id, token };
  }
  const organization = stored.organizations[0];
  if (!organization) throw new LocalDistrOptionsError(`data file ${options.dataFile} has no organization`);
  const tokens = stored.accessTokens.filter((t) => t.organizationId === organization.id);
  const admin = stored.memberships.find((m) => m.organizationId === organization.id);
  if (!admin) throw new LocalDistrOptionsError(`data file ${options.dataFile} has no member of ${organization.name}`);
  if (options.token !== undefined) {
    const keyHex = tokenKeyHex(options.token);
    if (!tokens.some((t) => t.keyHex === keyHex)) {
      stored.accessTokens.push({
        id: newUuid(),
        createdAt: nowDistrTime(),
        keyHex,
        userId: admin.userId,
        organizationId: organization.id,
      });
    }
    return { state: stored, seedOrganizationId: organization.id, token: TOKEN_PREFIX + keyHex };
  }
  const first = tokens[0];
  if (!first) throw new LocalDistrOptionsError(`data file ${options.dataFile} has no token for ${organization.name}`);
  return { state: stored, seedOrganizationId: organization.id, token: TOKEN_PREFIX + first.keyHex };
}

export async function startLocalDistr(options: LocalDistrOptions = {}): Promise<LocalDistr> {
  const dialect = options.dialect ?? "3";
  if (dialect !== "3" && dialect !== "2") throw new LocalDistrOptionsError(`dialect must be "3" or "2"`);
  const opened = openState(options);
  // Distr's LICENSE_KEY_PRIVATE_KEY: one per data file, so tokens verify across restarts.
  if (dialect === "3") opened.state.licenseKeySigningKey ??= generateSigningKey();
  const store = new DistrStore(opened.state, options.dataFile);
  store.commit();
  const limits = resolveRateLimits(dialect, options.rateLimits);
  const startedAt = Date.now();
  const rateLimiter =
    limits === undefined
      ? undefined
      : new DistrRateLimiter({ limits, alignment: dialect === "3" ? "process-start" : "utc", startedAtMs: startedAt });
  const faults = new FaultQueue();
  const requests: LocalDistrRequestRecord[] = [];
  const routes = routesFor(dialect);
  const { spec, texts } = routeContextTexts(dialect);

  let host = "";

  /** `GET /api/public/v1/license-keys/public-key` (no auth, no rate limit): the PEM that verifies key tokens. */
  function publicKey(method: string): DistrResponse {
    if (method !== "GET") return emptyResponse(405, { Allow: "GET" });
    const key = store.state.licenseKeySigningKey;
    if (key === undefined) return pageNotFound();
    return { status: 200, headers: { "Content-Type": "text/plain; charset=utf-8" }, body: publicKeyPem(key) };
  }

  function dispatch(
    method: string,
    url: URL,
    headers: http.IncomingHttpHeaders,
    body: RequestBody,
  ): DistrResponse | Promise<DistrResponse> {
    const path = url.pathname;
    const publicKeyPath = DIALECT_SPECS[dialect].licenseKeyRoutes?.publicKey;
    if (publicKeyPath !== undefined && path === publicKeyPath) return publicKey(method);
    if (!path.startsWith(API_PREFIX + "/")) return pageNotFound();
    const segments = path
      .slice(API_PREFIX.length + 1)
      .split("/")
      .map(decodeSegment);
    // chi sub-routers accept one trailing slash.
    if (segments.length > 1 && segments[segments.length - 1] === "") segments.pop();
    const [collection, ...rest] = segments;
    const handler = routes.get(collection ?? "");
    if (!handler) return pageNotFound();
    const auth = authenticate(headers.authorization, dialect, store.state);
    if (!auth.ok) return auth.response;
    let rateHeaders: Record<string, string> = {};
    if (rateLimiter) {
      const decision = rateLimiter.admit(auth.principal.userId);
      if (!decision.allowed) return decision.response;
      rateHeaders = decision.headers;
    }
    const respond = (response: DistrResponse) => withHeaders(response, rateHeaders);
    const response = handler({
      method,
      segments: rest,
      query: url.searchParams,
      contentType: headers["content-type"],
      body,
      principal: auth.principal,
      dialect,
      spec,
      texts,
      store,
      host,
    });
    return response instanceof Promise ? response.then(respond) : respond(response);
  }

  function write(res: http.ServerResponse, response: DistrResponse): void {
    const headers: Record<string, string | number> = { ...response.headers };
    if (response.status !== 204 && response.status !== 304)
      headers["Content-Length"] = Buffer.byteLength(response.body);
    res.writeHead(response.status, headers);
    res.end(response.status === 204 ? undefined : response.body);
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const startedMs = Date.now();
    const method = req.method ?? "GET";
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const record: { method: string; path: string; status: number | undefined; at: number } = {
      method,
      path: url.pathname,
      status: undefined,
      at: startedMs,
    };
    requests.push(record);
    const finish = () =>
      options.onRequest?.({ method, path: url.pathname, status: record.status, durationMs: Date.now() - startedMs });
    const fault: Fault | undefined = faults.take(method, url.pathname);
    if (fault?.kind === "drop-connection") {
      req.socket.destroy();
      finish();
      return;
    }
    const body = await readBody(req);
    if (fault?.kind === "delay") await new Promise((resolve) => setTimeout(resolve, fault.ms));
    let response: DistrResponse;
    if (fault?.kind === "status") {
      response = faultStatusResponse(fault);
    } else {
      try {
        response = await dispatch(method, url, req.headers, body);
      } catch {
        // chi's Recoverer: a panic is a 500 with an empty body.
        response = emptyResponse(500);
      }
    }
    if (fault?.kind === "commit-then-drop") {
      req.socket.destroy();
      finish();
      return;
    }
    if (fault?.kind === "malformed-response") response = omitField(response, fault.omitField);
    record.status = response.status;
    write(res, response);
    finish();
  }

  const server = http.createServer((req, res) => {
    // A dropped or reset connection must not become an unhandled 'error' event that ends the process.
    req.on("error", () => undefined);
    res.on("error", () => undefined);
    handle(req, res).catch(() => {
      if (!res.headersSent) write(res, emptyResponse(500));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  host = `http://127.0.0.1:${port}`;
  const control = createControl({
    store,
    seedOrganizationId: opened.seedOrganizationId,
    faults,
    requests,
    rateLimiter,
  });
  let closed: Promise<void> | undefined;
  return {
    host: `http://127.0.0.1:${port}`,
    token: opened.token,
    dialect,
    control,
    close() {
      closed ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
