/** pulumi-distr/policy: the license rules as a CrossGuard policy pack. Re-exports only. */
import "../sdk/requireSupportedNode";
export {
  licensePolicies,
  connectAsTheProgram,
  RULE_NEEDS_BEFORE,
  DISTR_REACHABLE_POLICY,
  DELETED_LICENSES_POLICY,
} from "./licensePolicies";
export { observeAnalyzerRequests, stackOfRun, configuredEnforcement } from "./analyzerRequests";
export type { AnalyzedStack } from "./analyzerRequests";
export { previousLicenses } from "./previousLicenses";
export type { PreviousLicense, PreviousLicensesResult } from "./previousLicenses";
export type { LicensePolicyOptions } from "./licensePolicies";
export { createLicensePolicyPack, LICENSE_POLICY_PACK_NAME } from "./licensePolicyPack";
export type { LicensePolicyPackOptions } from "./licensePolicyPack";
export { LicenseJudge } from "./licenseJudgement";
export type { DistrConnector, LicenseJudgement, LicenseKind, LicenseResource } from "./licenseJudgement";
