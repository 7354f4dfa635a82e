/**
 * Signed license keys (3.x, section 8): a key (name, description, customer, template) with append-only revisions
 * (notBefore, expiresAt, payload); reads show the latest. No GET by id (quirk 4): single keys come from the shared
 * list. An update that re-renders running deployments is a 409 until it is confirmed (section 8.4), a delete that
 * would break them a 409 always (8.6): both become a DistrApiError of kind `deployments-affected`.
 */
import { z } from "zod";
import type { ClientContext, ContextProvider } from "./clientContext";
import { createOnce } from "./createOnce";
import type { LicenseKeyRoutes } from "./dialect";
import type { LicenseKeysApi } from "./distrClient";
import { DistrApiError } from "./errors";
import type {
  LicenseKey,
  LicenseKeyCreateRequest,
  LicenseKeyRevision,
  LicenseKeyUpdate,
  LicenseKeyUpdateRequest,
} from "./schemas";
import { LicenseKeyRevisionSchema, LicenseKeySchema, LicenseKeyTokenSchema, LicenseKeyUpdateSchema } from "./schemas";

const LicenseKeyListSchema = z.array(LicenseKeySchema);

/** The 3.x routes, or a `not-supported` error naming the Distr version that has them. */
export function licenseKeyRoutes(context: Pick<ClientContext, "spec">, what: string): LicenseKeyRoutes {
  const routes = context.spec.licenseKeyRoutes;
  if (routes === undefined) {
    throw new DistrApiError({
      kind: "not-supported",
      hint: `${what} need Distr 3.x (license keys since 2.12.0, templates since 2.18.0); this hub speaks the Distr 2.x API`,
    });
  }
  return routes;
}

export function loadLicenseKeys(context: Pick<ClientContext, "sender" | "spec">): Promise<LicenseKey[]> {
  return context.sender.send({
    method: "GET",
    path: licenseKeyRoutes(context, "license keys").licenseKeys,
    subject: "licenseKey",
    schema: LicenseKeyListSchema,
  });
}

/** Names are unique per (organization, customer), customer-less keys forming one more scope (migration 105). */
function sameScope(key: LicenseKey, name: string, customerOrganizationId: string | undefined): boolean {
  return key.name === name && (key.customerOrganizationId ?? undefined) === (customerOrganizationId ?? undefined);
}

export class LicenseKeys implements LicenseKeysApi {
  constructor(private readonly context: ContextProvider) {}

  async list(): Promise<LicenseKey[]> {
    const context = await this.context();
    licenseKeyRoutes(context, "license keys");
    return context.caches.licenseKeys.get();
  }

  async get(id: string): Promise<LicenseKey | undefined> {
    return (await this.list()).find((key) => key.id === id);
  }

  async findByName(name: string, customerOrganizationId: string | undefined): Promise<LicenseKey | undefined> {
    return (await this.list()).find((key) => sameScope(key, name, customerOrganizationId));
  }

  async create(request: LicenseKeyCreateRequest): Promise<LicenseKey> {
    const context = await this.context();
    const routes = licenseKeyRoutes(context, "license keys");
    const { caches, sender } = context;
    const knownBefore = new Set((caches.licenseKeys.peek() ?? []).map((key) => key.id));
    try {
      return await createOnce({
        post: () =>
          sender.post({
            path: routes.licenseKeys,
            body: request,
            subject: "licenseKey",
            schema: LicenseKeySchema,
            emptyMeansRollback: true,
          }),
        findCreated: async () => {
          const found = (await caches.licenseKeys.get("", { fresh: true })).find((key) =>
            sameScope(key, request.name, request.customerOrganizationId),
          );
          if (found === undefined) return undefined;
          if (knownBefore.has(found.id)) {
            throw new DistrApiError({
              kind: "name-taken",
              method: "POST",
              path: sender.displayPath(routes.licenseKeys),
              hint: `the answer to the create was lost, and a license key named ${JSON.stringify(request.name)} existed before for this customer: choose another name or adopt the existing key`,
            });
          }
          return found;
        },
        policy: context.policy,
        clock: context.clock,
      });
    } finally {
      caches.licenseKeys.invalidate();
    }
  }

  async update(
    id: string,
    request: LicenseKeyUpdateRequest,
    options: { confirm?: boolean } = {},
  ): Promise<LicenseKeyUpdate> {
    const context = await this.context();
    const routes = licenseKeyRoutes(context, "license keys");
    try {
      return await context.sender.send({
        method: "PUT",
        path: `${routes.licenseKeys}/${encodeURIComponent(id)}`,
        // Distr compares the exact string "true" (section 8.4).
        query: options.confirm ? { confirm: "true" } : undefined,
        body: request,
        subject: "licenseKey",
        schema: LicenseKeyUpdateSchema,
      });
    } finally {
      context.caches.licenseKeys.invalidate();
    }
  }

  async delete(id: string): Promise<void> {
    const context = await this.context();
    const routes = licenseKeyRoutes(context, "license keys");
    try {
      await context.sender.send({
        method: "DELETE",
        path: `${routes.licenseKeys}/${encodeURIComponent(id)}`,
        subject: "licenseKey",
      });
    } finally {
      context.caches.licenseKeys.invalidate();
    }
  }

  async token(id: string): Promise<string> {
    const context = await this.context();
    const routes = licenseKeyRoutes(context, "license keys");
    const answer = await context.sender.send({
      method: "GET",
      path: `${routes.licenseKeys}/${encodeURIComponent(id)}/token`,
      subject: "licenseKey",
      schema: LicenseKeyTokenSchema,
    });
    return answer.token;
  }

  async revisions(id: string): Promise<LicenseKeyRevision[]> {
    const context = await this.context();
    const routes = licenseKeyRoutes(context, "license keys");
    return context.sender.send({
      method: "GET",
      path: `${routes.licenseKeys}/${encodeURIComponent(id)}/revisions`,
      subject: "licenseKey",
      schema: z.array(LicenseKeyRevisionSchema),
    });
  }
}
