/**
 * `/application-entitlements` (3.x, distr-api.md section 5) and `/application-licenses` (2.x, B4): the same JSON,
 * different rules for names, narrowing, unknown versions and the 2.x read-back defect (quirk 2).
 */
import { z } from "zod";
import { COMMON_TEXTS, invalidUuidParam, narrowingInUse } from "../../sdk/errorTexts";
import { nowDistrTime } from "../distrTime";
import type { GoStruct } from "../goJson";
import { checkViolation, foreignKeyViolation, licensingTables } from "../postgresErrors";
import { emptyResponse, goError, jsonResponse, methodNotAllowed, pageNotFound, type DistrResponse } from "../responses";
import type { ApplicationLicenseRow, DistrState } from "../store";
import { NIL_UUID, newUuid, parseUuid } from "../uuid";
import { applicationVersionView, byCreatedAt } from "./lookups";
import { decodeBody, requireLicensing, requireRole, type RouteContext } from "./routeContext";

function requestStruct(context: RouteContext): GoStruct {
  const goType =
    context.dialect === "3" ? "types.ApplicationEntitlementWithVersions" : "types.ApplicationLicenseWithVersions";
  return {
    goType,
    fields: {
      id: { kind: "uuid" },
      createdAt: { kind: "time" },
      name: { kind: "string" },
      expiresAt: { kind: "time" },
      applicationId: { kind: "uuid" },
      customerOrganizationId: { kind: "uuid" },
      registryUrl: { kind: "string" },
      registryUsername: { kind: "string" },
      registryPassword: { kind: "string" },
      versions: {
        kind: "list",
        goType: "[]types.ApplicationVersion",
        of: {
          kind: "struct",
          struct: {
            goType: "types.ApplicationVersion",
            fields: {
              id: { kind: "uuid" },
              createdAt: { kind: "time" },
              archivedAt: { kind: "time" },
              name: { kind: "string" },
              linkTemplate: { kind: "string" },
              applicationId: { kind: "uuid" },
            },
          },
        },
      },
    },
  };
}

const RequestSchema = z.object({
  id: z.string().optional(),
  name: z.string().optional(),
  expiresAt: z.string().optional(),
  applicationId: z.string().optional(),
  customerOrganizationId: z.string().optional(),
  registryUrl: z.string().optional(),
  registryUsername: z.string().optional(),
  registryPassword: z.string().optional(),
  versions: z.array(z.object({ id: z.string().optional() })).optional(),
});
type ApplicationLicenseRequest = z.infer<typeof RequestSchema>;

/** 2.x maps the nested version rows by position (B4.2): Helm licenses with versions cannot be read at all. */
function unreadableOn2x(state: DistrState, row: ApplicationLicenseRow, dialect: string): boolean {
  if (dialect !== "2" || row.versionIds.length === 0) return false;
  return state.applications.find((a) => a.id === row.applicationId)?.type === "kubernetes";
}

/** `types.ApplicationEntitlement` / `types.ApplicationLicense` as Distr serialises it (section 5.2). */
export function applicationLicenseView(row: ApplicationLicenseRow, state: DistrState, dialect: string) {
  const application = state.applications.find((a) => a.id === row.applicationId);
  const customer = state.customers.find((c) => c.id === row.customerOrganizationId);
  const versions = row.versionIds
    .map((id) => state.applicationVersions.find((v) => v.id === id))
    .filter((v) => v !== undefined)
    .sort(byCreatedAt)
    .map((v) =>
      dialect === "3"
        ? applicationVersionView(v)
        : {
            // B4.2: link_template missing from the SELECT shifts application_id into linkTemplate.
            id: v.id,
            createdAt: v.createdAt,
            ...(v.archivedAt !== undefined ? { archivedAt: v.archivedAt } : {}),
            name: v.name,
            linkTemplate: v.applicationId,
            applicationId: NIL_UUID,
          },
    );
  return {
    id: row.id,
    createdAt: row.createdAt,
    name: row.name,
    ...(row.expiresAt !== undefined ? { expiresAt: row.expiresAt } : {}),
    applicationId: row.applicationId,
    ...(row.customerOrganizationId !== undefined ? { customerOrganizationId: row.customerOrganizationId } : {}),
    ...(row.registryUrl !== undefined ? { registryUrl: row.registryUrl } : {}),
    ...(row.registryUsername !== undefined ? { registryUsername: row.registryUsername } : {}),
    ...(row.registryPassword !== undefined ? { registryPassword: row.registryPassword } : {}),
    versions,
    ...(application
      ? {
          application: {
            id: application.id,
            createdAt: application.createdAt,
            name: application.name,
            type: application.type,
            versions: null,
          },
        }
      : {}),
    ...(customer
      ? {
          customerOrganization: {
            id: customer.id,
            createdAt: customer.createdAt,
            organizationId: customer.organizationId,
            name: customer.name,
            ...(customer.imageId !== undefined ? { imageId: customer.imageId } : {}),
            features: customer.features,
          },
        }
      : {}),
  };
}

