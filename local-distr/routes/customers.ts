/**
 * `/customer-organizations` (distr-api.md section 4, B3): list, create (features ignored, quirk 6), full-replacement
 * update (quirk 5), delete with cascade (quirk 16); no GET by id (405, quirk 4).
 */
import { z } from "zod";
import { COMMON_TEXTS, invalidCustomerFeature } from "../../sdk/errorTexts";
import { DEFAULT_CUSTOMER_FEATURES } from "../../sdk/schemas";
import { compareNames } from "../collation";
import { nowDistrTime } from "../distrTime";
import type { GoStruct } from "../goJson";
import { foreignKeyViolation, invalidEnumValue } from "../postgresErrors";
import { emptyResponse, goError, jsonResponse, methodNotAllowed, pageNotFound, type DistrResponse } from "../responses";
import type { CustomerRow, DistrState } from "../store";
import { newUuid, parseUuid } from "../uuid";
import { decodeBody, requireRole, type RouteContext } from "./routeContext";

/** Features Distr 3.1.0 knows (`oidc_providers` came after 3.1.0) and 2.7.1's database enum. */
const KNOWN_FEATURES = {
  "3": ["deployment_targets", "artifacts", "alerts", "support_bundles"],
  "2": ["deployment_targets", "artifacts"],
} as const;

function customerRequestStruct(context: RouteContext): GoStruct {
  const known: readonly string[] = KNOWN_FEATURES[context.dialect];
  return {
    goType: "api.CreateUpdateCustomerOrganizationRequest",
    fields: {
      name: { kind: "string" },
      imageId: { kind: "uuid" },
      features: {
        kind: "list",
        goType: "[]types.CustomerOrganizationFeature",
        of: {
          kind: "enum",
          goType: "types.CustomerOrganizationFeature",
          // 3.x rejects unknown features while decoding (since 2.10.1); 2.x leaves it to the database enum.
          parse: (value) =>
            context.dialect === "2" || known.includes(value) ? value : { error: invalidCustomerFeature(value) },
        },
      },
    },
  };
}

const CustomerRequestSchema = z.object({
  name: z.string().optional(),
  imageId: z.string().optional(),
  features: z.array(z.string()).optional(),
});
type CustomerRequestBody = z.infer<typeof CustomerRequestSchema>;

/** `api.CustomerOrganization`: what create and update return. */
export function customerView(row: CustomerRow) {
  return {
    id: row.id,
    createdAt: row.createdAt,
    name: row.name,
    ...(row.imageId !== undefined ? { imageId: row.imageId, imageUrl: `/api/v1/files/${row.imageId}` } : {}),
    features: row.features,
  };
}

/** List elements add usage counts. */
function customerWithUsageView(row: CustomerRow, state: DistrState) {
  return {
    ...customerView(row),
    userCount: 0,
    deploymentTargetCount: state.deploymentTargets.filter((t) => t.customerOrganizationId === row.id).length,
  };
}

/** `Validate()` of the 3.x request: alerts need deployment targets (checked on create too, although ignored). */
function validateFeatures(context: RouteContext, request: CustomerRequestBody): DistrResponse | undefined {
  if (context.dialect !== "3") return undefined;
  const features = request.features ?? [];
  if (features.includes("alerts") && !features.includes("deployment_targets")) {
    return goError(400, COMMON_TEXTS.customerFeatureAlertsRequiresDeploymentTargets);
  }
  return undefined;
}

function parseRequest(
  context: RouteContext,
): { ok: true; request: CustomerRequestBody } | { ok: false; response: DistrResponse } {
  const decoded = decodeBody(context, customerRequestStruct(context));
  if (!decoded.ok) return decoded;
  const request = CustomerRequestSchema.parse(decoded.value);
  const invalid = validateFeatures(context, request);
  if (invalid) return { ok: false, response: invalid };
  return { ok: true, request };
}

function list(context: RouteContext): DistrResponse {
  const { state } = context.store;
  const rows = state.customers
    .filter((c) => c.organizationId === context.principal.organization.id)
    .sort((a, b) => compareNames(a.name, b.name));
  return jsonResponse(rows.map((row) => customerWithUsageView(row, state)));
}

/** Distr has no file upload here: every image id is unknown. */
function imageForeignKey(): string {
  return foreignKeyViolation("customerorganization", "customerorganization_image_id_fkey");
}

