/**
 * `/license-keys` (3.x, distr-api.md section 8, Distr 3.1.0 `handlers/license_keys.go`): keys with append-only
 * revisions, tokens signed with the hub's Ed25519 key, the affected-deployments 409s of update and delete.
 */
import { COMMON_TEXTS, LICENSE_KEY_TEXTS, registeredClaimInPayload } from "../../sdk/errorTexts";
import { compareNames } from "../collation";
import { compareDistrTimes, fromEpochMicros, nowDistrTime } from "../distrTime";
import { readJsonValue, type GoStruct, type JsonValue } from "../goJson";
import { signLicenseKeyToken } from "../licenseKeySigning";
import { foreignKeyViolation } from "../postgresErrors";
import { emptyResponse, goError, jsonResponse, methodNotAllowed, pageNotFound, type DistrResponse } from "../responses";
import type { DistrState, KeyDeploymentRow, LicenseKeyRevisionRow, LicenseKeyRow } from "../store";
import { newUuid, parseUuid } from "../uuid";
import { decodeBody, requireLicensing, requireRole, type RouteContext } from "./routeContext";

const CREATE_REQUEST: GoStruct = {
  goType: "api.CreateLicenseKeyRequest",
  fields: {
    name: { kind: "string" },
    description: { kind: "string" },
    notBefore: { kind: "time" },
    expiresAt: { kind: "time" },
    customerOrganizationId: { kind: "uuid" },
    licenseTemplateId: { kind: "uuid" },
  },
};

const UPDATE_REQUEST: GoStruct = {
  goType: "api.UpdateLicenseKeyRequest",
  fields: {
    description: { kind: "string" },
    notBefore: { kind: "time" },
    expiresAt: { kind: "time" },
    licenseTemplateId: { kind: "uuid" },
  },
};

const REGISTERED_CLAIMS = ["exp", "nbf", "iss", "sub", "aud", "iat", "org"];

type Payload = Record<string, unknown>;

/** The body's `payload` member (a `json.RawMessage`: any JSON value), matched like Go matches keys. */
function rawPayload(context: RouteContext): JsonValue | undefined {
  const read = readJsonValue(context.body.bytes);
  if (!read.ok || read.value === null || typeof read.value !== "object" || Array.isArray(read.value)) return undefined;
  const object = read.value;
  const key =
    Object.keys(object).find((k) => k === "payload") ?? Object.keys(object).find((k) => k.toLowerCase() === "payload");
  const value = key === undefined ? undefined : object[key];
  return value === null ? undefined : value;
}

function goKind(value: JsonValue): string {
  if (Array.isArray(value)) return "array";
  if (typeof value === "boolean") return "bool";
  return typeof value === "number" ? "number" : "string";
}

/** `licensekey.ValidatePayload`: a JSON object without registered JWT claims. */
function validatePayload(value: JsonValue | undefined): { ok: true; payload: Payload } | { ok: false; error: string } {
  if (value === undefined) return { ok: false, error: "invalid JSON payload: unexpected end of JSON input" };
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return {
      ok: false,
      error: `invalid JSON payload: json: cannot unmarshal ${goKind(value)} into Go value of type map[string]interface {}`,
    };
  }
  const claim = Object.keys(value).find((key) => REGISTERED_CLAIMS.includes(key));
  if (claim !== undefined) return { ok: false, error: registeredClaimInPayload(claim) };
  return { ok: true, payload: jsonb(value) as Payload };
}

/** How PostgreSQL's jsonb stores an object: keys ordered by length, then bytewise; nested objects likewise. */
function jsonb(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(jsonb);
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value).sort((a, b) => {
      const la = Buffer.byteLength(a);
      const lb = Buffer.byteLength(b);
      return la !== lb ? la - lb : Buffer.compare(Buffer.from(a), Buffer.from(b));
    });
    return Object.fromEntries(keys.map((key) => [key, jsonb((value as Record<string, unknown>)[key])]));
  }
  return value;
}

