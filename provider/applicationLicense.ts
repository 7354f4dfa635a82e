/**
 * The ApplicationLicense resource: a Distr application license (2.x) / application entitlement (3.x), sections 5
 * and B4. Versions are granted by name, list or semver range (versionSelection.ts) and sent as ids. Distr forbids
 * changing the application and, once set, the customer (quirk 7): those changes replace the license. Distr 2.x also
 * refuses any narrowing of versions (quirk 8): there, narrowing replaces it too; 3.x narrows in place unless a
 * deployment uses a removed version (409, surfaced with what to do).
 */
import { isDeepStrictEqual } from "node:util";
import { z } from "zod";
import type { dynamic } from "@pulumi/pulumi";
import { DIALECT_SPECS } from "../sdk/dialect";
import type { DistrClient } from "../sdk/distrClient";
import { isDistrApiError } from "../sdk/errors";
import type { Application, ApplicationLicense, ApplicationLicenseRequest } from "../sdk/schemas";
import { adoptInputSchema, adoptSchema, type Adopt } from "./adoption";
import { describeValue, failuresFromZod, type CheckFailure } from "./checkFailures";
import { configure, distrClient } from "./config";
import { resolveCustomer } from "./customerReference";
import { deleteFromDistr, updateInDistr } from "./distrWrites";
import { checkExpiresAt, expiresAtInputSchema } from "./expiry";
import { nonBlankString, orUnknown } from "./inputSchemas";
import { isLeftApplicationLicense } from "./interruptedCreate";
import { adoptLicense, applicationLicenseMatches, licenseNameTaken, licenseToAdopt } from "./licenseAdoption";
import { replacementCollides } from "./licenseScope";
import { previousInputs, samePreviousReference, sameStaticSelection } from "./previousCheck";
import { jsonClean, parseProperties, withoutProvider } from "./properties";
import type { ResourceHandlers } from "./resourceHandlers";
import { DistrResourceError } from "./resourceError";
import {
  compareNames,
  listForMessage,
  resolvedSelectionSchema,
  selectionInputSchema,
  type ResolvedSelection,
} from "./selection";
import { containsUnknown, isUnknown, UNKNOWN, type Unknown } from "./unknowns";
import {
  describeGrantedVersions,
  grantedVersionNames,
  resolveVersions,
  versionIdCandidates,
  versionIdsFor,
  type VersionResolution,
} from "./versionSelection";

/** Distr stores the three registry fields all or none (database CHECK, quirk 10). */
function registryField(what: string, secret: boolean) {
  return orUnknown(
    z
      .string({
        error: (issue) =>
          issue.input === undefined
            ? `${what} is missing; Distr stores registry url, username and password together or not at all: set all three or remove registry`
            : // A password is not repeated in a message, even a malformed one.
              `expected ${what} as a string, got ${secret ? typeof issue.input : describeValue(issue.input)}`,
      })
      .refine((value) => value.trim() !== "", {
        error: `${what} must not be blank; set url, username and password, or remove registry`,
      }),
  );
}

const registryInputSchema = z.strictObject(
  {
    url: registryField('the registry host, like "registry.example.com"', false),
    username: registryField("the registry user name", false),
    password: registryField("the registry password", true),
  },
  { error: () => "expected { url, username, password } for the registry credentials Distr hands to agents" },
);

export const applicationLicenseInputSchema = z.strictObject({
  name: orUnknown(nonBlankString('the license name, like "acme-pro"')),
  customer: orUnknown(nonBlankString("the id of the customer (a Customer resource's id)")).optional(),
  application: orUnknown(nonBlankString('the name or id of a Distr application, like "hello-distr"')),
  versions: orUnknown(selectionInputSchema("versions")).optional(),
  expiresAt: expiresAtInputSchema.optional(),
  registry: orUnknown(registryInputSchema).optional(),
  adopt: adoptInputSchema.optional(),
});

const registrySchema = z.object({ url: z.string(), username: z.string(), password: z.string() });

