/**
 * 3.x `GET /licenses` (distr-api.md section 7): one element per customer (by name, including customers without
 * anything) with its application and artifact entitlements. Customer-less entitlements are not included; licence
 * keys are not modelled by the local Distr, so `licenseKeys` is always `[]`.
 */
import { compareNames } from "../collation";
import { jsonResponse, methodNotAllowed, pageNotFound, type DistrResponse } from "../responses";
import { applicationLicenseView } from "./applicationLicenses";
import { artifactLicenseView, sortedArtifactLicenses } from "./artifactLicenses";
import { customerView } from "./customers";
import { requireLicensing, type RouteContext } from "./routeContext";

export function handleLicenses(context: RouteContext): DistrResponse {
  const unlicensed = requireLicensing(context);
  if (unlicensed) return unlicensed;
  if (context.segments.length > 0) return pageNotFound();
  if (context.method !== "GET") return methodNotAllowed(["GET"]);
  const { state } = context.store;
  const organizationId = context.principal.organization.id;
  const artifactLicenses = sortedArtifactLicenses(state, organizationId);
  const snapshot = state.customers
    .filter((c) => c.organizationId === organizationId)
    .sort((a, b) => compareNames(a.name, b.name))
    .map((customer) => ({
      customerOrganization: customerView(customer),
      applicationEntitlements: state.applicationLicenses
        .filter((l) => l.organizationId === organizationId && l.customerOrganizationId === customer.id)
        .map((l) => applicationLicenseView(l, state, context.dialect)),
      artifactEntitlements: artifactLicenses
        .filter((l) => l.customerOrganizationId === customer.id)
        .map(artifactLicenseView),
      licenseKeys: [],
    }));
  return jsonResponse(snapshot);
}
