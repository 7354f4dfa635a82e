import { startLocalDistr, type LocalDistr } from "../../local-distr";
import { z } from "zod";
import { CustomerSchema } from "../../sdk/schemas";
import { call, json } from "./localDistrHttp";

describe("local Distr fault injection", () => {
  let distr: LocalDistr;

  beforeEach(async () => {
    distr = await startLocalDistr({ rateLimits: false });
  });

  afterEach(async () => {
    await distr.close();
  });

  const customerNames = async () =>
    json(await call(distr, "GET", "/customer-organizations"), z.array(CustomerSchema)).map((c) => c.name);

  it("a status fault answers with Go's status text and Retry-After, `times` requests in a row, then stops", async () => {
    distr.control.injectFaults({ kind: "status", status: 503, times: 2, retryAfterSeconds: 7 });
    for (let i = 0; i < 2; i++) {
      const faulted = await call(distr, "GET", "/organization");
      expect(faulted.status).toBe(503);
      expect(faulted.text).toBe("Service Unavailable\n");
      expect(faulted.headers.get("content-type")).toBe("text/plain; charset=utf-8");
      expect(faulted.headers.get("retry-after")).toBe("7");
    }
    expect((await call(distr, "GET", "/organization")).status).toBe(200);
  });

  it("a status fault does not run the handler: a faulted POST creates nothing", async () => {
    distr.control.injectFaults({ kind: "status", status: 500, match: { method: "POST" } });
    const faulted = await call(distr, "POST", "/customer-organizations", { body: { name: "Acme" } });
    expect(faulted).toMatchObject({ status: 500, text: "Internal Server Error\n" });
    expect(await customerNames()).toEqual([]);
  });

  it("faults apply only to matching requests (method, path below /api/v1 or full, RegExp) and are taken in order", async () => {
    distr.control.injectFaults(
      { kind: "status", status: 502, match: { method: "PUT" } },
      { kind: "status", status: 504, match: { path: "/customer-organizations" } },
      { kind: "status", status: 429, match: { path: /\/organization$/ } },
      { kind: "status", status: 500, match: { path: "/api/v1/applications" } },
    );
    expect((await call(distr, "GET", "/artifacts")).status).toBe(200);
    expect((await call(distr, "GET", "/organization")).status).toBe(429);
    expect((await call(distr, "GET", "/customer-organizations")).status).toBe(504);
    expect((await call(distr, "GET", "/customer-organizations")).status).toBe(200);
    expect((await call(distr, "GET", "/applications")).status).toBe(500);
    expect((await call(distr, "PUT", "/customer-organizations/x", { body: {} })).status).toBe(502);
    expect((await call(distr, "PUT", "/customer-organizations/x", { body: {} })).status).toBe(404);
  });

  it("clearFaults drops everything still queued", async () => {
    distr.control.injectFaults({ kind: "status", status: 500, times: 5 });
    distr.control.clearFaults();
    expect((await call(distr, "GET", "/organization")).status).toBe(200);
  });

  it("a delay fault holds the answer back for at least `ms`, then answers normally", async () => {
    distr.control.injectFaults({ kind: "delay", ms: 150 });
    const started = Date.now();
    const delayed = await call(distr, "GET", "/organization");
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(delayed.status).toBe(200);
  });

  it("drop-connection destroys the socket before anything happens: no answer, nothing committed", async () => {
    distr.control.injectFaults({ kind: "drop-connection", match: { method: "POST" } });
    await expect(call(distr, "POST", "/customer-organizations", { body: { name: "Acme" } })).rejects.toThrow();
    expect(await customerNames()).toEqual([]);
  });

  it("commit-then-drop performs the write, then destroys the socket instead of answering", async () => {
    distr.control.injectFaults({ kind: "commit-then-drop", match: { method: "POST" } });
    await expect(call(distr, "POST", "/customer-organizations", { body: { name: "Acme" } })).rejects.toThrow();
    expect(await customerNames()).toEqual(["Acme"]);
  });

  it("malformed-response removes a top-level field from an object and from each element of a list", async () => {
    await call(distr, "POST", "/customer-organizations", { body: { name: "Acme" } });
    await call(distr, "POST", "/customer-organizations", { body: { name: "Beta" } });
    distr.control.injectFaults(
      { kind: "malformed-response", omitField: "id", match: { path: "/customer-organizations" } },
      { kind: "malformed-response", omitField: "features", match: { path: "/organization" } },
    );
    const list = json(await call(distr, "GET", "/customer-organizations"), z.array(z.record(z.string(), z.unknown())));
    expect(list).toHaveLength(2);
    for (const element of list) {
      expect(element).not.toHaveProperty("id");
      expect(element).toHaveProperty("name");
    }
    const organization = await call(distr, "GET", "/organization");
    expect(organization.status).toBe(200);
    expect(organization.text.endsWith("}\n")).toBe(true);
    expect(json(organization)).not.toHaveProperty("features");
    expect(json(await call(distr, "GET", "/organization"))).toHaveProperty("features");
  });

  it("malformed-response leaves error responses alone (the fault is still used up)", async () => {
    distr.control.injectFaults({ kind: "malformed-response", omitField: "id" });
    const unauthorized = await call(distr, "GET", "/customer-organizations", { token: null });
    expect(unauthorized).toMatchObject({ status: 401, text: "Unauthorized\n" });
    expect(json(await call(distr, "GET", "/applications"), z.array(z.looseObject({})))[0]).toHaveProperty("id");
  });

  it("the request log records method, path without query, status, and undefined status for dropped requests", async () => {
    distr.control.injectFaults({ kind: "drop-connection", match: { path: "/artifacts" } });
    await call(distr, "GET", "/application-entitlements?applicationId=abc");
    await expect(call(distr, "GET", "/artifacts")).rejects.toThrow();
    const before = Date.now();
    await call(distr, "GET", "/nope", { token: null });
    expect(distr.control.requests.map(({ method, path, status }) => ({ method, path, status }))).toEqual([
      { method: "GET", path: "/api/v1/application-entitlements", status: 400 },
      { method: "GET", path: "/api/v1/artifacts", status: undefined },
      { method: "GET", path: "/api/v1/nope", status: 404 },
    ]);
    expect(distr.control.requests[2]!.at).toBeGreaterThanOrEqual(before);
  });

  it("invalid faults are refused when injected", () => {
    expect(() => distr.control.injectFaults({ kind: "delay", ms: 10, times: 0 })).toThrow(/times/);
    expect(() => distr.control.injectFaults({ kind: "status", status: 418 as 500 })).toThrow(/418/);
  });
});