/** Checked inputs: resolved, normalized, readable; what diff/create/update receive and the engine displays. */
const checkedApplicationLicenseSchema = z.object({
  name: z.string(),
  customer: z.string().optional(),
  application: z.string(),
  applicationId: z.string(),
  versions: resolvedSelectionSchema,
  expiresAt: z.string().optional(),
  registry: z.union([registrySchema, z.literal(UNKNOWN)]).optional(),
  adopt: adoptSchema.optional(),
});
type CheckedApplicationLicense = z.infer<typeof checkedApplicationLicenseSchema>;

export const applicationLicenseOutputsSchema = z.object({
  name: z.string(),
  customer: z.string().optional(),
  customerName: z.string().optional(),
  application: z.string(),
  applicationId: z.string(),
  versions: resolvedSelectionSchema,
  /** Distr's version ids; empty = all versions. */
  versionIds: z.array(z.string()),
  expiresAt: z.string().optional(),
  registry: z.object({ url: z.string(), username: z.string() }).optional(),
  /** A secret output (`additionalSecretOutputs`): Distr returns it in clear text on every read (quirk 10). */
  registryPassword: z.string().optional(),
  createdAt: z.string().optional(),
});
export type ApplicationLicenseOutputs = z.infer<typeof applicationLicenseOutputsSchema>;

async function check(olds: unknown, news: unknown): Promise<dynamic.CheckResult> {
  const parsed = applicationLicenseInputSchema.safeParse(withoutProvider(news));
  if (!parsed.success) return { inputs: withoutProvider(news), failures: failuresFromZod(parsed.error) };
  const input = parsed.data;
  const failures: CheckFailure[] = [];

  const { expiresAt, failures: expiryFailures } = checkExpiresAt(input.expiresAt);
  failures.push(...expiryFailures);

  // Unchanged references keep what they resolved to last time (previousCheck.ts): no read for them.
  const previous = previousInputs(checkedApplicationLicenseSchema, olds);
  const knownCustomer = input.customer !== undefined && !isUnknown(input.customer) ? input.customer.trim() : undefined;
  const customerToCheck = knownCustomer !== undefined && knownCustomer !== previous?.customer;
  const sameApplication =
    previous !== undefined &&
    samePreviousReference(input.application, { name: previous.application, id: previous.applicationId });
  const keptApplication = sameApplication && sameStaticSelection(input.versions ?? "all", previous.versions);

  const needsDistr = customerToCheck || (!isUnknown(input.application) && !keptApplication);
  const client = needsDistr ? distrClient() : undefined;
  if (client && customerToCheck) {
    const customer = await resolveCustomer(client, knownCustomer);
    if ("failure" in customer) failures.push(customer.failure);
  }

  let application: Pick<Application, "id" | "name"> | Unknown = UNKNOWN;
  let versions: VersionResolution;
  if (keptApplication) {
    application = { id: previous.applicationId, name: previous.application };
    versions = { selection: previous.versions, failures: [] };
  } else {
    let found: Application | Unknown = UNKNOWN;
    if (client && !isUnknown(input.application)) {
      // A range on the same application needs its versions, not the list that finds it by name.
      const looked =
        (sameApplication ? await client.lookups.applicationById(previous.applicationId) : undefined) ??
        (await client.lookups.application(input.application.trim()));
      if (looked) found = looked;
      else failures.push(await unknownApplication(client, input.application));
    }
    const foreignVersionIds = client
      ? await versionIdsInDistr(client, versionIdCandidates(input.versions ?? "all", found))
      : new Set<string>();
    versions = resolveVersions(input.versions ?? "all", found, "versions", foreignVersionIds);
    application = found;
  }
  failures.push(...versions.failures);

  const inputs: CheckedApplicationLicense = jsonClean({
    name: isUnknown(input.name) ? UNKNOWN : input.name.trim(),
    customer: input.customer === undefined || isUnknown(input.customer) ? input.customer : input.customer.trim(),
    application: isUnknown(application) ? input.application : application.name,
    applicationId: isUnknown(application) ? UNKNOWN : application.id,
    versions: versions.selection,
    expiresAt,
    registry: input.registry,
    adopt: isUnknown(input.adopt) ? undefined : input.adopt,
  });
  return failures.length > 0 ? { inputs, failures } : { inputs };
}

