/**
 * Declares the catalog's customers and licenses as pulumi-distr resources. Pure wiring: what to create was decided
 * by expandCatalog, how Distr is called is the resources' business.
 */
import * as pulumi from "@pulumi/pulumi";
import * as distr from "../index";
import type { CatalogContents } from "./expand";
import type { RegistryGrant } from "./schema";

export interface DeclaredCatalog {
  readonly customers: ReadonlyMap<string, distr.Customer>;
  readonly applicationLicenses: ReadonlyMap<string, distr.ApplicationLicense>;
  readonly artifactLicenses: ReadonlyMap<string, distr.ArtifactLicense>;
  readonly licenseTemplates: ReadonlyMap<string, distr.LicenseTemplate>;
  readonly licenseKeys: ReadonlyMap<string, distr.LicenseKey>;
}

export interface DeclareOptions {
  /** Where registry passwords are looked up (`passwordConfig` names a secret value of it); the project's config by default. */
  readonly config?: pulumi.Config;
  /** Applied to every resource (e.g. a parent component, `protect`). */
  readonly resourceOptions?: pulumi.CustomResourceOptions;
}

export function declareCatalog(contents: CatalogContents, options: DeclareOptions = {}): DeclaredCatalog {
  const config = options.config ?? new pulumi.Config();
  const opts = options.resourceOptions ?? {};

  const customers = new Map<string, distr.Customer>();
  for (const spec of contents.customers) {
    customers.set(
      spec.resourceName,
      new distr.Customer(
        spec.resourceName,
        {
          name: spec.name,
          ...(spec.features ? { features: [...spec.features] } : {}),
          ...(spec.adopt ? { adopt: spec.adopt } : {}),
        },
        opts,
      ),
    );
  }

  const customerId = (key: string | undefined): pulumi.Output<string> | undefined => {
    if (key === undefined) return undefined;
    const customer = customers.get(key);
    // expandCatalog only refers to customers it emitted; a miss is a programming error, not a user error.
    if (!customer) throw new Error(`catalog declares a license for unknown customer ${JSON.stringify(key)}`);
    return customer.id;
  };

  // A license without customer has no `customer` input at all (not an undefined one).
  const customerOf = (key: string | undefined) => {
    const id = customerId(key);
    return id === undefined ? {} : { customer: id };
  };

  const applicationLicenses = new Map<string, distr.ApplicationLicense>();
  for (const spec of contents.applicationLicenses) {
    applicationLicenses.set(
      spec.resourceName,
      new distr.ApplicationLicense(
        spec.resourceName,
        {
          name: spec.name,
          ...customerOf(spec.customer),
          application: spec.application,
          versions: spec.versions,
          ...(spec.expiresAt ? { expiresAt: spec.expiresAt } : {}),
          ...(spec.adopt ? { adopt: spec.adopt } : {}),
          ...(spec.registry ? { registry: registryOf(spec.registry, config) } : {}),
        },
        opts,
      ),
    );
  }

  const artifactLicenses = new Map<string, distr.ArtifactLicense>();
  for (const spec of contents.artifactLicenses) {
    artifactLicenses.set(
      spec.resourceName,
      new distr.ArtifactLicense(
        spec.resourceName,
        {
          name: spec.name,
          ...customerOf(spec.customer),
          artifacts: spec.artifacts.map(({ artifact, tags }) => ({ artifact, tags })),
          ...(spec.expiresAt ? { expiresAt: spec.expiresAt } : {}),
          ...(spec.adopt ? { adopt: spec.adopt } : {}),
        },
        opts,
      ),
    );
  }

  const licenseTemplates = new Map<string, distr.LicenseTemplate>();
  for (const spec of contents.licenseTemplates ?? []) {
    licenseTemplates.set(
      spec.resourceName,
      new distr.LicenseTemplate(
        spec.resourceName,
        {
          name: spec.name,
          payloadTemplate: spec.payloadTemplate,
          ...(spec.expirationGracePeriodDays !== undefined
            ? { expirationGracePeriodDays: spec.expirationGracePeriodDays }
            : {}),
        },
        opts,
      ),
    );
  }

  const licenseKeys = new Map<string, distr.LicenseKey>();
  for (const spec of contents.licenseKeys ?? []) {
    const template = spec.template === undefined ? undefined : licenseTemplates.get(spec.template);
    if (spec.template !== undefined && !template) {
      throw new Error(`catalog declares a license key for unknown template ${JSON.stringify(spec.template)}`);
    }
    licenseKeys.set(
      spec.resourceName,
      new distr.LicenseKey(
        spec.resourceName,
        {
          name: spec.name,
          customer: customerId(spec.customer),
          ...(spec.payload !== undefined ? { payload: { ...spec.payload } } : {}),
          ...(template ? { template: template.id } : {}),
          ...(spec.notBefore ? { notBefore: spec.notBefore } : {}),
          ...(spec.expiresAt ? { expiresAt: spec.expiresAt } : {}),
        },
        opts,
      ),
    );
  }

  return { customers, applicationLicenses, artifactLicenses, licenseTemplates, licenseKeys };
}

function registryOf(registry: RegistryGrant, config: pulumi.Config) {
  return {
    url: registry.url,
    username: registry.username,
    // requireSecret keeps the password encrypted in state; the catalog file only names the config key.
    password: config.requireSecret(registry.passwordConfig),
  };
}
