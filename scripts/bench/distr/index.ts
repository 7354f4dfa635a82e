/**
 * The scale benchmark's program (scripts/bench-scale.ts): `bench:customers` customers, each with
 * `bench:applicationLicenses` application licenses and `bench:artifactLicenses` artifact licenses, all expiring at
 * `bench:expiresAt` (the benchmark changes it to update every license).
 */
import * as pulumi from "@pulumi/pulumi";
import * as distr from "pulumi-distr";

const config = new pulumi.Config("bench");
const expiresAt = config.require("expiresAt");
for (let c = 0; c < config.requireNumber("customers"); c++) {
  const customer = new distr.Customer(`customer-${c}`, { name: `Bench Customer ${c}` });
  for (let a = 0; a < config.requireNumber("applicationLicenses"); a++) {
    new distr.ApplicationLicense(`customer-${c}-application-${a}`, {
      customer: customer.id,
      application: "hello-distr",
      versions: "all",
      expiresAt,
    });
  }
  for (let a = 0; a < config.requireNumber("artifactLicenses"); a++) {
    new distr.ArtifactLicense(`customer-${c}-artifacts-${a}`, {
      customer: customer.id,
      expiresAt,
      artifacts: [{ artifact: "hello-distr/backend" }],
    });
  }
}
