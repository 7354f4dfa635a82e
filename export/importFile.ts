/**
 * An exported organization as the file `pulumi import --file` takes (the engine's `importFile`: pkg/cmd/pulumi/
 * operations/import.go in pulumi v3.276.0), for programs that use the provider plugin `pulumi-resource-distr`: one
 * entry per customer, license, license key and template, with the plugin's type token, the resource name every
 * other export uses and Distr's id. The engine reads each object through the plugin (no write to Distr) and prints
 * the program in the stack's language; the plugin reports names (application, versions, artifacts, tags), and the
 * engine writes a reference (`acme.id`) wherever a value is the id of another resource of the same file, so the
 * code reads like what a user writes.
 *
 * Names must be unique in the file (a YAML program's resources share one namespace, and the engine refuses an
 * ambiguous parent or provider), so an application license and an artifact license of one customer that share a
 * name get `-2`. A parent or an explicit provider already in the stack is named through `nameTable`.
 */
import { z } from "zod";
import { pluginTypeOf } from "../plugin/resourceTypes";
import type {
  ExportedCustomer,
  ExportedLicense,
  ExportedLicenseKey,
  ExportedOrganization,
} from "./exportedOrganization";

/** The plugin's type tokens (its schema: package `distr`, module `index`), as the plugin serves them. */
export const IMPORT_TYPES = {
  customer: pluginTypeOf("customer"),
  application: pluginTypeOf("applicationLicense"),
  artifact: pluginTypeOf("artifactLicense"),
  licenseKey: pluginTypeOf("licenseKey"),
  licenseTemplate: pluginTypeOf("licenseTemplate"),
} as const;

/** The part of the engine's import file this export writes (the engine ignores fields it does not know). */
export const importFileSchema = z.strictObject({
  nameTable: z.record(z.string(), z.string().startsWith("urn:pulumi:")).optional(),
  resources: z.array(
    z.strictObject({
      type: z.enum(Object.values(IMPORT_TYPES) as [string, ...string[]]),
      name: z.string().min(1),
      id: z.string().min(1),
      parent: z.string().optional(),
      provider: z.string().optional(),
    }),
  ),
});
export type ImportFile = z.infer<typeof importFileSchema>;

/** A resource already in the stack, by the name the file uses for it and its URN (`pulumi stack --show-urns`). */
export interface StackReference {
  readonly name: string;
  readonly urn: string;
}

export interface ImportFileOptions {
  /** An explicit `distr` provider the resources belong to (a program with two hubs); default: the default provider. */
  readonly provider?: StackReference;
  /** A component resource to put them under. */
  readonly parent?: StackReference;
}

export function importFileOf(organization: ExportedOrganization, options: ImportFileOptions = {}): ImportFile {
  const references = [options.provider, options.parent].filter((r): r is StackReference => r !== undefined);
  const taken = new Set(references.map((reference) => reference.name));
  const unique = (name: string) => {
    let candidate = name;
    for (let n = 2; taken.has(candidate); n++) candidate = `${name}-${n}`;
    taken.add(candidate);
    return candidate;
  };
  const entry = (type: string, name: string, id: string) => ({
    type,
    name: unique(name),
    id,
    ...(options.parent ? { parent: options.parent.name } : {}),
    ...(options.provider ? { provider: options.provider.name } : {}),
  });
  const license = (l: ExportedLicense) => entry(IMPORT_TYPES[l.kind], l.resourceName, l.id);
  const key = (k: ExportedLicenseKey) => entry(IMPORT_TYPES.licenseKey, k.resourceName, k.id);
  const customer = (c: ExportedCustomer) => [
    entry(IMPORT_TYPES.customer, c.key, c.id),
    ...c.licenses.map(license),
    ...c.licenseKeys.map(key),
  ];
  const resources = [
    // Templates first: keys name them.
    ...organization.licenseTemplates.map((t) => entry(IMPORT_TYPES.licenseTemplate, t.resourceName, t.id)),
    ...organization.customers.flatMap(customer),
    ...organization.licensesWithoutCustomer.map(license),
    ...organization.licenseKeysWithoutCustomer.map(key),
  ];
  return {
    ...(references.length > 0
      ? { nameTable: Object.fromEntries(references.map((reference) => [reference.name, reference.urn])) }
      : {}),
    resources,
  };
}

/** The file's text: indented JSON, as `pulumi preview --import-file` writes it. */
export function renderImportFile(organization: ExportedOrganization, options: ImportFileOptions = {}): string {
  return `${JSON.stringify(importFileOf(organization, options), null, 4)}\n`;
}
