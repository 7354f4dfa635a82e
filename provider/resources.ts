/**
 * The Pulumi resource classes. Each passes a tiny provider shim (shim.ts) to `dynamic.Resource`, with type tokens
 * `pulumi-nodejs:dynamic/distr:<Kind>` (pulumi-notes §4). Output-only keys are seeded as `undefined` and declared
 * with `declare readonly`, so the SDK registers them as outputs and class fields do not overwrite them
 * (pulumi-notes §9 item 12). Credentials never pass through here: the provider reads them from stack configuration
 * or the environment when it runs (see `DistrProviderConfig`).
 */
import * as pulumi from "@pulumi/pulumi";
import type { Adopt } from "./adoption";
import type { CustomerFeature } from "../sdk/schemas";
import { defaultedName } from "./defaultNames";
import { secretOutputNames } from "./secretProperties";
import applicationLicenseShim = require("./shims/applicationLicense");
import artifactLicenseShim = require("./shims/artifactLicense");
import customerShim = require("./shims/customer");
import licenseKeyShim = require("./shims/licenseKey");
import licenseTemplateShim = require("./shims/licenseTemplate");
import { watchEngine } from "./pluginHost";
import { suspendPromiseStacks } from "./promiseStacks";

// In a program run by the language host: once the engine is gone, the program ends, and with it the language host,
// which would otherwise wait up to 5 minutes for its next check on the engine (sdk/engineWatchdog.ts).
watchEngine();

/**
 * One shim object per kind, each the exports object of its own module: Pulumi serializes each provider object once
 * per process, and by reference (`require("pulumi-distr/provider/shims/<kind>")`) when the package is installed.
 */
const providers = {
  customer: customerShim,
  applicationLicense: applicationLicenseShim,
  artifactLicense: artifactLicenseShim,
  licenseKey: licenseKeyShim,
  licenseTemplate: licenseTemplateShim,
};

const MODULE = "distr";

export type { Adopt, AdoptById } from "./adoption";
export type { CustomerFeature } from "../sdk/schemas";

/**
 * Take over an object that already exists in Distr instead of creating it (the dynamic resources cannot be taken
 * over with `pulumi import`; adopt works for them and through the plugin alike). `true`: find it by name (licenses: in Distr's name scope, per customer on 3.x and per
 * organization on 2.x; customers: only if exactly one has the name). `{ id }`: that object. The object is not
 * re-created: the first `up` updates it to the resource's inputs. Without `adopt`, an existing object with the
 * same name is an error that names it; for customers, `false` creates another customer with the same name.
 */
export type AdoptArgs = pulumi.Input<Adopt>;

/** A whole number (the package schema calls it `integer`); Distr refuses fractions. */
export type WholeNumber = number;

export interface CustomerArgs {
  /** The customer organization's name. Distr does not require names to be unique. */
  name: pulumi.Input<string>;
  /**
   * What the customer's users may use in the customer portal. Default: Distr's default, `deployment_targets` and
   * `artifacts`. `alerts` needs `deployment_targets`; `alerts`, `support_bundles`, `oidc_providers` need Distr 3.x.
   * Order does not matter.
   */
  features?: pulumi.Input<pulumi.Input<CustomerFeature>[]>;
  /**
   * Take over a customer that already exists in Distr instead of creating one: `true` finds it by name (only if
   * exactly one customer has the name), `{ id }` names it. The first `up` updates it to these inputs. Without it, an
   * existing customer of the same name is an error that names it; `false` creates another customer with that name.
   */
  adopt?: AdoptArgs;
}

/** A Distr customer organization. Its `id` is what licenses take as `customer`. */
export class Customer extends pulumi.dynamic.Resource {
  /** The customer's name in Distr. */
  declare readonly name: pulumi.Output<string>;
  /** The customer's features, in Distr's order. */
  declare readonly features: pulumi.Output<string[]>;
  /** When Distr created the customer (RFC 3339, UTC). */
  declare readonly createdAt: pulumi.Output<string>;

  constructor(name: string, args: CustomerArgs, opts?: pulumi.CustomResourceOptions) {
    // Pulumi records a stack trace per property promise; see promiseStacks.ts.
    const restoreStacks = suspendPromiseStacks();
    try {
      super(
        providers.customer,
        name,
        { name: args.name, features: args.features, adopt: args.adopt, createdAt: undefined },
        opts,
        MODULE,
        "Customer",
      );
    } finally {
      restoreStacks();
    }
  }
}

