/**
 * An exported organization as a Pulumi TypeScript program of pulumi-distr resources: one `Customer` per customer,
 * one `ApplicationLicense`/`ArtifactLicense` per license, each with `adopt` so that the first `up` takes it over.
 * Resource names are those of the catalog export (customer key, `<customer key>-<license key>`); values are written
 * as JSON literals, valid TypeScript whatever characters a name holds.
 */
import type {
  ExportedCustomer,
  ExportedLicense,
  ExportedOrganization,
  ExportedSelection,
} from "./exportedOrganization";
import { headerLines, type ExportProvenance } from "./exportHeader";

export function renderTypeScript(organization: ExportedOrganization, provenance: ExportProvenance): string {
  const identifiers = new Set<string>();
  const hasRegistry = [
    ...organization.customers.flatMap((c) => c.licenses),
    ...organization.licensesWithoutCustomer,
  ].some((license) => license.kind === "application" && license.registry !== undefined);
  const lines: string[] = [
    ...headerLines(organization, provenance).map((line) => `// ${line}`),
    ...(hasRegistry ? ['import * as pulumi from "@pulumi/pulumi";'] : []),
    'import * as distr from "pulumi-distr";',
    "",
    ...(hasRegistry ? ["const config = new pulumi.Config();", ""] : []),
  ];
  for (const customer of organization.customers) {
    const variable = identifierFor(customer.key, identifiers);
    lines.push(`// ${customer.name} (id ${customer.id})`);
    lines.push(`const ${variable} = new distr.Customer(${literal(customer.key)}, ${customerArgs(customer)});`);
    for (const license of customer.licenses) lines.push(licenseStatement(license, `${variable}.id`));
    lines.push("");
  }
  if (organization.licensesWithoutCustomer.length > 0) {
    lines.push("// Licenses without customer");
    for (const license of organization.licensesWithoutCustomer) lines.push(licenseStatement(license, undefined));
    lines.push("");
  }
  return lines.join("\n");
}

function customerArgs(customer: ExportedCustomer): string {
  return objectLiteral([
    ["name", literal(customer.name)],
    ...(customer.features ? ([["features", literal(customer.features)]] as const) : []),
    ["adopt", literal(customer.adopt)],
  ]);
}

function licenseStatement(license: ExportedLicense, customer: string | undefined): string {
  const common: Array<readonly [string, string]> = [
    ["name", literal(license.name)],
    ...(customer !== undefined ? ([["customer", customer]] as const) : []),
  ];
  const expiry = license.expiresAt !== undefined ? ([["expiresAt", literal(license.expiresAt)]] as const) : [];
  if (license.kind === "application") {
    const registry = license.registry
      ? ([
          [
            "registry",
            objectLiteral([
              ["url", literal(license.registry.url)],
              ["username", literal(license.registry.username)],
              ["password", `config.requireSecret(${literal(license.registry.passwordConfig)})`],
            ]),
          ],
        ] as const)
      : [];
    const args = objectLiteral([
      ...common,
      ["application", literal(license.application)],
      ["versions", selectionLiteral(license.versions)],
      ...expiry,
      ...registry,
      ["adopt", literal(license.adopt)],
    ]);
    return `new distr.ApplicationLicense(${literal(license.resourceName)}, ${args});`;
  }
  const artifacts = `[${license.artifacts
    .map((a) =>
      objectLiteral([
        ["artifact", literal(a.artifact)],
        ["tags", selectionLiteral(a.tags)],
      ]),
    )
    .join(", ")}]`;
  const args = objectLiteral([...common, ["artifacts", artifacts], ...expiry, ["adopt", literal(license.adopt)]]);
  return `new distr.ArtifactLicense(${literal(license.resourceName)}, ${args});`;
}

function selectionLiteral(selection: ExportedSelection): string {
  return literal(selection === "all" ? "all" : [...selection]);
}

function objectLiteral(entries: ReadonlyArray<readonly [string, string]>): string {
  return `{ ${entries.map(([key, value]) => `${key}: ${value}`).join(", ")} }`;
}

/** JSON is valid TypeScript for strings (any characters, escaped), lists and plain objects. */
function literal(value: unknown): string {
  return JSON.stringify(value)
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** `acme-corp` → `acmeCorp`; a key starting with a digit gets a prefix; a taken one a number. */
function identifierFor(key: string, taken: Set<string>): string {
  const camel = key.replace(/-([a-z0-9])/g, (_match, next: string) => next.toUpperCase());
  const base = /^[a-z]/.test(camel) ? camel : `customer${camel.charAt(0).toUpperCase()}${camel.slice(1)}`;
  let name = base;
  for (let n = 2; taken.has(name) || RESERVED.has(name); n++) name = `${base}${n}`;
  taken.add(name);
  return name;
}

const RESERVED = new Set([
  "distr",
  "pulumi",
  "config",
  "new",
  "delete",
  "default",
  "class",
  "function",
  "const",
  "let",
]);
