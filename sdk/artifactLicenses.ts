/**
 * Artifact licenses (2.x) / artifact entitlements (3.x), sections 6 and B5. No GET by id (quirk 4), and create and
 * update answer with an echo of the request (quirk 11): state is always re-read from the list.
 */
import { z } from "zod";
import type { ClientContext, ContextProvider } from "./clientContext";
import type { ArtifactLicensesApi } from "./distrClient";
import { DistrApiError } from "./errors";
import {
  createLicense,
  deleteLicense,
  findLicenseByName,
  licensePath,
  putLicense,
  type LicenseCollection,
} from "./licenseCollection";
import { sameIdSet } from "./nameScope";
import type { ArtifactLicense, ArtifactLicenseRequest } from "./schemas";
import { ArtifactLicenseSchema } from "./schemas";

const ArtifactLicenseListSchema = z.array(ArtifactLicenseSchema);

const ARTIFACT_LICENSES: LicenseCollection<ArtifactLicense> = {
  subject: "artifactLicense",
  kind: "artifact",
  schema: ArtifactLicenseSchema,
  route: (spec) => spec.routes.artifactLicenses,
  list: (caches) => caches.artifactLicenses,
};

export function loadArtifactLicenses(context: Pick<ClientContext, "sender" | "spec">): Promise<ArtifactLicense[]> {
  return context.sender.send({
    method: "GET",
    path: context.spec.routes.artifactLicenses,
    subject: "artifactLicense",
    schema: ArtifactLicenseListSchema,
  });
}

function wireBody(request: ArtifactLicenseRequest, id?: string): Record<string, unknown> {
  return {
    id,
    name: request.name,
    expiresAt: request.expiresAt,
    customerOrganizationId: request.customerOrganizationId,
    // Quirk 5: selections are replaced as a whole; `versionIds: []` = all versions of that artifact.
    artifacts: request.artifacts.map((selection) => ({
      artifactId: selection.artifactId,
      versionIds: [...selection.versionIds],
    })),
  };
}

/** Selections compared as Distr stores them: per artifact a set of version ids, empty or null meaning all. */
function sameSelections(license: ArtifactLicense, request: ArtifactLicenseRequest): boolean {
  const stored = license.artifacts ?? [];
  if (stored.length !== request.artifacts.length) {
    return false;
  }
  return request.artifacts.every((wanted) => {
    const match = stored.find((selection) => selection.artifactId === wanted.artifactId);
    return match !== undefined && sameIdSet(match.versionIds ?? [], wanted.versionIds);
  });
}

function matchesRequest(license: ArtifactLicense, request: ArtifactLicenseRequest): boolean {
  return (
    (license.customerOrganizationId ?? undefined) === (request.customerOrganizationId ?? undefined) &&
    sameSelections(license, request)
  );
}

export class ArtifactLicenses implements ArtifactLicensesApi {
  constructor(private readonly context: ContextProvider) {}

  async list(): Promise<ArtifactLicense[]> {
    const context = await this.context();
    return context.caches.artifactLicenses.get();
  }

  async get(id: string): Promise<ArtifactLicense | undefined> {
    return (await this.list()).find((license) => license.id === id);
  }

  async create(request: ArtifactLicenseRequest): Promise<ArtifactLicense> {
    const context = await this.context();
    const created = await createLicense(context, ARTIFACT_LICENSES, {
      body: wireBody(request),
      name: request.name,
      customerOrganizationId: request.customerOrganizationId,
      listKey: "",
      knownBefore: new Set((context.caches.artifactLicenses.peek() ?? []).map((license) => license.id)),
      matchesRequest: (license) => matchesRequest(license, request),
    });
    return this.reread(context, created.id, "POST", context.spec.routes.artifactLicenses);
  }

  async update(id: string, request: ArtifactLicenseRequest): Promise<ArtifactLicense> {
    const context = await this.context();
    await putLicense(context, ARTIFACT_LICENSES, id, wireBody(request, id));
    return this.reread(context, id, "PUT", licensePath(context, ARTIFACT_LICENSES, id));
  }

  async delete(id: string): Promise<void> {
    await deleteLicense(await this.context(), ARTIFACT_LICENSES, id);
  }

  async findByName(name: string, customerOrganizationId: string | undefined): Promise<ArtifactLicense | undefined> {
    return findLicenseByName(await this.context(), ARTIFACT_LICENSES, name, customerOrganizationId);
  }

  /** Quirk 11: the answer echoes the request; what Distr stored is in the list. */
  private async reread(context: ClientContext, id: string, method: string, path: string): Promise<ArtifactLicense> {
    const stored = (await context.caches.artifactLicenses.get()).find((license) => license.id === id);
    if (stored === undefined) {
      throw new DistrApiError({
        kind: "not-found",
        method,
        path: context.sender.displayPath(path),
        hint: `Distr accepted the write, but the artifact ${context.spec.noun} ${id} is not in the list read afterwards (deleted meanwhile?)`,
      });
    }
    return stored;
  }
}