function create(context: RouteContext): DistrResponse {
  const denied = requireRole(context, "read_write");
  if (denied) return denied;
  const parsed = parseRequest(context);
  if (!parsed.ok) return parsed.response;
  const { request } = parsed;
  if (request.imageId !== undefined) {
    if (context.dialect === "3") return goError(400, "bad request: invalid image ID");
    // 2.x writes the error inside and after the transaction (B3).
    return goError(500, `${imageForeignKey()}\n${imageForeignKey()}`);
  }
  const row: CustomerRow = {
    id: newUuid(),
    createdAt: nowDistrTime(),
    organizationId: context.principal.organization.id,
    name: request.name ?? "",
    // Features are ignored on create: the column default (quirk 6).
    features: [...DEFAULT_CUSTOMER_FEATURES],
  };
  context.store.transaction((state) => state.customers.push(row));
  return jsonResponse(customerView(row));
}

function update(context: RouteContext, rawId: string): DistrResponse {
  const denied = requireRole(context, "read_write");
  if (denied) return denied;
  const id = parseUuid(rawId);
  if (!id.ok) return pageNotFound();
  const parsed = parseRequest(context);
  if (!parsed.ok) return parsed.response;
  const { request } = parsed;
  // Omitted or null features reset to the default; [] means none (quirk 5).
  const features = request.features ?? [...DEFAULT_CUSTOMER_FEATURES];
  if (context.dialect === "2") {
    const unknown = features.find((f) => !(KNOWN_FEATURES["2"] as readonly string[]).includes(f));
    if (unknown !== undefined) return goError(500, invalidEnumValue("customer_organization_feature", unknown));
  }
  const row = context.store.state.customers.find(
    (c) => c.id === id.uuid && c.organizationId === context.principal.organization.id,
  );
  if (!row) return goError(500, COMMON_TEXTS.customerNotFoundOnUpdate);
  if (request.imageId !== undefined) return goError(500, imageForeignKey());
  const updated = context.store.transaction(() => {
    row.name = request.name ?? "";
    delete row.imageId;
    row.features = features;
    return { ...row };
  });
  return jsonResponse(customerView(updated));
}

/** Deletes a customer and everything that cascades from it (section 4.5, B3). */
export function deleteCustomerCascade(state: DistrState, customerId: string): void {
  const targets = new Set(
    state.deploymentTargets.filter((t) => t.customerOrganizationId === customerId).map((t) => t.id),
  );
  state.deployments = state.deployments.filter((d) => !targets.has(d.deploymentTargetId));
  state.keyDeployments = state.keyDeployments.filter((d) => !targets.has(d.deploymentTargetId));
  const keys = new Set(state.licenseKeys.filter((k) => k.customerOrganizationId === customerId).map((k) => k.id));
  state.licenseKeyRevisions = state.licenseKeyRevisions.filter((r) => !keys.has(r.licenseKeyId));
  state.licenseKeys = state.licenseKeys.filter((k) => !keys.has(k.id));
  state.deploymentTargets = state.deploymentTargets.filter((t) => !targets.has(t.id));
  state.applicationLicenses = state.applicationLicenses.filter((l) => l.customerOrganizationId !== customerId);
  state.artifactLicenses = state.artifactLicenses.filter((l) => l.customerOrganizationId !== customerId);
  state.customers = state.customers.filter((c) => c.id !== customerId);
}

function remove(context: RouteContext, rawId: string): DistrResponse {
  // 3.x: only admins delete customers (2.23.0); 2.x: read_write too.
  const denied = requireRole(context, context.dialect === "3" ? "admin" : "read_write");
  if (denied) return denied;
  const id = parseUuid(rawId);
  if (!id.ok) return pageNotFound();
  const { state } = context.store;
  const row = state.customers.find((c) => c.id === id.uuid && c.organizationId === context.principal.organization.id);
  if (!row) return pageNotFound();
  context.store.transaction((s) => deleteCustomerCascade(s, row.id));
  return emptyResponse(204);
}

export function handleCustomers(context: RouteContext): DistrResponse {
  const [id, ...rest] = context.segments;
  if (id === undefined) {
    if (context.method === "GET") return list(context);
    if (context.method === "POST") return create(context);
    return methodNotAllowed(["GET", "POST"]);
  }
  if (rest.length > 0) return pageNotFound();
  // 2.x wraps the whole /{id} route in the role check, so read_only callers see 403 before anything else.
  if (context.dialect === "2") {
    const denied = requireRole(context, "read_write");
    if (denied) return denied;
  }
  if (context.method === "PUT") return update(context, id);
  if (context.method === "DELETE") return remove(context, id);
  return methodNotAllowed(["PUT", "DELETE"]);
}
