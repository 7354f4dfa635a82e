export {
  ApplicationEntitlement,
  ApplicationLicense,
  ArtifactEntitlement,
  ArtifactLicense,
  Customer,
  LicenseKey,
  LicenseTemplate,
} from "./resources";
export type {
  Adopt,
  AdoptArgs,
  AdoptById,
  AllVersions,
  ApplicationEntitlementArgs,
  ApplicationLicenseArgs,
  ArtifactEntitlementArgs,
  ArtifactLicenseArgs,
  ArtifactSelectionArgs,
  ArtifactSelectionOutput,
  CustomerArgs,
  CustomerFeature,
  GrantedArtifactSelection,
  GrantedSelection,
  GrantedVersionRange,
  LicenseKeyAffectedDeployment,
  LicenseKeyArgs,
  LicenseKeyPayloadArgs,
  LicenseKeyRevision,
  LicenseTemplateArgs,
  RegistryAccount,
  RegistryCredentialsArgs,
  SelectionArgs,
  VersionRangeArgs,
  WholeNumber,
} from "./resources";
export type { DistrProviderConfig } from "./config";
/** The outputs as they are kept in state (what refresh reads back and diff compares against). */
export type { CustomerOutputs } from "./customer";
export type { ApplicationLicenseOutputs } from "./applicationLicense";
export type { ArtifactLicenseOutputs } from "./artifactLicense";
export type { LicenseKeyOutputs } from "./licenseKey";
export type { LicenseTemplateOutputs } from "./licenseTemplate";