/**
 * Which versions (of an application) or tags (of an artifact) a license grants:
 * - `"all"`: everything, including versions published later (Distr's empty list);
 * - a list of names, like `["2.1.0", "2.2.0"]` (archived versions may be listed; artifact entries containing ":"
 *   are digests, like `"sha256:…"`);
 * - a semver range, `{ range: ">=2.0.0 <3.0.0", includePrerelease?: false }`, resolved each time the program runs:
 *   a newly published match shows up in the next preview as a change. Ranges never match archived versions,
 *   non-semver names (like `latest`), nor prereleases unless `includePrerelease` is set (or the range itself names
 *   a prerelease of the same version, as in the `semver` package).
 * A list or range that matches nothing is an error listing what exists; a license never grants nothing.
 */
export type SelectionArgs = AllVersions | pulumi.Input<string>[] | VersionRangeArgs;

/** Everything: every version, including versions published later (Distr's empty list). */
export type AllVersions = "all";

/** A semver range of version (or tag) names, resolved each time the program runs. */
export interface VersionRangeArgs {
  /** A range in the `semver` package's syntax, like `">=2.0.0 <3.0.0"`. */
  range: pulumi.Input<string>;
  /** Whether prereleases (like `2.1.0-rc.1`) match too; default false. */
  includePrerelease?: pulumi.Input<boolean>;
}

/** A selection as the outputs show it: a range carries the names it matched. */
export type GrantedSelection = AllVersions | string[] | GrantedVersionRange;

/** A granted semver range with the names it matched when the program last ran. */
export interface GrantedVersionRange {
  /** The range as the program wrote it. */
  range: string;
  /** Whether prereleases match too. */
  includePrerelease: boolean;
  /** The version (or tag) names the range matched, in semver order. */
  matches: string[];
}

/** Registry credentials Distr hands to the customer's agents. All three or none (Distr stores them together). */
export interface RegistryCredentialsArgs {
  /** The registry host, like `"registry.example.com"`. */
  url: pulumi.Input<string>;
  /** The user name the customer's agents log in with. */
  username: pulumi.Input<string>;
  /**
   * The password the customer's agents log in with. Kept secret in state; note that Distr itself returns it in
   * clear text to anyone who can read the license.
   * @secret
   */
  password: pulumi.Input<string>;
}

/** The registry url and username of a license (the password is a separate secret output). */
export interface RegistryAccount {
  /** The registry host. */
  url: string;
  /** The user name the customer's agents log in with. */
  username: string;
}

export interface ApplicationLicenseArgs {
  /**
   * The license name; default: the resource's name. Unique per customer on Distr 3.x, per organization on 2.x.
   * Renaming is an in-place update.
   */
  name?: pulumi.Input<string>;
  /**
   * The id of the licensed customer (usually a Customer's `id`). Distr does not move a license to another customer
   * once it has one: changing or removing it replaces the license.
   */
  customer?: pulumi.Input<string>;
  /**
   * The application's name or id. Changing it replaces the license.
   * @replaceOnChanges
   */
  application: pulumi.Input<string>;
  /**
   * The versions granted; default `"all"` (Distr's default). Narrowing (removing a granted version, or going from
   * "all" to a list) replaces the license on Distr 2.x, which refuses it, and is an in-place update on 3.x, which
   * refuses it while a deployment runs a removed version.
   */
  versions?: pulumi.Input<SelectionArgs>;
  /** Expiry as a full RFC 3339 timestamp, like `"2027-06-30T00:00:00Z"`; offsets are converted to UTC. */
  expiresAt?: pulumi.Input<string>;
  /** Registry credentials Distr hands to the customer's agents: url, username and password, all three or none. */
  registry?: pulumi.Input<RegistryCredentialsArgs>;
  adopt?: AdoptArgs;
}

/** A Distr application license (2.x) / application entitlement (3.x). */
export class ApplicationLicense extends pulumi.dynamic.Resource {
  /** The license name in Distr. */
  declare readonly name: pulumi.Output<string>;
  /** The customer's id, if any. */
  declare readonly customer: pulumi.Output<string | undefined>;
  /** The customer's name, if the license has a customer. */
  declare readonly customerName: pulumi.Output<string | undefined>;
  /** The application's name. */
  declare readonly application: pulumi.Output<string>;
  /** Distr's id of the application. */
  declare readonly applicationId: pulumi.Output<string>;
  /**
   * What is granted: `"all"`, the version names, or the range with the version names it matched
   * (`{ range, includePrerelease, matches }`).
   */
  declare readonly versions: pulumi.Output<GrantedSelection>;
  /** Distr's ids of the granted versions; empty means all versions. */
  declare readonly versionIds: pulumi.Output<string[]>;
  /** The expiry in UTC as Distr stores it, if any. */
  declare readonly expiresAt: pulumi.Output<string | undefined>;
  /** Registry url and username; the password is `registryPassword`. */
  declare readonly registry: pulumi.Output<RegistryAccount | undefined>;
  /**
   * A secret: the registry password, if the license has registry credentials.
   * @secret
   */
  declare readonly registryPassword: pulumi.Output<string | undefined>;
  /** When Distr created the license (RFC 3339, UTC). */
  declare readonly createdAt: pulumi.Output<string>;