/** Which of these ids are versions of some application in Distr (read only when a list holds such ids). */
async function versionIdsInDistr(client: DistrClient, candidates: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  if (candidates.length === 0) return found;
  for (const listed of await client.lookups.applications()) {
    const application = await client.lookups.application(listed.id);
    for (const version of application?.versions ?? []) if (candidates.includes(version.id)) found.add(version.id);
  }
  return found;
}

async function unknownApplication(client: DistrClient, application: string): Promise<CheckFailure> {
  const names = (await client.lookups.applications()).map((a) => a.name).sort();
  return {
    property: "application",
    reason:
      `Distr has no application ${JSON.stringify(application)} (by name or id); ` +
      `use one of its applications: ${listForMessage(names)}`,
  };
}

async function diff(_id: string, olds: unknown, news: unknown): Promise<dynamic.DiffResult> {
  const current = parseProperties(applicationLicenseOutputsSchema, olds, "application license's outputs");
  const desired = parseProperties(checkedApplicationLicenseSchema, news, "application license's checked inputs");

  const changed = new Set<string>();
  if (desired.name !== current.name) changed.add("name");
  if (desired.customer !== current.customer) changed.add("customer");
  if (desired.applicationId !== current.applicationId) changed.add("application");
  if (!isDeepStrictEqual(desired.versions, current.versions)) changed.add("versions");
  if (desired.expiresAt !== current.expiresAt) changed.add("expiresAt");
  if (!sameRegistry(desired.registry, current)) changed.add("registry");
  if (changed.size === 0) return { changes: false };

  const replaces: string[] = [];
  if (changed.has("application")) replaces.push("application");
  // Distr refuses another owner once one is set (quirk 7); adding a customer to a customer-less license is allowed.
  if (changed.has("customer") && current.customer !== undefined) replaces.push("customer");
  if (changed.has("versions")) {
    const dialect = await distrClient().dialect();
    if (DIALECT_SPECS[dialect].narrowing === "rejected" && narrows(current.versions, desired.versions)) {
      replaces.push("versions");
    }
  }
  if (replaces.length === 0) return { changes: true };
  const dialect = await distrClient().dialect();
  return {
    changes: true,
    replaces,
    deleteBeforeReplace: replacementCollides(dialect, current, { name: desired.name, customer: desired.customer }),
  };
}

/** Distr's narrowing (section 5.4): the new grant is a list and misses something the current grant has. */
function narrows(current: ResolvedSelection, desired: ResolvedSelection): boolean {
  const to = grantedVersionNames(desired);
  const from = grantedVersionNames(current);
  if (to === "all") return false;
  // Not known yet (preview): assume the worst, so a replacement is not a surprise.
  if (to === undefined || from === undefined) return true;
  if (from === "all") return true;
  return from.some((name) => !to.includes(name));
}

function sameRegistry(desired: CheckedApplicationLicense["registry"], current: ApplicationLicenseOutputs): boolean {
  if (desired === undefined) return current.registry === undefined && current.registryPassword === undefined;
  if (isUnknown(desired)) return false;
  return (
    desired.url === current.registry?.url &&
    desired.username === current.registry?.username &&
    desired.password === current.registryPassword
  );
}

