/**
 * The package schema and the code agree: the checked-in schema is what the generator reads from the source today,
 * and every input of every resource has, in the schema, the name, type and required flag the resource's zod input
 * schema (what `check` parses) gives it. A property added to the code and not the schema fails here.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import type { z } from "zod";
import { distrPackageSchema, type PackageSchema } from "../../plugin/schema";
import { packageSchemaFromSource } from "../../plugin/schema/fromSource";
import { applicationLicenseInputSchema, applicationLicenseOutputsSchema } from "../../provider/applicationLicense";
import { artifactLicenseInputSchema, artifactLicenseOutputsSchema } from "../../provider/artifactLicense";
import { customerInputSchema, customerOutputsSchema } from "../../provider/customer";
import { licenseKeyInputSchema, licenseKeyOutputsSchema } from "../../provider/licenseKey";
import { licenseTemplateInputSchema, licenseTemplateOutputsSchema } from "../../provider/licenseTemplate";
import { UNKNOWN } from "../../provider/unknowns";
import { SchemaTypeWalker } from "./schemaTypes";

const SCHEMA_FILE = path.join(__dirname, "..", "..", "plugin", "schema", "distr.schema.json");

/** What `check` parses per resource (the test fails below if the schema gains a resource missing here). */
const INPUT_SCHEMAS: Readonly<Record<string, z.ZodObject>> = {
  "distr:index:Customer": customerInputSchema,
  "distr:index:ApplicationLicense": applicationLicenseInputSchema,
  "distr:index:ArtifactLicense": artifactLicenseInputSchema,
  "distr:index:LicenseKey": licenseKeyInputSchema,
  "distr:index:LicenseTemplate": licenseTemplateInputSchema,
};

/** The outputs as the handlers keep them in state (what read returns and diff parses). */
const OUTPUT_SCHEMAS: Readonly<Record<string, z.ZodObject>> = {
  "distr:index:Customer": customerOutputsSchema,
  "distr:index:ApplicationLicense": applicationLicenseOutputsSchema,
  "distr:index:ArtifactLicense": artifactLicenseOutputsSchema,
  "distr:index:LicenseKey": licenseKeyOutputsSchema,
  "distr:index:LicenseTemplate": licenseTemplateOutputsSchema,
};

/**
 * Inputs the TypeScript classes make optional and fill in themselves before `check` (`name: args.name ?? name`):
 * a face without them (the plugin) must fill them the same way. Asserted in schemaClasses.test.ts.
 */
const DEFAULTED_BY_THE_CLASS = ["name"];

let schema: PackageSchema;
let generationMs = 0;
// The TypeScript compiler takes a few seconds; several times that on a loaded machine.
beforeAll(() => {
  const started = Date.now();
  schema = { ...packageSchemaFromSource(), version: "0.0.0" };
  generationMs = Date.now() - started;
}, 120_000);
afterAll(() => console.log(`schema generated from source in ${generationMs} ms`));