  constructor(name: string, args: ApplicationLicenseArgs, opts?: pulumi.CustomResourceOptions) {
    const restoreStacks = suspendPromiseStacks();
    try {
      super(
        providers.applicationLicense,
        name,
        {
          name: defaultedName("applicationLicense", args.name, name),
          customer: args.customer,
          application: args.application,
          versions: args.versions,
          expiresAt: args.expiresAt,
          registry: secretPassword(args.registry),
          adopt: args.adopt,
          customerName: undefined,
          applicationId: undefined,
          versionIds: undefined,
          registryPassword: undefined,
          createdAt: undefined,
        },
        withSecretOutputs(opts, secretOutputNames("applicationLicense")),
        MODULE,
        "ApplicationLicense",
      );
    } finally {
      restoreStacks();
    }
  }
}

/** One artifact of an artifact license and which of its tags are granted. */
export interface ArtifactSelectionArgs {
  /** The artifact's name (its repository path, like `"hello-distr/backend"`) or id. */
  artifact: pulumi.Input<string>;
  /**
   * The tags granted; default `"all"` (every version, future pushes included). Tags resolve to the digest they
   * point at when the program runs: the license covers that content, and a tag moved later (like `latest`) shows
   * up in the next preview as a change.
   */
  tags?: pulumi.Input<SelectionArgs>;
}

/** One granted artifact as the outputs show it. */
export interface GrantedArtifactSelection {
  /** The artifact's name. */
  artifact: string;
  /** Distr's id of the artifact. */
  artifactId: string;
  /**
   * What is granted: `"all"`, the tag names, or the range with the tag names it matched
   * (`{ range, includePrerelease, matches }`).
   */
  tags: GrantedSelection;
  /** The granted digests; absent for "all". */
  digests?: string[];
  /** Distr's ids of the granted digests; empty means all. */
  versionIds: string[];
}

/** The former name of `GrantedArtifactSelection`. */
export type ArtifactSelectionOutput = GrantedArtifactSelection;

export interface ArtifactLicenseArgs {
  /** The license name; default: the resource's name. Unique per customer on Distr 3.x, per organization on 2.x. */
  name?: pulumi.Input<string>;
  /** The id of the licensed customer. Distr allows moving an artifact license: an in-place update. */
  customer?: pulumi.Input<string>;
  /** Expiry as a full RFC 3339 timestamp; offsets are converted to UTC. Enforced on pulls. */
  expiresAt?: pulumi.Input<string>;
  /** The artifacts granted, one entry per artifact; order does not matter. */
  artifacts: pulumi.Input<pulumi.Input<ArtifactSelectionArgs>[]>;
  adopt?: AdoptArgs;
}

/** A Distr artifact license (2.x) / artifact entitlement (3.x). */
export class ArtifactLicense extends pulumi.dynamic.Resource {
  /** The license name in Distr. */
  declare readonly name: pulumi.Output<string>;
  /** The customer's id, if any. */
  declare readonly customer: pulumi.Output<string | undefined>;
  /** The customer's name, if the license has a customer. */
  declare readonly customerName: pulumi.Output<string | undefined>;
  /** The expiry in UTC as Distr stores it, if any. */
  declare readonly expiresAt: pulumi.Output<string | undefined>;
  /** The selections, by artifact name, with the tags a range matched and the granted digests. */
  declare readonly artifacts: pulumi.Output<GrantedArtifactSelection[]>;
  /** When Distr created the license (RFC 3339, UTC). */
  declare readonly createdAt: pulumi.Output<string>;

  constructor(name: string, args: ArtifactLicenseArgs, opts?: pulumi.CustomResourceOptions) {
    const restoreStacks = suspendPromiseStacks();
    try {
      super(
        providers.artifactLicense,
        name,
        {
          name: defaultedName("artifactLicense", args.name, name),
          customer: args.customer,
          expiresAt: args.expiresAt,
          artifacts: args.artifacts,
          adopt: args.adopt,
          customerName: undefined,
          createdAt: undefined,
        },
        opts,
        MODULE,
        "ArtifactLicense",
      );
    } finally {
      restoreStacks();
    }
  }
}