function nameTaken(
  context: RouteContext,
  row: { name: string; customerOrganizationId?: string | undefined },
  exceptId?: string,
) {
  const organizationId = context.principal.organization.id;
  return context.store.state.applicationLicenses.some(
    (l) =>
      l.id !== exceptId &&
      l.organizationId === organizationId &&
      l.name === row.name &&
      // 3.x: UNIQUE NULLS NOT DISTINCT (organization, customer, name); 2.x: (name, organization).
      (context.spec.nameScope === "organization" || l.customerOrganizationId === row.customerOrganizationId),
  );
}

/** The DB CHECK: registry URL, username and password all NULL or all set (quirk 10). */
function registryPartial(request: ApplicationLicenseRequest): boolean {
  const set = [request.registryUrl, request.registryUsername, request.registryPassword].filter((v) => v !== undefined);
  return set.length !== 0 && set.length !== 3;
}

function parseRequest(
  context: RouteContext,
): { ok: true; request: ApplicationLicenseRequest } | { ok: false; response: DistrResponse } {
  const decoded = decodeBody(context, requestStruct(context));
  if (!decoded.ok) return decoded;
  return { ok: true, request: RequestSchema.parse(decoded.value) };
}

function requestedVersionIds(request: ApplicationLicenseRequest): string[] {
  return (request.versions ?? []).map((v) => v.id ?? NIL_UUID);
}

function list(context: RouteContext): DistrResponse {
  const { state } = context.store;
  const filter = context.query.get("applicationId") ?? "";
  let applicationId: string | undefined;
  if (filter !== "") {
    const parsed = parseUuid(filter);
    if (!parsed.ok) return goError(400, COMMON_TEXTS.applicationIdQueryInvalid);
    applicationId = parsed.uuid;
  }
  const rows = state.applicationLicenses.filter(
    (l) =>
      l.organizationId === context.principal.organization.id &&
      (applicationId === undefined || l.applicationId === applicationId),
  );
  if (rows.some((row) => unreadableOn2x(state, row, context.dialect))) return emptyResponse(500);
  return jsonResponse(rows.map((row) => applicationLicenseView(row, state, context.dialect)));
}

