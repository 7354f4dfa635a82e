/**
 * The licenses a platform team keeps in a repository and changes by pull request (see README.md): each customer's
 * plan is one application license; a pull request edits this file, the workflow posts the license review, and the
 * merge applies it. `plans` and `customers` are the lines a reviewer sees change.
 */
import * as pulumi from "@pulumi/pulumi";
import * as distr from "pulumi-distr";

const application = "hello-distr";

const plans = {
  standard: { range: ">=2.0.0 <3.0.0" },
  legacy: { range: ">=1.0.0 <2.0.0" },
} as const;

/** The stack config value `customers` (JSON) overrides this list, so the pipeline's test can change it. */
const customers = new pulumi.Config().getObject<
  Array<{ key: string; name: string; plan: keyof typeof plans; expiresAt: string }>
>("customers") ?? [
  { key: "acme", name: "ACME Corp", plan: "standard", expiresAt: "2027-06-30T00:00:00Z" },
  { key: "initech", name: "Initech", plan: "legacy", expiresAt: "2027-03-31T00:00:00Z" },
];

export const licenses: Record<string, pulumi.Output<string>> = {};
for (const { key, name, plan, expiresAt } of customers) {
  const customer = new distr.Customer(key, { name });
  licenses[key] = new distr.ApplicationLicense(`${key}-${application}`, {
    customer: customer.id,
    application,
    versions: plans[plan],
    expiresAt,
  }).id;
}
