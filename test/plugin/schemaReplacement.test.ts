/**
 * `replaceOnChanges` in the package schema says what diff decides, against the real local Distr in both dialects:
 * for every input of every resource (the list comes from the schema; a variation missing here fails the test), one
 * resource is created, then each variation that changes only that input goes through check and diff. An input marked
 * `replaceOnChanges` must be replaced by every variation; an unmarked one by none, except the inputs whose
 * replacement depends on the old value or on the dialect, listed below with the case that replaces and the one that
 * does not (both must occur, so the list cannot outlive the behaviour).
 */
import type { Dialect } from "../../sdk/dialect";
import { DIALECTS } from "../../sdk/dialect";
import { distrPackageSchema } from "../../plugin/schema";
import type { ResourceKind } from "../../provider/resourceHandlers";
import {
  createCustomer,
  SimulatedResource,
  startTestbed,
  withProvider,
  type ProviderProcess,
  type ProviderTestbed,
  type Properties,
} from "../provider/providerHarness";

interface Fixtures {
  readonly customer: string;
  readonly otherCustomer: string;
  readonly template?: string;
}

interface Variation {
  /** What the variation does, for messages. */
  readonly what: string;
  /** The resource's inputs before; default: the resource's base inputs. */
  readonly from?: (fixtures: Fixtures) => Properties;
  /** The value the input changes to (undefined: removed). */
  readonly to: (fixtures: Fixtures) => unknown;
}

interface ResourceCases {
  readonly kind: ResourceKind;
  readonly dialects: readonly Dialect[];
  readonly base: (fixtures: Fixtures) => Properties;
  readonly variations: Readonly<Record<string, readonly Variation[]>>;
}

const VALIDITY = { notBefore: "2026-01-01T00:00:00Z", expiresAt: "2027-01-01T00:00:00Z" };
const REGISTRY = { url: "registry.example.com", username: "acme", password: "first-password" };

const CASES: Readonly<Record<string, ResourceCases>> = {
  "distr:index:Customer": {
    kind: "customer",
    dialects: DIALECTS,
    base: () => ({ name: "Initech", features: ["deployment_targets"] }),
    variations: {
      name: [{ what: "renamed", to: () => "Initech Europe" }],
      features: [{ what: "artifacts added", to: () => ["deployment_targets", "artifacts"] }],
      adopt: [{ what: "adopt set", to: () => true }],
    },
  },
  "distr:index:ApplicationLicense": {
    kind: "applicationLicense",
    dialects: DIALECTS,
    base: ({ customer }) => ({
      name: "initech-app",
      customer,
      application: "hello-distr",
      versions: ["2.0.0"],
      expiresAt: "2027-06-30T00:00:00Z",
      registry: REGISTRY,
    }),
    variations: {
      name: [{ what: "renamed", to: () => "initech-app-2" }],
      customer: [
        { what: "moved to another customer", to: ({ otherCustomer }) => otherCustomer },
        {
          what: "a customer given to a license without one",
          from: () => ({ name: "no-owner", application: "hello-distr", versions: ["2.0.0"] }),
          to: ({ customer }) => customer,
        },
      ],
      application: [{ what: "another application", to: () => "hello-distr-helm" }],
      versions: [
        { what: "widened", to: () => ["2.0.0", "2.1.0"] },
        { what: "narrowed", to: () => ["1.1.0"] },
        { what: "a range", to: () => ({ range: ">=2.0.0 <3.0.0" }) },
      ],
      expiresAt: [{ what: "extended", to: () => "2028-06-30T00:00:00Z" }],
      registry: [
        { what: "another password", to: () => ({ ...REGISTRY, password: "second-password" }) },
        { what: "removed", to: () => undefined },
      ],
      adopt: [{ what: "adopt set", to: () => true }],
    },
  },
  "distr:index:ArtifactLicense": {
    kind: "artifactLicense",
    dialects: DIALECTS,
    base: ({ customer }) => ({
      name: "initech-images",
      customer,
      expiresAt: "2027-06-30T00:00:00Z",
      artifacts: [{ artifact: "hello-distr/backend", tags: ["2.0.0"] }],
    }),
    variations: {
      name: [{ what: "renamed", to: () => "initech-images-2" }],
      customer: [{ what: "moved to another customer", to: ({ otherCustomer }) => otherCustomer }],
      expiresAt: [{ what: "extended", to: () => "2028-06-30T00:00:00Z" }],
      artifacts: [
        {
          what: "another artifact added",
          to: () => [
            { artifact: "hello-distr/backend", tags: ["2.0.0"] },
            { artifact: "hello-distr/frontend", tags: "all" },
          ],
        },
        { what: "a tag removed", to: () => [{ artifact: "hello-distr/backend", tags: ["1.0.0"] }] },
      ],
      adopt: [{ what: "adopt set", to: () => true }],
    },
  },
  "distr:index:LicenseKey": {
    kind: "licenseKey",
    dialects: ["3"],
    base: ({ customer }) => ({
      name: "initech-key",
      customer,
      description: "production",
      payload: { seats: 10 },
      ...VALIDITY,
    }),
    variations: {
      name: [{ what: "renamed", to: () => "initech-key-2" }],
      customer: [
        { what: "moved to another customer", to: ({ otherCustomer }) => otherCustomer },
        { what: "customer removed", to: () => undefined },
      ],
      description: [{ what: "described anew", to: () => "staging" }],
      payload: [{ what: "more seats", to: () => ({ seats: 20 }) }],
      notBefore: [{ what: "earlier start", to: () => "2025-06-01T00:00:00Z" }],
      expiresAt: [{ what: "extended", to: () => "2028-01-01T00:00:00Z" }],
      template: [{ what: "a template set", to: ({ template }) => template }],
      redeploy: [{ what: "redeploy confirmed", to: () => true }],
      adopt: [{ what: "adopt set", to: () => true }],
    },
  },
  "distr:index:LicenseTemplate": {
    kind: "licenseTemplate",
    dialects: ["3"],
    base: () => ({ name: "initech-plan", payloadTemplate: '{"seats": 1}', expirationGracePeriodDays: 3 }),
    variations: {
      name: [{ what: "renamed", to: () => "initech-plan-2" }],
      payloadTemplate: [{ what: "another template", to: () => '{"seats": 2}' }],
      expirationGracePeriodDays: [{ what: "longer grace", to: () => 7 }],
    },
  },
};

