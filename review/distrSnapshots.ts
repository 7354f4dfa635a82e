/**
 * Snapshots of what Distr grants right now, from its own objects: the "before" of a change where no Pulumi state is
 * at hand (a policy pack sees only new inputs), and names for ids in a review. Read-only look-ups through the sdk
 * client; ids Distr no longer knows stay ids.
 */
import { describeGrantedTags, resolveTags, type GrantedTags } from "../provider/tagSelection";
import type { ResolvedSelection } from "../provider/selection";
import { describeGrantedVersions, resolveVersions } from "../provider/versionSelection";
import type { DistrClient } from "../sdk/distrClient";
import type { Application, ApplicationLicense, Artifact, ArtifactLicense } from "../sdk/schemas";
import { grantSelectionOf } from "./grantSelection";
import type { ApplicationLicenseSnapshot, ArtifactGrant, ArtifactLicenseSnapshot } from "./licenseSnapshot";

/**
 * `prior` is what the provider last wrote (a range with its matches): kept when Distr grants exactly those versions,
 * so that a range the code wrote does not read as a change to a list (the provider's own read does the same).
 */
export function applicationLicenseSnapshotFromDistr(
  license: ApplicationLicense,
  application: Application | undefined,
  customerName?: string,
  prior?: ResolvedSelection,
): ApplicationLicenseSnapshot {
  const versions = describeGrantedVersions(
    license.versions.map((version) => version.id),
    application,
    prior,
  );
  return {
    kind: "applicationLicense",
    name: license.name,
    ...(license.customerOrganizationId !== undefined
      ? {
          customer: {
            id: license.customerOrganizationId,
            ...((customerName ?? license.customerOrganization?.name)
              ? { name: customerName ?? license.customerOrganization?.name }
              : {}),
          },
        }
      : {}),
    application: application?.name ?? license.application?.name ?? license.applicationId,
    versions: grantSelectionOf(versions),
    ...(license.expiresAt !== undefined ? { expiresAt: license.expiresAt } : {}),
    ...(license.registryUrl !== undefined && license.registryUsername !== undefined
      ? { registry: { url: license.registryUrl, username: license.registryUsername } }
      : {}),
    pending: [],
  };
}

/** `priorOf`: what the provider last wrote for an artifact (tags as written, digests), kept when the digests match. */
export function artifactLicenseSnapshotFromDistr(
  license: ArtifactLicense,
  artifactOf: (artifactId: string) => Artifact | undefined,
  customerName?: string,
  priorOf?: (artifactId: string) => GrantedTags | undefined,
): ArtifactLicenseSnapshot {
  const artifacts: ArtifactGrant[] = (license.artifacts ?? []).map((selection) => {
    const artifact = artifactOf(selection.artifactId);
    const granted = describeGrantedTags(selection.versionIds ?? [], artifact, priorOf?.(selection.artifactId));
    return {
      artifact: artifact?.name ?? selection.artifactId,
      tags: grantSelectionOf(granted.tags),
      ...(granted.digests !== undefined ? { digests: granted.digests } : {}),
    };
  });
  artifacts.sort((a, b) => (a.artifact < b.artifact ? -1 : a.artifact > b.artifact ? 1 : 0));
  return {
    kind: "artifactLicense",
    name: license.name,
    ...(license.customerOrganizationId !== undefined
      ? {
          customer: {
            id: license.customerOrganizationId,
            ...(customerName !== undefined ? { name: customerName } : {}),
          },
        }
      : {}),
    ...(license.expiresAt !== undefined ? { expiresAt: license.expiresAt } : {}),
    artifacts,
    pending: [],
  };
}

/**
 * The license Distr has under this name in its name scope (3.x: per customer; 2.x: per organization), as a
 * snapshot; undefined when there is none. For a policy pack's "before".
 */
export async function currentLicenseSnapshot(
  client: DistrClient,
  kind: "applicationLicense" | "artifactLicense",
  identity: { name: string; customer?: string | undefined },
): Promise<ApplicationLicenseSnapshot | ArtifactLicenseSnapshot | undefined> {
  const customerName = async (id: string | undefined) =>
    id === undefined ? undefined : (await client.customers.get(id))?.name;
  if (kind === "applicationLicense") {
    const license = await client.applicationLicenses.findByName(identity.name, identity.customer);
    if (!license) return undefined;
    const application = await client.lookups.applicationById(license.applicationId);
    return applicationLicenseSnapshotFromDistr(
      license,
      application,
      await customerName(license.customerOrganizationId),
    );
  }
  const license = await client.artifactLicenses.findByName(identity.name, identity.customer);
  if (!license) return undefined;
  const artifacts = new Map<string, Artifact>();
  for (const selection of license.artifacts ?? []) {
    const artifact = await client.lookups.artifactById(selection.artifactId);
    if (artifact) artifacts.set(selection.artifactId, artifact);
  }
  return artifactLicenseSnapshotFromDistr(
    license,
    (id) => artifacts.get(id),
    await customerName(license.customerOrganizationId),
  );
}

/**
 * A snapshot built from a program's own inputs has ranges without matches (the provider resolves them in `check`).
 * This resolves them against Distr's versions and tags with the provider's own resolution, so that a policy pack
 * comparing with Distr's current license sees the versions gained and lost by name. Unknown applications or
 * artifacts stay unresolved.
 */
export async function resolveSnapshotSelections<T extends ApplicationLicenseSnapshot | ArtifactLicenseSnapshot>(
  snapshot: T,
  client: DistrClient,
): Promise<T> {
  if (snapshot.kind === "applicationLicense") {
    const versions = snapshot.versions;
    if (versions.kind !== "range" || versions.matches !== null) return snapshot;
    const application = await client.lookups.application(snapshot.application);
    if (!application) return snapshot;
    const resolved = resolveVersions(
      { range: versions.range, includePrerelease: versions.includePrerelease },
      application,
    );
    return {
      ...snapshot,
      versions: grantSelectionOf(resolved.selection),
      pending: without(snapshot.pending, "versions"),
    };
  }
  const artifacts: ArtifactGrant[] = [];
  for (const grant of snapshot.artifacts) {
    if (grant.tags.kind === "all" || grant.digests !== null) {
      artifacts.push(grant);
      continue;
    }
    const artifact = await client.lookups.artifact(grant.artifact);
    const input =
      grant.tags.kind === "range"
        ? { range: grant.tags.range, includePrerelease: grant.tags.includePrerelease }
        : grant.tags.kind === "list"
          ? grant.tags.names
          : undefined;
    if (!artifact || input === undefined) {
      artifacts.push(grant);
      continue;
    }
    const resolved = resolveTags(input, artifact, "tags");
    artifacts.push({
      artifact: grant.artifact,
      tags: grantSelectionOf(resolved.tags),
      ...(Array.isArray(resolved.digests) ? { digests: resolved.digests } : { digests: null }),
    });
  }
  const stillPending = artifacts.some((grant) => grant.tags.kind === "unknown" || grant.digests === null);
  return {
    ...snapshot,
    artifacts,
    pending: stillPending ? snapshot.pending : without(snapshot.pending, "artifacts"),
  };
}

function without(list: readonly string[], item: string): string[] {
  return list.filter((entry) => entry !== item);
}
