/**
 * Finishing a create that an interrupted run left behind. When `pulumi up` is killed (a cancelled CI job) after
 * Distr committed a create but before the engine recorded it, the state keeps a pending create and the next `up`
 * runs that create again (pulumi-notes §8b); the provider is not told it is a retry. Without this, the retry meets
 * the object the first attempt made and fails ("already exists; set adopt"), and the run needs a human.
 *
 * So a create that finds, under the name it would create, an object that is exactly what the first attempt would
 * have left takes it over instead of failing. Deliberately narrow, so that it never takes over someone else's object
 * (that stays an "already exists" error, and `adopt` is the way to take it over):
 * - created within the last day (an interrupted run is recovered by the next one, not weeks later);
 * - a license: the one of that name in its scope (unique there), with exactly the declared content (application,
 *   customer, versions or tags, expiry, registry), so taking it over widens or narrows nothing;
 * - a customer (Distr does not require unique names): the only one of that name, still empty (no users, no
 *   deployment targets, no licenses), since a create that was cut short can have done nothing more. Its features
 *   are not compared: Distr ignores them on create and the first attempt may have died before setting them; the
 *   create sets them.
 */
import type { DistrClient } from "../sdk/distrClient";
import type {
  ApplicationLicense,
  ApplicationLicenseRequest,
  ArtifactLicense,
  ArtifactLicenseRequest,
  Customer,
} from "../sdk/schemas";

/** How old a left-behind object may be. */
export const INTERRUPTED_CREATE_WINDOW_MS = 24 * 60 * 60 * 1000;

function recent(createdAt: string, now: number): boolean {
  const created = Date.parse(createdAt);
  return Number.isFinite(created) && now - created >= -60_000 && now - created <= INTERRUPTED_CREATE_WINDOW_MS;
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().every((value, index) => value === [...b].sort()[index]);

/** The application license an interrupted create of `request` left behind, if `existing` is exactly that. */
export function isLeftApplicationLicense(
  existing: ApplicationLicense,
  request: ApplicationLicenseRequest,
  now = Date.now(),
): boolean {
  return (
    recent(existing.createdAt, now) &&
    existing.name === request.name &&
    existing.applicationId === request.applicationId &&
    existing.customerOrganizationId === request.customerOrganizationId &&
    existing.expiresAt === request.expiresAt &&
    existing.registryUrl === request.registryUrl &&
    existing.registryUsername === request.registryUsername &&
    existing.registryPassword === request.registryPassword &&
    sameSet(
      existing.versions.map((v) => v.id),
      request.versions.map((v) => v.id),
    )
  );
}

/** The artifact license an interrupted create of `request` left behind, if `existing` is exactly that. */
export function isLeftArtifactLicense(
  existing: ArtifactLicense,
  request: ArtifactLicenseRequest,
  now = Date.now(),
): boolean {
  const selections = existing.artifacts ?? [];
  return (
    recent(existing.createdAt, now) &&
    existing.name === request.name &&
    existing.customerOrganizationId === request.customerOrganizationId &&
    existing.expiresAt === request.expiresAt &&
    sameSet(
      selections.map((s) => s.artifactId),
      request.artifacts.map((s) => s.artifactId),
    ) &&
    request.artifacts.every((wanted) =>
      sameSet(selections.find((s) => s.artifactId === wanted.artifactId)?.versionIds ?? [], wanted.versionIds),
    )
  );
}

/** The customer an interrupted create left behind among the customers of that name, if there is exactly one. */
export async function leftCustomer(
  client: DistrClient,
  sameName: readonly Customer[],
  now = Date.now(),
): Promise<Customer | undefined> {
  if (sameName.length !== 1) return undefined;
  const [customer] = sameName;
  if (!customer || !recent(customer.createdAt, now)) return undefined;
  if ((customer.userCount ?? 0) > 0 || (customer.deploymentTargetCount ?? 0) > 0) return undefined;
  const [applicationLicenses, artifactLicenses] = await Promise.all([
    client.applicationLicenses.list(),
    client.artifactLicenses.list(),
  ]);
  const licensed = [...applicationLicenses, ...artifactLicenses].some(
    (license) => license.customerOrganizationId === customer.id,
  );
  return licensed ? undefined : customer;
}
