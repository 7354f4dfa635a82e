/**
 * The package schema and the TypeScript resource classes agree at run time (Pulumi's mocks, no engine): each class
 * hands every schema input to the engine under its schema name, fills the inputs the schema leaves optional but check
 * requires (`name`), and makes exactly the inputs and outputs secret that the schema marks `secret`. Sample values are derived
 * from the schema's types, one distinct string per place, so a value seen again names its place.
 */
import * as pulumi from "@pulumi/pulumi";
import { distrPackageSchema, type PropertySpec, type TypeSpec } from "../../plugin/schema";
import * as resources from "../../provider/resources";

const mockSecretValues: unknown[] = [];
const mockResourceOptions: pulumi.CustomResourceOptions[] = [];
jest.mock("@pulumi/pulumi", () => {
  const actual = jest.requireActual<typeof import("@pulumi/pulumi")>("@pulumi/pulumi");
  const dynamic = jest.requireActual<typeof import("@pulumi/pulumi/dynamic")>("@pulumi/pulumi/dynamic");
  /** The base class of the resources, recording the options each class hands it. */
  class RecordingResource extends dynamic.Resource {
    constructor(...args: ConstructorParameters<typeof dynamic.Resource>) {
      mockResourceOptions.push(args[3] ?? {});
      super(...args);
    }
  }
  return {
    ...actual,
    dynamic: { ...dynamic, Resource: RecordingResource },
    secret: <T>(value: T) => {
      mockSecretValues.push(value);
      return actual.secret(value);
    },
  };
});

/** Pulumi's wire marker of a secret value (sdk/go/common/resource/sig). */
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

const registered: Array<{ type: string; name: string; inputs: Record<string, unknown> }> = [];
beforeAll(() =>
  pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs as Record<string, unknown> });
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: () => ({}),
    },
    "project",
    "stack",
    false,
  ),
);

const schema = distrPackageSchema("0.0.0");
type ResourceClass = new (name: string, args: never, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource;
const classes = resources as unknown as Record<string, ResourceClass>;

/** A value of the schema type in which every string is its own place; object types get every field. */
function sample(spec: PropertySpec | TypeSpec, place: string): unknown {
  const branches = spec.oneOf ?? [spec];
  const chosen = branches.find((branch) => branch.$ref?.startsWith("#/types/")) ?? branches[0] ?? spec;
  if (chosen.$ref?.startsWith("#/types/")) {
    const type = schema.types[chosen.$ref.replace("#/types/", "")];
    if (!type) throw new Error(`undefined ${chosen.$ref}`);
    if (type.type === "string") return type.enum[0]?.value;
    return Object.fromEntries(
      Object.entries(type.properties).map(([name, p]) => [name, sample(p, `${place}.${name}`)]),
    );
  }
  switch (chosen.type) {
    case "array":
      return chosen.items ? [sample(chosen.items, `${place}[0]`)] : [];
    case "object":
      return { key: place };
    case "boolean":
      return true;
    case "integer":
    case "number":
      return 1;
    default:
      return place;
  }
}

/** The places of the schema that are secret within a sample built by `sample`. */
function secretPlaces(spec: PropertySpec | TypeSpec, place: string): string[] {
  const own = "secret" in spec && spec.secret ? [place] : [];
  const branches = spec.oneOf ?? [spec];
  const chosen = branches.find((branch) => branch.$ref?.startsWith("#/types/")) ?? branches[0] ?? spec;
  if (chosen.$ref?.startsWith("#/types/")) {
    const type = schema.types[chosen.$ref.replace("#/types/", "")];
    if (type?.type === "object") {
      return [...own, ...Object.entries(type.properties).flatMap(([name, p]) => secretPlaces(p, `${place}.${name}`))];
    }
  }
  if (chosen.type === "array" && chosen.items) return [...own, ...secretPlaces(chosen.items, `${place}[0]`)];
  return own;
}

async function construct(className: string, name: string, args: Record<string, unknown>) {
  const Class = classes[className];
  if (typeof Class !== "function") throw new Error(`provider/resources.ts exports no class ${className}`);
  registered.length = 0;
  mockSecretValues.length = 0;
  mockResourceOptions.length = 0;
  const resource = new Class(name, args as never);
  await new Promise<void>((resolve) => resource.urn.apply(() => resolve()));
  const [registration] = registered;
  if (!registration) throw new Error(`${className} registered nothing`);
  const { __provider: _provider, ...inputs } = registration.inputs;
  return {
    inputs: withoutSecretMarks(inputs) as Record<string, unknown>,
    secrets: [...mockSecretValues],
    secretOutputs: mockResourceOptions[0]?.additionalSecretOutputs ?? [],
  };
}

/**
 * The mocks deserialize inputs like the SDK does, which marks an object secret as a whole when a field inside is
 * secret (`{ <sig>: <secret sig>, value }`); which fields `pulumi.secret` wrapped is what the secrets test checks.
 */
function withoutSecretMarks(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecretMarks);
  if (value === null || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  if (record[SECRET_SIG_KEY] === SECRET_SIG) return withoutSecretMarks(record["value"]);
  return Object.fromEntries(Object.entries(record).map(([key, item]) => [key, withoutSecretMarks(item)]));
}

describe.each(Object.entries(schema.resources))("the %s class", (token, resource) => {
  const className = token.replace("distr:index:", "");
  const args = Object.fromEntries(
    Object.entries(resource.inputProperties).map(([name, spec]) => [name, sample(spec, `${className}.${name}`)]),
  );

  it("hands every schema input to the engine under the schema's name", async () => {
    const { inputs } = await construct(className, "sample", args);
    expect(Object.keys(inputs).sort()).toEqual(Object.keys(args).sort());
    expect(inputs).toEqual(args);
  });

  it("makes exactly the schema's secret inputs secret", async () => {
    const { secrets } = await construct(className, "sample", args);
    const expected = Object.entries(resource.inputProperties).flatMap(([name, spec]) =>
      secretPlaces(spec, `${className}.${name}`),
    );
    expect(secrets.sort()).toEqual(expected.sort());
  });

  it("declares exactly the schema's secret outputs as additionalSecretOutputs", async () => {
    const { secretOutputs } = await construct(className, "sample", args);
    const expected = Object.entries(resource.properties)
      .filter(([, spec]) => spec.secret)
      .map(([name]) => name);
    expect([...secretOutputs].sort()).toEqual(expected.sort());
  });

  it("fills every input the schema leaves optional but check requires", async () => {
    const optional = Object.keys(resource.inputProperties).filter((name) => !resource.requiredInputs?.includes(name));
    if (!optional.includes("name")) return;
    const { name: _name, ...withoutName } = args;
    const { inputs } = await construct(className, "from-the-resource-name", withoutName);
    expect(inputs["name"]).toBe("from-the-resource-name");
  });
});
