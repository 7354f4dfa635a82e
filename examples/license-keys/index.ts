/**
 * License keys per tier (Distr 3.x): each tier grants application versions (an ApplicationLicense) and issues a
 * signed license key whose payload carries the tier's entitlements (seats, features). The customer's software
 * verifies the key offline with Distr's public key (verify.mjs shows how) and reads its entitlements from it.
 *
 * Pro customers get a key with a fixed payload and validity; "metered" customers get a key made from a license
 * template, whose payload Distr's billing renders from their subscription (the key has no token until it does).
 */
import * as pulumi from "@pulumi/pulumi";
import * as distr from "pulumi-distr";

const meteredTemplate = new distr.LicenseTemplate("metered", {
  payloadTemplate:
    '{"edition": "metered", "seats": {{ itemQuantity "seats" }}, "sso": {{ if hasItem "sso-addon" }}true{{ else }}false{{ end }}}',
  expirationGracePeriodDays: 14,
});

const tiers = {
  pro: {
    versions: { range: ">=2.0.0 <3.0.0" },
    key: { payload: { edition: "pro", seats: 25, features: ["sso", "audit-log"] } },
  },
  metered: { versions: "all", key: { template: meteredTemplate.id } },
} as const;
type Tier = keyof typeof tiers;

/** A fixed-payload key is valid from notBefore to expiresAt; a template key's validity comes from billing. */
const customers: ReadonlyArray<{
  key: string;
  name: string;
  tier: Tier;
  validity?: { notBefore: string; expiresAt: string };
}> = [
  {
    key: "acme",
    name: "ACME Corp",
    tier: "pro",
    validity: { notBefore: "2026-01-01T00:00:00Z", expiresAt: "2027-06-30T00:00:00Z" },
  },
  { key: "globex", name: "Globex Corporation", tier: "metered" },
];

/** The key's token per customer: a secret (`pulumi stack output tokens --show-secrets`). */
export const tokens: Record<string, pulumi.Output<string | undefined>> = {};
export const revisions: Record<string, pulumi.Output<number>> = {};
for (const { key, name, tier, validity } of customers) {
  const customer = new distr.Customer(key, { name });
  const plan = tiers[tier];
  new distr.ApplicationLicense(`${key}-hello-distr`, {
    customer: customer.id,
    application: "hello-distr",
    versions: plan.versions,
    ...(validity ? { expiresAt: validity.expiresAt } : {}),
  });
  const licenseKey = new distr.LicenseKey(`${key}-key`, {
    customer: customer.id,
    description: `${name}, ${tier} tier`,
    ...("payload" in plan.key ? { payload: plan.key.payload, ...validity } : { template: plan.key.template }),
  });
  tokens[key] = licenseKey.token;
  revisions[key] = licenseKey.revision.count;
}

/** Where customers fetch the public key that verifies every token of this Distr (no credentials needed). */
const host = new pulumi.Config("distr").get("host") ?? process.env["DISTR_HOST"] ?? "https://app.distr.sh";
export const publicKeyUrl = `${host.replace(/\/+$/, "")}/api/public/v1/license-keys/public-key`;
