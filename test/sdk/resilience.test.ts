import { DIALECT_SPECS, DIALECTS } from "../../sdk/dialect";
import { isDistrApiError } from "../../sdk/errors";
import { FakeClock } from "./fakeClock";
import type { Harness } from "./harness";
import { applicationId, artifactId, startHarness } from "./harness";

/** The three kinds of objects the client creates, each with a way to count what exists of it by name. */
const CREATES = {
  customer: {
    create: (h: Harness) => h.client.customers.create({ name: "Acme Corp", features: ["deployment_targets"] }),
    count: async (h: Harness) => (await h.newClient().customers.list()).filter((c) => c.name === "Acme Corp").length,
    route: (dialect: "3" | "2") => DIALECT_SPECS[dialect].routes.customers,
  },
  applicationLicense: {
    create: async (h: Harness) =>
      h.client.applicationLicenses.create({
        name: "acme-prod",
        applicationId: await applicationId(h.client, "hello-distr"),
        versions: [],
      }),
    count: async (h: Harness) =>
      (await h.newClient().applicationLicenses.list()).filter((l) => l.name === "acme-prod").length,
    route: (dialect: "3" | "2") => DIALECT_SPECS[dialect].routes.applicationLicenses,
  },
  artifactLicense: {
    create: async (h: Harness) =>
      h.client.artifactLicenses.create({
        name: "acme-images",
        artifacts: [{ artifactId: await artifactId(h.client, "hello-distr/backend"), versionIds: [] }],
      }),
    count: async (h: Harness) =>
      (await h.newClient().artifactLicenses.list()).filter((l) => l.name === "acme-images").length,
    route: (dialect: "3" | "2") => DIALECT_SPECS[dialect].routes.artifactLicenses,
  },
} as const;

const CASES = DIALECTS.flatMap((dialect) =>
  (Object.keys(CREATES) as Array<keyof typeof CREATES>).map((object) => [dialect, object] as const),
);

describe.each(CASES)("creating on Distr %s.x: %s", (dialect, object) => {
  const subject = CREATES[object];
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness(dialect);
    // Warm the lookups so that the POST is the first matching request.
    await h.client.lookups.application("hello-distr");
    await h.client.lookups.artifact("hello-distr/backend");
  });
  afterEach(() => h.close());

  it("leaves exactly one object when the create commits but its response is lost", async () => {
    h.distr.control.injectFaults({ kind: "commit-then-drop", match: { method: "POST", path: subject.route(dialect) } });
    const created = await subject.create(h);
    expect(await subject.count(h)).toBe(1);
    const posts = h.serverRequests().filter((r) => r.method === "POST");
    expect(posts).toHaveLength(1);
    expect(created.id).toEqual(expect.any(String));
  });

  it("leaves exactly one object when the connection drops before anything is committed", async () => {
    h.distr.control.injectFaults({ kind: "drop-connection", match: { method: "POST", path: subject.route(dialect) } });
    const created = await subject.create(h);
    expect(await subject.count(h)).toBe(1);
    expect(h.serverRequests().filter((r) => r.method === "POST")).toHaveLength(2);
    expect(created.id).toEqual(expect.any(String));
  });

  it("leaves exactly one object when a gateway answers 502 after Distr committed nothing", async () => {
    h.distr.control.injectFaults({
      kind: "status",
      status: 502,
      match: { method: "POST", path: subject.route(dialect) },
    });
    await subject.create(h);
    expect(await subject.count(h)).toBe(1);
  });
});

describe("a customer create whose answer is lost, with a namesake created earlier", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness("3");
  });
  afterEach(() => h.close());

  it("adopts only the customer that did not exist before the POST", async () => {
    const earlier = await h.client.customers.create({ name: "Twin" });
    h.distr.control.injectFaults({ kind: "commit-then-drop", match: { method: "POST" } });
    const created = await h.client.customers.create({ name: "Twin" });
    expect(created.id).not.toBe(earlier.id);
    expect((await h.client.customers.list()).filter((c) => c.name === "Twin")).toHaveLength(2);
  });
});

