/**
 * Which properties of each resource kind are secret whatever the program wrote: Distr hands them out in clear text,
 * so state must keep them encrypted (pulumi-notes §3). The dynamic resources mark them through
 * `additionalSecretOutputs` and a secret registry password (resources.ts); the plugin marks the same paths in every
 * property bag it returns. One list, so the two faces cannot disagree.
 */
import type { ResourceKind } from "./resourceHandlers";

/** Property paths (keys from the top of the resource's inputs or outputs). */
export const SECRET_PROPERTIES: Readonly<Record<ResourceKind, ReadonlyArray<readonly string[]>>> = {
  customer: [],
  applicationLicense: [["registryPassword"], ["registry", "password"]],
  artifactLicense: [],
  licenseKey: [["token"]],
  licenseTemplate: [],
};

/** The top-level secret outputs of a kind, as `additionalSecretOutputs` takes them. */
export function secretOutputNames(kind: ResourceKind): string[] {
  return SECRET_PROPERTIES[kind].filter((path) => path.length === 1).map((path) => path[0] ?? "");
}