/**
 * Inputs whose replacement diff decides from the old value or the dialect (not expressible as `replaceOnChanges`;
 * their descriptions say when): the variation that replaces, and where.
 */
const CONDITIONAL: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  "distr:index:ApplicationLicense": {
    // Distr refuses another owner once one is set (quirk 7); a license without one may get one in place.
    customer: "moved to another customer",
    // Distr 2.x refuses narrowing (quirk 8), so it replaces; 3.x narrows in place.
    versions: "narrowed on 2",
  },
};

interface Outcome {
  readonly token: string;
  readonly property: string;
  readonly what: string;
  readonly dialect: Dialect;
  readonly changes: boolean | undefined;
  readonly replaces: readonly string[];
}

const schema = distrPackageSchema("0.0.0");
const outcomes: Outcome[] = [];

describe.each(DIALECTS)("diff on Distr %s.x", (dialect) => {
  let bed: ProviderTestbed;
  let process: ProviderProcess;
  let fixtures: Fixtures;
  beforeAll(async () => {
    bed = await startTestbed(dialect);
    process = await bed.process();
    const template = new SimulatedResource("licenseTemplate");
    if (dialect === "3") await template.up(process, { name: "billing", payloadTemplate: '{"seats": 1}' });
    fixtures = {
      customer: await createCustomer(process, "ACME Corp"),
      otherCustomer: await createCustomer(process, "Globex"),
      ...(dialect === "3" ? { template: template.id } : {}),
    };
  });
  afterAll(() => bed.close());

  it.each(Object.keys(CASES).filter((token) => CASES[token]?.dialects.includes(dialect)))("%s", async (token) => {
    const cases = CASES[token];
    if (!cases) throw new Error(`no cases for ${token}`);
    const created = new Map<string, SimulatedResource>();
    const resourceFrom = async (inputs: Properties): Promise<SimulatedResource> => {
      const key = JSON.stringify(inputs);
      const known = created.get(key);
      if (known) return known;
      const resource = new SimulatedResource(cases.kind);
      await resource.up(process, inputs);
      created.set(key, resource);
      return resource;
    };
    for (const [property, variations] of Object.entries(cases.variations)) {
      for (const variation of variations) {
        const from = (variation.from ?? cases.base)(fixtures);
        const resource = await resourceFrom(from);
        const to: Properties = { ...from, [property]: variation.to(fixtures) };
        if (to[property] === undefined) delete to[property];
        const checked = await resource.check(process, to);
        if (checked.failures?.length) {
          throw new Error(`${token} ${variation.what}: check failed: ${JSON.stringify(checked.failures)}`);
        }
        const diff = await process[cases.kind].diff(
          resource.id,
          resource.outputs,
          withProvider(checked.inputs as Properties),
        );
        outcomes.push({
          token,
          property,
          what: variation.what,
          dialect,
          changes: diff.changes,
          replaces: diff.replaces ?? [],
        });
      }
    }
  });
});

