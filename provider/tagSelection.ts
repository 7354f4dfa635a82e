/**
 * Artifact tags granted by an artifact license. Distr selects artifact versions by the id of their digest row and
 * reads an empty `versionIds` as "all versions, future pushes included" (section 6.6); programs speak in tags.
 * A tag resolves to the digest it points at now, several tags on one digest to one version id; so a license on a
 * moving tag (`latest`) follows it: the next preview shows the new digest as a change. Entries that contain ":" are
 * digests (`sha256:…`); entries that are ids name a digest row by id (a digest without any tag, which Distr does not
 * list, can only be named so).
 */
import type { Artifact, ArtifactVersion } from "../sdk/schemas";
import type { CheckFailure } from "./checkFailures";
import {
  VERSION_ID_PATTERN,
  listForMessage,
  rangeMatches,
  rangeProblem,
  sortNames,
  type ResolvedSelection,
  type SelectionInput,
} from "./selection";
import { isUnknown, UNKNOWN, type Unknown } from "./unknowns";

export interface TagResolution {
  readonly tags: ResolvedSelection;
  /** Digests granted (sorted); undefined for "all"; unknown while the artifact or a tag is unknown. */
  readonly digests: string[] | Unknown | undefined;
  readonly failures: CheckFailure[];
}

export function resolveTags(
  input: SelectionInput | Unknown,
  artifact: Artifact | Unknown,
  property: string,
): TagResolution {
  if (isUnknown(input)) return { tags: UNKNOWN, digests: UNKNOWN, failures: [] };
  if (input === "all") return { tags: "all", digests: undefined, failures: [] };
  const versions = isUnknown(artifact) ? undefined : (artifact.versions ?? []);

  if (Array.isArray(input)) {
    if (input.length === 0) {
      return {
        tags: UNKNOWN,
        digests: UNKNOWN,
        failures: [
          {
            property,
            reason: 'an empty list would grant no tag (Distr reads it as "all"); use "all" or name the tags',
          },
        ],
      };
    }
    if (!versions || isUnknown(artifact) || input.some(isUnknown)) {
      return { tags: sortNames(input), digests: UNKNOWN, failures: [] };
    }
    const failures: CheckFailure[] = [];
    const digests = new Set<string>();
    input.forEach((tag, index) => {
      const version = findVersion(versions, tag);
      if (version) digests.add(version.digest);
      // Kept by id: Distr does not list digests without tags, so their id cannot be checked here; it stands for
      // itself, as describeGrantedTags shows a granted id it cannot resolve.
      else if (VERSION_ID_PATTERN.test(tag)) digests.add(tag);
      else {
        failures.push({
          property: `${property}[${index}]`,
          reason:
            `${JSON.stringify(tag)} is not a tag of artifact ${JSON.stringify(artifact.name)}; ` +
            `use one of its tags: ${describeTags(versions)}`,
        });
      }
    });
    if (failures.length > 0) return { tags: UNKNOWN, digests: UNKNOWN, failures };
    return { tags: sortNames(input), digests: [...digests].sort(), failures: [] };
  }

  const includePrerelease = input.includePrerelease ?? false;
  if (isUnknown(input.range)) {
    return { tags: { range: UNKNOWN, includePrerelease, matches: UNKNOWN }, digests: UNKNOWN, failures: [] };
  }
  const problem = rangeProblem(input.range);
  if (problem)
    return { tags: UNKNOWN, digests: UNKNOWN, failures: [{ property: `${property}.range`, reason: problem }] };
  if (!versions || isUnknown(artifact)) {
    return { tags: { range: input.range, includePrerelease, matches: UNKNOWN }, digests: UNKNOWN, failures: [] };
  }
  const matched = versions.flatMap((version) =>
    version.tags
      .filter((tag) => rangeMatches(tag.name, input.range, includePrerelease))
      .map((tag) => ({ tag: tag.name, digest: version.digest })),
  );
  if (matched.length === 0) {
    const prerelease = includePrerelease ? "" : " (prereleases only with includePrerelease: true)";
    return {
      tags: UNKNOWN,
      digests: UNKNOWN,
      failures: [
        {
          property: `${property}.range`,
          reason:
            `${JSON.stringify(input.range)} matches no tag of artifact ${JSON.stringify(artifact.name)}${prerelease}; ` +
            `use one of its tags: ${describeTags(versions)}`,
        },
      ],
    };
  }
  return {
    tags: { range: input.range, includePrerelease, matches: sortNames(matched.map((m) => m.tag)) },
    digests: [...new Set(matched.map((m) => m.digest))].sort(),
    failures: [],
  };
}

/** The digest-row ids to send to Distr (`[]` = all). Throws when a digest is gone (checked inputs are stale). */
export function versionIdsForDigests(digests: readonly string[] | undefined, artifact: Artifact): string[] {
  if (digests === undefined) return [];
  const versions = artifact.versions ?? [];
  return digests.map((digest) => {
    const version = versions.find((v) => v.digest === digest);
    if (!version && VERSION_ID_PATTERN.test(digest)) return digest;
    if (!version) {
      throw new Error(
        `digest ${digest} of artifact ${JSON.stringify(artifact.name)} is no longer tagged in Distr; its tags are ` +
          `${describeTags(versions)}. Run the update again to re-resolve the tags.`,
      );
    }
    return version.id;
  });
}

export interface GrantedTags {
  readonly tags: ResolvedSelection;
  readonly digests: string[] | undefined;
}

/**
 * What Distr grants of one artifact, in the program's words: `[]` is "all"; otherwise the tags on the granted
 * digests (a digest Distr does not list is shown by its id). The prior selection is kept when it resolves to the
 * same digests, so a range stays a range and `["latest"]` does not become `["2.1.0", "latest"]`.
 */
export function describeGrantedTags(
  versionIds: readonly string[],
  artifact: Artifact | undefined,
  prior: GrantedTags | undefined,
): GrantedTags {
  if (versionIds.length === 0) return { tags: "all", digests: undefined };
  const versions = artifact?.versions ?? [];
  const granted = versionIds.map((id) => versions.find((v) => v.id === id));
  const digests = [...new Set(granted.map((version, index) => version?.digest ?? versionIds[index] ?? ""))].sort();
  if (prior?.digests && sameList(prior.digests, digests)) return { tags: prior.tags, digests };
  const tags = granted.flatMap((version, index) =>
    version
      ? version.tags.length > 0
        ? version.tags.map((t) => t.name)
        : [version.digest]
      : [versionIds[index] ?? ""],
  );
  return { tags: sortNames(tags), digests };
}

function findVersion(versions: readonly ArtifactVersion[], tagOrDigest: string): ArtifactVersion | undefined {
  if (tagOrDigest.includes(":")) return versions.find((v) => v.digest === tagOrDigest);
  return versions.find((v) => v.tags.some((t) => t.name === tagOrDigest));
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index]);
}

export function describeTags(versions: readonly ArtifactVersion[]): string {
  return listForMessage(sortNames(versions.flatMap((v) => v.tags.map((t) => t.name))));
}