function create(context: RouteContext): DistrResponse {
  const denied = requireRole(context, "read_write");
  if (denied) return denied;
  const parsed = parseRequest(context);
  if (!parsed.ok) return parsed.response;
  const { request } = parsed;
  const { state } = context.store;
  const tables = licensingTables(context.dialect);
  if (context.dialect === "3") {
    if ((request.name ?? "").trim() === "") return goError(400, COMMON_TEXTS.nameRequired);
    if ((request.applicationId ?? NIL_UUID) === NIL_UUID) return goError(400, COMMON_TEXTS.applicationRequired);
  }
  const row: ApplicationLicenseRow = {
    id: newUuid(),
    createdAt: nowDistrTime(),
    organizationId: context.principal.organization.id,
    name: request.name ?? "",
    applicationId: request.applicationId ?? NIL_UUID,
    versionIds: [],
    ...(request.expiresAt !== undefined ? { expiresAt: request.expiresAt } : {}),
    ...(request.customerOrganizationId !== undefined ? { customerOrganizationId: request.customerOrganizationId } : {}),
    ...(request.registryUrl !== undefined ? { registryUrl: request.registryUrl } : {}),
    ...(request.registryUsername !== undefined ? { registryUsername: request.registryUsername } : {}),
    ...(request.registryPassword !== undefined ? { registryPassword: request.registryPassword } : {}),
  };
  // PostgreSQL checks CHECK constraints, then unique indexes, then foreign keys.
  if (registryPartial(request))
    return goError(500, checkViolation(tables.applicationLicense, "registry_fields_all_or_none"));
  if (nameTaken(context, row)) return goError(400, context.texts.applicationLicenseNameTaken);
  if (!state.applications.some((a) => a.id === row.applicationId)) {
    return goError(
      500,
      foreignKeyViolation(tables.applicationLicense, `${tables.applicationLicense}_application_id_fkey`),
    );
  }
  if (row.customerOrganizationId !== undefined && !state.customers.some((c) => c.id === row.customerOrganizationId)) {
    return goError(
      500,
      foreignKeyViolation(tables.applicationLicense, `${tables.applicationLicense}_customer_organization_id_fkey`),
    );
  }
  for (const versionId of requestedVersionIds(request)) {
    if (!state.applicationVersions.some((v) => v.id === versionId)) {
      return goError(
        500,
        `could not insert relation: ${foreignKeyViolation(tables.applicationLicenseVersion, `${tables.applicationLicenseVersion}_application_version_id_fkey`)}`,
      );
    }
    if (!row.versionIds.includes(versionId)) row.versionIds.push(versionId);
  }
  // 2.x: the re-read inside the transaction fails for Helm licenses with versions → rollback, 200 empty (quirk 2/3).
  if (unreadableOn2x(state, row, context.dialect)) return emptyResponse(200);
  context.store.transaction((s) => s.applicationLicenses.push(row));
  return jsonResponse(applicationLicenseView(row, context.store.state, context.dialect));
}

/** Deployments of the license whose latest revision uses a version outside `kept` (3.x narrowing check). */
function deploymentsOutside(state: DistrState, licenseId: string, kept: readonly string[]) {
  return state.deployments
    .filter((d) => d.applicationLicenseId === licenseId && !kept.includes(d.applicationVersionId))
    .map((d) => ({
      deploymentTarget: state.deploymentTargets.find((t) => t.id === d.deploymentTargetId)?.name ?? "",
      version: state.applicationVersions.find((v) => v.id === d.applicationVersionId)?.name ?? "",
    }));
}