describe("the package schema", () => {
  it("is the checked-in file, unchanged (else run `npm run generate:schema`)", () => {
    const checkedIn: unknown = JSON.parse(readFileSync(SCHEMA_FILE, "utf8"));
    const { version: _version, ...fromSource } = schema;
    expect(checkedIn).toEqual(fromSource);
  });

  it("is served with the plugin's version, as Pulumi writes versions (no leading v)", () => {
    const served = distrPackageSchema("v1.2.3");
    expect(served.version).toBe("1.2.3");
    expect(served.name).toBe("distr");
    const { version: _a, ...servedRest } = served;
    const { version: _b, ...generatedRest } = schema;
    expect(servedRest).toEqual(generatedRest);
  });

  it("has the five resources, each with a zod input schema", () => {
    expect(Object.keys(schema.resources).sort()).toEqual(Object.keys(INPUT_SCHEMAS).sort());
  });

  describe.each(Object.entries(INPUT_SCHEMAS))("%s", (token, inputSchema) => {
    it("declares exactly the inputs check parses, with zod's required flags", () => {
      const resource = schema.resources[token];
      if (!resource) throw new Error(`no ${token}`);
      const shape = inputSchema.shape as Record<string, z.ZodType>;
      expect(Object.keys(resource.inputProperties).sort()).toEqual(Object.keys(shape).sort());
      const zodRequired = Object.entries(shape)
        .filter(([, property]) => !property.safeParse(undefined).success)
        .map(([name]) => name);
      const schemaRequired = resource.requiredInputs ?? [];
      expect(schemaRequired.filter((name) => !zodRequired.includes(name))).toEqual([]);
      const defaulted = zodRequired.filter((name) => !schemaRequired.includes(name));
      expect(defaulted.filter((name) => !DEFAULTED_BY_THE_CLASS.includes(name))).toEqual([]);
    });

    it("gives every input (and every field inside) a type zod accepts, and zod refuses the others", () => {
      const resource = schema.resources[token];
      if (!resource) throw new Error(`no ${token}`);
      const shape = inputSchema.shape as Record<string, z.ZodType>;
      // Required inputs not under test are the engine's unknown value, which every input accepts during a preview.
      const others = Object.fromEntries(
        Object.keys(shape)
          .filter((name) => !shape[name]?.safeParse(undefined).success)
          .map((name) => [name, UNKNOWN]),
      );
      const walker = new SchemaTypeWalker(schema, inputSchema);
      for (const [name, property] of Object.entries(resource.inputProperties)) {
        walker.property(property, name, (value) => ({ ...others, [name]: value }));
      }
      expect(walker.disagreements).toEqual([]);
    });
  });

  describe.each(Object.entries(OUTPUT_SCHEMAS))("%s outputs", (token, outputSchema) => {
    it("are the outputs the handlers keep in state, each of a type their schema accepts", () => {
      const resource = schema.resources[token];
      if (!resource) throw new Error(`no ${token}`);
      const shape = outputSchema.shape as Record<string, z.ZodType>;
      expect(Object.keys(resource.properties).sort()).toEqual(Object.keys(shape).sort());
      // Optional in state (read back from older versions) may be required in the schema; never the other way.
      const requiredInState = Object.keys(shape).filter((name) => !shape[name]?.safeParse(undefined).success);
      expect(requiredInState.filter((name) => !resource.required?.includes(name))).toEqual([]);
      const walker = new SchemaTypeWalker(schema, outputSchema, false);
      const base = Object.fromEntries(
        Object.entries(resource.properties).map(([name, spec]) => [
          name,
          walker.valuesOf(spec).find((value) => shape[name]?.safeParse(value).success),
        ]),
      );
      expect(outputSchema.safeParse(base).success).toBe(true);
      for (const [name, property] of Object.entries(resource.properties)) {
        walker.property(property, name, (value) => ({ ...base, [name]: value }));
      }
      expect(walker.disagreements).toEqual([]);
    });
  });

  it("declares outputs whose union holds an object as Any (Python cannot read them back); inputs keep their unions", () => {
    const application = schema.resources["distr:index:ApplicationLicense"];
    const artifacts = schema.types["distr:index:GrantedArtifactSelection"];
    expect(application?.properties["versions"]).toMatchObject({ $ref: "pulumi.json#/Any" });
    expect(application?.properties["versions"]?.oneOf).toBeUndefined();
    expect(artifacts?.type === "object" && artifacts.properties["tags"]).toMatchObject({ $ref: "pulumi.json#/Any" });
    expect(application?.inputProperties["versions"]?.oneOf).toEqual([
      { type: "string" },
      { type: "array", items: { type: "string" } },
      { $ref: "#/types/distr:index:VersionRange" },
    ]);
    // Only those outputs referred to the range with its matches: no type is left without a user.
    expect(schema.types["distr:index:GrantedVersionRange"]).toBeUndefined();
    const outputUnions = Object.entries(schema.resources).flatMap(([token, resource]) =>
      Object.entries(resource.properties)
        .filter(([, property]) => property.oneOf?.some((alternative) => alternative.$ref?.startsWith("#/types/")))
        .map(([name]) => `${token}.${name}`),
    );
    expect(outputUnions).toEqual([]);
  });

  it("describes every resource, input, output, type and configuration variable", () => {
    const missing: string[] = [];
    const look = (place: string, description: string | undefined) => {
      if (!description || description.trim() === "" || /(^|\s)@\w+/.test(description)) missing.push(place);
    };
    look("provider", schema.provider.description);
    for (const [name, variable] of Object.entries(schema.config.variables))
      look(`config.${name}`, variable.description);
    for (const [token, resource] of Object.entries(schema.resources)) {
      look(token, resource.description);
      for (const [name, p] of Object.entries(resource.inputProperties)) look(`${token} input ${name}`, p.description);
      for (const [name, p] of Object.entries(resource.properties)) look(`${token} output ${name}`, p.description);
    }
    for (const [token, type] of Object.entries(schema.types)) {
      look(token, type.description);
      if (type.type === "object")
        for (const [name, p] of Object.entries(type.properties)) look(`${token}.${name}`, p.description);
    }
    expect(missing).toEqual([]);
  });

  it("configures host, token (secret) and dialect like the provider, with its environment fallbacks", () => {
    const { variables } = schema.config;
    expect(Object.keys(variables)).toEqual(["host", "token", "dialect", "allowInsecureHttp"]);
    expect(variables.token?.secret).toBe(true);
    expect(variables.token?.defaultInfo?.environment).toEqual(["DISTR_TOKEN"]);
    expect(variables.host?.defaultInfo?.environment).toEqual(["DISTR_HOST"]);
    expect(Object.keys(schema.provider.inputProperties)).toEqual(Object.keys(variables));
    expect(schema.provider.inputProperties.token?.secret).toBe(true);
  });
});
