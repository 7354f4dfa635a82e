/**
 * Whether the configured Distr can hold license keys and templates, asked at plan time (in `check`) so that a
 * preview fails with what is missing instead of an `up` failing halfway: Distr 3.x (2.x has no such API), the
 * organization feature `licensing` (both), and `vendor_billing` (templates; granted by Distr's staff, no plan has
 * it). Both answers are cached per process by the client: one request per stack operation at most.
 */
import { isDistrApiError } from "../sdk/errors";
import { LICENSING_FEATURE, VENDOR_BILLING_FEATURE } from "../sdk/schemas";
import { distrClient } from "./config";
import { DistrResourceError } from "./resourceError";

export async function requireLicenseKeyFeature(what: "license keys" | "license templates"): Promise<void> {
  const client = distrClient();
  if ((await client.dialect()) === "2") {
    throw new DistrResourceError(
      "not-supported",
      `${what} need Distr 3.x: the hub at ${client.host} speaks the Distr 2.x API (license keys arrived in 2.12.0, ` +
        "templates in 2.18.0); upgrade the hub or remove the resource",
    );
  }
  let features: readonly string[];
  try {
    features = (await client.organization()).features;
  } catch (error) {
    if (isDistrApiError(error, "licensing-not-enabled")) {
      throw new DistrResourceError(
        "not-supported",
        `${what} need the organization feature \`${LICENSING_FEATURE}\`, which this organization lacks: ` +
          "it comes with a Distr plan that includes licensing",
        { cause: error },
      );
    }
    throw error;
  }
  if (what === "license templates" && !features.includes(VENDOR_BILLING_FEATURE)) {
    throw new DistrResourceError(
      "not-supported",
      `license templates need the organization feature \`${VENDOR_BILLING_FEATURE}\`, which this organization lacks ` +
        `(it has: ${features.join(", ") || "none"}); Distr's staff grant it. Give the LicenseKey a payload instead of a template`,
    );
  }
}
