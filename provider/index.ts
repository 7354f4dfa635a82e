export {
  ApplicationEntitlement,
  ApplicationLicense,
  ArtifactEntitlement,
  ArtifactLicense,
  Customer,
} from "./resources";
export type {
  Adopt,
  AdoptArgs,
  ApplicationEntitlementArgs,
  ApplicationLicenseArgs,
  ArtifactEntitlementArgs,
  ArtifactLicenseArgs,
  ArtifactSelectionArgs,
  ArtifactSelectionOutput,
  CustomerArgs,
  CustomerFeature,
  GrantedSelection,
  RegistryCredentialsArgs,
  SelectionArgs,
} from "./resources";
export type { DistrProviderConfig } from "./config";
/** The outputs as they are kept in state (what refresh reads back and diff compares against). */
export type { CustomerOutputs } from "./customer";
export type { ApplicationLicenseOutputs } from "./applicationLicense";
export type { ArtifactLicenseOutputs } from "./artifactLicense";
