/**
 * The in-process test controls of a local Distr: publish versions and tags, fake deployments, add organizations,
 * switch licensing, inject faults. They change the same store the HTTP handlers use, and persist like them.
 */
import { generateAccessToken } from "./auth";
import { addApplicationVersion, addArtifactTag, CatalogError, findApplication, findArtifact } from "./catalog";
import { nowDistrTime } from "./distrTime";
import type { Fault, FaultQueue } from "./faults";
import type { LocalDistrControl, LocalDistrRequestRecord } from "./localDistr";
import type { DistrRateLimiter } from "./rateLimit";
import { addVendorOrganization, LICENSING_FEATURE } from "./seed";
import type { DistrStore } from "./store";
import { newUuid } from "./uuid";

export interface ControlDependencies {
  readonly store: DistrStore;
  readonly seedOrganizationId: string;
  readonly faults: FaultQueue;
  readonly requests: ReadonlyArray<LocalDistrRequestRecord>;
  readonly rateLimiter: DistrRateLimiter | undefined;
}

export function createControl(deps: ControlDependencies): LocalDistrControl {
  const { store } = deps;
  let organizationCount = 0;
  return {
    addApplicationVersion(application, version, options = {}) {
      return store.transaction((state) =>
        addApplicationVersion(state, findApplication(state, application), version, options),
      );
    },

    addArtifactTag(artifact, tag, options = {}) {
      return store.transaction((state) => addArtifactTag(state, findArtifact(state, artifact), tag, options));
    },

    markVersionDeployed(applicationLicenseId, version, deploymentTarget) {
      store.transaction((state) => {
        const license = state.applicationLicenses.find((l) => l.id === applicationLicenseId);
        if (!license) throw new CatalogError(`local Distr has no application license ${applicationLicenseId}`);
        const customerId = license.customerOrganizationId;
        // Deployments refuse customer-less licenses (400 `invalid entitlement`, section 5.5).
        if (customerId === undefined) {
          throw new CatalogError(`application license ${applicationLicenseId} has no customer; nothing can deploy it`);
        }
        const versionRow = state.applicationVersions.find(
          (v) => v.applicationId === license.applicationId && (v.name === version || v.id === version),
        );
        if (!versionRow) throw new CatalogError(`the license's application has no version ${JSON.stringify(version)}`);
        let target = state.deploymentTargets.find(
          (t) => t.customerOrganizationId === customerId && t.name === deploymentTarget,
        );
        if (!target) {
          target = {
            id: newUuid(),
            createdAt: nowDistrTime(),
            customerOrganizationId: customerId,
            name: deploymentTarget,
          };
          state.deploymentTargets.push(target);
        }
        const targetId = target.id;
        const deployment = state.deployments.find(
          (d) => d.deploymentTargetId === targetId && d.applicationLicenseId === license.id,
        );
        if (deployment) deployment.applicationVersionId = versionRow.id;
        else {
          state.deployments.push({
            id: newUuid(),
            createdAt: nowDistrTime(),
            deploymentTargetId: targetId,
            applicationLicenseId: license.id,
            applicationVersionId: versionRow.id,
          });
        }
      });
    },

    addOrganization(options = {}) {
      organizationCount += 1;
      const token = generateAccessToken();
      const organization = store.transaction((state) =>
        addVendorOrganization(state, {
          name: options.name ?? `Other Vendor ${organizationCount}`,
          licensing: options.licensing ?? true,
          role: options.role ?? "admin",
          token,
        }),
      );
      return { token, id: organization.id };
    },

    setLicensing(enabled) {
      store.transaction((state) => {
        const organization = state.organizations.find((o) => o.id === deps.seedOrganizationId);
        if (!organization) throw new CatalogError("local Distr lost its seed organization");
        const others = organization.features.filter((f) => f !== LICENSING_FEATURE);
        organization.features = enabled ? [LICENSING_FEATURE, ...others] : others;
      });
    },

    setFeature(feature, enabled) {
      store.transaction((state) => {
        const organization = state.organizations.find((o) => o.id === deps.seedOrganizationId);
        if (!organization) throw new CatalogError("local Distr lost its seed organization");
        const others = organization.features.filter((f) => f !== feature);
        organization.features = enabled ? [...others, feature] : others;
      });
    },

    useLicenseKey(licenseKeyId, deploymentTarget, options = {}) {
      return store.transaction((state) => {
        const key = state.licenseKeys.find((k) => k.id === licenseKeyId);
        if (!key) throw new CatalogError(`local Distr has no license key ${licenseKeyId}`);
        const customerId = key.customerOrganizationId;
        // Deployment templates only see the keys of their customer that have a revision (db.GetLicenseKeysByScope).
        if (customerId === undefined) {
          throw new CatalogError(`license key ${licenseKeyId} has no customer; no deployment can reference it`);
        }
        if (!state.licenseKeyRevisions.some((r) => r.licenseKeyId === key.id)) {
          throw new CatalogError(`license key ${licenseKeyId} has no revision yet; a deployment cannot render it`);
        }
        let target = state.deploymentTargets.find(
          (t) => t.customerOrganizationId === customerId && t.name === deploymentTarget,
        );
        if (!target) {
          target = {
            id: newUuid(),
            createdAt: nowDistrTime(),
            customerOrganizationId: customerId,
            name: deploymentTarget,
          };
          state.deploymentTargets.push(target);
        }
        const targetId = target.id;
        const applicationName = options.application ?? "hello-distr";
        let deployment = state.keyDeployments.find(
          (d) => d.deploymentTargetId === targetId && d.applicationName === applicationName,
        );
        if (!deployment) {
          deployment = {
            id: newUuid(),
            createdAt: nowDistrTime(),
            deploymentTargetId: targetId,
            applicationName,
            licenseKeyNames: [],
            valuesRevision: 1,
          };
          state.keyDeployments.push(deployment);
        }
        if (!deployment.licenseKeyNames.includes(key.name)) deployment.licenseKeyNames.push(key.name);
        return { deploymentId: deployment.id, deploymentTargetId: targetId };
      });
    },

    licenseKeyDeployments() {
      const { state } = store;
      return state.keyDeployments.map((d) => ({
        deploymentId: d.id,
        deploymentTargetName: state.deploymentTargets.find((t) => t.id === d.deploymentTargetId)?.name ?? "",
        applicationName: d.applicationName,
        licenseKeyNames: [...d.licenseKeyNames],
        redeploys: d.valuesRevision - 1,
      }));
    },

    injectFaults(...faults: Fault[]) {
      deps.faults.inject(faults);
    },

    clearFaults() {
      deps.faults.clear();
    },

    get requests() {
      return deps.requests;
    },

    resetRateLimits() {
      deps.rateLimiter?.reset();
    },

    get rateLimitOrigin() {
      return deps.rateLimiter?.origin;
    },
  };
}
