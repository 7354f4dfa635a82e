/**
 * Which resources take their Distr name from the Pulumi resource's name when the program gives none (licenses,
 * keys, templates; a customer's name is required). The dynamic resource classes apply it in their constructors,
 * the plugin in Check (where the engine hands over the resource's name): one rule for both faces.
 */
import type { ResourceKind } from "./resourceHandlers";

const NAMED_AFTER_RESOURCE: Readonly<Record<ResourceKind, boolean>> = {
  customer: false,
  applicationLicense: true,
  artifactLicense: true,
  licenseKey: true,
  licenseTemplate: true,
};

/** The `name` input to use: the program's, else (for kinds named after their resource) the resource's name. */
export function defaultedName<T>(
  kind: ResourceKind,
  name: T | undefined,
  resourceName: string,
): T | string | undefined {
  if (name !== undefined && name !== null) return name;
  return NAMED_AFTER_RESOURCE[kind] ? resourceName : undefined;
}