async function create(inputs: unknown): Promise<dynamic.CreateResult> {
  const desired = knownInputs(inputs);
  const client = distrClient();
  const application = await requireApplication(client, desired.applicationId);
  const request = requestOf(desired, versionIdsFor(desired.versions, application));
  const existing = await licenseToAdopt(client.applicationLicenses, "application license", desired);
  let license: ApplicationLicense;
  if (existing) {
    assertAdoptable(existing, desired);
    license = await adoptLicense(
      existing,
      (current) => applicationLicenseMatches(current, request),
      () => updateLicense(client, existing.id, request, desired.name),
    );
  } else {
    try {
      license = await client.applicationLicenses.create(request);
    } catch (error) {
      if (!isDistrApiError(error, "name-taken")) throw error;
      // The retry of a create an interrupted run left pending (provider/interruptedCreate.ts).
      const left = await client.applicationLicenses.findByName(desired.name, desired.customer);
      if (!left || !isLeftApplicationLicense(left, request)) {
        throw await licenseNameTaken(client, client.applicationLicenses, "application license", desired, error);
      }
      license = left;
    }
  }
  return { id: license.id, outs: outputsOf(license, application, desired.versions) };
}

/** An existing license can become the desired one only where Distr allows the change (quirk 7). */
function assertAdoptable(existing: ApplicationLicense, desired: KnownApplicationLicense): void {
  const what = `application license ${JSON.stringify(existing.name)} (id ${existing.id})`;
  if (existing.applicationId !== desired.applicationId) {
    throw new DistrResourceError(
      "adoption",
      `cannot adopt ${what}: it licenses application ${existing.application?.name ?? existing.applicationId}, not ` +
        `${desired.application}, and Distr does not change a license's application; choose another name, ` +
        "or delete that license in Distr",
    );
  }
  if (existing.customerOrganizationId !== undefined && existing.customerOrganizationId !== desired.customer) {
    throw new DistrResourceError(
      "adoption",
      `cannot adopt ${what}: it belongs to customer ${existing.customerOrganization?.name ?? ""} ` +
        `(id ${existing.customerOrganizationId}), and Distr does not change a license's owner; ` +
        "choose another name, or delete that license in Distr",
    );
  }
}

async function read(id: string, props: unknown): Promise<dynamic.ReadResult> {
  const prior = applicationLicenseOutputsSchema.partial().safeParse(withoutProvider(props));
  const client = distrClient();
  const license = await client.applicationLicenses.get(id);
  // Gone (deleted in the portal, or with its customer): the engine drops it and the next `up` re-creates it.
  if (!license) return {};
  const application = await client.lookups.applicationById(license.applicationId);
  const outs = outputsOf(license, application, prior.success ? prior.data.versions : undefined);
  // Inputs as the program would have to write them for no diff, so the engine shows drift and `up` repairs it.
  // The password only goes back into inputs where the old inputs had one (the engine then keeps it secret).
  const keepPassword = prior.success && prior.data.registryPassword !== undefined;
  const inputs = jsonClean({
    name: outs.name,
    customer: outs.customer,
    application: outs.application,
    applicationId: outs.applicationId,
    versions: outs.versions,
    expiresAt: outs.expiresAt,
    registry: outs.registry && {
      ...outs.registry,
      ...(keepPassword && outs.registryPassword !== undefined ? { password: outs.registryPassword } : {}),
    },
  });
  return { id: license.id, props: outs, inputs };
}

async function update(id: string, _olds: unknown, news: unknown): Promise<dynamic.UpdateResult> {
  const desired = knownInputs(news);
  const client = distrClient();
  const application = await requireApplication(client, desired.applicationId);
  const license = await updateLicense(
    client,
    id,
    requestOf(desired, versionIdsFor(desired.versions, application)),
    desired.name,
  );
  return { outs: outputsOf(license, application, desired.versions) };
}

