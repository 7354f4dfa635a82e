/**
 * TEMPORARY: a minimal Pulumi package schema, until branch `schema` lands the one generated from the zod input
 * schemas and doc comments (plugin/schema/). Only this file knows it; GetSchema calls `pluginSchema()`.
 * Complex inputs are typed `Any` here; property names match the TypeScript classes.
 */
import { PACKAGE_NAME } from "./resourceTypes";
import { pluginVersion } from "./version";

type Property = { type?: string; $ref?: string; items?: Property; secret?: boolean; description?: string };

const ANY: Property = { $ref: "pulumi.json#/Any" };
const STRING: Property = { type: "string" };
const STRINGS: Property = { type: "array", items: STRING };

function resource(
  description: string,
  inputs: Record<string, Property>,
  required: string[],
  outputs: Record<string, Property>,
) {
  return {
    description,
    inputProperties: inputs,
    requiredInputs: required,
    properties: { ...inputs, ...outputs },
    required: Object.keys(outputs).filter((key) => key === "name" || key === "createdAt"),
  };
}

const PROVIDER_INPUTS: Record<string, Property> = {
  host: { type: "string", description: "Base URL of the Distr hub, without /api/v1. Else env DISTR_HOST." },
  token: { type: "string", secret: true, description: "A Distr personal access token. Else env DISTR_TOKEN." },
  dialect: { type: "string", description: '"3" (Distr 3.x) or "2" (Distr 2.x); detected when unset.' },
  allowInsecureHttp: { type: "boolean", description: "true allows http:// to hosts other than loopback." },
};

export function pluginSchema(): Record<string, unknown> {
  return {
    name: PACKAGE_NAME,
    version: pluginVersion(),
    description: "Distr license management: customers, application and artifact licenses, license keys.",
    config: { variables: PROVIDER_INPUTS },
    provider: { inputProperties: PROVIDER_INPUTS, properties: {} },
    resources: {
      "distr:index:Customer": resource(
        "A Distr customer organization.",
        { name: STRING, features: STRINGS, adopt: ANY },
        ["name"],
        { createdAt: STRING },
      ),
      "distr:index:ApplicationLicense": resource(
        "A Distr application license (2.x) / application entitlement (3.x).",
        {
          name: STRING,
          customer: STRING,
          application: STRING,
          versions: ANY,
          expiresAt: STRING,
          registry: ANY,
          adopt: ANY,
        },
        ["application"],
        {
          customerName: STRING,
          applicationId: STRING,
          versionIds: STRINGS,
          registryPassword: { type: "string", secret: true },
          createdAt: STRING,
        },
      ),
      "distr:index:ArtifactLicense": resource(
        "A Distr artifact license (2.x) / artifact entitlement (3.x).",
        { name: STRING, customer: STRING, expiresAt: STRING, artifacts: ANY, adopt: ANY },
        ["artifacts"],
        { customerName: STRING, createdAt: STRING },
      ),
      "distr:index:LicenseKey": resource(
        "A Distr 3.x license key.",
        {
          name: STRING,
          customer: STRING,
          description: STRING,
          payload: ANY,
          notBefore: STRING,
          expiresAt: STRING,
          template: STRING,
          redeploy: { type: "boolean" },
          adopt: ANY,
        },
        [],
        { token: { type: "string", secret: true }, revision: ANY, affectedDeployments: ANY, createdAt: STRING },
      ),
      "distr:index:LicenseTemplate": resource(
        "A Distr 3.x license template.",
        { name: STRING, payloadTemplate: STRING, expirationGracePeriodDays: { type: "integer" } },
        ["payloadTemplate"],
        { createdAt: STRING },
      ),
    },
    language: { nodejs: { packageName: "@pulumi-distr/plugin-sdk" } },
  };
}
