/**
 * Which preview steps are ours. The resources register with type tokens `pulumi-nodejs:dynamic/distr:<Kind>`
 * (provider/resources.ts, pulumi-notes §4); a program that declares its own plain dynamic resources
 * (`pulumi-nodejs:dynamic:Resource`) is not ours, whatever its name says.
 */
export type ResourceKind = "customer" | "applicationLicense" | "artifactLicense";

export const RESOURCE_TYPES: Readonly<Record<ResourceKind, string>> = {
  customer: "pulumi-nodejs:dynamic/distr:Customer",
  applicationLicense: "pulumi-nodejs:dynamic/distr:ApplicationLicense",
  artifactLicense: "pulumi-nodejs:dynamic/distr:ArtifactLicense",
};

export function resourceKindOf(type: string): ResourceKind | undefined {
  for (const [kind, token] of Object.entries(RESOURCE_TYPES) as Array<[ResourceKind, string]>) {
    if (token === type) return kind;
  }
  return undefined;
}

/** The resource's name in the program: the URN's last `::` segment. */
export function resourceNameOf(urn: string): string {
  const at = urn.lastIndexOf("::");
  return at === -1 ? urn : urn.slice(at + 2);
}
