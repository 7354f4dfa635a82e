/**
 * What the serialized provider shims `require` at call time (package export "pulumi-distr/provider/implementation"):
 * the handlers of each resource kind. Its export names are a contract with every `__provider` already stored in
 * state (delete and refresh run the shim stored there, pulumi-notes §2): keep `resourceProviders` and the kind names.
 */
import "../sdk/requireSupportedNode";
import { applicationLicenseHandlers } from "./applicationLicense";
import { artifactLicenseHandlers } from "./artifactLicense";
import { customerHandlers } from "./customer";
import { withFailureReporting } from "./failureReporting";
import { licenseKeyHandlers } from "./licenseKey";
import { licenseTemplateHandlers } from "./licenseTemplate";
import { watchEngine } from "./pluginHost";
import type { ResourceHandlers, ResourceKind } from "./resourceHandlers";

export type { ResourceHandlers, ResourceKind } from "./resourceHandlers";

// Loaded at the first call of an operation (configure): from then on the process stops sending, and exits, once the
// engine that started it is gone (a killed `pulumi up` leaves no writer behind, sdk/engineWatchdog.ts).
watchEngine();

export const resourceProviders: Readonly<Record<ResourceKind, ResourceHandlers>> = {
  customer: withFailureReporting(customerHandlers),
  applicationLicense: withFailureReporting(applicationLicenseHandlers),
  artifactLicense: withFailureReporting(artifactLicenseHandlers),
  licenseKey: withFailureReporting(licenseKeyHandlers),
  licenseTemplate: withFailureReporting(licenseTemplateHandlers),
};
