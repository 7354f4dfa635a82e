import { DIALECTS } from "../../sdk/dialect";
import { UNKNOWN } from "../../provider/unknowns";
import {
  SimulatedResource,
  startProviderProcess,
  startTestbed,
  withProvider,
  type ProviderTestbed,
} from "./providerHarness";

describe.each(DIALECTS)("Customer on Distr %s.x", (dialect) => {
  let bed: ProviderTestbed;
  beforeEach(async () => {
    bed = await startTestbed(dialect);
  });
  afterEach(() => bed.close());

  describe("check", () => {
    it("normalizes inputs: trimmed name, features in Distr's order, Distr's default features when omitted", async () => {
      const p = await bed.process();
      const checked = await p.customer.check(
        {},
        withProvider({ name: " ACME Corp ", features: ["artifacts", "deployment_targets", "artifacts"] }),
      );
      expect(checked).toEqual({ inputs: { name: "ACME Corp", features: ["deployment_targets", "artifacts"] } });
      const defaults = await p.customer.check({}, withProvider({ name: "ACME Corp", adopt: true }));
      expect(defaults).toEqual({
        inputs: { name: "ACME Corp", features: ["deployment_targets", "artifacts"], adopt: true },
      });
    });

    it("reports each bad input with its property, the value and the fix", async () => {
      const p = await bed.process();
      const result = await p.customer.check(
        {},
        withProvider({ name: "  ", features: ["artifacts", "billing"], adopt: "yes", colour: "red" }),
      );
      expect(result.failures).toEqual(
        expect.arrayContaining([
          { property: "name", reason: expect.stringContaining("must not be blank") },
          {
            property: "features[1]",
            reason: expect.stringMatching(/^"billing" is not a Distr customer feature; use one of deployment_targets/),
          },
          { property: "adopt", reason: expect.stringContaining('"yes" is not an adopt setting; use true') },
          { property: "colour", reason: 'unknown property "colour"; remove it (or check its spelling)' },
        ]),
      );
      expect(result.failures).toHaveLength(4);
    });

    it("requires deployment_targets for alerts, and refuses 3.x-only features on Distr 2.x", async () => {
      const p = await bed.process();
      const alertsAlone = await p.customer.check({}, withProvider({ name: "ACME", features: ["alerts"] }));
      expect(alertsAlone.failures).toContainEqual({
        property: "features",
        reason: expect.stringContaining('Distr requires "deployment_targets" for "alerts"'),
      });
      const supportBundles = await p.customer.check({}, withProvider({ name: "ACME", features: ["support_bundles"] }));
      if (dialect === "2") {
        expect(supportBundles.failures).toEqual([
          {
            property: "features",
            reason: '"support_bundles" is not available on Distr 2.x; it knows deployment_targets, artifacts',
          },
        ]);
      } else {
        expect(supportBundles).toEqual({ inputs: { name: "ACME", features: ["support_bundles"] } });
      }
    });

    it("passes unknown values through without asking Distr", async () => {
      const p = await bed.process();
      const before = bed.requests().length;
      const checked = await p.customer.check({}, withProvider({ name: UNKNOWN, features: [UNKNOWN, "artifacts"] }));
      expect(checked).toEqual({ inputs: { name: UNKNOWN, features: ["artifacts", UNKNOWN] } });
      expect(bed.requests(before)).toEqual([]);
      const diff = await p.customer.diff("id", { name: "ACME", features: ["artifacts"] }, withProvider(checked.inputs));
      expect(diff).toEqual({ changes: true });
    });
  });

  it("creates a customer with its features, then reports no change for the same or reordered inputs", async () => {
    const p = await bed.process();
    const customer = new SimulatedResource("customer");
    await customer.up(p, { name: "ACME Corp", features: ["artifacts"] });
    expect(customer.outputs).toEqual(
      withProvider({ name: "ACME Corp", features: ["artifacts"], createdAt: expect.any(String) }),
    );
    expect(await bed.portal.customers.get(customer.id)).toMatchObject({ name: "ACME Corp", features: ["artifacts"] });

    const next = await bed.process();
    expect(await customer.up(next, { name: "ACME Corp", features: ["artifacts", "artifacts"] })).toEqual({
      op: "same",
      diff: { changes: false },
    });
  });

  it("renames and changes features in place", async () => {
    const customer = new SimulatedResource("customer");
    await customer.up(await bed.process(), { name: "ACME Corp" });
    const id = customer.id;
    const result = await customer.up(await bed.process(), { name: "ACME Inc", features: ["deployment_targets"] });
    expect(result).toEqual({ op: "update", diff: { changes: true } });
    expect(customer.id).toBe(id);
    expect(await bed.portal.customers.get(id)).toMatchObject({ name: "ACME Inc", features: ["deployment_targets"] });
  });

  it("shows a rename made in the portal as drift on refresh, and the next up repairs it", async () => {
    const customer = new SimulatedResource("customer");
    await customer.up(await bed.process(), { name: "ACME Corp" });
    await bed.portal.customers.update(customer.id, { name: "Acme (renamed in portal)", features: ["artifacts"] });

    const read = await customer.refresh(await bed.process());
    expect(read).toEqual({
      id: customer.id,
      props: { name: "Acme (renamed in portal)", features: ["artifacts"], createdAt: expect.any(String) },
      inputs: { name: "Acme (renamed in portal)", features: ["artifacts"] },
    });
    const repaired = await customer.up(await bed.process(), { name: "ACME Corp" });
    expect(repaired.op).toBe("update");
    expect(await bed.portal.customers.get(customer.id)).toMatchObject({
      name: "ACME Corp",
      features: ["deployment_targets", "artifacts"],
    });
  });

  it("drops a customer deleted outside Pulumi on refresh, so the next up creates it again", async () => {
    const customer = new SimulatedResource("customer");
    await customer.up(await bed.process(), { name: "ACME Corp" });
    const oldId = customer.id;
    await bed.portal.customers.delete(oldId);
    expect(await customer.refresh(await bed.process())).toEqual({});
    expect(customer.state).toBeUndefined();
    expect((await customer.up(await bed.process(), { name: "ACME Corp" })).op).toBe("create");
    expect(customer.id).not.toBe(oldId);
  });

  describe("adoption", () => {
    it("refuses to create a second customer with an existing name and says how to adopt it", async () => {
      const existing = await bed.portal.customers.create({ name: "ACME Corp" });
      // Someone's customer, with a license: not the empty one an interrupted create of this resource would have
      // left (that one is taken over, test/provider/interruptedCreate.test.ts).
      const application = await bed.portal.lookups.application("hello-distr");
      await bed.portal.applicationLicenses.create({
        name: "acme-pro",
        applicationId: application?.id ?? "",
        customerOrganizationId: existing.id,
        versions: [],
      });
      const customer = new SimulatedResource("customer");
      await expect(customer.up(await bed.process(), { name: "ACME Corp" })).rejects.toThrow(
        `a customer named "ACME Corp" already exists in Distr (id ${existing.id}); to manage it with this resource, ` +
          `set adopt: true (or adopt: { id: "${existing.id}" })`,
      );
      expect((await bed.portal.customers.list()).filter((c) => c.name === "ACME Corp")).toHaveLength(1);
    });

    it("adopts the one customer with the name and updates it to the desired features", async () => {
      const existing = await bed.portal.customers.create({ name: "ACME Corp" });
      const customer = new SimulatedResource("customer");
      await customer.up(await bed.process(), { name: "ACME Corp", features: ["artifacts"], adopt: true });
      expect(customer.id).toBe(existing.id);
      expect(await bed.portal.customers.get(existing.id)).toMatchObject({ features: ["artifacts"] });
      expect(await bed.portal.customers.list()).toHaveLength(1);
    });

    it("fails on an ambiguous name listing the ids, and adopts the one named by id", async () => {
      const first = await bed.portal.customers.create({ name: "ACME Corp" });
      const second = await bed.portal.customers.create({ name: "ACME Corp" });
      const customer = new SimulatedResource("customer");
      const failure = customer.up(await bed.process(), { name: "ACME Corp", adopt: true });
      await expect(failure).rejects.toThrow(/Distr has 2 customers with this name/);
      await expect(failure).rejects.toThrow(first.id);
      await expect(failure).rejects.toThrow(second.id);
      await expect(failure).rejects.toThrow('choose one with adopt: { id: "<id>" }');

      await customer.up(await bed.process(), { name: "ACME Corp", adopt: { id: second.id } });
      expect(customer.id).toBe(second.id);
      expect(await bed.portal.customers.list()).toHaveLength(2);
    });

    it("fails to adopt an id Distr does not know", async () => {
      const customer = new SimulatedResource("customer");
      await expect(
        customer.up(await bed.process(), {
          name: "ACME Corp",
          adopt: { id: "00000000-0000-4000-8000-000000000000" },
        }),
      ).rejects.toThrow(
        'cannot adopt customer "00000000-0000-4000-8000-000000000000": Distr has no customer with this id',
      );
    });

    it("creates another customer with the same name when adopt is false", async () => {
      const existing = await bed.portal.customers.create({ name: "ACME Corp" });
      const customer = new SimulatedResource("customer");
      await customer.up(await bed.process(), { name: "ACME Corp", adopt: false });
      expect(customer.id).not.toBe(existing.id);
      expect(await bed.portal.customers.list()).toHaveLength(2);
    });
  });

  describe("delete", () => {
    it("deletes the customer, and succeeds when it is already gone", async () => {
      const customer = new SimulatedResource("customer");
      await customer.up(await bed.process(), { name: "ACME Corp" });
      const state = customer.state;
      await customer.destroy(await bed.process());
      expect(await bed.portal.customers.get(state?.id ?? "")).toBeUndefined();
      const p = await bed.process();
      await expect(p.customer.delete(state?.id ?? "", state?.outputs)).resolves.toBeUndefined();
    });

    it("surfaces Distr's permission refusal with what role is needed, and the customer stays", async () => {
      const organization = bed.distr.control.addOrganization({ role: "read_write" });
      const p = await startProviderProcess({ host: bed.distr.host, token: organization.token });
      const customer = new SimulatedResource("customer");
      await customer.up(p, { name: "ACME Corp" });
      if (dialect === "3") {
        await expect(
          customer.destroy(await startProviderProcess({ host: bed.distr.host, token: organization.token })),
        ).rejects.toThrow(/Distr refused to delete customer "ACME Corp" .*insufficient permissions.*role admin/);
        expect(customer.state).toBeDefined();
      } else {
        // Distr 2.x lets read_write users delete customers.
        await customer.destroy(await startProviderProcess({ host: bed.distr.host, token: organization.token }));
        expect(customer.state).toBeUndefined();
      }
    });
  });
});
