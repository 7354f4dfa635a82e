/**
 * Saved states as the file and object-store backends write them (a checkpoint: `{ version: 3, checkpoint: { latest:
 * { resources } } }`), with the resource types and outputs the provider records (provider/customer.ts,
 * provider/applicationLicense.ts), and the update records `pulumi stack history --json` prints for them.
 */
import type { UpdateState } from "../../history/licenseTimeline";
import { deploymentResources } from "../../review/deploymentDocument";
import { stackUpdatesOf } from "../../history/stackUpdate";
import { stateLicenses } from "../../history/stateLicenses";

const PROJECT = "urn:pulumi:production::licenses::";
export const ACME_ID = "0b5e7c1e-6a55-4c3c-9a0e-2d8f6c0b1a11";
export const INITECH_ID = "5d2a9c3b-1f4e-4b7a-8c6d-9e0f1a2b3c4d";

export interface LicenseSpec {
  readonly resource: string;
  readonly id: string;
  readonly name: string;
  readonly customer: string;
  readonly versions: unknown;
  readonly expiresAt?: string;
}

export function customerResource(id: string, name: string) {
  return {
    urn: `${PROJECT}pulumi-nodejs:dynamic/distr:Customer::${name.toLowerCase()}`,
    custom: true,
    id,
    type: "pulumi-nodejs:dynamic/distr:Customer",
    outputs: { name, features: ["deployment_targets", "artifacts"], __provider: "exports.handler = ..." },
  };
}

export function licenseResource(spec: LicenseSpec) {
  return {
    urn: `${PROJECT}pulumi-nodejs:dynamic/distr:ApplicationLicense::${spec.resource}`,
    custom: true,
    id: spec.id,
    type: "pulumi-nodejs:dynamic/distr:ApplicationLicense",
    outputs: {
      name: spec.name,
      customer: spec.customer,
      application: "hello-distr",
      applicationId: "app-1",
      versions: spec.versions,
      versionIds: [],
      ...(spec.expiresAt !== undefined ? { expiresAt: spec.expiresAt } : {}),
      registryPassword: {
        "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
        ciphertext: "v1:abc",
      },
      __provider: "exports.handler = ...",
    },
  };
}

export function checkpoint(resources: unknown[]): unknown {
  return { version: 3, checkpoint: { stack: "organization/licenses/production", latest: { manifest: {}, resources } } };
}

export interface UpdateSpec {
  readonly end: string;
  readonly message?: string;
  readonly commit?: string;
  readonly kind?: string;
  readonly result?: string;
}

/** What `pulumi stack history --json` prints for these updates (newest first; file backends leave version 0). */
export function historyJson(updates: readonly UpdateSpec[]): unknown[] {
  return updates
    .map((update) => {
      const end = Date.parse(update.end);
      return {
        version: 0,
        kind: update.kind ?? "update",
        startTime: new Date(end - 8_000).toISOString(),
        message: update.message ?? "",
        environment: {
          "exec.kind": "cli",
          ...(update.commit !== undefined
            ? { "git.head": update.commit, "git.author": "Ann Example", "git.headName": "refs/heads/main" }
            : {}),
        },
        config: {},
        result: update.result ?? "succeeded",
        endTime: new Date(end).toISOString(),
        resourceChanges: { same: 1 },
      };
    })
    .reverse();
}

/** States after each update, read through the same functions as the command. */
export function updateStates(updates: readonly UpdateSpec[], states: readonly unknown[][]): UpdateState[] {
  const records = stackUpdatesOf(historyJson(updates), "fixture");
  return records.map((update, index) => ({
    update,
    state: stateLicenses(deploymentResources(checkpoint(states[index] ?? []), `fixture ${index}`)),
  }));
}

/** The five updates of the Must show: grant, widen, expiry moved, narrow, delete (ACME), Initech unchanged. */
export const FIVE_UPDATES: readonly UpdateSpec[] = [
  { end: "2026-01-10T10:00:00Z", message: "Grant ACME 2.0 and 2.1", commit: "1111111aaaaaaa" },
  { end: "2026-02-01T10:00:00Z", message: "Widen ACME to every 2.x", commit: "2222222bbbbbbb" },
  { end: "2026-02-20T10:00:00Z", message: "Move ACME's expiry to June", commit: "3333333ccccccc" },
  { end: "2026-03-10T10:00:00Z", message: "Narrow ACME to 2.3.0", commit: "4444444ddddddd" },
  { end: "2026-04-01T10:00:00Z", message: "Remove ACME's license", commit: "5555555eeeeeee" },
];

const acme = customerResource(ACME_ID, "ACME Corp");
const initech = customerResource(INITECH_ID, "Initech");
const initechLicense = licenseResource({
  resource: "initech-hello-distr",
  id: "lic-initech",
  name: "initech-hello-distr",
  customer: INITECH_ID,
  versions: ["1.1.0"],
});
const acmeLicense = (versions: unknown, expiresAt: string) =>
  licenseResource({
    resource: "acme-hello-distr",
    id: "lic-acme",
    name: "acme-hello-distr",
    customer: ACME_ID,
    versions,
    expiresAt,
  });

export const FIVE_STATES: readonly unknown[][] = [
  [acme, initech, initechLicense, acmeLicense(["2.0.0", "2.1.0"], "2026-03-31T00:00:00Z")],
  [
    acme,
    initech,
    initechLicense,
    acmeLicense({ range: ">=2.0.0 <3.0.0", matches: ["2.0.0", "2.1.0", "2.2.0", "2.3.0"] }, "2026-03-31T00:00:00Z"),
  ],
  [
    acme,
    initech,
    initechLicense,
    acmeLicense({ range: ">=2.0.0 <3.0.0", matches: ["2.0.0", "2.1.0", "2.2.0", "2.3.0"] }, "2026-06-30T00:00:00Z"),
  ],
  [acme, initech, initechLicense, acmeLicense(["2.3.0"], "2026-06-30T00:00:00Z")],
  [acme, initech, initechLicense],
];
