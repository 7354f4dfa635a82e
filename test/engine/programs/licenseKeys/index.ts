/**
 * The engine suite's license key program: declares exactly the customers, license templates and license keys of
 * the stack config value `spec` (JSON). A payload member whose value is "$payloadSecret" gets the secret stack config
 * value `payloadSecret` (`config.requireSecret`), as a user passes a secret into a payload.
 */
import * as pulumi from "@pulumi/pulumi";
import * as distr from "pulumi-distr";
import { z } from "zod";

const Spec = z.object({
  customers: z.array(z.object({ resource: z.string(), name: z.string() })),
  templates: z
    .array(
      z.object({
        resource: z.string(),
        name: z.string().optional(),
        payloadTemplate: z.string(),
        expirationGracePeriodDays: z.number().optional(),
      }),
    )
    .default([]),
  keys: z
    .array(
      z.object({
        resource: z.string(),
        customer: z.string().optional(),
        name: z.string().optional(),
        description: z.string().optional(),
        payload: z.union([z.record(z.string(), z.unknown()), z.string()]).optional(),
        notBefore: z.string().optional(),
        expiresAt: z.string().optional(),
        template: z.string().optional(),
        redeploy: z.boolean().optional(),
        adopt: z.union([z.boolean(), z.object({ id: z.string() })]).optional(),
      }),
    )
    .default([]),
});
export type LicenseKeysSpec = z.input<typeof Spec>;

const config = new pulumi.Config();
const spec = Spec.parse(config.requireObject("spec"));

const customers = new Map(
  spec.customers.map(({ resource, name }) => [resource, new distr.Customer(resource, { name })]),
);
const templates = new Map(
  spec.templates.map(({ resource, ...args }) => [resource, new distr.LicenseTemplate(resource, args)]),
);

export const keys: Record<string, pulumi.Output<unknown>> = {};
export const tokens: Record<string, pulumi.Output<string | undefined>> = {};
for (const { resource, customer, template, payload, ...args } of spec.keys) {
  const withSecrets =
    payload === undefined || typeof payload === "string"
      ? payload
      : Object.fromEntries(
          Object.entries(payload).map(([member, value]) => [
            member,
            value === "$payloadSecret" ? config.requireSecret("payloadSecret") : value,
          ]),
        );
  const key = new distr.LicenseKey(resource, {
    ...args,
    payload: withSecrets,
    customer: customer === undefined ? undefined : customers.get(customer)?.id,
    template: template === undefined ? undefined : templates.get(template)?.id,
  });
  keys[resource] = pulumi
    .all([key.id, key.revision, key.affectedDeployments])
    .apply(([id, revision, affectedDeployments]) => ({ id, revision, affectedDeployments }));
  tokens[resource] = key.token;
}
