import "../sdk/requireSupportedNode";
export { startLocalDistr, LocalDistrOptionsError } from "./server";
export type {
  LocalDistr,
  LocalDistrControl,
  LocalDistrOptions,
  LocalDistrRequestEvent,
  LocalDistrRequestRecord,
} from "./localDistr";
export type { Fault, FaultMatch } from "./faults";
export { SEED_ORGANIZATION_NAME, SEED_APPLICATIONS, SEED_ARTIFACTS } from "./seed";
export { DistrStoreError } from "./store";
export { CatalogError } from "./catalog";
