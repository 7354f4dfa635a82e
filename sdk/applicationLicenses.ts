/**
 * Application licenses (2.x) / application entitlements (3.x), sections 5 and B4. Same JSON in both dialects; the
 * route, the name scope and the wording differ (sdk/dialect.ts).
 */
import { z } from "zod";
import type { ClientContext, ContextProvider } from "./clientContext";
import type { ApplicationLicensesApi } from "./distrClient";
import { DistrApiError, isDistrApiError } from "./errors";
import {
  createLicense,
  deleteLicense,
  findLicenseByName,
  licensePath,
  putLicense,
  type LicenseCollection,
} from "./licenseCollection";
import { sameIdSet } from "./nameScope";
import type { ApplicationLicense, ApplicationLicenseRequest } from "./schemas";
import { ApplicationLicenseSchema } from "./schemas";

const ApplicationLicenseListSchema = z.array(ApplicationLicenseSchema);

const APPLICATION_LICENSES: LicenseCollection<ApplicationLicense> = {
  subject: "applicationLicense",
  kind: "application",
  schema: ApplicationLicenseSchema,
  route: (spec) => spec.routes.applicationLicenses,
  list: (caches) => caches.applicationLicenses,
};

/** Loads the list, all of the organization (`""`) or of one application (2.x: the way around quirk 2's 500s). */
export function loadApplicationLicenses(
  context: Pick<ClientContext, "sender" | "spec">,
  applicationId: string,
): Promise<ApplicationLicense[]> {
  return context.sender.send({
    method: "GET",
    path: context.spec.routes.applicationLicenses,
    query: applicationId === "" ? undefined : { applicationId },
    subject: "applicationLicense",
    schema: ApplicationLicenseListSchema,
  });
}

/** The body Distr gets: empty registry strings omitted (quirk 10: never `""`), versions reduced to their ids. */
function wireBody(request: ApplicationLicenseRequest, id?: string): Record<string, unknown> {
  const registry = [request.registryUrl, request.registryUsername, request.registryPassword].map((value) =>
    value === "" ? undefined : value,
  );
  const given = registry.filter((value) => value !== undefined).length;
  if (given !== 0 && given !== 3) {
    // Quirk 10: a partial set violates a database CHECK and Distr answers with a bare 500.
    throw new DistrApiError({
      kind: "bad-request",
      hint: "registryUrl, registryUsername and registryPassword must be given together or not at all",
    });
  }
  return {
    // Quirk 7: only a body with `id` makes Distr enforce that owner and application stay unchanged.
    id,
    name: request.name,
    expiresAt: request.expiresAt,
    applicationId: request.applicationId,
    customerOrganizationId: request.customerOrganizationId,
    registryUrl: registry[0],
    registryUsername: registry[1],
    registryPassword: registry[2],
    // Quirk 5: omitted versions would mean "all versions"; `[]` says so explicitly.
    versions: request.versions.map((version) => ({ id: version.id })),
  };
}

/** Whether a license found after a lost answer is the one the request describes. */
function matchesRequest(license: ApplicationLicense, request: ApplicationLicenseRequest): boolean {
  return (
    license.applicationId === request.applicationId &&
    (license.customerOrganizationId ?? undefined) === (request.customerOrganizationId ?? undefined) &&
    // Quirk 2: 2.x mis-maps every version field but the id.
    sameIdSet(
      license.versions.map((version) => version.id),
      request.versions.map((version) => version.id),
    )
  );
}

export class ApplicationLicenses implements ApplicationLicensesApi {
  constructor(private readonly context: ContextProvider) {}

  async list(filter?: { applicationId?: string }): Promise<ApplicationLicense[]> {
    const context = await this.context();
    return context.caches.applicationLicenses.get(filter?.applicationId ?? "");
  }

  /**
   * Served from the shared list (one request for any number of readers); `GET /{id}` when the list itself fails,
   * as it does on 2.x for the whole organization once one Helm license has versions (quirk 2).
   */
  async get(id: string): Promise<ApplicationLicense | undefined> {
    const context = await this.context();
    try {
      return (await context.caches.applicationLicenses.get("")).find((license) => license.id === id);
    } catch (error) {
      if (!isDistrApiError(error, "server-error")) {
        throw error;
      }
    }
    try {
      return await context.sender.send({
        method: "GET",
        path: licensePath(context, APPLICATION_LICENSES, id),
        subject: "applicationLicense",
        schema: ApplicationLicenseSchema,
      });
    } catch (error) {
      if (isDistrApiError(error, "not-found")) {
        return undefined;
      }
      throw error;
    }
  }

  async create(request: ApplicationLicenseRequest): Promise<ApplicationLicense> {
    const context = await this.context();
    const { caches } = context;
    // Names are unique in their scope, so a license of this name found after a lost answer is ours, unless it was
    // already known before the POST (then the POST failed as a duplicate) or differs from what we asked for.
    const knownBefore = new Set(
      (caches.applicationLicenses.peek("") ?? caches.applicationLicenses.peek(request.applicationId) ?? []).map(
        (license) => license.id,
      ),
    );
    return createLicense(context, APPLICATION_LICENSES, {
      body: wireBody(request),
      name: request.name,
      customerOrganizationId: request.customerOrganizationId,
      listKey: request.applicationId,
      knownBefore,
      matchesRequest: (license) => matchesRequest(license, request),
    });
  }

  async update(id: string, request: ApplicationLicenseRequest): Promise<ApplicationLicense> {
    const context = await this.context();
    return putLicense(context, APPLICATION_LICENSES, id, wireBody(request, id));
  }

  async delete(id: string): Promise<void> {
    await deleteLicense(await this.context(), APPLICATION_LICENSES, id);
  }

  async findByName(name: string, customerOrganizationId: string | undefined): Promise<ApplicationLicense | undefined> {
    return findLicenseByName(await this.context(), APPLICATION_LICENSES, name, customerOrganizationId);
  }
}
