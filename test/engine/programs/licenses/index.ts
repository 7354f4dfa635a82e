/**
 * The engine suite's program: declares exactly the customers and licenses of the stack config value `spec` (JSON),
 * so each scenario changes the desired state by `pulumi config set` and runs the real engine on it.
 * A registry password comes from the secret config value `registryPassword`, as users should pass it.
 */
import * as pulumi from "@pulumi/pulumi";
import * as distr from "pulumi-distr";
import { CUSTOMER_FEATURES } from "pulumi-distr/sdk";
import { z } from "zod";

const Adopt = z.union([z.literal(true), z.object({ id: z.string() })]).optional();
const Selection = z.union([
  z.literal("all"),
  z.array(z.string()),
  z.object({ range: z.string(), includePrerelease: z.boolean().optional() }),
]);
const Spec = z.object({
  customers: z.array(
    z.object({
      resource: z.string(),
      name: z.string(),
      features: z.array(z.enum(CUSTOMER_FEATURES)).optional(),
      adopt: Adopt,
    }),
  ),
  applicationLicenses: z
    .array(
      z.object({
        resource: z.string(),
        customer: z.string().optional(),
        name: z.string().optional(),
        application: z.string(),
        versions: Selection,
        expiresAt: z.string().optional(),
        registry: z.object({ url: z.string(), username: z.string() }).optional(),
        adopt: Adopt,
      }),
    )
    .default([]),
  artifactLicenses: z
    .array(
      z.object({
        resource: z.string(),
        customer: z.string().optional(),
        name: z.string().optional(),
        artifacts: z.array(z.object({ artifact: z.string(), tags: Selection })),
        expiresAt: z.string().optional(),
        adopt: Adopt,
      }),
    )
    .default([]),
});
export type ProgramSpec = z.input<typeof Spec>;

const config = new pulumi.Config();
const spec = Spec.parse(config.requireObject("spec"));

const customers = new Map<string, distr.Customer>();
for (const { resource, ...args } of spec.customers) {
  customers.set(resource, new distr.Customer(resource, args));
}
const customerId = (resource: string) => {
  const customer = customers.get(resource);
  if (!customer) throw new Error(`spec refers to unknown customer ${resource}`);
  return customer.id;
};

export const applicationLicenses: Record<string, pulumi.Output<string>> = {};
for (const { resource, customer, registry, ...args } of spec.applicationLicenses) {
  const license = new distr.ApplicationLicense(resource, {
    ...args,
    ...(customer !== undefined ? { customer: customerId(customer) } : {}),
    ...(registry ? { registry: { ...registry, password: config.requireSecret("registryPassword") } } : {}),
  });
  applicationLicenses[resource] = license.id;
}

export const artifactLicenses: Record<string, pulumi.Output<string>> = {};
for (const { resource, customer, ...args } of spec.artifactLicenses) {
  artifactLicenses[resource] = new distr.ArtifactLicense(resource, {
    ...args,
    ...(customer !== undefined ? { customer: customerId(customer) } : {}),
  }).id;
}

export const customerIds = Object.fromEntries([...customers].map(([resource, customer]) => [resource, customer.id]));