function update(context: RouteContext, existing: ApplicationLicenseRow): DistrResponse {
  const denied = requireRole(context, "read_write");
  if (denied) return denied;
  const parsed = parseRequest(context);
  if (!parsed.ok) return parsed.response;
  const { request } = parsed;
  const { state } = context.store;
  const tables = licensingTables(context.dialect);
  if (context.dialect === "3" && (request.name ?? "").trim() === "") return goError(400, COMMON_TEXTS.nameRequired);
  // Owner and application are only checked when the body carries `id` (quirk 7).
  if (request.id !== undefined && request.id !== NIL_UUID) {
    if (request.id !== existing.id) return emptyResponse(400);
    if (
      existing.customerOrganizationId !== undefined &&
      request.customerOrganizationId !== existing.customerOrganizationId
    ) {
      return goError(400, context.texts.ownerChange);
    }
    if ((request.applicationId ?? NIL_UUID) !== existing.applicationId) {
      return goError(400, COMMON_TEXTS.applicationChange);
    }
  }
  const next: ApplicationLicenseRow = {
    id: existing.id,
    createdAt: existing.createdAt,
    organizationId: existing.organizationId,
    name: request.name ?? "",
    // `applicationId` is never updated.
    applicationId: existing.applicationId,
    versionIds: existing.versionIds,
    ...(request.expiresAt !== undefined ? { expiresAt: request.expiresAt } : {}),
    ...(request.customerOrganizationId !== undefined ? { customerOrganizationId: request.customerOrganizationId } : {}),
    ...(request.registryUrl !== undefined ? { registryUrl: request.registryUrl } : {}),
    ...(request.registryUsername !== undefined ? { registryUsername: request.registryUsername } : {}),
    ...(request.registryPassword !== undefined ? { registryPassword: request.registryPassword } : {}),
  };
  // The UPDATE's failures: CHECK and FK give an empty 500, the unique name a 400.
  if (registryPartial(request)) return emptyResponse(500);
  if (nameTaken(context, next, existing.id)) return goError(400, context.texts.applicationLicenseNameTaken);
  if (next.customerOrganizationId !== undefined && !state.customers.some((c) => c.id === next.customerOrganizationId)) {
    return emptyResponse(500);
  }
  const requested = requestedVersionIds(request);
  const known = (id: string) => state.applicationVersions.some((v) => v.id === id);
  const current = existing.versionIds;
  if (context.dialect === "3") {
    const narrowing = requested.length > 0 && (current.length === 0 || current.some((id) => !requested.includes(id)));
    if (narrowing) {
      const uses = deploymentsOutside(state, existing.id, requested);
      if (uses.length > 0) return goError(409, narrowingInUse(uses));
    }
    // Unknown ids are silently dropped (quirk 9): only-unknown ids leave no links = all versions.
    next.versionIds = [...new Set(requested.filter(known))];
  } else {
    if (requested.length === 0) {
      next.versionIds = [];
    } else {
      const additions = requested.filter((id) => !current.includes(id));
      if (additions.some((id) => !known(id))) {
        return goError(
          500,
          foreignKeyViolation(
            tables.applicationLicenseVersion,
            `${tables.applicationLicenseVersion}_application_version_id_fkey`,
          ),
        );
      }
      if (current.length === 0 || current.some((id) => !requested.includes(id))) {
        return goError(400, context.texts.narrowingRejected);
      }
      next.versionIds = [...new Set([...current, ...additions])];
    }
    if (unreadableOn2x(state, next, context.dialect)) return emptyResponse(200);
  }
  context.store.transaction((s) => {
    const index = s.applicationLicenses.findIndex((l) => l.id === existing.id);
    s.applicationLicenses[index] = next;
  });
  return jsonResponse(applicationLicenseView(next, context.store.state, context.dialect));
}

function remove(context: RouteContext, existing: ApplicationLicenseRow): DistrResponse {
  const denied = requireRole(context, "read_write");
  if (denied) return denied;
  if (context.store.state.deployments.some((d) => d.applicationLicenseId === existing.id)) {
    return goError(400, context.texts.deleteInUse);
  }
  context.store.transaction((s) => {
    s.applicationLicenses = s.applicationLicenses.filter((l) => l.id !== existing.id);
  });
  return emptyResponse(204);
}

export function handleApplicationLicenses(context: RouteContext): DistrResponse {
  const unlicensed = requireLicensing(context);
  if (unlicensed) return unlicensed;
  const [rawId, ...rest] = context.segments;
  if (rawId === undefined) {
    if (context.method === "GET") return list(context);
    if (context.method === "POST") return create(context);
    return methodNotAllowed(["GET", "POST"]);
  }
  // The /{id} middleware: UUID, existence (404 empty), visibility (403 empty), load failure (500 empty).
  const id = parseUuid(rawId);
  if (!id.ok) return goError(400, invalidUuidParam(context.spec.idParams.applicationLicense));
  const { state } = context.store;
  const existing = state.applicationLicenses.find((l) => l.id === id.uuid);
  if (!existing) return emptyResponse(404);
  if (unreadableOn2x(state, existing, context.dialect)) return emptyResponse(500);
  if (existing.organizationId !== context.principal.organization.id) return emptyResponse(403);
  if (rest.length > 0) return pageNotFound();
  if (context.method === "GET") return jsonResponse(applicationLicenseView(existing, state, context.dialect));
  if (context.method === "PUT") return update(context, existing);
  if (context.method === "DELETE") return remove(context, existing);
  return methodNotAllowed(["GET", "PUT", "DELETE"]);
}
