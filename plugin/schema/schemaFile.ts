/**
 * The checked-in schema file as the generator writes it: the schema from source, as JSON formatted by the
 * project's prettier settings (so `prettier --check` and the staleness test agree on one text). Build-time only.
 */
import * as path from "node:path";
import * as prettier from "prettier";
import { packageSchemaFromSource } from "./fromSource";

export const SCHEMA_FILE = path.join(__dirname, "distr.schema.json");

export async function formattedSchemaFile(): Promise<string> {
  const options = await prettier.resolveConfig(SCHEMA_FILE);
  return prettier.format(JSON.stringify(packageSchemaFromSource()), { ...options, filepath: SCHEMA_FILE });
}
