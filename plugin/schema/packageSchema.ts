/**
 * The part of Pulumi's package schema (https://www.pulumi.com/docs/iac/build-with-pulumi/schema/, metaschema
 * `pkg/codegen/schema/pulumi.json`) that pulumi-distr uses, as zod schemas: the generated schema file is parsed with
 * them when the plugin loads it, so a hand edit or a generator bug that breaks the shape fails loudly instead of
 * reaching `pulumi package gen-sdk`. Objects are strict: a misspelt key is an error, not silently ignored.
 */
import { z } from "zod";

/** A property's type: a primitive, an array or map of a type, a reference, or one of several types. */
export interface TypeSpec {
  readonly type?: "string" | "number" | "integer" | "boolean" | "array" | "object";
  readonly $ref?: string;
  readonly items?: TypeSpec;
  readonly additionalProperties?: TypeSpec;
  readonly oneOf?: readonly TypeSpec[];
}

export const typeSpecSchema: z.ZodType<TypeSpec> = z.lazy(() =>
  z.strictObject({
    type: z.enum(["string", "number", "integer", "boolean", "array", "object"]).optional(),
    $ref: z.string().optional(),
    items: typeSpecSchema.optional(),
    additionalProperties: typeSpecSchema.optional(),
    oneOf: z.array(typeSpecSchema).readonly().optional(),
  }),
);

/** Where a value comes from when the program does not set it. */
const defaultInfoSchema = z.strictObject({ environment: z.array(z.string()).readonly() });

const propertySpecSchema = z.strictObject({
  type: z.enum(["string", "number", "integer", "boolean", "array", "object"]).optional(),
  $ref: z.string().optional(),
  items: typeSpecSchema.optional(),
  additionalProperties: typeSpecSchema.optional(),
  oneOf: z.array(typeSpecSchema).readonly().optional(),
  description: z.string(),
  secret: z.literal(true).optional(),
  replaceOnChanges: z.literal(true).optional(),
  default: z.union([z.string(), z.boolean(), z.number()]).optional(),
  defaultInfo: defaultInfoSchema.optional(),
});
export type PropertySpec = z.infer<typeof propertySpecSchema>;

const propertiesSchema = z.record(z.string(), propertySpecSchema);

const objectTypeSpecSchema = z.strictObject({
  type: z.literal("object"),
  description: z.string(),
  properties: propertiesSchema,
  required: z.array(z.string()).readonly().optional(),
});
export type ObjectTypeSpec = z.infer<typeof objectTypeSpecSchema>;

const enumTypeSpecSchema = z.strictObject({
  type: z.literal("string"),
  description: z.string(),
  enum: z.array(z.strictObject({ value: z.string(), name: z.string().optional() })).readonly(),
});
export type EnumTypeSpec = z.infer<typeof enumTypeSpecSchema>;

const complexTypeSpecSchema = z.union([objectTypeSpecSchema, enumTypeSpecSchema]);
export type ComplexTypeSpec = z.infer<typeof complexTypeSpecSchema>;

const resourceSpecSchema = z.strictObject({
  description: z.string(),
  properties: propertiesSchema,
  required: z.array(z.string()).readonly().optional(),
  inputProperties: propertiesSchema,
  requiredInputs: z.array(z.string()).readonly().optional(),
});
export type ResourceSpec = z.infer<typeof resourceSpecSchema>;

const providerSpecSchema = z.strictObject({
  description: z.string(),
  inputProperties: propertiesSchema,
});

/** Language sections, as `pulumi package gen-sdk` reads them for the three SDKs this package generates. */
const languageSchema = z.strictObject({
  nodejs: z.strictObject({
    packageName: z.string(),
    packageDescription: z.string(),
    respectSchemaVersion: z.boolean(),
  }),
  python: z.strictObject({
    packageName: z.string(),
    respectSchemaVersion: z.boolean(),
    pyproject: z.strictObject({ enabled: z.boolean() }),
  }),
  go: z.strictObject({
    importBasePath: z.string(),
    generateResourceContainerTypes: z.boolean(),
    respectSchemaVersion: z.boolean(),
  }),
});

/** The schema without its version: what the generator writes to the checked-in file. */
export const unversionedPackageSchemaSchema = z.strictObject({
  name: z.string(),
  displayName: z.string(),
  description: z.string(),
  keywords: z.array(z.string()).readonly(),
  license: z.string(),
  publisher: z.string(),
  meta: z.strictObject({ moduleFormat: z.string() }),
  config: z.strictObject({ variables: propertiesSchema }),
  provider: providerSpecSchema,
  resources: z.record(z.string(), resourceSpecSchema),
  types: z.record(z.string(), complexTypeSpecSchema),
  language: languageSchema,
});
export type UnversionedPackageSchema = z.infer<typeof unversionedPackageSchemaSchema>;

/** The package schema as `GetSchema` answers it. */
export type PackageSchema = UnversionedPackageSchema & { readonly version: string };
