/**
 * The license policy pack: `new PolicyPack` starts the analyzer's gRPC server, so only a pack's entry calls this (the
 * package's ready pack in policy-pack/, or your own pack with extra policies).
 */
import { PolicyPack, type ResourceValidationPolicy, type StackValidationPolicy } from "@pulumi/policy";
import { watchEngine } from "../provider/pluginHost";
import { observeAnalyzerRequests } from "./analyzerRequests";
import { DELETED_LICENSES_POLICY, licensePolicies, type LicensePolicyOptions } from "./licensePolicies";

/** The pack's name in the engine's output (`Policies: ✅ pulumi-distr-licenses@v…`). */
export const LICENSE_POLICY_PACK_NAME = "pulumi-distr-licenses";

export interface LicensePolicyPackOptions extends LicensePolicyOptions {
  /** More policies of your own, evaluated beside the license rules. */
  readonly policies?: ReadonlyArray<ResourceValidationPolicy | StackValidationPolicy>;
}

export function createLicensePolicyPack(options: LicensePolicyPackOptions = {}): PolicyPack {
  // In the analyzer the engine started: end with the engine, also when a killed run cannot close it.
  watchEngine();
  // Before the server starts: the stack's configuration and the policies' levels (analyzerRequests.ts).
  observeAnalyzerRequests({ [DELETED_LICENSES_POLICY]: "loses-access" });
  return new PolicyPack(LICENSE_POLICY_PACK_NAME, {
    description:
      "Distr license rules of pulumi-distr (review/rules.ts), per license resource, and deleted licenses against the previous state",
    policies: [...licensePolicies(options), ...(options.policies ?? [])],
  });
}
