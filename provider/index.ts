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
