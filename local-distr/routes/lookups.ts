/**
 * Lookups around licensing (distr-api.md sections 2.4, 9, B6): the organization, its applications with versions, its
 * artifacts with digest rows and tags. The catalog writes a client sets test data up with are in catalogWrites.ts.
 */
import { compareNames } from "../collation";
import { compareDistrTimes } from "../distrTime";
import { emptyResponse, jsonResponse, methodNotAllowed, pageNotFound, type DistrResponse } from "../responses";
import type { ApplicationRow, ApplicationVersionRow, ArtifactRow, DistrState } from "../store";
import { parseUuid } from "../uuid";
import {
  applicationOf,
  createApplicationHandler,
  createApplicationVersionHandler,
  createArtifactHandler,
  deleteApplicationHandler,
  deleteArtifactHandler,
} from "./catalogWrites";
import type { RouteContext } from "./routeContext";

export function byCreatedAt<T extends { createdAt: string }>(a: T, b: T): number {
  return compareDistrTimes(a.createdAt, b.createdAt);
}

/** `types.ApplicationVersion` (section 5.2/9.1): chart fields omitted when null. */
export function applicationVersionView(v: ApplicationVersionRow) {
  return {
    id: v.id,
    createdAt: v.createdAt,
    ...(v.archivedAt !== undefined ? { archivedAt: v.archivedAt } : {}),
    name: v.name,
    linkTemplate: v.linkTemplate,
    applicationId: v.applicationId,
    ...(v.chartType !== undefined ? { chartType: v.chartType } : {}),
    ...(v.chartName !== undefined ? { chartName: v.chartName } : {}),
    ...(v.chartUrl !== undefined ? { chartUrl: v.chartUrl } : {}),
    ...(v.chartVersion !== undefined ? { chartVersion: v.chartVersion } : {}),
  };
}

function applicationView(application: ApplicationRow, state: DistrState) {
  return {
    id: application.id,
    createdAt: application.createdAt,
    name: application.name,
    type: application.type,
    versions: state.applicationVersions
      .filter((v) => v.applicationId === application.id)
      .sort(byCreatedAt)
      .map(applicationVersionView),
  };
}

function organizationView(context: RouteContext) {
  const organization = context.principal.organization;
  const { state } = context.store;
  return {
    id: organization.id,
    createdAt: organization.createdAt,
    name: organization.name,
    slug: organization.slug,
    features: organization.features,
    subscriptionType: organization.subscriptionType,
    subscriptionCustomerOrganizationQuantity: -1,
    subscriptionUserAccountQuantity: -1,
    subscriptionLimits: {
      maxCustomerOrganizations: -1,
      maxUsersPerCustomerOrganization: -1,
      maxDeploymentsPerCustomerOrganization: -1,
    },
    currentBillableUserAccountCount: state.memberships.filter((m) => m.organizationId === organization.id).length,
    currentCustomerOrganizationCount: state.customers.filter((c) => c.organizationId === organization.id).length,
  };
}

/** Metrics Distr reports per artifact/tag; nothing is ever pulled from the local Distr. */
function downloadMetrics(dialect: string) {
  return dialect === "3"
    ? { downloadsTotal: 0, downloadedByUsersCount: 0, downloadedByCustomerOrganizationsCount: 0 }
    : { downloadsTotal: 0, downloadedByCount: 0 };
}

/** Digest rows with at least one tag, newest first, tags by name (section 9.2). */
function artifactVersionsView(artifact: ArtifactRow, state: DistrState, dialect: string) {
  const rows = state.artifactVersions.filter((r) => r.artifactId === artifact.id);
  const digestRows = rows.filter((r) => r.name.includes(":"));
  return digestRows
    .map((digestRow) => ({
      digestRow,
      tags: rows
        .filter((r) => !r.name.includes(":") && r.digest === digestRow.digest)
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    }))
    .filter(({ tags }) => tags.length > 0)
    .sort((a, b) => byCreatedAt(b.digestRow, a.digestRow))
    .map(({ digestRow, tags }) => ({
      id: digestRow.id,
      createdAt: digestRow.createdAt,
      digest: digestRow.digest,
      manifestContentType: digestRow.manifestContentType,
      tags: tags.map((t) => ({ id: t.id, name: t.name, downloads: downloadMetrics(dialect) })),
      size: digestRow.size,
      ...downloadMetrics(dialect),
      inferredType: "container-image",
    }));
}

function artifactView(artifact: ArtifactRow, dialect: string) {
  return { id: artifact.id, createdAt: artifact.createdAt, name: artifact.name, ...downloadMetrics(dialect) };
}