export interface LicenseTemplateArgs {
  /** The template name; default: the resource's name. Unique per organization. Renaming is an in-place update. */
  name?: pulumi.Input<string>;
  /**
   * A Go `text/template` that renders the payload of keys made from this template, as JSON. Distr's billing renders
   * it over the customer's Stripe subscription with `hasItem "lookup-key" …` and `itemQuantity "lookup-key"`; Distr
   * refuses a template that does not render valid JSON for an empty subscription. Like
   * `{"seats": {{ itemQuantity "seats" }}, "sso": {{ if hasItem "enterprise" }}true{{ else }}false{{ end }}}`.
   */
  payloadTemplate: pulumi.Input<string>;
  /** Days a key stays valid after the subscription ends; default 0. */
  expirationGracePeriodDays?: pulumi.Input<WholeNumber>;
}

/**
 * A Distr 3.x license template: renders license key payloads from a customer's subscription. Needs the organization
 * feature `vendor_billing` (granted by Distr's staff); a preview fails when the organization lacks it.
 */
export class LicenseTemplate extends pulumi.dynamic.Resource {
  /** The template name in Distr. */
  declare readonly name: pulumi.Output<string>;
  /** The Go template that renders key payloads. */
  declare readonly payloadTemplate: pulumi.Output<string>;
  /** Days a key stays valid after the subscription ends. */
  declare readonly expirationGracePeriodDays: pulumi.Output<WholeNumber>;
  /** When Distr created the template (RFC 3339, UTC). */
  declare readonly createdAt: pulumi.Output<string>;

  constructor(name: string, args: LicenseTemplateArgs, opts?: pulumi.CustomResourceOptions) {
    const restoreStacks = suspendPromiseStacks();
    try {
      super(
        providers.licenseTemplate,
        name,
        {
          name: defaultedName("licenseTemplate", args.name, name),
          payloadTemplate: args.payloadTemplate,
          expirationGracePeriodDays: args.expirationGracePeriodDays,
          createdAt: undefined,
        },
        opts,
        MODULE,
        "LicenseTemplate",
      );
    } finally {
      restoreStacks();
    }
  }
}

/** A JSON value inside a license key payload; any member may be `pulumi.secret(…)`. */
export type LicenseKeyPayloadArgs = pulumi.Input<{ [key: string]: pulumi.Input<unknown> }> | pulumi.Input<string>;

export interface LicenseKeyArgs {
  /**
   * The key name; default: the resource's name. Deployments reference the key by it (`{{ .LicenseKeys.<name> }}`),
   * so Distr does not let it change: changing it replaces the key. Unique per customer.
   * @replaceOnChanges
   */
  name?: pulumi.Input<string>;
  /**
   * The id of the customer the key is for (usually a Customer's `id`); changing it replaces the key.
   * @replaceOnChanges
   */
  customer?: pulumi.Input<string>;
  /** A description shown in the vendor portal. */
  description?: pulumi.Input<string>;
  /**
   * What the key carries: a JSON object (or its JSON text), like `{ seats: 10, features: ["sso"] }`. Its members
   * become claims of the signed token. Key order and whitespace never show as a change. Members marked with
   * `pulumi.secret` keep the payload secret in state. Needs `notBefore` and `expiresAt`; a change is a new revision
   * (in place). May not use the names Distr sets itself: exp, nbf, iss, sub, aud, iat, org.
   */
  payload?: LicenseKeyPayloadArgs;
  /** Start of validity, a full RFC 3339 timestamp like `"2026-01-01T00:00:00Z"` (offsets converted to UTC). */
  notBefore?: pulumi.Input<string>;
  /** End of validity, after `notBefore`. */
  expiresAt?: pulumi.Input<string>;
  /**
   * The id of a LicenseTemplate. Without a payload, the key gets its revisions from Distr's billing (it has no token
   * until then; their content never shows as a change); with a payload too, the payload is its first revision.
   * Changing it is an in-place update.
   */
  template?: pulumi.Input<string>;
  /**
   * When a change would alter what running deployments of the customer render (they use the key in their values),
   * Distr refuses it: by default the update fails and lists those deployments. `true` confirms the change, and Distr
   * re-deploys them with the new key; `affectedDeployments` then lists them. Default false.
   */
  redeploy?: pulumi.Input<boolean>;
  /**
   * Take over a key that already exists in Distr: `true` finds it by name and customer, `{ id }` names it (it must
   * have this name and customer: Distr cannot change those). A key that already matches is taken over without a
   * write; one that differs gets a new revision. Without it, an existing key of the same name is an error.
   */
  adopt?: AdoptArgs;
}

