/**
 * The package schema the plugin serves (`GetSchema`, `pulumi package get-schema`). It is generated from the
 * provider's own definitions (fromSource.ts) into distr.schema.json at development time, so that the plugin needs no
 * TypeScript compiler at run time; test/plugin/schema.test.ts fails when the file no longer matches the source.
 */
import generated from "./distr.schema.json";
import { unversionedPackageSchemaSchema, type PackageSchema } from "./packageSchema";

export type { PackageSchema, PropertySpec, ResourceSpec, TypeSpec } from "./packageSchema";

let parsed: ReturnType<typeof unversionedPackageSchemaSchema.parse> | undefined;

/** The schema of package `distr` at this plugin version (Pulumi wants the version without a leading `v`). */
export function distrPackageSchema(version: string): PackageSchema {
  parsed ??= unversionedPackageSchemaSchema.parse(generated);
  return { ...parsed, version: version.replace(/^v/, "") };
}
