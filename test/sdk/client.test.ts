import { inspect } from "node:util";
import { createDistrClient, sharedDistrClient } from "../../sdk/client";
import { DIALECT_PROBE_PATH, DIALECTS } from "../../sdk/dialect";
import { DistrApiError, isDistrApiError } from "../../sdk/errors";
import type { Harness } from "./harness";
import { applicationId, startHarness } from "./harness";

describe.each(DIALECTS)("dialect detection against Distr %s.x", (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness(dialect);
  });
  afterEach(() => h.close());

  it("probes once per process and host, however many clients and calls ask", async () => {
    const clients = [h.client, h.newClient(), h.newClient()];
    const answers = await Promise.all(clients.flatMap((client) => [client.dialect(), client.dialect()]));
    expect(answers).toEqual(new Array(6).fill(dialect));
    await h.newClient().customers.list();
    const probes = h.serverRequests().filter((r) => r.path === DIALECT_PROBE_PATH);
    // Unauthenticated: 3.x says 401, 2.x does not know the route (quirk 1).
    expect(probes).toEqual([{ method: "GET", path: DIALECT_PROBE_PATH, status: dialect === "3" ? 401 : 404 }]);
  });

  it("does not probe when the dialect is given", async () => {
    const other = await startHarness(dialect, { client: { dialect } });
    try {
      await other.client.customers.list();
      expect(other.serverRequests().map((r) => r.path)).toEqual(["/api/v1/customer-organizations"]);
    } finally {
      await other.close();
    }
  });
});

describe("plain http", () => {
  const token = `distr-${"0123456789abcdef".repeat(2)}`;

  it.each(["http://distr.example.com", "http://10.0.0.5:8080", "http://[2001:db8::1]"])(
    "is refused for the non-loopback host %s",
    (host) => {
      const attempt = () => createDistrClient({ host, token });
      expect(attempt).toThrow(DistrApiError);
      expect(attempt).toThrow(/refusing plain http/);
      try {
        attempt();
      } catch (error) {
        expect(isDistrApiError(error, "configuration")).toBe(true);
      }
    },
  );

  it.each(["http://127.0.0.1:8585", "http://localhost:8080", "http://[::1]:8080"])(
    "is allowed for loopback %s",
    (host) => {
      expect(() => createDistrClient({ host, token })).not.toThrow();
    },
  );

  it("is allowed for other hosts only with allowInsecureHttp", () => {
    expect(() => createDistrClient({ host: "http://distr.internal", token, allowInsecureHttp: true })).not.toThrow();
  });

  it("normalizes a host given with /api/v1 and trailing slashes", () => {
    expect(createDistrClient({ host: "https://app.distr.sh/api/v1/", token }).host).toBe("https://app.distr.sh");
  });

  it("refuses a token that is not a Distr personal access token, without echoing it", () => {
    const secret = "distr-abcd"; // 2.x would answer this with a 500 (quirk 20)
    try {
      createDistrClient({ host: "https://app.distr.sh", token: secret });
      throw new Error("expected a configuration error");
    } catch (error) {
      expect(isDistrApiError(error, "configuration")).toBe(true);
      expect(inspect(error)).not.toContain(secret);
    }
  });
});

describe("the token", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness("3");
  });
  afterEach(() => h.close());

  /** Every way an error (or the client) may end up in a log, as text. */
  function renderings(value: unknown): string[] {
    const error = value as Error & { cause?: unknown };
    return [
      JSON.stringify(value),
      inspect(value, { depth: Infinity, showHidden: true }),
      String(value),
      error.stack ?? "",
      inspect(error.cause, { depth: Infinity, showHidden: true }),
      JSON.stringify(error.cause ?? null),
    ];
  }

  it("never appears in errors of any kind, in their causes, in events or in the client itself", async () => {
    const app = await applicationId(h.client, "hello-distr");
    const failures: unknown[] = [];
    const collect = (promise: Promise<unknown>) =>
      promise.then(
        () => failures.push(new Error("expected a failure")),
        (error: unknown) => failures.push(error),
      );
    const wrongToken = `distr-${"fe".repeat(16)}`;
    const stranger = h.newClient({ token: wrongToken });
    await collect(stranger.customers.list()); // 401
    await collect(h.client.customers.update("8d6bf6fb-0f56-4a31-9b2a-3c4c9f1e2d3a", { name: "x" })); // 500 not found
    await collect(h.client.applicationLicenses.create({ name: "", applicationId: app, versions: [] })); // 400
    await h.client.customers.create({ name: "Acme" });
    h.distr.control.injectFaults({ kind: "malformed-response", omitField: "id", match: { method: "GET" } });
    await collect(h.newClient({ dialect: "3" }).customers.list()); // invalid-response
    h.distr.control.injectFaults({ kind: "drop-connection", times: 10 });
    await collect(h.newClient({ dialect: "3", retry: { maxAttempts: 2, minDelayMs: 1 } }).customers.list());
    h.distr.control.clearFaults();
    h.distr.control.injectFaults({ kind: "status", status: 429, retryAfterSeconds: 3600 });
    await collect(h.newClient({ dialect: "3" }).customers.list()); // rate-limited
    const host = h.distr.host;
    await h.distr.close();
    await collect(h.newClient({ host, dialect: "3", retry: { maxAttempts: 1 } }).customers.list()); // refused

    expect(failures.map((e) => (isDistrApiError(e) ? e.kind : String(e)))).toEqual([
      "unauthorized",
      "not-found",
      "bad-request",
      "invalid-response",
      "connection",
      "rate-limited",
      "connection",
    ]);
    for (const failure of failures) {
      for (const text of renderings(failure)) {
        expect(text).not.toContain(h.distr.token);
        expect(text).not.toContain(wrongToken);
        expect(text).not.toContain(h.distr.token.slice(6));
      }
    }
    for (const text of [JSON.stringify(h.events), inspect(h.client, { depth: Infinity, showHidden: true })]) {
      expect(text).not.toContain(h.distr.token.slice(6));
    }
  });
});

