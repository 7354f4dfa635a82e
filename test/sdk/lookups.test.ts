import { DIALECTS } from "../../sdk/dialect";
import { isDistrApiError } from "../../sdk/errors";
import type { Harness } from "./harness";
import { startHarness } from "./harness";

describe.each(DIALECTS)("lookups on Distr %s.x", (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness(dialect);
  });
  afterEach(() => h.close());

  it("lists applications and reads one with its versions, archived included, by name or id", async () => {
    const names = (await h.client.lookups.applications()).map((a) => a.name);
    expect(names).toEqual(expect.arrayContaining(["hello-distr", "hello-distr-helm"]));
    const app = await h.client.lookups.application("hello-distr");
    expect(app?.versions?.map((v) => v.name)).toEqual([
      "1.0.0",
      "1.1.0",
      "1.2.0",
      "2.0.0",
      "2.1.0",
      "2.2.0",
      "2.3.0",
      "2.4.0-rc.1",
      "3.0.0-beta.1",
    ]);
    expect(app?.versions?.[0]?.archivedAt).toEqual(expect.any(String));
    expect((await h.client.lookups.application(app?.id ?? ""))?.name).toBe("hello-distr");
    expect(await h.client.lookups.application("no-such-app")).toBeUndefined();
  });

  it("reads an artifact with its digests and tags; tags of the same digest share one version", async () => {
    const backend = await h.client.lookups.artifact("hello-distr/backend");
    const tagsByDigest = backend?.versions?.map((v) => v.tags.map((t) => t.name).sort());
    expect(tagsByDigest).toEqual(expect.arrayContaining([["2.1.0", "latest"], ["1.0.0"]]));
    expect((await h.client.lookups.artifacts()).map((a) => a.name).sort()).toEqual([
      "hello-distr/backend",
      "hello-distr/chart",
      "hello-distr/frontend",
    ]);
  });

  it("reads an application or artifact by an id known from state with one GET, no list; unknown ids are undefined", async () => {
    const portal = await h.client.lookups.application("hello-distr");
    const backend = await h.client.lookups.artifact("hello-distr/backend");
    h.client.lookups.invalidate();
    const before = h.serverRequests().length;
    expect((await h.client.lookups.applicationById(portal?.id ?? ""))?.versions).toEqual(portal?.versions);
    expect((await h.client.lookups.artifactById(backend?.id ?? ""))?.versions).toEqual(backend?.versions);
    expect(h.serverRequests(before).map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /api/v1/applications/${portal?.id}`,
      `GET /api/v1/artifacts/${backend?.id}`,
    ]);
    expect(await h.client.lookups.applicationById("7f0c1d2e-0000-4000-8000-000000000000")).toBeUndefined();
    expect(await h.client.lookups.artifactById("7f0c1d2e-0000-4000-8000-000000000000")).toBeUndefined();
  });

  it("caches lookups for the process until invalidate()", async () => {
    await h.client.lookups.application("hello-distr");
    const before = h.serverRequests().length;
    await h.client.lookups.application("hello-distr");
    await h.client.lookups.applications();
    expect(h.serverRequests(before)).toEqual([]);

    h.distr.control.addApplicationVersion("hello-distr", "3.0.0");
    expect((await h.client.lookups.application("hello-distr"))?.versions?.map((v) => v.name)).not.toContain("3.0.0");
    h.client.lookups.invalidate();
    expect((await h.client.lookups.application("hello-distr"))?.versions?.map((v) => v.name)).toContain("3.0.0");
    expect(h.serverRequests(before).map((r) => r.method)).toEqual(["GET", "GET"]);
  });

  it("hands out copies, so a caller changing a result does not change the cache", async () => {
    const first = await h.client.lookups.application("hello-distr");
    first?.versions?.splice(0);
    expect((await h.client.lookups.application("hello-distr"))?.versions).toHaveLength(9);
  });
});

describe.each(DIALECTS)("organization check on Distr %s.x", (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness(dialect);
  });
  afterEach(() => h.close());

  it("returns the token's organization when licensing is on", async () => {
    expect(await h.client.organization()).toMatchObject({
      name: "Distr Demo Vendor",
      features: dialect === "3" ? ["licensing", "vendor_billing"] : ["licensing"],
    });
  });

  it("fails with licensing-not-enabled when the organization lacks the licensing feature", async () => {
    h.distr.control.setLicensing(false);
    const error = await h.client.organization().catch((e: unknown) => e);
    expect(isDistrApiError(error, "licensing-not-enabled")).toBe(true);
    expect(String(error)).toContain("licensing");
  });

  it("classifies licensing routes answered 403 `licensing not enabled` as licensing-not-enabled", async () => {
    h.distr.control.setLicensing(false);
    await expect(h.client.applicationLicenses.list()).rejects.toMatchObject({
      kind: "licensing-not-enabled",
      status: 403,
    });
  });

  it("fails with unauthorized for a well-formed token Distr does not know", async () => {
    const stranger = h.newClient({ token: `distr-${"ab".repeat(16)}` });
    await expect(stranger.organization()).rejects.toMatchObject({ kind: "unauthorized", status: 401 });
  });

  it("fails with forbidden for a read-only token that tries to write", async () => {
    const readOnly = h.distr.control.addOrganization({ role: "read_only" });
    const client = h.newClient({ token: readOnly.token });
    await expect(client.customers.create({ name: "x" })).rejects.toMatchObject({ kind: "forbidden", status: 403 });
  });
});