/** One deployment a license key update re-deployed. */
export interface LicenseKeyAffectedDeployment {
  /** The deployment target's name. */
  deploymentTarget: string;
  /** Distr's id of the deployment target. */
  deploymentTargetId: string;
  /** The name of the application deployed. */
  application: string;
  /** Distr's id of the deployment. */
  deploymentId: string;
}

/** How many revisions a license key has and when the latest was made. */
export interface LicenseKeyRevision {
  /** The number of revisions. */
  count: WholeNumber;
  /** When the latest revision was made (RFC 3339, UTC); absent while there is none. */
  lastRevisedAt?: string;
}

/**
 * A Distr 3.x license key: a JWT Distr signs (EdDSA) for a customer, carrying the payload between `notBefore` and
 * `expiresAt`. Customers verify it with the public key Distr serves at `/api/public/v1/license-keys/public-key`.
 */
export class LicenseKey extends pulumi.dynamic.Resource {
  /** The key name in Distr. */
  declare readonly name: pulumi.Output<string>;
  /** The customer's id. */
  declare readonly customer: pulumi.Output<string | undefined>;
  /** The description, if any. */
  declare readonly description: pulumi.Output<string | undefined>;
  /** The latest revision's payload as Distr holds it (keys sorted). */
  declare readonly payload: pulumi.Output<Record<string, unknown> | undefined>;
  /** Start of validity of the latest revision (UTC). */
  declare readonly notBefore: pulumi.Output<string | undefined>;
  /** End of validity of the latest revision (UTC). */
  declare readonly expiresAt: pulumi.Output<string | undefined>;
  /** The id of the key's LicenseTemplate, if any. */
  declare readonly template: pulumi.Output<string | undefined>;
  /** Whether changes may re-deploy the customer's deployments. */
  declare readonly redeploy: pulumi.Output<boolean>;
  /**
   * A secret: the current signed JWT (of the latest revision); absent while a template key has no revision.
   * @secret
   */
  declare readonly token: pulumi.Output<string | undefined>;
  /** How many revisions the key has and when the latest was made. */
  declare readonly revision: pulumi.Output<LicenseKeyRevision>;
  /** The deployments the last update re-deployed (with `redeploy: true`); empty otherwise. */
  declare readonly affectedDeployments: pulumi.Output<LicenseKeyAffectedDeployment[]>;
  /** When Distr created the key (RFC 3339, UTC). */
  declare readonly createdAt: pulumi.Output<string>;

  constructor(name: string, args: LicenseKeyArgs, opts?: pulumi.CustomResourceOptions) {
    const restoreStacks = suspendPromiseStacks();
    try {
      super(
        providers.licenseKey,
        name,
        {
          name: defaultedName("licenseKey", args.name, name),
          customer: args.customer,
          description: args.description,
          payload: args.payload,
          notBefore: args.notBefore,
          expiresAt: args.expiresAt,
          template: args.template,
          redeploy: args.redeploy,
          adopt: args.adopt,
          token: undefined,
          revision: undefined,
          affectedDeployments: undefined,
          createdAt: undefined,
        },
        withSecretOutputs(opts, secretOutputNames("licenseKey")),
        MODULE,
        "LicenseKey",
      );
    } finally {
      restoreStacks();
    }
  }
}

/** Distr 3.x calls application licenses "application entitlements": the same resource. */
export const ApplicationEntitlement = ApplicationLicense;
export type ApplicationEntitlement = ApplicationLicense;
export type ApplicationEntitlementArgs = ApplicationLicenseArgs;
/** Distr 3.x calls artifact licenses "artifact entitlements": the same resource. */
export const ArtifactEntitlement = ArtifactLicense;
export type ArtifactEntitlement = ArtifactLicense;
export type ArtifactEntitlementArgs = ArtifactLicenseArgs;

/**
 * Marks the password secret. With a plain object only the password is secret (the engine keeps the secret bit per
 * nested property), so url and username stay readable in previews; an Output of credentials becomes secret whole.
 */
function secretPassword(
  registry: pulumi.Input<RegistryCredentialsArgs> | undefined,
): pulumi.Input<RegistryCredentialsArgs> | undefined {
  if (registry === undefined) return undefined;
  if (pulumi.Output.isInstance(registry) || registry instanceof Promise) return pulumi.secret(registry);
  return { url: registry.url, username: registry.username, password: pulumi.secret(registry.password) };
}

function withSecretOutputs(
  opts: pulumi.CustomResourceOptions | undefined,
  secrets: string[],
): pulumi.CustomResourceOptions {
  return { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), ...secrets] };
}
