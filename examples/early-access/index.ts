/**
 * Early access: every customer gets the released 2.x versions; customers in the preview programme additionally get
 * release candidates and betas. Prereleases (2.4.0-rc.1, 3.0.0-beta.1) never match a range unless
 * `includePrerelease: true`, so the same range syntax serves both groups.
 *
 * The preview programme is stack config: `pulumi config set --path 'earlyAccess[0]' acme` adds ACME to it.
 */
import * as pulumi from "@pulumi/pulumi";
import * as distr from "pulumi-distr";

const config = new pulumi.Config();
const earlyAccess = new Set(config.getObject<string[]>("earlyAccess") ?? ["globex"]);

const customers = [
  { key: "acme", name: "ACME Corp" },
  { key: "globex", name: "Globex Corporation" },
  { key: "initech", name: "Initech" },
];

export const licenses: Record<string, pulumi.Output<string>> = {};
for (const { key, name } of customers) {
  const customer = new distr.Customer(key, { name });
  const versions = earlyAccess.has(key)
    ? // 2.x releases, 2.4.0-rc.1 and the 3.0.0 betas (3.0.0-beta.1 < 3.0.0, so "<4" keeps 3.x betas and releases)
      { range: ">=2.0.0 <4.0.0", includePrerelease: true }
    : { range: ">=2.0.0 <3.0.0" };
  const license = new distr.ApplicationLicense(`${key}-hello-distr`, {
    customer: customer.id,
    application: "hello-distr",
    versions,
  });
  licenses[key] = license.id;
}
