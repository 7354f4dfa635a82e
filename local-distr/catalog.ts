/**
 * The vendor's catalog in the local Distr: applications with versions and artifacts with digests and tags. Distr
 * publishes these through uploads and registry pushes; here tests and the seed publish them directly.
 */
import { createHash } from "node:crypto";
import { nowDistrTime } from "./distrTime";
import type { ApplicationRow, ArtifactRow, ArtifactVersionRow, DistrState } from "./store";
import { newUuid } from "./uuid";

export class CatalogError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CatalogError";
  }
}

export function findApplication(state: DistrState, nameOrId: string, organizationId?: string): ApplicationRow {
  const application = state.applications.find(
    (a) =>
      (a.id === nameOrId || a.name === nameOrId) &&
      (organizationId === undefined || a.organizationId === organizationId),
  );
  if (!application) throw new CatalogError(`local Distr has no application ${JSON.stringify(nameOrId)}`);
  return application;
}

export function findArtifact(state: DistrState, nameOrId: string, organizationId?: string): ArtifactRow {
  const artifact = state.artifacts.find(
    (a) =>
      (a.id === nameOrId || a.name === nameOrId) &&
      (organizationId === undefined || a.organizationId === organizationId),
  );
  if (!artifact) throw new CatalogError(`local Distr has no artifact ${JSON.stringify(nameOrId)}`);
  return artifact;
}

/**
 * A new application. Distr has no unique constraint on application names; the seed refuses duplicates (a typo in a
 * fixture), `POST /applications` allows them.
 */
export function createApplication(
  state: DistrState,
  organizationId: string,
  name: string,
  type: ApplicationRow["type"],
  options: { allowDuplicateName?: boolean } = {},
): ApplicationRow {
  if (
    !options.allowDuplicateName &&
    state.applications.some((a) => a.organizationId === organizationId && a.name === name)
  ) {
    throw new CatalogError(`application ${JSON.stringify(name)} already exists`);
  }
  const application: ApplicationRow = { id: newUuid(), createdAt: nowDistrTime(), organizationId, name, type };
  state.applications.push(application);
  return application;
}

/** Publishes a version; names are unique per application (migration 17). */
export function addApplicationVersion(
  state: DistrState,
  application: ApplicationRow,
  version: string,
  options: {
    archived?: boolean;
    linkTemplate?: string;
    /** A Kubernetes version's chart as uploaded; default: an OCI chart named after the application. */
    chart?: { chartType?: string; chartName?: string; chartUrl?: string; chartVersion?: string };
  } = {},
): { id: string } {
  if (state.applicationVersions.some((v) => v.applicationId === application.id && v.name === version)) {
    throw new CatalogError(
      `application ${JSON.stringify(application.name)} already has version ${JSON.stringify(version)}`,
    );
  }
  const createdAt = nowDistrTime();
  const id = newUuid();
  const helm =
    application.type !== "kubernetes"
      ? {}
      : options.chart !== undefined
        ? Object.fromEntries(Object.entries(options.chart).filter(([, value]) => value !== undefined))
        : { chartType: "oci", chartUrl: `oci://ghcr.io/distr-sh/charts/${application.name}`, chartVersion: version };
  state.applicationVersions.push({
    id,
    createdAt,
    applicationId: application.id,
    name: version,
    linkTemplate: options.linkTemplate ?? "",
    ...(options.archived ? { archivedAt: nowDistrTime() } : {}),
    ...helm,
  });
  return { id };
}

export function createArtifact(state: DistrState, organizationId: string, name: string): ArtifactRow {
  if (state.artifacts.some((a) => a.organizationId === organizationId && a.name === name)) {
    throw new CatalogError(`artifact ${JSON.stringify(name)} already exists`);
  }
  const artifact: ArtifactRow = { id: newUuid(), createdAt: nowDistrTime(), organizationId, name };
  state.artifacts.push(artifact);
  return artifact;
}

export const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

/**
 * Pushes `tag` (Distr's model, migration 20: a digest row named by the digest plus one row per tag with the same
 * digest). A new digest unless `digest` is given; re-pushing a tag moves it. Returns the digest row's id, the id
 * artifact licenses select.
 */
export function addArtifactTag(
  state: DistrState,
  artifact: ArtifactRow,
  tag: string,
  options: { digest?: string } = {},
): { versionId: string } {
  if (tag.includes(":")) throw new CatalogError(`tag ${JSON.stringify(tag)} must not contain ':'`);
  const digest =
    options.digest ?? `sha256:${createHash("sha256").update(`${artifact.id}/${tag}/${newUuid()}`).digest("hex")}`;
  if (!/^sha256:[0-9a-f]{64}$/.test(digest))
    throw new CatalogError(`digest ${JSON.stringify(digest)} is not sha256:<64 hex>`);
  const rows = state.artifactVersions;
  let digestRow = rows.find((r) => r.artifactId === artifact.id && r.name === digest);
  if (!digestRow) {
    digestRow = {
      id: newUuid(),
      createdAt: nowDistrTime(),
      artifactId: artifact.id,
      name: digest,
      digest,
      manifestContentType: OCI_MANIFEST,
      size: 1024 + (parseInt(digest.slice(7, 11), 16) % 4096),
    };
    rows.push(digestRow);
  }
  const existingTag = rows.find((r) => r.artifactId === artifact.id && r.name === tag);
  if (existingTag) {
    existingTag.digest = digest;
    existingTag.createdAt = nowDistrTime();
  } else {
    const tagRow: ArtifactVersionRow = { ...digestRow, id: newUuid(), createdAt: nowDistrTime(), name: tag };
    rows.push(tagRow);
  }
  return { versionId: digestRow.id };
}
