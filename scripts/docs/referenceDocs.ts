/**
 * Reference pages from the package schema: docs/resources/<resource>.md (inputs, outputs, the types they use,
 * replacement, import, the examples in each language) and docs/provider-configuration.md. The descriptions are the
 * schema's, which plugin/schema/fromSource.ts reads from the TypeScript doc comments, so the pages, the TypeScript
 * hover text and the generated Python and Go SDKs say the same thing. What the schema cannot hold (change tables per
 * dialect, the 409 story, request counts) is hand-kept in docs/resources/<resource>.notes.md, which the page includes.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { UnversionedPackageSchema } from "../../plugin/schema/packageSchema";

type Schema = UnversionedPackageSchema;
type Property = Schema["resources"][string]["inputProperties"][string];
type TypeShape = Pick<Property, "type" | "$ref" | "items" | "additionalProperties" | "oneOf">;

const REPO = path.join(__dirname, "..", "..");
const TOKEN_PREFIX = "distr:index:";

/** docs/resources/<kebab-case>.md for distr:index:ApplicationLicense → application-license. */
export function pageNameOf(token: string): string {
  return token
    .slice(TOKEN_PREFIX.length)
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .toLowerCase();
}

const snakeCase = (name: string): string => name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
const pascalCase = (name: string): string => `${name[0]?.toUpperCase() ?? ""}${name.slice(1)}`;

function typeText(shape: TypeShape): string {
  if (shape.oneOf) return shape.oneOf.map(typeText).join(" \\| ");
  if (shape.$ref === "pulumi.json#/Any") return "any";
  if (shape.$ref) return `[${shape.$ref.replace(`#/types/${TOKEN_PREFIX}`, "")}](#${anchorOf(shape.$ref)})`;
  if (shape.type === "array" && shape.items) return `${typeText(shape.items)}[]`;
  if (shape.type === "object" && shape.additionalProperties) return `map of ${typeText(shape.additionalProperties)}`;
  return shape.type ?? "any";
}

function anchorOf(ref: string): string {
  return ref.replace(`#/types/${TOKEN_PREFIX}`, "").toLowerCase();
}

/** Every named type a set of properties reaches, nested types included, in name order. */
function typesUsed(schema: Schema, properties: Iterable<TypeShape>): string[] {
  const found = new Set<string>();
  const visit = (shape: TypeShape | undefined): void => {
    if (!shape) return;
    if (shape.$ref?.startsWith(`#/types/${TOKEN_PREFIX}`)) {
      const token = shape.$ref.slice("#/types/".length);
      if (found.has(token)) return;
      found.add(token);
      const type = schema.types[token];
      if (type && "properties" in type) for (const nested of Object.values(type.properties)) visit(nested);
    }
    visit(shape.items);
    visit(shape.additionalProperties);
    for (const alternative of shape.oneOf ?? []) visit(alternative);
  };
  for (const property of properties) visit(property);
  return [...found].sort();
}

/** Words filled into lines of at most `width` characters (a word longer than that stays whole). */
function wrapped(text: string, width: number, indent: string): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter((part) => part.length > 0)) {
    if (line.length > 0 && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else line = line.length > 0 ? `${line} ${word}` : word;
  }
  if (line.length > 0) lines.push(indent + line);
  return lines.join("\n");
}

/** One property as a short block: name, its names in Python and Go, type, flags, then the description. */
function propertyBlock(name: string, property: Property, flags: string[]): string {
  const marks = [
    ...flags,
    ...(property.replaceOnChanges ? ["**replaces** when changed"] : []),
    ...(property.secret ? ["secret"] : []),
  ];
  return [
    `- \`${name}\` (Python \`${snakeCase(name)}\`, Go \`${pascalCase(name)}\`): ${typeText(property)}` +
      (marks.length > 0 ? `; ${marks.join("; ")}` : ""),
    wrapped(property.description, 118, "  "),
  ].join("\n");
}

/** The example programs in examples/ that use a resource, per language, found by what their source mentions. */
export function examplesUsing(token: string): Array<{ language: string; file: string; proof: string }> {
  const name = token.slice(TOKEN_PREFIX.length);
  const candidates: Array<{ language: string; file: string; uses: (text: string) => boolean; proof: string }> = [];
  const examples = path.join(REPO, "examples");
  for (const example of fs.readdirSync(examples).sort()) {
    const dir = path.join(examples, example);
    const add = (language: string, file: string, uses: (text: string) => boolean, proof: string): void => {
      if (fs.existsSync(path.join(dir, file))) candidates.push({ language, file: `${example}/${file}`, uses, proof });
    };
    add("TypeScript", "index.ts", (text) => text.includes(`distr.${name}(`), "run by test/engine/examples.test.ts");
    add("YAML", "Pulumi.yaml", (text) => text.includes(`type: ${token}`), "run by test/engine/examples.test.ts");
    add(
      "Go",
      "go/plans/plans.go",
      (text) => text.includes(`distr.New${name}(`),
      "run by test/engine/goProgram.test.ts",
    );
    add(
      "Python",
      "python/__main__.py",
      (text) => text.includes(`distr.${name}(`),
      "run by test/engine/pythonProgram.test.ts",
    );
  }
  const order = ["TypeScript", "YAML", "Python", "Go"];
  return candidates
    .sort((a, b) => order.indexOf(a.language) - order.indexOf(b.language))
    .filter((candidate) => candidate.uses(fs.readFileSync(path.join(examples, candidate.file), "utf8")))
    .map(({ language, file, proof }) => ({ language, file, proof }));
}

