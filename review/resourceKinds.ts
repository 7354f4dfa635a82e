/**
 * Which resources are ours, decided from the type token alone, for every face that reads a preview, a policy
 * request or a state: the review, the policy pack and export. The resources come in two faces that behave the same
 * (one implementation): the dynamic resources of TypeScript programs register as
 * `pulumi-nodejs:dynamic/distr:<Kind>` (provider/resources.ts, pulumi-notes §4), the provider plugin
 * `pulumi-resource-distr` serves them as `distr:index:<Kind>` (its schema), with the same inputs and outputs. A
 * program that declares its own plain dynamic resources (`pulumi-nodejs:dynamic:Resource`) is not ours, whatever
 * its name says, and neither is the plugin's provider resource (`pulumi:providers:distr`).
 */
import { PACKAGE_NAME, pluginTypeOf } from "../plugin/resourceTypes";

export type ResourceKind = "customer" | "applicationLicense" | "artifactLicense";

/** The dynamic face's tokens. */
export const RESOURCE_TYPES: Readonly<Record<ResourceKind, string>> = {
  customer: "pulumi-nodejs:dynamic/distr:Customer",
  applicationLicense: "pulumi-nodejs:dynamic/distr:ApplicationLicense",
  artifactLicense: "pulumi-nodejs:dynamic/distr:ArtifactLicense",
};

/** The plugin's tokens (package `distr`, module `index`), as the plugin serves them. */
export const PLUGIN_RESOURCE_TYPES: Readonly<Record<ResourceKind, string>> = {
  customer: pluginTypeOf("customer"),
  applicationLicense: pluginTypeOf("applicationLicense"),
  artifactLicense: pluginTypeOf("artifactLicense"),
};

const KIND_BY_TYPE: ReadonlyMap<string, ResourceKind> = new Map(
  [RESOURCE_TYPES, PLUGIN_RESOURCE_TYPES].flatMap((tokens) =>
    Object.entries(tokens).map(([kind, token]) => [token, kind as ResourceKind] as const),
  ),
);

export function resourceKindOf(type: string): ResourceKind | undefined {
  return KIND_BY_TYPE.get(type);
}

/** The type-token prefixes of the two faces; what follows is the kind's class name (`Customer`, `LicenseKey`, …). */
const TYPE_PREFIXES = ["pulumi-nodejs:dynamic/distr:", `${PACKAGE_NAME}:index:`] as const;

/**
 * The class name of any pulumi-distr resource of either face (license keys and templates too), e.g. `Customer` for
 * `pulumi-nodejs:dynamic/distr:Customer` and for `distr:index:Customer`; undefined for every other type.
 */
export function distrClassNameOf(type: string): string | undefined {
  for (const prefix of TYPE_PREFIXES) {
    if (type.startsWith(prefix) && type.length > prefix.length) return type.slice(prefix.length);
  }
  return undefined;
}

/** The resource's name in the program: the URN's last `::` segment. */
export function resourceNameOf(urn: string): string {
  const at = urn.lastIndexOf("::");
  return at === -1 ? urn : urn.slice(at + 2);
}