describe("replaceOnChanges in the schema", () => {
  it("has a variation for every input of every resource", () => {
    const missing = Object.entries(schema.resources).flatMap(([token, resource]) =>
      Object.keys(resource.inputProperties)
        .filter((property) => !CASES[token]?.variations[property]?.length)
        .map((property) => `${token}.${property}`),
    );
    expect(missing).toEqual([]);
  });

  it("marks the output of the same name too, where the SDK generators read it", () => {
    const mismatched = Object.entries(schema.resources).flatMap(([token, resource]) =>
      Object.entries(resource.inputProperties)
        .filter(
          ([name, input]) =>
            name in resource.properties && !input.replaceOnChanges !== !resource.properties[name]?.replaceOnChanges,
        )
        .map(([name]) => `${token}.${name}`),
    );
    expect(mismatched).toEqual([]);
  });

  it("marks exactly the inputs whose every change diff replaces", () => {
    const problems: string[] = [];
    for (const outcome of outcomes) {
      const where = `${outcome.token}.${outcome.property} (${outcome.what}, Distr ${outcome.dialect}.x)`;
      const spec = schema.resources[outcome.token]?.inputProperties[outcome.property];
      const replaced = outcome.changes === true && outcome.replaces.length > 0;
      const unknown = outcome.replaces.filter(
        (key) => !(key in (schema.resources[outcome.token]?.inputProperties ?? {})),
      );
      if (unknown.length > 0) problems.push(`${where}: diff replaces on [${unknown}], which are not inputs`);
      if (outcome.replaces.some((key) => key !== outcome.property)) {
        problems.push(`${where}: diff names [${outcome.replaces}] though only ${outcome.property} changed`);
      }
      const conditional = CONDITIONAL[outcome.token]?.[outcome.property];
      if (spec?.replaceOnChanges) {
        if (!replaced) problems.push(`${where}: marked replaceOnChanges, but diff updates in place`);
      } else if (conditional === undefined && replaced) {
        problems.push(`${where}: diff replaces, but the schema does not mark replaceOnChanges`);
      }
    }
    for (const [token, properties] of Object.entries(CONDITIONAL)) {
      for (const [property, replacing] of Object.entries(properties)) {
        const mine = outcomes.filter((outcome) => outcome.token === token && outcome.property === property);
        const label = (outcome: Outcome) =>
          [outcome.what, `${outcome.what} on ${outcome.dialect}`].includes(replacing) ? "replace" : "in place";
        for (const outcome of mine) {
          const replaced = outcome.changes === true && outcome.replaces.includes(property);
          if (replaced !== (label(outcome) === "replace")) {
            problems.push(`${token}.${property} (${outcome.what}, ${outcome.dialect}.x): expected ${label(outcome)}`);
          }
        }
        if (!mine.some((outcome) => label(outcome) === "in place")) {
          problems.push(`${token}.${property}: no variation updates in place, so mark it replaceOnChanges`);
        }
      }
    }
    expect(problems).toEqual([]);
    console.log(
      outcomes
        .map(
          (o) =>
            `${o.dialect}.x ${o.token.replace("distr:index:", "")}.${o.property} (${o.what}): ` +
            (o.changes !== true ? "no change" : o.replaces.length > 0 ? `replace [${o.replaces}]` : "update"),
        )
        .join("\n"),
    );
  });
});
