/**
 * Writes the reference pages (docs/resources/*.md, docs/provider-configuration.md) from the package schema as the
 * code gives it (plugin/schema/fromSource.ts, the same doc comments the TypeScript classes carry). Run after changing
 * a resource's Args, outputs or doc comments, or a hand-kept docs/resources/*.notes.md: `npm run generate:docs`.
 * With --check it writes nothing and exits 1 naming the stale pages (test/docs/reference.test.ts does the same).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { packageSchemaFromSource } from "../plugin/schema/fromSource";
import { referencePages } from "./docs/referenceDocs";

const REPO = path.join(__dirname, "..");

function main(): void {
  const pages = referencePages(packageSchemaFromSource());
  const stale = [...pages].filter(([file, text]) => {
    const full = path.join(REPO, file);
    return !fs.existsSync(full) || fs.readFileSync(full, "utf8") !== text;
  });
  if (process.argv.includes("--check")) {
    if (stale.length > 0) {
      console.error(`stale: ${stale.map(([file]) => file).join(", ")}; run npm run generate:docs`);
      process.exit(1);
    }
    console.log(`${pages.size} reference pages are up to date`);
    return;
  }
  for (const [file, text] of stale) fs.writeFileSync(path.join(REPO, file), text);
  console.log(`wrote ${stale.length} of ${pages.size} reference pages`);
}

main();