describe("lost answers to PUT and DELETE", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness("3");
  });
  afterEach(() => h.close());

  it("repeats a PUT whose answer was lost (a full replacement is idempotent)", async () => {
    const customer = await h.client.customers.create({ name: "Acme" });
    h.distr.control.injectFaults({ kind: "commit-then-drop", match: { method: "PUT" } });
    const updated = await h.client.customers.update(customer.id, { name: "Acme Inc" });
    expect(updated.name).toBe("Acme Inc");
    expect(h.events.filter((e) => e.method === "PUT").map((e) => [e.attempt, e.status])).toEqual([
      [1, undefined],
      [2, 200],
    ]);
  });

  it("treats a 404 on the retry of a DELETE whose answer was lost as deleted", async () => {
    const customer = await h.client.customers.create({ name: "Acme" });
    h.distr.control.injectFaults({ kind: "commit-then-drop", match: { method: "DELETE" } });
    await h.client.customers.delete(customer.id);
    expect(await h.client.customers.get(customer.id)).toBeUndefined();
    expect(h.serverRequests().filter((r) => r.method === "DELETE")).toHaveLength(2);
  });
});

describe("rate limiting by Distr", () => {
  let h: Harness;
  let clock: FakeClock;
  beforeEach(async () => {
    clock = new FakeClock();
    // The client's own limiter is on (dialect defaults), on an injected clock: waits take no real time.
    h = await startHarness("3", { client: { rateLimits: {} }, environment: { clock, random: () => 0 } });
    await h.client.dialect();
  });
  afterEach(() => h.close());

  it("waits out a burst of 429s as Retry-After asks and then succeeds", async () => {
    h.distr.control.injectFaults({ kind: "status", status: 429, times: 3, retryAfterSeconds: 1 });
    const start = clock.now();
    expect(await h.client.customers.list()).toEqual([]);
    const attempts = h.events.filter((e) => e.path.endsWith("/customer-organizations"));
    expect(attempts.map((e) => [e.attempt, e.status])).toEqual([
      [1, 429],
      [2, 429],
      [3, 429],
      [4, 200],
    ]);
    expect(clock.now() - start).toBeGreaterThanOrEqual(3_000);
  });

  it("retries a POST that was answered 429 (Distr's limiter runs before any handler) and creates once", async () => {
    h.distr.control.injectFaults({
      kind: "status",
      status: 429,
      times: 2,
      retryAfterSeconds: 1,
      match: { method: "POST" },
    });
    await h.client.customers.create({ name: "Acme" });
    expect(await h.client.customers.list()).toHaveLength(1);
    expect(h.events.filter((e) => e.method === "POST").map((e) => e.status)).toEqual([429, 429, 200]);
  });

  it("fails at once, naming the hourly budget and its reset, instead of waiting an hour in silence", async () => {
    h.distr.control.injectFaults({ kind: "status", status: 429, retryAfterSeconds: 3600 });
    const start = clock.now();
    const error = await h.client.customers.list().catch((e: unknown) => e);
    expect(isDistrApiError(error, "rate-limited")).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain("GET /api/v1/customer-organizations");
    expect(message).toContain("hourly budget");
    expect(message).toContain(new Date(start + 3_600_000).toISOString());
    expect(clock.now() - start).toBeLessThan(1_000);
  });
});

describe("client-side rate limits", () => {
  it("paces requests to configured budgets so that Distr never answers 429", async () => {
    const clock = new FakeClock();
    const h = await startHarness("3", {
      server: { rateLimits: true },
      client: { rateLimits: { perSecond: 2 } },
      environment: { clock },
    });
    try {
      const start = clock.now();
      for (let i = 0; i < 5; i++) {
        await h.client.customers.create({ name: `c${i}` });
      }
      // 5 creates + the pre-create list reads (4, since each create invalidates the list), at 2 per second: the
      // first two at once, the other eight over four seconds and a bit (the per-second phase is unknown).
      const sent = h.serverRequests().length - 1; // minus the anonymous dialect probe
      expect(sent).toBe(10);
      expect(clock.now() - start).toBeGreaterThanOrEqual(4_000);
      expect(clock.now() - start).toBeLessThan(6_000);
      expect(h.serverRequests().filter((r) => r.status === 429)).toEqual([]);
    } finally {
      await h.close();
    }
  });
});

describe("the client's own hourly budget", () => {
  it("fails with rate-limited, saying when the budget frees up, instead of waiting longer than allowed", async () => {
    const clock = new FakeClock();
    const h = await startHarness("3", {
      client: { dialect: "3", rateLimits: { perHour: 2 }, maxRateLimitWaitMs: 60_000 },
      environment: { clock },
    });
    try {
      await h.client.customers.create({ name: "Acme" }); // list + POST: the two requests of the hour
      const error = await h.client.customers.create({ name: "Other" }).catch((e: unknown) => e);
      expect(error).toMatchObject({ kind: "rate-limited", method: "GET", path: "/api/v1/customer-organizations" });
      expect((error as Error).message).toContain("hourly budget (2 requests");
      // No phase known (this server sends no rate-limit headers): the worst one is a window that began with the two
      // requests, whose estimate falls below 1.5 three quarters into the next window.
      expect((error as Error).message).toContain(new Date(clock.now() + 1.25 * 3_600_000 + 1).toISOString());
      expect(h.serverRequests()).toHaveLength(2);
    } finally {
      await h.close();
    }
  });
});

