/** pulumi-distr/policy: the license rules as a CrossGuard policy pack. Re-exports only. */
export { licensePolicies, RULE_NEEDS_BEFORE, DISTR_REACHABLE_POLICY } from "./licensePolicies";
export type { LicensePolicyOptions } from "./licensePolicies";
export { createLicensePolicyPack, LICENSE_POLICY_PACK_NAME } from "./licensePolicyPack";
export type { LicensePolicyPackOptions } from "./licensePolicyPack";
export { LicenseJudge } from "./licenseJudgement";
export type { DistrConnector, LicenseJudgement, LicenseKind, LicenseResource } from "./licenseJudgement";