function latestPush(artifact: ArtifactRow, state: DistrState): string | undefined {
  let latest: string | undefined;
  for (const row of state.artifactVersions) {
    if (row.artifactId === artifact.id && (latest === undefined || compareDistrTimes(row.createdAt, latest) > 0))
      latest = row.createdAt;
  }
  return latest;
}

export function handleOrganization(context: RouteContext): DistrResponse {
  if (context.segments.length > 0) return pageNotFound();
  if (context.method !== "GET") return methodNotAllowed(["GET"]);
  return jsonResponse(organizationView(context));
}

export function handleApplications(context: RouteContext): DistrResponse | Promise<DistrResponse> {
  const { state } = context.store;
  const organizationId = context.principal.organization.id;
  const [rawId, ...rest] = context.segments;
  if (rawId === undefined) {
    if (context.method === "POST") return createApplicationHandler(context);
    if (context.method !== "GET") return methodNotAllowed(["GET", "POST"]);
    const applications = state.applications
      .filter((a) => a.organizationId === organizationId)
      .sort((a, b) => compareNames(a.name, b.name));
    return jsonResponse(applications.map((a) => applicationView(a, state)));
  }
  if (rest.length === 0) {
    if (context.method !== "GET" && context.method !== "DELETE") return methodNotAllowed(["GET", "DELETE"]);
    const found = applicationOf(context, rawId, parseUuid);
    if (!found.ok) return found.response;
    if (context.method === "DELETE") return deleteApplicationHandler(context, found.application);
    return jsonResponse(applicationView(found.application, state));
  }
  if (rest.length === 1 && rest[0] === "versions") {
    if (context.method !== "POST") return methodNotAllowed(["POST"]);
    const found = applicationOf(context, rawId, parseUuid);
    if (!found.ok) return found.response;
    return createApplicationVersionHandler(context, found.application);
  }
  const id = parseUuid(rawId);
  if (!id.ok) return pageNotFound();
  if (rest.length === 2 && rest[0] === "versions") {
    if (context.method !== "GET") return methodNotAllowed(["GET"]);
    // Checks neither the organization nor that the version belongs to the application (section 9.1).
    const versionId = parseUuid(rest[1] ?? "");
    if (!versionId.ok) return pageNotFound();
    const version = state.applicationVersions.find((v) => v.id === versionId.uuid);
    if (!version) return emptyResponse(404);
    return jsonResponse(applicationVersionView(version));
  }
  return pageNotFound();
}

export function handleArtifacts(context: RouteContext): DistrResponse {
  const { state } = context.store;
  const organizationId = context.principal.organization.id;
  const [rawId, ...rest] = context.segments;
  if (rawId === undefined) {
    // 2.x has no POST /artifacts (artifacts come from registry pushes).
    if (context.method === "POST" && context.dialect === "3") return createArtifactHandler(context, artifactDetailView);
    if (context.method !== "GET") return methodNotAllowed(context.dialect === "3" ? ["GET", "POST"] : ["GET"]);
    // Ordered by latest push, artifacts without versions first.
    const artifacts = state.artifacts
      .filter((a) => a.organizationId === organizationId)
      .map((a) => ({ artifact: a, latest: latestPush(a, state) }))
      .sort((a, b) => {
        if (a.latest === b.latest) return 0;
        if (a.latest === undefined) return -1;
        if (b.latest === undefined) return 1;
        return compareDistrTimes(b.latest, a.latest);
      });
    return jsonResponse(artifacts.map(({ artifact }) => artifactView(artifact, context.dialect)));
  }
  const id = parseUuid(rawId);
  if (!id.ok || rest.length > 0) return pageNotFound();
  if (context.method !== "GET" && context.method !== "DELETE") return methodNotAllowed(["GET", "DELETE"]);
  const artifact = state.artifacts.find((a) => a.id === id.uuid && a.organizationId === organizationId);
  if (!artifact) return pageNotFound();
  if (context.method === "DELETE") return deleteArtifactHandler(context, artifact);
  return jsonResponse(artifactDetailView(artifact, state, context.dialect));
}

/** `GET /artifacts/{id}` (and the answer of `POST /artifacts`): the artifact with its tagged digest rows. */
function artifactDetailView(artifact: ArtifactRow, state: DistrState, dialect: string) {
  const versions = artifactVersionsView(artifact, state, dialect);
  // 3.x always has `versions`; 2.x omits the key when empty (B6).
  return {
    ...artifactView(artifact, dialect),
    ...(versions.length > 0 || dialect === "3" ? { versions } : {}),
  };
}
