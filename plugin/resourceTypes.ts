/**
 * The plugin's resource type tokens (package `distr`, module `index`) and the resource kind each one is served by:
 * the same handlers as the dynamic resources' `pulumi-nodejs:dynamic/distr:<Kind>` (provider/resources.ts).
 */
import type { ResourceKind } from "../provider/resourceHandlers";

export const PACKAGE_NAME = "distr";

/** The explicit provider resource's type token (`new distr.Provider(...)`). */
export const PROVIDER_TYPE = `pulumi:providers:${PACKAGE_NAME}`;

export const RESOURCE_TYPES = {
  "distr:index:Customer": "customer",
  "distr:index:ApplicationLicense": "applicationLicense",
  "distr:index:ArtifactLicense": "artifactLicense",
  "distr:index:LicenseKey": "licenseKey",
  "distr:index:LicenseTemplate": "licenseTemplate",
} as const satisfies Record<string, ResourceKind>;

export type ResourceType = keyof typeof RESOURCE_TYPES;

/** The kind behind a type token, or an error naming the tokens this plugin serves. */
export function resourceKindOf(type: string): ResourceKind {
  if (Object.hasOwn(RESOURCE_TYPES, type)) return RESOURCE_TYPES[type as ResourceType];
  throw new Error(
    `pulumi-resource-distr does not serve resource type ${JSON.stringify(type)}; it serves ${Object.keys(RESOURCE_TYPES).join(", ")}`,
  );
}

/** `distr:index:Customer` from a URN (`urn:pulumi:stack::project::distr:index:Customer::acme`). */
export function typeOfUrn(urn: string): string {
  const parts = urn.split("::");
  const qualifiedType = parts[2] ?? "";
  // A parent's type comes first, joined with "$": the resource's own type is the last one.
  return qualifiedType.split("$").pop() ?? "";
}

/** The type token the plugin serves a resource kind under (the inverse of resourceKindOf). */
export function pluginTypeOf(kind: ResourceKind): ResourceType {
  const found = (Object.entries(RESOURCE_TYPES) as Array<[ResourceType, ResourceKind]>).find(([, k]) => k === kind);
  if (found === undefined) throw new Error(`pulumi-resource-distr serves no resource of kind ${kind}`);
  return found[0];
}