function resourcePage(schema: Schema, token: string, notes: string | undefined): string {
  const resource = schema.resources[token];
  if (!resource) throw new Error(`no resource ${token} in the schema`);
  const name = token.slice(TOKEN_PREFIX.length);
  const required = new Set(resource.requiredInputs ?? []);
  const outputsRequired = new Set(resource.required ?? []);
  const replacing = Object.entries(resource.inputProperties)
    .filter(([, property]) => property.replaceOnChanges)
    .map(([input]) => `\`${input}\``);
  const lines: string[] = [
    `# ${name}`,
    "",
    `<!-- Generated by npm run generate:docs from the package schema (the doc comments in provider/); edit those, or`,
    `     the hand-kept notes in ${pageNameOf(token)}.notes.md, never this file. -->`,
    "",
    resource.description,
    "",
    `Type token: \`${token}\` (the plugin \`pulumi-resource-distr\`: YAML, Python, Go);`,
    `\`pulumi-nodejs:dynamic/distr:${name}\` for the TypeScript class \`distr.${name}\` of the npm package.`,
    "",
    "## Examples",
    "",
  ];
  const examples = examplesUsing(token);
  if (examples.length === 0) lines.push("No example program uses it yet; see the notes below.");
  for (const { language, file, proof } of examples) {
    lines.push(`- ${language}: [examples/${file}](../../examples/${file}) (${proof})`);
  }
  lines.push("", "## Inputs", "");
  for (const [input, property] of Object.entries(resource.inputProperties)) {
    lines.push(propertyBlock(input, property, [required.has(input) ? "required" : "optional"]));
  }
  lines.push("", "## Outputs", "", "- `id`: string; the object's id in Distr.");
  for (const [output, property] of Object.entries(resource.properties)) {
    lines.push(propertyBlock(output, property, outputsRequired.has(output) ? [] : ["may be absent"]));
  }
  const types = typesUsed(schema, [...Object.values(resource.inputProperties), ...Object.values(resource.properties)]);
  if (types.length > 0) lines.push("", "## Types", "");
  for (const typeToken of types) {
    const type = schema.types[typeToken];
    if (!type) continue;
    lines.push(`### ${typeToken.slice(TOKEN_PREFIX.length)}`, "", type.description, "");
    if ("enum" in type) {
      lines.push(`One of: ${type.enum.map((member) => `\`"${member.value}"\``).join(", ")}.`, "");
      continue;
    }
    const typeRequired = new Set(type.required ?? []);
    for (const [field, property] of Object.entries(type.properties)) {
      lines.push(propertyBlock(field, property, [typeRequired.has(field) ? "required" : "optional"]));
    }
    lines.push("");
  }
  if (types.length === 0) lines.push("");
  lines.push(
    "## Replacement",
    "",
    replacing.length > 0
      ? `Changing ${replacing.join(" or ")} replaces the ${name}; the engine marks the step as a replacement.`
      : `The schema marks no input as always replacing.`,
    "Inputs whose replacement depends on the old value or the dialect are decided when the engine diffs (see the",
    "inputs' descriptions above and the notes below).",
    "",
    "## Import",
    "",
    "Through the plugin (YAML, Python, Go programs):",
    "",
    "```sh",
    `pulumi import ${token} <resource-name> <id>`,
    "```",
    "",
    "TypeScript programs (the dynamic provider) take over an existing object with the `adopt` input instead; see",
    "[Adopting existing objects](../adopting-and-export.md#adopting-existing-objects).",
  );
  if (notes !== undefined) lines.push("", "## Notes", "", notes.trim());
  return `${lines.join("\n")}\n`;
}

function configurationPage(schema: Schema): string {
  const lines = [
    "# Provider configuration",
    "",
    "<!-- Generated by npm run generate:docs from the package schema (provider/config.ts); edit that, not this file. -->",
    "",
    "Stack configuration of the `distr` provider (`pulumi config set distr:<key> …`), the same for the TypeScript",
    "classes and the plugin. An explicit provider (`new distr.Provider` in the plugin's SDKs) takes the same keys as",
    "inputs. See [Configuration](configuration.md#configuration) for the walk-through.",
    "",
  ];
  for (const [key, property] of Object.entries(schema.config.variables)) {
    const environment = property.defaultInfo?.environment.join(", ");
    const marks = [
      ...(environment ? [`environment \`${environment}\``] : []),
      ...(property.default !== undefined ? [`default \`${String(property.default)}\``] : []),
      ...(property.secret ? ["secret"] : []),
    ];
    lines.push(
      `- \`distr:${key}\`: ${typeText(property)}${marks.length > 0 ? `; ${marks.join("; ")}` : ""}`,
      wrapped(property.description, 118, "  "),
    );
  }
  const dialect = schema.types[`${TOKEN_PREFIX}Dialect`];
  if (dialect && "enum" in dialect) {
    lines.push("", "### Dialect", "", dialect.description, "");
    lines.push(`One of: ${dialect.enum.map((member) => `\`"${member.value}"\``).join(", ")}.`);
  }
  return `${lines.join("\n")}\n`;
}

/** Every generated page, by path relative to the repository, with the text it must have. */
export function referencePages(schema: Schema): Map<string, string> {
  const pages = new Map<string, string>();
  for (const token of Object.keys(schema.resources).sort()) {
    const page = pageNameOf(token);
    const notesFile = path.join(REPO, "docs", "resources", `${page}.notes.md`);
    const notes = fs.existsSync(notesFile) ? fs.readFileSync(notesFile, "utf8") : undefined;
    pages.set(path.join("docs", "resources", `${page}.md`), resourcePage(schema, token, notes));
  }
  pages.set(path.join("docs", "provider-configuration.md"), configurationPage(schema));
  return pages;
}
