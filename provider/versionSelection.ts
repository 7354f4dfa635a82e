/**
 * Application versions granted by an application license. Distr stores version ids and reads `[]` as "all
 * versions, future ones included" (section 5.4); programs speak in version names. Ranges are resolved against the
 * application's versions each time the program runs, so a newly published matching version shows up in the next
 * preview. Archived versions are matched only when listed by name; prereleases only with `includePrerelease`.
 */
import type { Application, ApplicationVersion } from "../sdk/schemas";
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

export interface VersionResolution {
  readonly selection: ResolvedSelection;
  readonly failures: CheckFailure[];
}

/**
 * Validates and resolves a selection against the application's versions. With the application still unknown
 * (preview), only the syntax is checked and what a range matches stays unknown.
 */
export function resolveVersions(
  input: SelectionInput | Unknown,
  application: Application | Unknown,
  property = "versions",
  foreignVersionIds: ReadonlySet<string> = new Set(),
): VersionResolution {
  if (isUnknown(input)) return { selection: UNKNOWN, failures: [] };
  if (input === "all") return { selection: "all", failures: [] };
  const versions = isUnknown(application) ? undefined : (application.versions ?? []);
  if (Array.isArray(input)) return resolveVersionList(input, application, versions, property, foreignVersionIds);

  const includePrerelease = input.includePrerelease ?? false;
  if (isUnknown(input.range))
    return { selection: { range: UNKNOWN, includePrerelease, matches: UNKNOWN }, failures: [] };
  const problem = rangeProblem(input.range);
  if (problem) return { selection: UNKNOWN, failures: [{ property: `${property}.range`, reason: problem }] };
  if (!versions || isUnknown(application)) {
    return { selection: { range: input.range, includePrerelease, matches: UNKNOWN }, failures: [] };
  }
  const matches = sortNames(
    versions.filter((v) => !v.archivedAt && rangeMatches(v.name, input.range, includePrerelease)).map((v) => v.name),
  );
  if (matches.length === 0) {
    const prerelease = includePrerelease ? "" : " or prereleases (set includePrerelease: true for those)";
    return {
      selection: UNKNOWN,
      failures: [
        {
          property: `${property}.range`,
          reason:
            `${JSON.stringify(input.range)} matches no version of application ${JSON.stringify(application.name)} ` +
            `(ranges never match archived versions${prerelease}); use one of its versions: ${describeVersions(versions)}`,
        },
      ],
    };
  }
  return { selection: { range: input.range, includePrerelease, matches }, failures: [] };
}

function resolveVersionList(
  names: string[],
  application: Application | Unknown,
  versions: ApplicationVersion[] | undefined,
  property: string,
  foreignVersionIds: ReadonlySet<string>,
): VersionResolution {
  if (names.length === 0) {
    return {
      selection: UNKNOWN,
      failures: [
        {
          property,
          reason: 'an empty list would grant no version (Distr reads it as "all"); use "all" or name the versions',
        },
      ],
    };
  }
  const failures: CheckFailure[] = [];
  names.forEach((name, index) => {
    if (isUnknown(name) || !versions || isUnknown(application)) return;
    if (!versions.some((v) => v.name === name) && !foreignVersionIds.has(name)) {
      failures.push({
        property: `${property}[${index}]`,
        reason:
          `${JSON.stringify(name)} is not a version of application ${JSON.stringify(application.name)}; ` +
          `use one of its versions: ${describeVersions(versions)}`,
      });
    }
  });
  return { selection: failures.length > 0 ? UNKNOWN : sortNames(names), failures };
}

/**
 * List entries that are no version name of the application but look like a version id. Distr does not check that a
 * license's versions belong to its application (section 5.4), so a license may grant a version of another
 * application; such a grant can only be written by id (and `pulumi-distr export` writes it so).
 */
export function versionIdCandidates(input: SelectionInput | Unknown, application: Application | Unknown): string[] {
  if (isUnknown(input) || isUnknown(application) || !Array.isArray(input)) return [];
  const names = new Set((application.versions ?? []).map((v) => v.name));
  return input.filter(
    (entry): entry is string => !isUnknown(entry) && !names.has(entry) && VERSION_ID_PATTERN.test(entry),
  );
}

/** Version names a resolved selection grants, or "all"; undefined while something is unknown. */
export function grantedVersionNames(selection: ResolvedSelection): "all" | string[] | undefined {
  if (isUnknown(selection)) return undefined;
  if (selection === "all") return "all";
  if (Array.isArray(selection)) return selection.some(isUnknown) ? undefined : selection;
  return isUnknown(selection.matches) ? undefined : selection.matches;
}

/** The ids to send to Distr (`[]` = all versions). Throws when a name no longer exists (checked inputs are stale). */
export function versionIdsFor(selection: ResolvedSelection, application: Application): string[] {
  const names = grantedVersionNames(selection);
  if (names === undefined) throw new Error("versions are not known yet; this is a bug: create/update ran before check");
  if (names === "all") return [];
  const versions = application.versions ?? [];
  return names.map((name) => {
    const version = versions.find((v) => v.name === name);
    // Kept by id (versionIdCandidates): check found it among the versions Distr has.
    if (!version && VERSION_ID_PATTERN.test(name)) return name;
    if (!version) {
      throw new Error(
        `version ${JSON.stringify(name)} of application ${JSON.stringify(application.name)} no longer exists in ` +
          `Distr; its versions are ${describeVersions(versions)}. Run the update again to re-resolve the versions.`,
      );
    }
    return version.id;
  });
}

/**
 * What Distr grants, in the program's words: `[]` is "all"; otherwise the version names (ids Distr no longer knows
 * are kept as ids). The prior selection is kept when it still describes the grant, so a range stays a range.
 */
export function describeGrantedVersions(
  versionIds: readonly string[],
  application: Application | undefined,
  prior: ResolvedSelection | undefined,
): ResolvedSelection {
  if (versionIds.length === 0) return "all";
  const versions = application?.versions ?? [];
  const names = sortNames(versionIds.map((id) => versions.find((v) => v.id === id)?.name ?? id));
  const priorNames = prior === undefined ? undefined : grantedVersionNames(prior);
  if (Array.isArray(priorNames) && sameNames(priorNames, names)) return prior as ResolvedSelection;
  return names;
}

export function sameNames(a: readonly string[], b: readonly string[]): boolean {
  const left = sortNames(a);
  const right = sortNames(b);
  return left.length === right.length && left.every((name, index) => name === right[index]);
}

/** "1.1.0, 1.2.0, 2.0.0 (archived: 1.0.0)" in semver order. */
export function describeVersions(versions: readonly ApplicationVersion[]): string {
  const active = sortNames(versions.filter((v) => !v.archivedAt).map((v) => v.name));
  const archived = sortNames(versions.filter((v) => v.archivedAt).map((v) => v.name));
  return `${listForMessage(active)}${archived.length > 0 ? ` (archived: ${listForMessage(archived)})` : ""}`;
}
