/**
 * Whether a license that exists in Distr already grants what a program asks for, judged the way the provider judges
 * it (it writes nothing then): by the names and content granted, not by how the program writes them. Used where
 * "before" is Distr's own object rather than the provider's state: a policy pack's judgement and an adoption in a
 * review.
 */
import type { LicenseChange, SelectionChange } from "./licenseChange";
import type { LicenseSnapshot } from "./licenseSnapshot";

/**
 * Distr grants artifact content (digests); its "before" names every tag that points at a granted digest (`latest`
 * beside `2.1.0`), while the new inputs name only the tags the program selects. Where both sides' digests are known,
 * a tag name counts as lost or gained only if content is: otherwise every unchanged license would "lose" `latest`.
 */
export function byContent(change: LicenseChange): LicenseChange {
  const digestsOf = (snapshot: LicenseSnapshot | undefined, artifact: string) =>
    snapshot?.kind === "artifactLicense"
      ? snapshot.artifacts.find((grant) => grant.artifact === artifact)?.digests
      : undefined;
  return {
    ...change,
    artifacts: change.artifacts.map((artifact) => {
      const known =
        Array.isArray(digestsOf(change.before, artifact.artifact)) &&
        Array.isArray(digestsOf(change.after, artifact.artifact));
      if (!known || artifact.change !== "changed") return artifact;
      return {
        ...artifact,
        tags: {
          ...artifact.tags,
          lost: artifact.digestsLost.length > 0 ? artifact.tags.lost : [],
          gained: artifact.digestsGained.length > 0 ? artifact.tags.gained : [],
        },
      };
    }),
  };
}

export function grantsUnchanged(change: LicenseChange): boolean {
  if (change.renamedFrom !== undefined || change.customerMoved !== undefined || change.application !== undefined) {
    return false;
  }
  if (change.expiry !== undefined) return false;
  const sameNames = (selection: SelectionChange | undefined) =>
    selection === undefined ||
    (selection.gained.length === 0 && selection.lost.length === 0 && !selection.toAll && !selection.fromAll);
  if (!sameNames(change.versions)) return false;
  const sameRegistry =
    change.registry === undefined ||
    (change.registry.before?.url === change.registry.after?.url &&
      change.registry.before?.username === change.registry.after?.username);
  if (!sameRegistry) return false;
  return change.artifacts.every(
    (artifact) =>
      artifact.change === "changed" &&
      sameNames(artifact.tags) &&
      artifact.digestsGained.length === 0 &&
      artifact.digestsLost.length === 0 &&
      artifact.movedTags.length === 0,
  );
}