async function updateLicense(
  client: DistrClient,
  id: string,
  request: ApplicationLicenseRequest,
  name: string,
): Promise<ApplicationLicense> {
  try {
    // The client always sends `id` in the body, so Distr enforces owner and application (quirk 7).
    return await updateInDistr(`application license ${JSON.stringify(name)} (id ${id})`, () =>
      client.applicationLicenses.update(id, request),
    );
  } catch (error) {
    if (isDistrApiError(error, "scope-narrowing-rejected")) {
      throw new DistrResourceError(
        "in-use",
        `Distr refused to narrow the versions of application license ${JSON.stringify(name)} (id ${id}): ` +
          `${error.distrMessage ?? error.message}. Keep those versions in \`versions\` until the deployments run a ` +
          "version that stays licensed, then narrow again.",
        { cause: error },
      );
    }
    throw error;
  }
}

async function deleteLicense(id: string, props: unknown): Promise<void> {
  const prior = applicationLicenseOutputsSchema.partial().safeParse(withoutProvider(props));
  const name = (prior.success ? prior.data.name : undefined) ?? id;
  await deleteFromDistr(
    `application license ${JSON.stringify(name)} (id ${id})`,
    () => distrClient().applicationLicenses.delete(id),
    { inUse: "Deployments still use it: move or delete them in Distr, then run the command again." },
  );
}

async function requireApplication(client: DistrClient, applicationId: string): Promise<Application> {
  const application = await client.lookups.applicationById(applicationId);
  if (!application) {
    throw new DistrResourceError("gone", `application ${applicationId} no longer exists in Distr`);
  }
  return application;
}

interface KnownApplicationLicense {
  readonly name: string;
  readonly customer?: string;
  readonly application: string;
  readonly applicationId: string;
  readonly versions: ResolvedSelection;
  readonly expiresAt?: string;
  readonly registry?: { url: string; username: string; password: string };
  readonly adopt?: Adopt;
}

function knownInputs(properties: unknown): KnownApplicationLicense {
  const inputs = parseProperties(checkedApplicationLicenseSchema, properties, "application license's checked inputs");
  if (containsUnknown(inputs) || isUnknown(inputs.registry)) {
    throw new DistrResourceError("invalid-state", "the application license's inputs still hold unknown values");
  }
  return inputs as KnownApplicationLicense;
}

function requestOf(desired: KnownApplicationLicense, versionIds: string[]): ApplicationLicenseRequest {
  return {
    name: desired.name,
    applicationId: desired.applicationId,
    versions: versionIds.map((id) => ({ id })),
    ...(desired.customer !== undefined ? { customerOrganizationId: desired.customer } : {}),
    // Always UTC (quirk 17): check normalized it.
    ...(desired.expiresAt !== undefined ? { expiresAt: desired.expiresAt } : {}),
    ...(desired.registry !== undefined
      ? {
          registryUrl: desired.registry.url,
          registryUsername: desired.registry.username,
          registryPassword: desired.registry.password,
        }
      : {}),
  };
}

function outputsOf(
  license: ApplicationLicense,
  application: Application | undefined,
  priorVersions: ResolvedSelection | undefined,
): ApplicationLicenseOutputs {
  const versionIds = license.versions.map((version) => version.id);
  const nameOf = (versionId: string) => application?.versions?.find((v) => v.id === versionId)?.name ?? versionId;
  const hasRegistry =
    license.registryUrl !== undefined &&
    license.registryUsername !== undefined &&
    license.registryPassword !== undefined;
  return jsonClean({
    name: license.name,
    customer: license.customerOrganizationId,
    customerName: license.customerOrganization?.name,
    application: application?.name ?? license.application?.name ?? license.applicationId,
    applicationId: license.applicationId,
    versions: describeGrantedVersions(versionIds, application, priorVersions),
    versionIds: [...new Set(versionIds)].sort((a, b) => compareNames(nameOf(a), nameOf(b))),
    expiresAt: license.expiresAt,
    registry: hasRegistry ? { url: license.registryUrl ?? "", username: license.registryUsername ?? "" } : undefined,
    registryPassword: hasRegistry ? license.registryPassword : undefined,
    createdAt: license.createdAt,
  });
}

export const applicationLicenseHandlers: ResourceHandlers = {
  configure,
  check,
  diff,
  create,
  read,
  update,
  delete: deleteLicense,
};
