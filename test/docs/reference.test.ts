/**
 * The reference pages in docs/ are what `npm run generate:docs` makes from the code's doc comments (through the
 * package schema) and the hand-kept notes: a description changed in provider/ without regenerating fails here,
 * naming the page and the first line that differs.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { packageSchemaFromSource } from "../../plugin/schema/fromSource";
import { examplesUsing, referencePages } from "../../scripts/docs/referenceDocs";

jest.setTimeout(120_000);

const ROOT = path.join(__dirname, "..", "..");
const pages = referencePages(packageSchemaFromSource());

function firstDifference(expected: string, actual: string): string {
  const want = expected.split("\n");
  const have = actual.split("\n");
  const line = want.findIndex((text, index) => text !== have[index]);
  return `line ${line + 1}: expected ${JSON.stringify(want[line])}, found ${JSON.stringify(have[line])}`;
}

describe("docs/ reference pages", () => {
  it("one page per resource and one for the provider configuration", () => {
    expect([...pages.keys()].sort()).toEqual([
      "docs/provider-configuration.md",
      "docs/resources/application-license.md",
      "docs/resources/artifact-license.md",
      "docs/resources/customer.md",
      "docs/resources/license-key.md",
      "docs/resources/license-template.md",
    ]);
  });

  it.each([...pages.keys()])("%s is current (else: npm run generate:docs)", (file) => {
    const full = path.join(ROOT, file);
    const actual = fs.existsSync(full) ? fs.readFileSync(full, "utf8") : "";
    const expected = pages.get(file) ?? "";
    if (actual !== expected)
      throw new Error(`${file} is stale, run npm run generate:docs; ${firstDifference(expected, actual)}`);
  });

  it("carries every input's description and the hand-kept notes", () => {
    const schema = packageSchemaFromSource();
    const customer = pages.get("docs/resources/customer.md") ?? "";
    const features = schema.resources["distr:index:Customer"]?.inputProperties["features"]?.description;
    expect(features).toBeDefined();
    const words = (text: string | undefined): string => (text ?? "").replace(/\s+/g, " ");
    expect(words(customer)).toContain(words(features));
    expect(pages.get("docs/resources/license-key.md")).toContain("The 409 story.");
  });

  it("lists the tiered-plans example in all four languages for the resources it uses", () => {
    expect(
      examplesUsing("distr:index:ApplicationLicense")
        .filter((example) => example.file.startsWith("tiered-plans") || example.file.startsWith("yaml"))
        .map((example) => example.language),
    ).toEqual(["TypeScript", "YAML", "Python", "Go"]);
  });
});