describe("the rate-limit budget", () => {
  it("is shared by all clients of the process for the same host and token", async () => {
    const h = await startHarness("3", { client: { dialect: "3", rateLimits: { perSecond: 1 } } });
    try {
      const second = h.newClient({ dialect: "3", rateLimits: { perSecond: 1 } });
      await h.client.customers.list();
      const start = Date.now();
      await second.customers.list();
      // One per second, phase unknown: the second request waits until the first fades below half a request.
      expect(Date.now() - start).toBeGreaterThanOrEqual(1_400);
    } finally {
      await h.close();
    }
  });
});

describe("retry budgets", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness("2", { client: { retry: { maxAttempts: 3, minDelayMs: 1, maxDelayMs: 5 } } });
    await h.client.dialect();
  });
  afterEach(() => h.close());

  it("ends in an error naming method, path and attempts when Distr keeps answering 503", async () => {
    h.distr.control.injectFaults({ kind: "status", status: 503, times: 10, match: { method: "GET" } });
    const error = await h.client.customers.list().catch((e: unknown) => e);
    expect(error).toMatchObject({
      kind: "server-error",
      method: "GET",
      path: "/api/v1/customer-organizations",
      status: 503,
    });
    expect((error as Error).message).toMatch(/^GET \/api\/v1\/customer-organizations answered 503.*after 3 attempts/);
    expect(h.events.slice(1).map((e) => [e.attempt, e.status])).toEqual([
      [1, 503],
      [2, 503],
      [3, 503],
    ]);
  });

  it("ends in a connection error naming the attempts when no response arrives in time", async () => {
    const impatient = h.newClient({ requestTimeoutMs: 50, retry: { maxAttempts: 2, minDelayMs: 1, maxDelayMs: 1 } });
    await impatient.dialect();
    h.distr.control.injectFaults({ kind: "delay", ms: 400, times: 2 });
    const error = await impatient.customers.list().catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "connection", method: "GET", path: "/api/v1/customer-organizations" });
    expect((error as Error).message).toContain("no response within 50 ms");
    expect((error as Error).message).toContain("2 attempts");
  });

  it("ends in a connection error when nothing listens at the host", async () => {
    const host = h.distr.host;
    await h.distr.close();
    const offline = h.newClient({ host, dialect: "2", retry: { maxAttempts: 3, minDelayMs: 1, maxDelayMs: 1 } });
    const error = await offline.customers.list().catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "connection" });
    expect((error as Error).message).toMatch(/GET \/api\/v1\/customer-organizations.*ECONNREFUSED.*3 attempts/);
  });
});

describe.each(DIALECTS)("malformed responses on Distr %s.x", (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness(dialect);
  });
  afterEach(() => h.close());

  it("fails a list whose elements lack a field, naming the endpoint and the field", async () => {
    await h.client.customers.create({ name: "Acme" });
    h.client.lookups.invalidate();
    h.distr.control.injectFaults({ kind: "malformed-response", omitField: "createdAt", match: { method: "GET" } });
    const fresh = h.newClient({ dialect });
    const error = await fresh.customers.list().catch((e: unknown) => e);
    expect(error).toMatchObject({
      kind: "invalid-response",
      method: "GET",
      path: "/api/v1/customer-organizations",
      status: 200,
    });
    expect((error as Error).message).toContain("GET /api/v1/customer-organizations");
    expect((error as Error).message).toContain("[0].createdAt");
  });

  it("fails a create whose answer lacks a field, naming the endpoint and the field", async () => {
    const app = await applicationId(h.client, "hello-distr");
    const route = `/api/v1${DIALECT_SPECS[dialect].routes.applicationLicenses}`;
    h.distr.control.injectFaults({ kind: "malformed-response", omitField: "applicationId", match: { method: "POST" } });
    const error = await h.client.applicationLicenses
      .create({ name: "x", applicationId: app, versions: [] })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "invalid-response", method: "POST", path: route });
    expect((error as Error).message).toMatch(/applicationId: .*expected string/);
  });

  it("tolerates fields the client does not know", async () => {
    // The organization answer carries subscription figures the schema does not list.
    expect(await h.client.organization()).not.toHaveProperty("currentCustomerOrganizationCount");
  });
});
