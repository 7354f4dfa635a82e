/**
 * Tiered plans: Starter, Pro and Enterprise as version ranges of one application. A customer's tier is one
 * application license whose versions follow the tier; moving a customer to another tier is a one-word change.
 * Ranges are resolved against the application's versions on every run, so when 2.5.0 is published, the next
 * `pulumi up` grants it to every Pro customer; "all" (Enterprise) is Distr's own all-versions grant and needs no run.
 */
import * as pulumi from "@pulumi/pulumi";
import * as distr from "pulumi-distr";

const application = "hello-distr";

const tiers = {
  starter: { range: ">=1.1.0 <2.0.0" },
  pro: { range: ">=2.0.0 <3.0.0" },
  enterprise: "all",
} as const;
type Tier = keyof typeof tiers;

const customers: ReadonlyArray<{ key: string; name: string; tier: Tier; expiresAt: string }> = [
  { key: "initech", name: "Initech", tier: "starter", expiresAt: "2027-01-31T00:00:00Z" },
  { key: "acme", name: "ACME Corp", tier: "pro", expiresAt: "2027-06-30T00:00:00Z" },
  { key: "globex", name: "Globex Corporation", tier: "enterprise", expiresAt: "2027-12-31T00:00:00Z" },
];

export const licenses: Record<string, pulumi.Output<string>> = {};
for (const { key, name, tier, expiresAt } of customers) {
  const customer = new distr.Customer(key, { name });
  const license = new distr.ApplicationLicense(`${key}-${application}`, {
    customer: customer.id,
    application,
    versions: tiers[tier],
    expiresAt,
  });
  licenses[key] = license.id;
}
