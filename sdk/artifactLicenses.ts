/**
 * Artifact licenses (2.x) / artifact entitlements (3.x), sections 6 and B5. No GET by id (quirk 4), and create and
 * update answer with an echo of the request (quirk 11): state is always re-read from the list.
 */
import { z } from "zod";
import type { ClientContext, ContextProvider } from "./clientContext";
import { createOnce } from "./createOnce";
import type { ArtifactLicensesApi } from "./distrClient";
import { DistrApiError } from "./errors";
import { inNameScope, sameIdSet } from "./nameScope";
import type { ArtifactLicense, ArtifactLicenseRequest } from "./schemas";
import { ArtifactLicenseSchema } from "./schemas";

const ArtifactLicenseListSchema = z.array(ArtifactLicenseSchema);

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
    const { caches, sender, spec } = context;
    const body = wireBody(request);
    const knownBefore = new Set((caches.artifactLicenses.peek() ?? []).map((license) => license.id));
    let created: ArtifactLicense;
    try {
      created = await createOnce({
        post: () =>
          sender.post({
            path: spec.routes.artifactLicenses,
            body,
            subject: "artifactLicense",
            schema: ArtifactLicenseSchema,
            emptyMeansRollback: true,
          }),
        findCreated: async () => {
          const found = (await caches.artifactLicenses.get("", { fresh: true })).find((license) =>
            inNameScope(spec, license, request.name, request.customerOrganizationId),
          );
          if (found === undefined) {
            return undefined;
          }
          if (knownBefore.has(found.id) || !matchesRequest(found, request)) {
            throw this.nameTaken(context, request.name);
          }
          return found;
        },
        policy: context.policy,
        clock: context.clock,
      });
    } finally {
      caches.artifactLicenses.invalidate();
    }
    return this.reread(context, created.id, "POST", spec.routes.artifactLicenses);
  }

  async update(id: string, request: ArtifactLicenseRequest): Promise<ArtifactLicense> {
    const context = await this.context();
    const path = `${context.spec.routes.artifactLicenses}/${encodeURIComponent(id)}`;
    try {
      await context.sender.send({
        method: "PUT",
        path,
        body: wireBody(request, id),
        subject: "artifactLicense",
        schema: ArtifactLicenseSchema,
        emptyMeansRollback: true,
      });
    } finally {
      context.caches.artifactLicenses.invalidate();
    }
    return this.reread(context, id, "PUT", path);
  }

  async delete(id: string): Promise<void> {
    const context = await this.context();
    try {
      await context.sender.send({
        method: "DELETE",
        path: `${context.spec.routes.artifactLicenses}/${encodeURIComponent(id)}`,
        subject: "artifactLicense",
      });
    } finally {
      context.caches.artifactLicenses.invalidate();
    }
  }

  async findByName(name: string, customerOrganizationId: string | undefined): Promise<ArtifactLicense | undefined> {
    const context = await this.context();
    const licenses = await context.caches.artifactLicenses.get();
    return licenses.find((license) => inNameScope(context.spec, license, name, customerOrganizationId));
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

  private nameTaken(context: ClientContext, name: string): DistrApiError {
    return new DistrApiError({
      kind: "name-taken",
      method: "POST",
      path: context.sender.displayPath(context.spec.routes.artifactLicenses),
      hint: `the answer to the create was lost, and an artifact ${context.spec.noun} named ${JSON.stringify(name)} that differs from the request exists in its name scope: choose another name or import the existing one`,
    });
  }
}
