/**
 * The token's organization (`GET /organization`, section 2.4): the cheapest check that the token works and that the
 * organization may use licensing at all, before anything else fails with a less helpful 403.
 */
import type { ContextProvider } from "./clientContext";
import { DistrApiError } from "./errors";
import type { Organization } from "./schemas";
import { LICENSING_FEATURE, OrganizationSchema } from "./schemas";

export async function readOrganization(context: ContextProvider): Promise<Organization> {
  const { sender, spec } = await context();
  const organization = await sender.send({
    method: "GET",
    path: spec.routes.organization,
    subject: "organization",
    schema: OrganizationSchema,
  });
  if (!organization.features.includes(LICENSING_FEATURE)) {
    throw new DistrApiError({
      kind: "licensing-not-enabled",
      method: "GET",
      path: sender.displayPath(spec.routes.organization),
      hint: `the organization ${JSON.stringify(organization.name)} has no \`${LICENSING_FEATURE}\` feature (features: ${organization.features.join(", ") || "none"}): license management needs a Distr plan that includes licensing`,
    });
  }
  return organization;
}
