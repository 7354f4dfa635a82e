import { DIALECTS } from "../../sdk/dialect";
import { DEFAULT_CUSTOMER_FEATURES } from "../../sdk/schemas";
import type { Harness } from "./harness";
import { startHarness } from "./harness";

describe.each(DIALECTS)("customers on Distr %s.x", (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness(dialect);
  });
  afterEach(() => h.close());

  it("creates a customer with Distr's default features and lists it", async () => {
    const created = await h.client.customers.create({ name: "Acme Corp" });
    expect(created).toMatchObject({ name: "Acme Corp", features: [...DEFAULT_CUSTOMER_FEATURES] });
    expect(await h.client.customers.list()).toEqual([expect.objectContaining({ id: created.id, name: "Acme Corp" })]);
  });

  it("sets requested features with a follow-up PUT, since create ignores them", async () => {
    const features = dialect === "3" ? ["deployment_targets", "alerts"] : ["artifacts"];
    const before = h.serverRequests().length;
    const created = await h.client.customers.create({ name: "Acme Corp", features });
    expect(new Set(created.features)).toEqual(new Set(features));
    const writes = h.serverRequests(before).filter((r) => r.method !== "GET");
    expect(writes.map((r) => r.method)).toEqual(["POST", "PUT"]);
    expect(new Set((await h.client.customers.get(created.id))?.features)).toEqual(new Set(features));
  });

  it("does not send a follow-up PUT when the requested features are the defaults", async () => {
    const before = h.serverRequests().length;
    await h.client.customers.create({ name: "Acme Corp", features: ["artifacts", "deployment_targets"] });
    expect(h.serverRequests(before).filter((r) => r.method === "PUT")).toEqual([]);
  });

  it("updates as a full replacement: omitted features become the defaults again, not the previous ones", async () => {
    const created = await h.client.customers.create({ name: "Acme Corp", features: ["deployment_targets"] });
    expect(created.features).toEqual(["deployment_targets"]);
    const renamed = await h.client.customers.update(created.id, { name: "Acme Inc" });
    expect(renamed).toMatchObject({ id: created.id, name: "Acme Inc" });
    expect(new Set(renamed.features)).toEqual(new Set(DEFAULT_CUSTOMER_FEATURES));
    expect((await h.client.customers.get(created.id))?.name).toBe("Acme Inc");
  });

  it("reads single customers from the list and answers undefined for a deleted one", async () => {
    const created = await h.client.customers.create({ name: "Acme Corp" });
    expect(await h.client.customers.get(created.id)).toMatchObject({ id: created.id });
    await h.client.customers.delete(created.id);
    expect(await h.client.customers.get(created.id)).toBeUndefined();
    expect(await h.client.customers.list()).toEqual([]);
  });

  it("reports updating a customer that is gone as not-found (Distr answers 500 `not found`)", async () => {
    const created = await h.client.customers.create({ name: "Acme Corp" });
    await h.client.customers.delete(created.id);
    await expect(h.client.customers.update(created.id, { name: "x" })).rejects.toMatchObject({
      kind: "not-found",
      status: 500,
      method: "PUT",
    });
  });

  it("reports deleting a customer that is gone as not-found", async () => {
    const created = await h.client.customers.create({ name: "Acme Corp" });
    await h.client.customers.delete(created.id);
    await expect(h.client.customers.delete(created.id)).rejects.toMatchObject({ kind: "not-found", status: 404 });
  });

  it("refuses a feature this Distr version does not know before sending anything", async () => {
    const before = h.serverRequests().length;
    await expect(h.client.customers.create({ name: "Acme", features: ["teleport"] })).rejects.toMatchObject({
      kind: "bad-request",
      message: expect.stringContaining('"teleport"'),
    });
    expect(h.serverRequests(before).filter((r) => r.method === "POST")).toEqual([]);
  });

  it("keeps two customers of the same name apart (names are not unique in Distr)", async () => {
    const first = await h.client.customers.create({ name: "Twin" });
    const second = await h.client.customers.create({ name: "Twin" });
    expect(second.id).not.toBe(first.id);
    expect((await h.client.customers.list()).filter((c) => c.name === "Twin")).toHaveLength(2);
  });
});
