/**
 * pulumi-distr/review: license-level changes and the license rules, shared by `pulumi-distr review` and policy packs.
 * Re-exports only.
 */
import "../sdk/requireSupportedNode";
export {
  RULE_NAMES,
  RULES,
  DEFAULT_EXPIRY_WINDOW_DAYS,
  evaluateRules,
  isRuleName,
  ruleNamed,
  customerName,
} from "./rules";
export type { LicenseRule, OrganizationLicensing, RuleContext, RuleEvaluation, RuleFinding, RuleName } from "./rules";
export { compareLicenses, compareSelections, hasVisibleChange, sameCustomer } from "./licenseChange";
export type {
  ArtifactGrantChange,
  ExpiryChange,
  LicenseAction,
  LicenseChange,
  LicenseChangeIdentity,
  RegistryChange,
  Replacement,
  SelectionChange,
} from "./licenseChange";
export { compareCustomers } from "./customerChange";
export type { CustomerChange } from "./customerChange";
export {
  applicationLicenseSnapshotOf,
  artifactLicenseSnapshotOf,
  customerSnapshotOf,
  PENDING_TEXT,
} from "./licenseSnapshot";
export type {
  ApplicationLicenseSnapshot,
  ArtifactGrant,
  ArtifactLicenseSnapshot,
  CustomerRef,
  CustomerSnapshot,
  LicenseSnapshot,
} from "./licenseSnapshot";
export { describeSelection, grantedNames, grantSelectionOf } from "./grantSelection";
export type { GrantSelection } from "./grantSelection";
export {
  applicationLicenseSnapshotFromDistr,
  artifactLicenseSnapshotFromDistr,
  currentLicenseSnapshot,
  resolveSnapshotSelections,
} from "./distrSnapshots";
export { lookUpDistrFacts } from "./distrLookups";
export type { DistrFacts, DistrFactsResult } from "./distrLookups";
export { parsePreviewDocument, PreviewDocumentError, SECRET_PLACEHOLDER } from "./previewDocument";
export type { PreviewDocument } from "./previewDocument";
export { readPreviewChanges } from "./previewChanges";
export type { PreviewChanges, PreviewReadOptions, UnchangedCounts } from "./previewChanges";
export { PLUGIN_RESOURCE_TYPES, RESOURCE_TYPES, resourceKindOf } from "./resourceKinds";
export type { ResourceKind } from "./resourceKinds";
export { buildReviewReport, firedRules, reviewReportSchema, REPORT_SCHEMA_VERSION } from "./report";
export type { CustomerSection, ReviewOptions, ReviewReport } from "./report";
export { reviewPreview } from "./reviewPreview";
export type { ReviewPreviewOptions } from "./reviewPreview";
export { renderMarkdown, MARKDOWN_LIMIT } from "./renderMarkdown";
export type { MarkdownOptions } from "./renderMarkdown";
export { renderText } from "./renderText";
export type { TextOptions } from "./renderText";
export { renderJson } from "./renderJson";
export { replacementOf, explainReplacement } from "./replacement";
