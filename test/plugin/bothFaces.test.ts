/**
 * One case table, two faces: the dynamic handlers called in-process (as the dynamic provider's host calls them) and
 * the same calls through a real `pulumi-resource-distr` process over gRPC on loopback. Every case asserts the same
 * outcome on both, against the local Distr of each dialect: check failures naming the property path, diff
 * replacement decisions, and create/read/update/delete as Distr sees them.
 */
import { DIALECTS } from "../../sdk/dialect";
import {
  SimulatedResource,
  startTestbed,
  type ProviderProcess,
  type ProviderTestbed,
} from "../provider/providerHarness";
import { configurePlugin, pluginHandlers, startPluginProcess, type PluginProcess } from "./pluginProcess";

jest.setTimeout(120_000);

type Face = "dynamic" | "plugin";
const FACES: readonly Face[] = ["dynamic", "plugin"];

describe.each(DIALECTS)("Distr %s.x", (dialect) => {
  describe.each(FACES)("through the %s face", (face) => {
    let bed: ProviderTestbed;
    const plugins: PluginProcess[] = [];

    /** A new provider process of this face (the next engine operation). */
    async function processOf(): Promise<ProviderProcess> {
      if (face === "dynamic") return bed.process();
      const plugin = await startPluginProcess({ DISTR_HOST: "", DISTR_TOKEN: "" });
      plugins.push(plugin);
      await configurePlugin(plugin, { host: bed.distr.host, token: bed.distr.token });
      return pluginHandlers(plugin);
    }

    beforeEach(async () => {
      bed = await startTestbed(dialect);
    });
    afterEach(async () => {
      await Promise.all(plugins.splice(0).map((plugin) => plugin.close()));
      await bed.close();
    });

    it("check reports each bad input by its property path, with the value and the fix", async () => {
      const p = await processOf();
      const customer = await p.customer.check({}, { name: "  ", features: ["artifacts", "billing"], colour: "red" });
      expect(customer.failures).toEqual(
        expect.arrayContaining([
          { property: "name", reason: expect.stringContaining("must not be blank") },
          { property: "features[1]", reason: expect.stringMatching(/^"billing" is not a Distr customer feature/) },
          { property: "colour", reason: 'unknown property "colour"; remove it (or check its spelling)' },
        ]),
      );
      const license = await p.artifactLicense.check(
        {},
        { name: "acme-images", artifacts: [{ artifact: "hello-distr/backend" }, { artifact: "hello-distr/nope" }] },
      );
      expect(license.failures?.map((failure) => failure.property)).toEqual(["artifacts[1].artifact"]);
    });

    it("create, no change, update in place, replacement, drift on read, delete", async () => {
      const customer = new SimulatedResource("customer");
      const license = new SimulatedResource("applicationLicense");
      let p = await processOf();
      expect((await customer.up(p, { name: "ACME Corp" })).op).toBe("create");
      const acme = customer.id;
      expect((await bed.portal.customers.get(acme))?.name).toBe("ACME Corp");
      await license.up(p, { name: "acme-pro", customer: acme, application: "hello-distr", versions: ["2.1.0"] });
      expect(license.outputs).toMatchObject({ name: "acme-pro", application: "hello-distr", versions: ["2.1.0"] });

      p = await processOf();
      const writes = bed.requests().length;
      expect(await customer.up(p, { name: "ACME Corp" })).toEqual({ op: "same", diff: { changes: false } });
      const same = await license.up(p, {
        name: "acme-pro",
        customer: acme,
        application: "hello-distr",
        versions: ["2.1.0"],
      });
      expect(same.op).toBe("same");
      expect(bed.requests(writes).filter((request) => request.method !== "GET")).toEqual([]);

      p = await processOf();
      expect((await customer.up(p, { name: "ACME Corporation" })).op).toBe("update");
      expect((await bed.portal.customers.get(acme))?.name).toBe("ACME Corporation");

      const oldLicense = license.id;
      const replaced = await license.up(p, {
        name: "acme-pro",
        customer: acme,
        application: "hello-distr-helm",
        versions: "all",
      });
      expect(replaced).toEqual({
        op: "replace",
        diff: { changes: true, replaces: ["application"], deleteBeforeReplace: true },
      });
      expect(await bed.portal.applicationLicenses.get(oldLicense)).toBeUndefined();

      await bed.portal.customers.update(acme, { name: "Renamed in the portal", features: ["deployment_targets"] });
      const read = await customer.refresh(await processOf());
      expect(read).toMatchObject({ id: acme, props: { name: "Renamed in the portal" } });
      expect(read.inputs).toEqual({ name: "Renamed in the portal", features: ["deployment_targets"] });

      p = await processOf();
      await license.destroy(p);
      await customer.destroy(p);
      expect(await bed.portal.customers.get(acme)).toBeUndefined();
    });
  });
});
