import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startLocalDistr, DistrStoreError, type LocalDistr } from "../../local-distr";
import { readStateFile, writeStateFile, emptyState } from "../../local-distr/store";
import { z } from "zod";
import {
  ApplicationLicenseSchema,
  ApplicationSchema,
  ApplicationVersionSchema,
  CustomerSchema,
} from "../../sdk/schemas";
import { call, created, json } from "./localDistrHttp";

const ApplicationWithVersionsSchema = ApplicationSchema.extend({ versions: z.array(ApplicationVersionSchema) });

// The module object itself (not the namespace import's frozen copy), so that spies reach the store's calls.
const nodeFs = require("node:fs") as typeof fs;

describe("local Distr persistence (dataFile)", () => {
  let directory: string;
  let dataFile: string;
  const running: LocalDistr[] = [];

  async function start(options: Parameters<typeof startLocalDistr>[0] = {}): Promise<LocalDistr> {
    const distr = await startLocalDistr({ dataFile, rateLimits: false, ...options });
    running.push(distr);
    return distr;
  }

  beforeEach(() => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), "local-distr-"));
    dataFile = path.join(directory, "distr.json");
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((d) => d.close()));
    jest.restoreAllMocks();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  it("a restart with the same data file keeps the token, the catalog ids and every created object", async () => {
    const first = await start();
    const customer = created(await call(first, "POST", "/customer-organizations", { body: { name: "Acme" } }));
    const applications = json(await call(first, "GET", "/applications"), z.array(ApplicationWithVersionsSchema));
    const app = applications.find((a) => a.name === "hello-distr")!;
    const license = created(
      await call(first, "POST", "/application-entitlements", {
        body: {
          name: "acme-prod",
          applicationId: app.id,
          customerOrganizationId: customer.id,
          versions: [{ id: app.versions[1]!.id }],
        },
      }),
    );
    first.control.addApplicationVersion("hello-distr", "9.9.9");
    await first.close();

    const second = await start();
    expect(second.token).toBe(first.token);
    expect(json(await call(second, "GET", "/applications"))).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: app.id, name: "hello-distr" })]),
    );
    const reread = json(await call(second, "GET", `/application-entitlements/${license.id}`), ApplicationLicenseSchema);
    expect(reread).toMatchObject({
      id: license.id,
      customerOrganizationId: customer.id,
      versions: [{ id: app.versions[1]!.id }],
    });
    const republished = json(await call(second, "GET", `/applications/${app.id}`), ApplicationWithVersionsSchema);
    expect(republished.versions.map((v) => v.name)).toContain("9.9.9");
    expect(json(await call(second, "GET", "/customer-organizations"))).toEqual([
      expect.objectContaining({ id: customer.id, name: "Acme" }),
    ]);
  });

  it("a fixed token given at restart is added to the stored organization, and the stored one keeps working", async () => {
    const first = await start();
    await call(first, "POST", "/customer-organizations", { body: { name: "Acme" } });
    await first.close();
    const fixed = "distr-0123456789abcdef0123456789abcdef";
    const second = await start({ token: fixed });
    expect(second.token).toBe(fixed);
    expect(json(await call(second, "GET", "/customer-organizations"), z.array(CustomerSchema))).toHaveLength(1);
    expect((await call(second, "GET", "/customer-organizations", { token: first.token })).status).toBe(200);
  });

  it("every change is on disk when the response arrives", async () => {
    const distr = await start();
    const customer = created(await call(distr, "POST", "/customer-organizations", { body: { name: "Acme" } }));
    expect(readStateFile(dataFile)?.customers.map((c) => c.id)).toEqual([customer.id]);
    await call(distr, "DELETE", `/customer-organizations/${customer.id}`);
    expect(readStateFile(dataFile)?.customers).toEqual([]);
  });

  it("writes go to a temporary file that is renamed over the data file, and none is left behind", async () => {
    const renames: Array<[string, string]> = [];
    const rename = fs.renameSync;
    jest.spyOn(nodeFs, "renameSync").mockImplementation((from, to) => {
      renames.push([String(from), String(to)]);
      rename(from, to);
    });
    const distr = await start();
    await call(distr, "POST", "/customer-organizations", { body: { name: "Acme" } });
    expect(renames.length).toBeGreaterThanOrEqual(2);
    for (const [from, to] of renames) {
      expect(to).toBe(dataFile);
      expect(path.dirname(from)).toBe(directory);
      expect(from).not.toBe(dataFile);
    }
    expect(fs.readdirSync(directory)).toEqual(["distr.json"]);
  });

  it("a crash before the rename leaves the previous state intact, and the failed request changes nothing", async () => {
    const distr = await start();
    await call(distr, "POST", "/customer-organizations", { body: { name: "Before" } });
    const before = fs.readFileSync(dataFile, "utf8");
    jest.spyOn(nodeFs, "renameSync").mockImplementation(() => {
      throw new Error("simulated crash before rename");
    });
    const failed = await call(distr, "POST", "/customer-organizations", { body: { name: "Lost" } });
    expect(failed.status).toBe(500);
    expect(fs.readFileSync(dataFile, "utf8")).toBe(before);
    jest.restoreAllMocks();
    const names = json(await call(distr, "GET", "/customer-organizations"), z.array(CustomerSchema)).map((c) => c.name);
    expect(names).toEqual(["Before"]);
  });

  it("a crash in the middle of writing never truncates the data file", () => {
    const state = emptyState();
    writeStateFile(dataFile, state);
    const before = fs.readFileSync(dataFile, "utf8");
    jest.spyOn(nodeFs, "writeSync").mockImplementation(() => {
      throw new Error("disk full");
    });
    expect(() =>
      writeStateFile(dataFile, { ...state, users: [{ id: "u", createdAt: "x", email: "e", name: "n" }] }),
    ).toThrow("disk full");
    expect(fs.readFileSync(dataFile, "utf8")).toBe(before);
    expect(fs.readdirSync(directory)).toEqual(["distr.json"]);
  });

  it("a corrupt data file is refused with a message naming the file, never overwritten", async () => {
    fs.writeFileSync(dataFile, "{ not json");
    await expect(start()).rejects.toThrow(DistrStoreError);
    await expect(start()).rejects.toThrow(dataFile);
    expect(fs.readFileSync(dataFile, "utf8")).toBe("{ not json");
    fs.writeFileSync(dataFile, JSON.stringify({ formatVersion: 1, organizations: "nope" }));
    await expect(start()).rejects.toThrow(/unexpected shape/);
  });

  it("without a data file nothing is written and every start has a fresh token", async () => {
    const a = await startLocalDistr({ rateLimits: false });
    const b = await startLocalDistr({ rateLimits: false });
    running.push(a, b);
    expect(a.token).not.toBe(b.token);
    expect(a.token).toMatch(/^distr-[0-9a-f]{32}$/);
    expect(fs.readdirSync(directory)).toEqual([]);
  });
});