/** Compact JSON with sorted keys: Distr compares payloads after a Go unmarshal/marshal round trip. */
function normalized(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v !== null && typeof v === "object") {
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .map((key) => [key, sort((v as Record<string, unknown>)[key])]),
      );
    }
    return v;
  };
  return JSON.stringify(sort(value));
}

/** The instant a request time denotes, as a stored (UTC, microseconds) time: the offset applied, not dropped. */
function utcInstant(input: string, wallClock: string): string {
  const zone = /([+-])(\d\d):(\d\d)$/.exec(input);
  if (!zone) return wallClock;
  const offsetMinutes = (zone[1] === "-" ? -1 : 1) * (Number(zone[2]) * 60 + Number(zone[3]));
  const match = /^(.{19})(?:\.(\d{1,6}))?Z$/.exec(wallClock);
  const micros = Date.parse(`${match?.[1] ?? wallClock}Z`) * 1000 + Number((match?.[2] ?? "").padEnd(6, "0"));
  return fromEpochMicros(micros - offsetMinutes * 60_000_000);
}

/** The latest revision (created_at DESC, id DESC). */
function latestRevision(state: DistrState, keyId: string): LicenseKeyRevisionRow | undefined {
  return revisionsOf(state, keyId)[0];
}

function revisionsOf(state: DistrState, keyId: string): LicenseKeyRevisionRow[] {
  return state.licenseKeyRevisions
    .filter((r) => r.licenseKeyId === keyId)
    .sort((a, b) => compareDistrTimes(b.createdAt, a.createdAt) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}

interface KeyWithRevision {
  readonly row: LicenseKeyRow;
  readonly revision: LicenseKeyRevisionRow | undefined;
}

/** `types.LicenseKey` as JSON: omitempty fields absent, the latest revision's content. */
function keyView({ row, revision }: KeyWithRevision) {
  return {
    id: row.id,
    createdAt: row.createdAt,
    name: row.name,
    ...(row.description !== undefined ? { description: row.description } : {}),
    ...(revision ? { payload: revision.payload, notBefore: revision.notBefore, expiresAt: revision.expiresAt } : {}),
    ...(revision ? { lastRevisedAt: revision.createdAt } : {}),
    ...(row.customerOrganizationId !== undefined ? { customerOrganizationId: row.customerOrganizationId } : {}),
    ...(row.licenseTemplateId !== undefined ? { licenseTemplateId: row.licenseTemplateId } : {}),
  };
}

function signingKey(state: DistrState): string {
  if (state.licenseKeySigningKey === undefined) throw new Error("local Distr has no license key signing key");
  return state.licenseKeySigningKey;
}

function tokenOf(context: RouteContext, row: LicenseKeyRow, revision: LicenseKeyRevisionRow): string {
  return signLicenseKeyToken(signingKey(context.store.state), {
    issuer: context.host,
    licenseKeyId: row.id,
    organizationId: row.organizationId,
    issuedAt: revision.createdAt,
    notBefore: revision.notBefore,
    expiresAt: revision.expiresAt,
    payload: revision.payload,
  });
}

function list(context: RouteContext): DistrResponse {
  const { state } = context.store;
  const keys = state.licenseKeys
    .filter((k) => k.organizationId === context.principal.organization.id)
    .sort((a, b) => compareNames(a.name, b.name))
    .map((row) => keyView({ row, revision: latestRevision(state, row.id) }));
  return jsonResponse(keys);
}

function templateOfOrganization(context: RouteContext, id: string): boolean {
  return context.store.state.licenseTemplates.some(
    (t) => t.id === id && t.organizationId === context.principal.organization.id,
  );
}

function create(context: RouteContext): DistrResponse {
  const denied = requireRole(context, "read_write");
  if (denied) return denied;
  const decoded = decodeBody(context, CREATE_REQUEST);
  if (!decoded.ok) return decoded.response;
  const body = decoded.value as Partial<Record<keyof typeof CREATE_REQUEST.fields, string>>;
  if ((body.name ?? "").trim() === "") return goError(400, COMMON_TEXTS.nameRequired);
  const { state } = context.store;
  let revision: Omit<LicenseKeyRevisionRow, "id" | "createdAt" | "licenseKeyId"> | undefined;
  if (body.licenseTemplateId !== undefined) {
    if (!templateOfOrganization(context, body.licenseTemplateId)) {
      return goError(400, LICENSE_KEY_TEXTS.templateNotFound);
    }
  } else {
    // time.Time without a pointer: missing means the zero time.
    if (body.notBefore === undefined) return goError(400, LICENSE_KEY_TEXTS.notBeforeRequired);
    if (body.expiresAt === undefined) return goError(400, LICENSE_KEY_TEXTS.expiresAtRequired);
    const notBefore = utcInstant(rawTime(context, "notBefore"), body.notBefore);
    const expiresAt = utcInstant(rawTime(context, "expiresAt"), body.expiresAt);
    if (compareDistrTimes(expiresAt, notBefore) <= 0) return goError(400, LICENSE_KEY_TEXTS.expiresAtNotAfterNotBefore);
    const payload = validatePayload(rawPayload(context));
    if (!payload.ok) return goError(400, payload.error);
    // pgx writes the wall clock into the TIMESTAMP columns (quirk 17).
    revision = { notBefore: body.notBefore, expiresAt: body.expiresAt, payload: payload.payload };
  }
  const customerId = body.customerOrganizationId;
  const taken = state.licenseKeys.some(
    (k) =>
      k.organizationId === context.principal.organization.id &&
      k.name === body.name &&
      k.customerOrganizationId === customerId,
  );
  if (taken) return goError(400, LICENSE_KEY_TEXTS.keyNameTaken);
  if (customerId !== undefined && !state.customers.some((c) => c.id === customerId)) {
    return goError(500, foreignKeyViolation("licensekey", "licensekey_customer_organization_id_fkey"));
  }
  const row: LicenseKeyRow = {
    id: newUuid(),
    createdAt: nowDistrTime(),
    organizationId: context.principal.organization.id,
    name: body.name ?? "",
    ...(body.description !== undefined ? { description: body.description } : {}),
    ...(customerId !== undefined ? { customerOrganizationId: customerId } : {}),
    ...(body.licenseTemplateId !== undefined ? { licenseTemplateId: body.licenseTemplateId } : {}),
  };
  const stored =
    revision === undefined
      ? undefined
      : { id: newUuid(), createdAt: nowDistrTime(), licenseKeyId: row.id, ...revision };
  context.store.transaction((s) => {
    s.licenseKeys.push(row);
    if (stored) s.licenseKeyRevisions.push(stored);
  });
  return jsonResponse(keyView({ row, revision: stored }));
}

/** The time string as sent (for its zone offset); decodeBody already proved it is a valid RFC 3339 string. */
function rawTime(context: RouteContext, field: string): string {
  const read = readJsonValue(context.body.bytes);
  if (!read.ok || read.value === null || typeof read.value !== "object" || Array.isArray(read.value)) return "";
  const object = read.value;
  const key =
    Object.keys(object).find((k) => k === field) ??
    Object.keys(object).find((k) => k.toLowerCase() === field.toLowerCase());
  const value = key === undefined ? undefined : object[key];
  return typeof value === "string" ? value : "";
}

/**
 * Deployments of the key's customer whose values would render differently with the new key: every deployment
 * whose template references the key by name (the token changes with every revision: `iat` is the revision time).
 */
function affectedBy(state: DistrState, key: LicenseKeyRow, change: "revise" | "delete"): KeyDeploymentRow[] {
  if (key.customerOrganizationId === undefined) return [];
  const targets = new Set(
    state.deploymentTargets.filter((t) => t.customerOrganizationId === key.customerOrganizationId).map((t) => t.id),
  );
  // A key without revision is not in the template data: a delete cannot break what never rendered it.
  if (change === "delete" && latestRevision(state, key.id) === undefined) return [];
  return state.keyDeployments.filter((d) => targets.has(d.deploymentTargetId) && d.licenseKeyNames.includes(key.name));
}

function affectedView(state: DistrState, deployments: KeyDeploymentRow[]) {
  return deployments.map((d) => ({
    deploymentTargetId: d.deploymentTargetId,
    deploymentTargetName: state.deploymentTargets.find((t) => t.id === d.deploymentTargetId)?.name ?? "",
    deploymentId: d.id,
    applicationName: d.applicationName,
  }));
}

function update(context: RouteContext, existing: LicenseKeyRow): DistrResponse {
  const denied = requireRole(context, "read_write");
  if (denied) return denied;
  const decoded = decodeBody(context, UPDATE_REQUEST);
  if (!decoded.ok) return decoded.response;
  const body = decoded.value as Partial<Record<keyof typeof UPDATE_REQUEST.fields, string>>;
  const { state } = context.store;
  if (body.licenseTemplateId !== undefined && !templateOfOrganization(context, body.licenseTemplateId)) {
    return goError(400, LICENSE_KEY_TEXTS.templateNotFound);
  }
  const sentPayload = rawPayload(context);
  let payload: Payload | undefined;
  if (sentPayload !== undefined) {
    const validated = validatePayload(sentPayload);
    if (!validated.ok) return goError(400, validated.error);
    payload = validated.payload;
  }
  const latest = latestRevision(state, existing.id);
  // Effective times are compared as Distr holds them: the request's as parsed by Go, the stored as read back.
  const notBeforeInstant =
    body.notBefore === undefined ? undefined : utcInstant(rawTime(context, "notBefore"), body.notBefore);
  const expiresAtInstant =
    body.expiresAt === undefined ? undefined : utcInstant(rawTime(context, "expiresAt"), body.expiresAt);
  const effectiveNotBefore = notBeforeInstant ?? latest?.notBefore;
  const effectiveExpiresAt = expiresAtInstant ?? latest?.expiresAt;
  if (
    effectiveNotBefore !== undefined &&
    effectiveExpiresAt !== undefined &&
    compareDistrTimes(effectiveExpiresAt, effectiveNotBefore) <= 0
  ) {
    return goError(400, LICENSE_KEY_TEXTS.expiresAtNotAfterNotBefore);
  }
  // A revision when a given value differs from the latest: times compared as UTC instants (a non-UTC offset never
  // equals the stored wall clock, quirk 17), payloads after JSON normalization.
  const needsRevision =
    (notBeforeInstant !== undefined &&
      (latest === undefined || compareDistrTimes(latest.notBefore, notBeforeInstant) !== 0)) ||
    (expiresAtInstant !== undefined &&
      (latest === undefined || compareDistrTimes(latest.expiresAt, expiresAtInstant) !== 0)) ||
    (payload !== undefined && (latest === undefined || normalized(latest.payload) !== normalized(payload)));
  const revision = needsRevision
    ? {
        notBefore: body.notBefore ?? latest?.notBefore,
        expiresAt: body.expiresAt ?? latest?.expiresAt,
        payload: payload ?? latest?.payload,
      }
    : undefined;
  let affected: KeyDeploymentRow[] = [];
  if (revision !== undefined && existing.customerOrganizationId !== undefined) {
    if (revision.notBefore === undefined || revision.expiresAt === undefined || revision.payload === undefined) {
      return goError(400, LICENSE_KEY_TEXTS.revisionFieldsRequired);
    }
    affected = affectedBy(state, existing, "revise");
  }
  const confirm = context.query.get("confirm") === "true";
  if (!confirm && affected.length > 0) {
    return jsonResponse({ affectedDeployments: affectedView(state, affected) }, 409);
  }
  if (
    revision !== undefined &&
    (revision.notBefore === undefined || revision.expiresAt === undefined || revision.payload === undefined)
  ) {
    return goError(400, LICENSE_KEY_TEXTS.revisionFieldsRequired);
  }
  const row: LicenseKeyRow = {
    id: existing.id,
    createdAt: existing.createdAt,
    organizationId: existing.organizationId,
    name: existing.name,
    // Full replacement of the metadata: omitted means cleared.
    ...(body.description !== undefined ? { description: body.description } : {}),
    ...(existing.customerOrganizationId !== undefined
      ? { customerOrganizationId: existing.customerOrganizationId }
      : {}),
    ...(body.licenseTemplateId !== undefined ? { licenseTemplateId: body.licenseTemplateId } : {}),
  };
  const stored =
    revision === undefined
      ? undefined
      : {
          id: newUuid(),
          createdAt: nowDistrTime(),
          licenseKeyId: row.id,
          notBefore: revision.notBefore!,
          expiresAt: revision.expiresAt!,
          payload: revision.payload!,
        };
  const affectedIds = new Set(affected.map((d) => d.id));
  context.store.transaction((s) => {
    const index = s.licenseKeys.findIndex((k) => k.id === row.id);
    s.licenseKeys[index] = row;
    if (stored) s.licenseKeyRevisions.push(stored);
    // Confirmed: a new deployment revision for each affected deployment (a re-deploy with the new token).
    for (const deployment of s.keyDeployments) if (affectedIds.has(deployment.id)) deployment.valuesRevision += 1;
  });
  return jsonResponse({
    ...keyView({ row, revision: stored ?? latest }),
    affectedDeployments: affectedView(context.store.state, affected),
  });
}

function remove(context: RouteContext, existing: LicenseKeyRow): DistrResponse {
  const denied = requireRole(context, "read_write");
  if (denied) return denied;
  const { state } = context.store;
  const referencing = affectedBy(state, existing, "delete");
  if (referencing.length > 0) return jsonResponse({ affectedDeployments: affectedView(state, referencing) }, 409);
  context.store.transaction((s) => {
    s.licenseKeys = s.licenseKeys.filter((k) => k.id !== existing.id);
    s.licenseKeyRevisions = s.licenseKeyRevisions.filter((r) => r.licenseKeyId !== existing.id);
  });
  return emptyResponse(204);
}

function token(context: RouteContext, row: LicenseKeyRow): DistrResponse {
  const revision = latestRevision(context.store.state, row.id);
  if (!revision) return goError(422, LICENSE_KEY_TEXTS.noRevisionYet);
  return jsonResponse({ token: tokenOf(context, row, revision) });
}

function revisions(context: RouteContext, row: LicenseKeyRow): DistrResponse {
  return jsonResponse(
    revisionsOf(context.store.state, row.id).map((r) => ({
      id: r.id,
      createdAt: r.createdAt,
      notBefore: r.notBefore,
      expiresAt: r.expiresAt,
      payload: r.payload,
      token: tokenOf(context, row, r),
    })),
  );
}

export function handleLicenseKeys(context: RouteContext): DistrResponse {
  const unlicensed = requireLicensing(context);
  if (unlicensed) return unlicensed;
  const [rawId, ...rest] = context.segments;
  if (rawId === undefined) {
    if (context.method === "GET") return list(context);
    if (context.method === "POST") return create(context);
    return methodNotAllowed(["GET", "POST"]);
  }
  // licenseKeyMiddleware: UUID, existence, organization; then the routes below /{id}.
  const id = parseUuid(rawId);
  if (!id.ok) return goError(400, LICENSE_KEY_TEXTS.licenseKeyIdInvalid);
  const row = context.store.state.licenseKeys.find((k) => k.id === id.uuid);
  if (!row || row.organizationId !== context.principal.organization.id) return emptyResponse(404);
  const [sub, ...more] = rest;
  if (more.length > 0) return pageNotFound();
  if (sub === undefined) {
    if (context.method === "PUT") return update(context, row);
    if (context.method === "DELETE") return remove(context, row);
    return methodNotAllowed(["PUT", "DELETE"]);
  }
  if (sub === "token" || sub === "revisions") {
    if (context.method !== "GET") return methodNotAllowed(["GET"]);
    return sub === "token" ? token(context, row) : revisions(context, row);
  }
  return pageNotFound();
}
