/**
 * How the policy pack judges one license resource: "before" is Distr's current license under its name (real HTTP to
 * the local Distr), "after" the resource's checked inputs; replacements as the provider would do them; untouched
 * licenses and same-content artifact grants are not changes; without Distr there is no "before".
 */
import type { ResourceValidation, ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { LicenseJudge, licensePolicies, type LicenseResource } from "../../policy";
import { evaluateRules } from "../../review/rules";
import { seedAcmeLicenses, startHarness, type Harness } from "../sdk/harness";

describe("LicenseJudge (the policy pack's view of a license)", () => {
  let harness: Harness;
  let customerId: string;
  let digestOf: (tag: string) => string;

  beforeAll(async () => {
    harness = await startHarness("3");
    customerId = await seedAcmeLicenses(harness.client);
    const backend = await harness.client.lookups.artifact("hello-distr/backend");
    digestOf = (tag) => backend?.versions?.find((v) => v.tags.some((t) => t.name === tag))?.digest ?? "";
  });

  afterAll(() => harness.close());

  const application = (props: Record<string, unknown>): LicenseResource => ({
    kind: "applicationLicense",
    urn: `urn:pulumi:test::p::pulumi-nodejs:dynamic/distr:ApplicationLicense::${String(props["name"])}`,
    name: String(props["name"]),
    props: { customer: customerId, application: "hello-distr", expiresAt: "2027-06-30T00:00:00Z", ...props },
  });

  it("takes before from Distr: a narrowing is an update that loses versions, by customer name", async () => {
    const judge = new LicenseJudge(() => harness.client);
    const judgement = await judge.judge(application({ name: "acme-pro", versions: ["2.1.0"] }));
    expect(judgement).toMatchObject({ beforeKnown: true, unchanged: false, organization: { applicationLicenses: 1 } });
    expect(judgement.change).toMatchObject({ action: "update", versions: { lost: ["2.0.0"], gained: [] } });
    const { findings } = evaluateRules([judgement.change], { now: new Date("2027-01-01T00:00:00Z") }, ["loses-access"]);
    expect(findings).toEqual([
      expect.objectContaining({ customer: "ACME Corp", message: "loses version 2.0.0 of hello-distr" }),
    ]);
  });

  it("sees a license Distr already grants as unchanged, a range by the versions it matches", async () => {
    const judge = new LicenseJudge(() => harness.client);
    const same = await judge.judge(
      application({ name: "acme-pro", versions: { range: ">=2.0.0 <2.1.1", matches: ["2.0.0", "2.1.0"] } }),
    );
    expect(same.unchanged).toBe(true);
  });

  it("judges an artifact grant by content: the same digest under another tag name is no change", async () => {
    const judge = new LicenseJudge(() => harness.client);
    const judgement = await judge.judge({
      kind: "artifactLicense",
      urn: "urn:pulumi:test::p::pulumi-nodejs:dynamic/distr:ArtifactLicense::acme-images",
      name: "acme-images",
      props: {
        name: "acme-images",
        customer: customerId,
        artifacts: [{ artifact: "hello-distr/backend", tags: ["2.1.0"], digests: [digestOf("2.1.0")] }],
      },
    });
    expect(digestOf("2.1.0")).toBe(digestOf("latest"));
    expect(judgement.unchanged).toBe(true);
    expect(judgement.change.artifacts[0]?.tags.lost).toEqual([]);
  });

  it("knows the provider replaces a license whose application changes, deleting first on 3.x (same name)", async () => {
    const judge = new LicenseJudge(() => harness.client);
    const judgement = await judge.judge(
      application({ name: "acme-pro", application: "hello-distr-helm", versions: ["2.0.0"] }),
    );
    expect(judgement.change).toMatchObject({
      action: "replace",
      replacement: { reasons: [expect.objectContaining({ property: "application" })], deleteBeforeReplace: true },
    });
    const { findings } = evaluateRules([judgement.change], { now: new Date() }, ["replacement-gap"]);
    expect(findings).toHaveLength(1);
  });

  it("judges a license Distr does not have as a creation, once per resource", async () => {
    const judge = new LicenseJudge(() => harness.client);
    const resource = application({ name: "acme-new", versions: "all" });
    const first = judge.judge(resource);
    expect(judge.judge(resource)).toBe(first);
    expect((await first).change).toMatchObject({ action: "create", versions: { toAll: true } });
  });

  it("without Distr has no before and says why", async () => {
    const judge = new LicenseJudge(() => {
      throw new Error("no Distr access token: set DISTR_TOKEN");
    });
    const judgement = await judge.judge(application({ name: "acme-pro", versions: ["2.1.0"] }));
    expect(judgement).toMatchObject({
      beforeKnown: false,
      unchanged: false,
      unavailable: "Distr could not be asked: no Distr access token: set DISTR_TOKEN",
    });
    expect(judgement.change.action).toBe("create");
  });

  it("tells a customer apart by its id in the pack's messages when Distr has another of the same name", async () => {
    const twin = await harness.client.customers.create({ name: "ACME Corp" });
    const client = harness.newClient();
    try {
      const policy = licensePolicies({ connect: () => client, now: () => new Date("2027-01-01T00:00:00Z") }).find(
        (candidate) => candidate.name === "loses-access",
      ) as ResourceValidationPolicy;
      // The license policies validate with one function (not a list of them).
      const validate = policy.validateResource as ResourceValidation;
      const messages: string[] = [];
      const resource = application({ name: "acme-pro", versions: ["2.1.0"] });
      await validate(
        {
          type: "pulumi-nodejs:dynamic/distr:ApplicationLicense",
          urn: resource.urn,
          name: resource.name,
          props: resource.props,
          getConfig: () => ({}),
        } as unknown as ResourceValidationArgs,
        (message: string) => messages.push(message),
      );
      expect(messages).toEqual([
        `license acme-pro (customer ACME Corp, id ${customerId}): loses version 2.0.0 of hello-distr`,
      ]);
    } finally {
      // The harness closes its clients.
      await harness.client.customers.delete(twin.id);
    }
  });
});
