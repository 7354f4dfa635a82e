/**
 * Writes plugin/schema/distr.schema.json from the provider's source (plugin/schema/fromSource.ts), formatted the way
 * prettier keeps it. Run after changing a resource's Args, outputs or doc comments: `npm run generate:schema`.
 * With --check it writes nothing and exits 1 when the file is stale.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { formattedSchemaFile, SCHEMA_FILE } from "../plugin/schema/schemaFile";

async function main(): Promise<void> {
  const text = await formattedSchemaFile();
  const current = readFileSync(SCHEMA_FILE, { encoding: "utf8", flag: "a+" });
  if (process.argv.includes("--check")) {
    if (current !== text) {
      console.error(`${SCHEMA_FILE} is stale: run npm run generate:schema`);
      process.exit(1);
    }
    console.log(`${SCHEMA_FILE} is up to date (${text.length} bytes)`);
    return;
  }
  writeFileSync(SCHEMA_FILE, text);
  console.log(`${current === text ? "unchanged" : "wrote"} ${SCHEMA_FILE} (${text.length} bytes)`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
