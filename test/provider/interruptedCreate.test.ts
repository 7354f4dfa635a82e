/**
 * provider/interruptedCreate.ts through the handlers: the engine re-runs a create that an interrupted run left
 * pending (pulumi-notes §8b), in a new provider process. The retry takes over exactly what the first attempt left,
 * and nothing else: a different or non-empty object of that name stays an "already exists" error.
 */
import { DIALECTS } from "../../sdk/dialect";
import { SimulatedResource, startTestbed, type ProviderTestbed } from "./providerHarness";

describe.each(DIALECTS)("a create retried after an interrupted run, Distr %s.x", (dialect) => {
  let bed: ProviderTestbed;
  beforeEach(async () => {
    bed = await startTestbed(dialect);
  });
  afterEach(() => bed.close());

  /** The first attempt: Distr committed it, the engine never recorded it (its state is thrown away). */
  async function interruptedCreate(kind: SimulatedResource["kind"], inputs: Record<string, unknown>): Promise<string> {
    const first = new SimulatedResource(kind);
    await first.up(await bed.process(), inputs);
    return first.state!.id;
  }

  it("customer: the retry takes over the empty customer the first attempt made, and sets its features", async () => {
    const leftId = await interruptedCreate("customer", { name: "ACME Corp" });
    const retry = new SimulatedResource("customer");
    await retry.up(await bed.process(), { name: "ACME Corp", features: ["deployment_targets"] });
    expect(retry.state?.id).toBe(leftId);
    const customers = await bed.portal.customers.list();
    expect(customers.map((c) => [c.name, c.features])).toEqual([["ACME Corp", ["deployment_targets"]]]);
  });

  it("customer: one that already has a license is someone's customer: already exists, nothing created", async () => {
    const customerId = await interruptedCreate("customer", { name: "ACME Corp" });
    await interruptedCreate("applicationLicense", {
      name: "acme-pro",
      customer: customerId,
      application: "hello-distr",
      versions: ["2.1.0"],
    });
    const retry = new SimulatedResource("customer");
    await expect(retry.up(await bed.process(), { name: "ACME Corp" })).rejects.toThrow(
      /a customer named "ACME Corp" already exists in Distr/,
    );
    expect((await bed.portal.customers.list()).length).toBe(1);
  });

  const license = (customer: string, versions: string[]) => ({
    name: "acme-pro",
    customer,
    application: "hello-distr",
    versions,
    expiresAt: "2027-06-30T00:00:00Z",
  });

  it("application license: the retry takes over the identical license without a write", async () => {
    const customerId = await interruptedCreate("customer", { name: "ACME Corp" });
    const leftId = await interruptedCreate("applicationLicense", license(customerId, ["2.1.0", "2.2.0"]));
    const since = bed.distr.control.requests.length;
    const retry = new SimulatedResource("applicationLicense");
    await retry.up(await bed.process(), license(customerId, ["2.2.0", "2.1.0"]));
    expect(retry.state?.id).toBe(leftId);
    expect((await bed.portal.applicationLicenses.list()).length).toBe(1);
    // The refused POST is the only write.
    expect(bed.requests(since).filter((r) => r.method !== "GET")).toEqual([
      expect.objectContaining({ method: "POST", status: 400 }),
    ]);
  });

  it("application license: a license of that name granting something else stays an error (no silent widening)", async () => {
    const customerId = await interruptedCreate("customer", { name: "ACME Corp" });
    await interruptedCreate("applicationLicense", license(customerId, ["2.1.0", "2.2.0", "2.3.0"]));
    const retry = new SimulatedResource("applicationLicense");
    await expect(retry.up(await bed.process(), license(customerId, ["2.1.0"]))).rejects.toThrow(
      /an application license named "acme-pro" already exists/,
    );
  });

  it("artifact license: the retry takes over the identical license; different tags stay an error", async () => {
    const customerId = await interruptedCreate("customer", { name: "ACME Corp" });
    const inputs = (tags: string[]) => ({
      name: "acme-images",
      customer: customerId,
      artifacts: [
        { artifact: "hello-distr/backend", tags },
        { artifact: "hello-distr/chart", tags: "all" },
      ],
    });
    const leftId = await interruptedCreate("artifactLicense", inputs(["2.1.0"]));
    const retry = new SimulatedResource("artifactLicense");
    await retry.up(await bed.process(), inputs(["2.1.0"]));
    expect(retry.state?.id).toBe(leftId);
    const other = new SimulatedResource("artifactLicense");
    await expect(other.up(await bed.process(), inputs(["1.0.0", "2.1.0"]))).rejects.toThrow(
      /an artifact license named "acme-images" already exists/,
    );
    expect((await bed.portal.artifactLicenses.list()).length).toBe(1);
  });
});