describe("list caching", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness("3");
    await h.client.dialect();
  });
  afterEach(() => h.close());

  const listRequests = (h: Harness, since: number, path: string) =>
    h.serverRequests(since).filter((r) => r.method === "GET" && r.path === path).length;

  it("serves 25 concurrent reads of customers with one list request", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await h.client.customers.create({ name: `c${i}` })).id);
    const before = h.serverRequests().length;
    const reads = await Promise.all(Array.from({ length: 25 }, (_, i) => h.client.customers.get(ids[i % 5] ?? "")));
    expect(reads.map((c) => c?.id)).toEqual(Array.from({ length: 25 }, (_, i) => ids[i % 5]));
    expect(listRequests(h, before, "/api/v1/customer-organizations")).toBe(1);
    await h.client.customers.get(ids[0] ?? "");
    expect(listRequests(h, before, "/api/v1/customer-organizations")).toBe(1);
  });

  it("serves concurrent reads of application and artifact licenses with one list request each", async () => {
    // Created by another client, so that this one has nothing cached yet.
    const writer = h.newClient();
    const app = await applicationId(writer, "hello-distr");
    const appIds: string[] = [];
    const artifactIds: string[] = [];
    for (let i = 0; i < 3; i++) {
      appIds.push((await writer.applicationLicenses.create({ name: `a${i}`, applicationId: app, versions: [] })).id);
      artifactIds.push((await writer.artifactLicenses.create({ name: `b${i}`, artifacts: [] })).id);
    }
    const before = h.serverRequests().length;
    await Promise.all([
      ...appIds.flatMap((id) => [h.client.applicationLicenses.get(id), h.client.applicationLicenses.get(id)]),
      ...artifactIds.flatMap((id) => [h.client.artifactLicenses.get(id), h.client.artifactLicenses.get(id)]),
    ]);
    expect(h.serverRequests(before).map((r) => `${r.method} ${r.path}`)).toEqual(
      expect.arrayContaining(["GET /api/v1/application-entitlements", "GET /api/v1/artifact-entitlements"]),
    );
    expect(h.serverRequests(before)).toHaveLength(2);
  });

  it("reads the list again after a write to the collection, and not after a write to another", async () => {
    const customer = await h.client.customers.create({ name: "Acme" });
    await h.client.customers.list();
    const before = h.serverRequests().length;
    await h.client.artifactLicenses.create({ name: "x", artifacts: [] });
    await h.client.customers.list();
    expect(listRequests(h, before, "/api/v1/customer-organizations")).toBe(0);
    await h.client.customers.update(customer.id, { name: "Acme Inc" });
    expect((await h.client.customers.get(customer.id))?.name).toBe("Acme Inc");
    expect(listRequests(h, before, "/api/v1/customer-organizations")).toBe(1);
  });

  it("does not hand a list that was in flight during a write to readers who came after the write", async () => {
    const slowList = h.client.customers.list();
    const created = await h.client.customers.create({ name: "Acme" });
    await slowList;
    expect((await h.client.customers.list()).map((c) => c.id)).toContain(created.id);
  });
});

describe("onRequest", () => {
  it("reports method, path, status, attempt and duration of every exchange", async () => {
    const h = await startHarness("3");
    try {
      await h.client.dialect();
      h.distr.control.injectFaults({ kind: "status", status: 503, match: { method: "GET" } });
      await h.client.customers.list();
      expect(h.events.slice(1)).toEqual([
        {
          method: "GET",
          path: "/api/v1/customer-organizations",
          status: 503,
          attempt: 1,
          durationMs: expect.any(Number),
        },
        {
          method: "GET",
          path: "/api/v1/customer-organizations",
          status: 200,
          attempt: 2,
          durationMs: expect.any(Number),
        },
      ]);
    } finally {
      await h.close();
    }
  });
});

describe("sharedDistrClient", () => {
  it("returns one client per host and token", () => {
    const token = `distr-${"1".repeat(32)}`;
    const a = sharedDistrClient({ host: "https://distr.example.com", token });
    expect(sharedDistrClient({ host: "https://distr.example.com/", token })).toBe(a);
    expect(sharedDistrClient({ host: "https://distr.example.com", token: `distr-${"2".repeat(32)}` })).not.toBe(a);
    expect(sharedDistrClient({ host: "https://other.example.com", token })).not.toBe(a);
  });
});
