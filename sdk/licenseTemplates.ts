/**
 * License templates (3.x since 2.18.0, section 8.7): vendor only, behind the organization feature `vendor_billing`.
 * Names are unique per organization, updates are full replacements, there is no GET by id (the list by name).
 */
import { z } from "zod";
import type { ContextProvider } from "./clientContext";
import { createOnce } from "./createOnce";
import type { LicenseTemplatesApi } from "./distrClient";
import { DistrApiError } from "./errors";
import { licenseKeyRoutes } from "./licenseKeys";
import type { LicenseTemplate, LicenseTemplateRequest } from "./schemas";
import { LicenseTemplateSchema } from "./schemas";

const LicenseTemplateListSchema = z.array(LicenseTemplateSchema);

export class LicenseTemplates implements LicenseTemplatesApi {
  constructor(private readonly context: ContextProvider) {}

  async list(): Promise<LicenseTemplate[]> {
    const context = await this.context();
    return context.sender.send({
      method: "GET",
      path: licenseKeyRoutes(context, "license templates").licenseTemplates,
      subject: "licenseTemplate",
      schema: LicenseTemplateListSchema,
    });
  }

  async get(id: string): Promise<LicenseTemplate | undefined> {
    return (await this.list()).find((template) => template.id === id);
  }

  async findByName(name: string): Promise<LicenseTemplate | undefined> {
    return (await this.list()).find((template) => template.name === name);
  }

  async create(request: LicenseTemplateRequest): Promise<LicenseTemplate> {
    const context = await this.context();
    const routes = licenseKeyRoutes(context, "license templates");
    const knownBefore = new Set((await this.list()).map((template) => template.id));
    return createOnce({
      post: () =>
        context.sender.post({
          path: routes.licenseTemplates,
          body: request,
          subject: "licenseTemplate",
          schema: LicenseTemplateSchema,
        }),
      findCreated: async () => {
        const found = (await this.list()).find((template) => template.name === request.name);
        if (found === undefined) return undefined;
        if (knownBefore.has(found.id)) {
          throw new DistrApiError({
            kind: "name-taken",
            method: "POST",
            path: context.sender.displayPath(routes.licenseTemplates),
            hint: `the answer to the create was lost, and a license template named ${JSON.stringify(request.name)} existed before: choose another name`,
          });
        }
        return found;
      },
      policy: context.policy,
      clock: context.clock,
    });
  }

  async update(id: string, request: LicenseTemplateRequest): Promise<LicenseTemplate> {
    const context = await this.context();
    return context.sender.send({
      method: "PUT",
      path: `${licenseKeyRoutes(context, "license templates").licenseTemplates}/${encodeURIComponent(id)}`,
      body: request,
      subject: "licenseTemplate",
      schema: LicenseTemplateSchema,
    });
  }

  async delete(id: string): Promise<void> {
    const context = await this.context();
    await context.sender.send({
      method: "DELETE",
      path: `${licenseKeyRoutes(context, "license templates").licenseTemplates}/${encodeURIComponent(id)}`,
      subject: "licenseTemplate",
    });
  }
}
