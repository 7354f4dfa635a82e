/**
 * `/artifact-entitlements` (3.x, distr-api.md section 6) and `/artifact-licenses` (2.x, B5). Create and update
 * answer with an echo of the request (quirk 11); the list is the stored truth. No GET by id (quirk 4).
 */
import { compareNames } from "../collation";
import { z } from "zod";
import { COMMON_TEXTS, invalidUuidParam } from "../../sdk/errorTexts";
import { nowDistrTime } from "../distrTime";
import type { GoStruct } from "../goJson";
import { foreignKeyViolation, licensingTables } from "../postgresErrors";
import { emptyResponse, goError, jsonResponse, methodNotAllowed, pageNotFound, type DistrResponse } from "../responses";
import type { ArtifactLicenseRow, ArtifactSelectionRow, DistrState } from "../store";
import { NIL_UUID, newUuid, parseUuid } from "../uuid";
import { decodeBody, requireLicensing, requireRole, type RouteContext } from "./routeContext";

function requestStruct(context: RouteContext): GoStruct {
  const noun = context.dialect === "3" ? "ArtifactEntitlement" : "ArtifactLicense";
  return {
    goType: `types.${noun}`,
    fields: {
      id: { kind: "uuid" },
      createdAt: { kind: "time" },
      name: { kind: "string" },
      expiresAt: { kind: "time" },
      customerOrganizationId: { kind: "uuid" },
      artifacts: {
        kind: "list",
        goType: `[]types.${noun}Selection`,
        of: {
          kind: "struct",
          struct: {
            goType: `types.${noun}Selection`,
            fields: {
              artifactId: { kind: "uuid" },
              versionIds: { kind: "list", goType: "[]uuid.UUID", of: { kind: "uuid" } },
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
  customerOrganizationId: z.string().optional(),
  artifacts: z
    .array(z.object({ artifactId: z.string().optional(), versionIds: z.array(z.string()).nullable().optional() }))
    .optional(),
});
type ArtifactLicenseRequest = z.infer<typeof RequestSchema>;

interface Selection {
  artifactId: string;
  versionIds: string[] | null;
}

function selectionsOf(request: ArtifactLicenseRequest): Selection[] {
  return (request.artifacts ?? []).map((a) => ({
    artifactId: a.artifactId ?? NIL_UUID,
    versionIds: a.versionIds ?? null,
  }));
}

/** The list shape: selections by artifact id, all-versions as `[]`, `artifacts` omitted when empty. */
export function artifactLicenseView(row: ArtifactLicenseRow) {
  const byArtifact = new Map<string, string[]>();
  for (const selection of row.selections) {
    const versions = byArtifact.get(selection.artifactId) ?? [];
    if (selection.versionId !== null) versions.push(selection.versionId);
    byArtifact.set(selection.artifactId, versions);
  }
  const artifacts = [...byArtifact.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([artifactId, versionIds]) => ({ artifactId, versionIds }));
  return {
    ...head(row),
    ...(artifacts.length > 0 ? { artifacts } : {}),
  };
}

function head(row: ArtifactLicenseRow) {
  return {
    id: row.id,
    createdAt: row.createdAt,
    name: row.name,
    ...(row.expiresAt !== undefined ? { expiresAt: row.expiresAt } : {}),
    ...(row.customerOrganizationId !== undefined ? { customerOrganizationId: row.customerOrganizationId } : {}),
  };
}

/** Create/update answer: the row's columns plus the request's selections verbatim (section 6.4). */
function echoView(row: ArtifactLicenseRow, selections: Selection[]) {
  return { ...head(row), ...(selections.length > 0 ? { artifacts: selections } : {}) };
}

export function sortedArtifactLicenses(state: DistrState, organizationId: string): ArtifactLicenseRow[] {
  return state.artifactLicenses
    .filter((l) => l.organizationId === organizationId)
    .sort((a, b) => compareNames(a.name, b.name));
}

function validateSelections(context: RouteContext, selections: Selection[]): DistrResponse | undefined {
  const artifacts = new Set<string>();
  for (const selection of selections) {
    if (artifacts.has(selection.artifactId)) return goError(400, COMMON_TEXTS.duplicateArtifact);
    // 2.x keyed its duplicate check on the artifact id, so duplicate versions pass (and the DB de-duplicates).
    if (context.dialect === "3" && new Set(selection.versionIds ?? []).size !== (selection.versionIds ?? []).length) {
      return goError(400, COMMON_TEXTS.duplicateArtifactVersion);
    }
    artifacts.add(selection.artifactId);
  }
  return undefined;
}

function nameTaken(context: RouteContext, row: ArtifactLicenseRow): boolean {
  return context.store.state.artifactLicenses.some(
    (l) =>
      l.id !== row.id &&
      l.organizationId === row.organizationId &&
      l.name === row.name &&
      (context.spec.nameScope === "organization" || l.customerOrganizationId === row.customerOrganizationId),
  );
}

/** Inserts of the row's columns and its selection rows, with PostgreSQL's errors; undefined when all succeed. */
function selectionRows(
  context: RouteContext,
  row: ArtifactLicenseRow,
  selections: Selection[],
): { ok: true; rows: ArtifactSelectionRow[] } | { ok: false; response: DistrResponse } {
  const { state } = context.store;
  const tables = licensingTables(context.dialect);
  if (nameTaken(context, row)) return { ok: false, response: goError(400, context.texts.artifactLicenseNameTaken) };
  if (row.customerOrganizationId !== undefined && !state.customers.some((c) => c.id === row.customerOrganizationId)) {
    const constraint = `${tables.artifactLicense}_customer_organization_id_fkey`;
    return { ok: false, response: goError(500, foreignKeyViolation(tables.artifactLicense, constraint)) };
  }
  const rows: ArtifactSelectionRow[] = [];
  for (const selection of selections) {
    const fk = (column: string) => ({
      ok: false as const,
      response: goError(
        500,
        foreignKeyViolation(tables.artifactLicenseArtifact, `${tables.artifactLicenseArtifact}_${column}_fkey`),
      ),
    });
    if (!state.artifacts.some((a) => a.id === selection.artifactId)) return fk("artifact_id");
    const versionIds = selection.versionIds ?? [];
    if (versionIds.length === 0) rows.push({ artifactId: selection.artifactId, versionId: null });
    for (const versionId of versionIds) {
      if (!state.artifactVersions.some((v) => v.id === versionId)) return fk("artifact_version_id");
      // ON CONFLICT DO NOTHING: duplicates collapse (2.x; 3.x rejected them before).
      if (!rows.some((r) => r.artifactId === selection.artifactId && r.versionId === versionId)) {
        rows.push({ artifactId: selection.artifactId, versionId });
      }
    }
  }
  return { ok: true, rows };
}

function parseRequest(
  context: RouteContext,
): { ok: true; request: ArtifactLicenseRequest; selections: Selection[] } | { ok: false; response: DistrResponse } {
  const decoded = decodeBody(context, requestStruct(context));
  if (!decoded.ok) return decoded;
  const request = RequestSchema.parse(decoded.value);
  if (context.dialect === "3" && (request.name ?? "").trim() === "") {
    return { ok: false, response: goError(400, COMMON_TEXTS.nameRequired) };
  }
  const selections = selectionsOf(request);
  const invalid = validateSelections(context, selections);
  if (invalid) return { ok: false, response: invalid };
  return { ok: true, request, selections };
}

function create(context: RouteContext): DistrResponse {
  const denied = requireRole(context, "read_write");
  if (denied) return denied;
  const parsed = parseRequest(context);
  if (!parsed.ok) return parsed.response;
  const { request, selections } = parsed;
  const row: ArtifactLicenseRow = {
    id: newUuid(),
    createdAt: nowDistrTime(),
    organizationId: context.principal.organization.id,
    name: request.name ?? "",
    selections: [],
    ...(request.expiresAt !== undefined ? { expiresAt: request.expiresAt } : {}),
    ...(request.customerOrganizationId !== undefined ? { customerOrganizationId: request.customerOrganizationId } : {}),
  };
  const inserted = selectionRows(context, row, selections);
  if (!inserted.ok) return inserted.response;
  row.selections = inserted.rows;
  context.store.transaction((s) => s.artifactLicenses.push(row));
  return jsonResponse(echoView(row, selections));
}

function update(context: RouteContext, existing: ArtifactLicenseRow): DistrResponse {
  const parsed = parseRequest(context);
  if (!parsed.ok) return parsed.response;
  const { request, selections } = parsed;
  if (request.id !== undefined && request.id !== NIL_UUID && request.id !== existing.id) return emptyResponse(400);
  // Full replacement, customer included (no owner rule), selections replaced as a whole.
  const row: ArtifactLicenseRow = {
    id: existing.id,
    createdAt: existing.createdAt,
    organizationId: existing.organizationId,
    name: request.name ?? "",
    selections: [],
    ...(request.expiresAt !== undefined ? { expiresAt: request.expiresAt } : {}),
    ...(request.customerOrganizationId !== undefined ? { customerOrganizationId: request.customerOrganizationId } : {}),
  };
  const inserted = selectionRows(context, row, selections);
  if (!inserted.ok) return inserted.response;
  row.selections = inserted.rows;
  context.store.transaction((s) => {
    const index = s.artifactLicenses.findIndex((l) => l.id === existing.id);
    s.artifactLicenses[index] = row;
  });
  return jsonResponse(echoView(row, selections));
}

function remove(context: RouteContext, existing: ArtifactLicenseRow): DistrResponse {
  // 2.x: the middleware has no org check, the DELETE has (B5).
  if (existing.organizationId !== context.principal.organization.id) return pageNotFound();
  context.store.transaction((s) => {
    s.artifactLicenses = s.artifactLicenses.filter((l) => l.id !== existing.id);
  });
  return emptyResponse(204);
}

export function handleArtifactLicenses(context: RouteContext): DistrResponse {
  const unlicensed = requireLicensing(context);
  if (unlicensed) return unlicensed;
  const [rawId, ...rest] = context.segments;
  if (rawId === undefined) {
    if (context.method === "GET") {
      return jsonResponse(
        sortedArtifactLicenses(context.store.state, context.principal.organization.id).map(artifactLicenseView),
      );
    }
    if (context.method === "POST") return create(context);
    return methodNotAllowed(["GET", "POST"]);
  }
  // The whole /{id} route sits in the read_write group, behind the UUID and existence middleware.
  const denied = requireRole(context, "read_write");
  if (denied) return denied;
  const id = parseUuid(rawId);
  if (!id.ok) return goError(400, invalidUuidParam(context.spec.idParams.artifactLicense));
  const existing = context.store.state.artifactLicenses.find((l) => l.id === id.uuid);
  if (!existing) return emptyResponse(404);
  // 3.x checks the organization in the middleware (2.22.0); 2.x does not (PUT by id only).
  if (context.dialect === "3" && existing.organizationId !== context.principal.organization.id)
    return emptyResponse(404);
  if (rest.length > 0) return pageNotFound();
  if (context.method === "PUT") return update(context, existing);
  if (context.method === "DELETE") return remove(context, existing);
  return methodNotAllowed(["PUT", "DELETE"]);
}
