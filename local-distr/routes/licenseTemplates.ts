/**
 * `/license-templates` (3.x since 2.18.0, section 8.7, Distr 3.1.0 `handlers/license_templates.go`): vendor only,
 * feature `vendor_billing`; the template must render to JSON with an empty subscription (payloadTemplate.ts).
 */
import { COMMON_TEXTS, featureNotEnabled, LICENSE_KEY_TEXTS } from "../../sdk/errorTexts";
import { VENDOR_BILLING_FEATURE } from "../../sdk/schemas/licenseTemplate";
import { compareNames } from "../collation";
import { nowDistrTime } from "../distrTime";
import { readJsonValue, type GoStruct } from "../goJson";
import { validatePayloadTemplate } from "../payloadTemplate";
import { emptyResponse, goError, jsonResponse, methodNotAllowed, pageNotFound, type DistrResponse } from "../responses";
import type { LicenseTemplateRow } from "../store";
import { newUuid, parseUuid } from "../uuid";
import { decodeBody, requireRole, type RouteContext } from "./routeContext";

const REQUEST: GoStruct = {
  goType: "api.CreateLicenseTemplateRequest",
  fields: { name: { kind: "string" }, payloadTemplate: { kind: "string" } },
};

function view(row: LicenseTemplateRow) {
  return {
    id: row.id,
    createdAt: row.createdAt,
    name: row.name,
    payloadTemplate: row.payloadTemplate,
    expirationGracePeriodDays: row.expirationGracePeriodDays,
  };
}

/** `expirationGracePeriodDays` is a Go `int`: a JSON number without fraction, else the decoder's error. */
function gracePeriod(context: RouteContext, goType: string): { ok: true; days: number } | { ok: false; error: string } {
  const read = readJsonValue(context.body.bytes);
  if (!read.ok || read.value === null || typeof read.value !== "object" || Array.isArray(read.value)) {
    return { ok: true, days: 0 };
  }
  const object = read.value;
  const key =
    Object.keys(object).find((k) => k === "expirationGracePeriodDays") ??
    Object.keys(object).find((k) => k.toLowerCase() === "expirationgraceperioddays");
  const value = key === undefined ? null : object[key];
  if (value === null || value === undefined) return { ok: true, days: 0 };
  const kind = Array.isArray(value)
    ? "array"
    : typeof value === "object"
      ? "object"
      : typeof value === "boolean"
        ? "bool"
        : typeof value;
  if (typeof value !== "number") {
    return {
      ok: false,
      error: `json: cannot unmarshal ${kind} into Go struct field ${goType.slice(goType.indexOf(".") + 1)}.expirationGracePeriodDays of type int`,
    };
  }
  if (!Number.isInteger(value)) {
    return {
      ok: false,
      error: `json: cannot unmarshal number ${JSON.stringify(value)} into Go struct field ${goType.slice(goType.indexOf(".") + 1)}.expirationGracePeriodDays of type int`,
    };
  }
  return { ok: true, days: value };
}

function parse(
  context: RouteContext,
  goType: string,
): { ok: true; name: string; payloadTemplate: string; days: number } | { ok: false; response: DistrResponse } {
  const decoded = decodeBody(context, { ...REQUEST, goType });
  if (!decoded.ok) return decoded;
  const days = gracePeriod(context, goType);
  if (!days.ok) return { ok: false, response: goError(400, days.error) };
  const body = decoded.value as { name?: string; payloadTemplate?: string };
  const name = body.name ?? "";
  const payloadTemplate = body.payloadTemplate ?? "";
  if (name === "") return { ok: false, response: goError(400, COMMON_TEXTS.nameRequired) };
  if (payloadTemplate === "") return { ok: false, response: goError(400, LICENSE_KEY_TEXTS.payloadTemplateRequired) };
  if (days.days < 0) return { ok: false, response: goError(400, LICENSE_KEY_TEXTS.gracePeriodNegative) };
  const invalid = validatePayloadTemplate(payloadTemplate);
  if (invalid !== undefined) {
    return { ok: false, response: goError(400, `bad request: invalid payload template: ${invalid}`) };
  }
  return { ok: true, name, payloadTemplate, days: days.days };
}

function nameTaken(context: RouteContext, name: string, exceptId?: string): boolean {
  return context.store.state.licenseTemplates.some(
    (t) => t.organizationId === context.principal.organization.id && t.name === name && t.id !== exceptId,
  );
}

function create(context: RouteContext): DistrResponse {
  const parsed = parse(context, "api.CreateLicenseTemplateRequest");
  if (!parsed.ok) return parsed.response;
  if (nameTaken(context, parsed.name)) return goError(400, LICENSE_KEY_TEXTS.templateNameTaken);
  const row: LicenseTemplateRow = {
    id: newUuid(),
    createdAt: nowDistrTime(),
    organizationId: context.principal.organization.id,
    name: parsed.name,
    payloadTemplate: parsed.payloadTemplate,
    expirationGracePeriodDays: parsed.days,
  };
  context.store.transaction((s) => s.licenseTemplates.push(row));
  return jsonResponse(view(row));
}

function update(context: RouteContext, id: string): DistrResponse {
  const parsed = parse(context, "api.UpdateLicenseTemplateRequest");
  if (!parsed.ok) return parsed.response;
  const existing = context.store.state.licenseTemplates.find(
    (t) => t.id === id && t.organizationId === context.principal.organization.id,
  );
  if (!existing) return emptyResponse(404);
  if (nameTaken(context, parsed.name, id)) return goError(400, LICENSE_KEY_TEXTS.templateNameTaken);
  const row: LicenseTemplateRow = {
    ...existing,
    name: parsed.name,
    payloadTemplate: parsed.payloadTemplate,
    expirationGracePeriodDays: parsed.days,
  };
  context.store.transaction((s) => {
    s.licenseTemplates[s.licenseTemplates.findIndex((t) => t.id === id)] = row;
  });
  return jsonResponse(view(row));
}

function remove(context: RouteContext, id: string): DistrResponse {
  const existing = context.store.state.licenseTemplates.find(
    (t) => t.id === id && t.organizationId === context.principal.organization.id,
  );
  if (!existing) return emptyResponse(404);
  context.store.transaction((s) => {
    s.licenseTemplates = s.licenseTemplates.filter((t) => t.id !== id);
    // ON DELETE SET NULL: keys keep working without their template.
    for (const key of s.licenseKeys) if (key.licenseTemplateId === id) delete key.licenseTemplateId;
  });
  return emptyResponse(204);
}

export function handleLicenseTemplates(context: RouteContext): DistrResponse {
  // RequireVendor (customers and partners: 403), then the vendor_billing feature.
  if (!context.principal.organization.features.includes(VENDOR_BILLING_FEATURE)) {
    return goError(403, featureNotEnabled(VENDOR_BILLING_FEATURE));
  }
  const [rawId, ...rest] = context.segments;
  if (rawId === undefined) {
    if (context.method === "GET") {
      const rows = context.store.state.licenseTemplates
        .filter((t) => t.organizationId === context.principal.organization.id)
        .sort((a, b) => compareNames(a.name, b.name));
      return jsonResponse(rows.map(view));
    }
    if (context.method === "POST") {
      const denied = requireRole(context, "read_write");
      return denied ?? create(context);
    }
    return methodNotAllowed(["GET", "POST"]);
  }
  if (rest.length > 0) return pageNotFound();
  // The /{id} routes sit in the read_write group.
  const denied = requireRole(context, "read_write");
  if (denied) return denied;
  if (context.method !== "PUT" && context.method !== "DELETE") return methodNotAllowed(["PUT", "DELETE"]);
  const id = parseUuid(rawId);
  if (!id.ok) return goError(400, LICENSE_KEY_TEXTS.licenseTemplateIdInvalid);
  return context.method === "PUT" ? update(context, id.uuid) : remove(context, id.uuid);
}
