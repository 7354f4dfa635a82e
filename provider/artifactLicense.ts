/**
 * The ArtifactLicense resource: a Distr artifact license (2.x) / artifact entitlement (3.x), sections 6 and B5.
 * Each selected artifact grants all its tags (future pushes included) or the digests that named tags or a semver
 * range of tags point at (tagSelection.ts). Distr lets every field change in place, the customer included
 * (section 6.3: no owner rule), so this resource is never replaced. Create and update answers echo the request
 * (quirk 11); selections in outputs are built from what was sent, ids and timestamps from Distr's answer.
 */
import { isDeepStrictEqual } from "node:util";
import { z } from "zod";
import type { dynamic } from "@pulumi/pulumi";
import type { DistrClient } from "../sdk/distrClient";
import { isDistrApiError } from "../sdk/errors";
import type { Artifact, ArtifactLicense, ArtifactLicenseRequest } from "../sdk/schemas";
import { adoptInputSchema, adoptSchema, type Adopt } from "./adoption";
import { describeValue, failuresFromZod, type CheckFailure } from "./checkFailures";
import { configure, distrClient } from "./config";
import { resolveCustomer } from "./customerReference";
import { deleteFromDistr, updateInDistr } from "./distrWrites";
import { checkExpiresAt, expiresAtInputSchema } from "./expiry";
import { nonBlankString, orUnknown } from "./inputSchemas";
import { isLeftArtifactLicense } from "./interruptedCreate";
import { adoptLicense, artifactLicenseMatches, licenseNameTaken, licenseToAdopt } from "./licenseAdoption";
import { previousInputs, samePreviousReference } from "./previousCheck";
import { jsonClean, parseProperties, withoutProvider } from "./properties";
import type { ResourceHandlers } from "./resourceHandlers";
import { DistrResourceError } from "./resourceError";
import { listForMessage, resolvedSelectionSchema, selectionInputSchema } from "./selection";
import { describeGrantedTags, resolveTags, versionIdsForDigests } from "./tagSelection";
import { containsUnknown, isUnknown, UNKNOWN, type Unknown } from "./unknowns";

const artifactSelectionInputSchema = z.strictObject(
  {
    artifact: orUnknown(nonBlankString('the name or id of a Distr artifact, like "hello-distr/backend"')),
    tags: orUnknown(selectionInputSchema("tags")).optional(),
  },
  { error: (issue) => `expected { artifact, tags }, got ${describeValue(issue.input)}` },
);

export const artifactLicenseInputSchema = z.strictObject({
  name: orUnknown(nonBlankString('the license name, like "acme-images"')),
  customer: orUnknown(nonBlankString("the id of the customer (a Customer resource's id)")).optional(),
  expiresAt: expiresAtInputSchema.optional(),
  artifacts: orUnknown(
    z.array(orUnknown(artifactSelectionInputSchema), {
      error: (issue) =>
        `expected a list like [{ artifact: "hello-distr/backend", tags: "all" }], got ${describeValue(issue.input)}`,
    }),
  ),
  adopt: adoptInputSchema.optional(),
});

/** One artifact as kept in checked inputs: readable tags, and the digests they resolved to (absent for "all"). */
const checkedSelectionSchema = z.object({
  artifact: z.string(),
  artifactId: z.string(),
  tags: resolvedSelectionSchema,
  digests: z.union([z.array(z.string()), z.literal(UNKNOWN)]).optional(),
});
type CheckedSelection = z.infer<typeof checkedSelectionSchema>;

const checkedArtifactLicenseSchema = z.object({
  name: z.string(),
  customer: z.string().optional(),
  expiresAt: z.string().optional(),
  artifacts: z.union([z.array(z.union([checkedSelectionSchema, z.literal(UNKNOWN)])), z.literal(UNKNOWN)]),
  adopt: adoptSchema.optional(),
});
type CheckedArtifactLicense = z.infer<typeof checkedArtifactLicenseSchema>;

const selectionOutputsSchema = checkedSelectionSchema.extend({
  /** Distr's digest-row ids; empty = all versions of the artifact. */
  versionIds: z.array(z.string()),
});
type SelectionOutputs = z.infer<typeof selectionOutputsSchema>;

export const artifactLicenseOutputsSchema = z.object({
  name: z.string(),
  customer: z.string().optional(),
  customerName: z.string().optional(),
  expiresAt: z.string().optional(),
  artifacts: z.array(selectionOutputsSchema),
  createdAt: z.string().optional(),
});
export type ArtifactLicenseOutputs = z.infer<typeof artifactLicenseOutputsSchema>;

async function check(olds: unknown, news: unknown): Promise<dynamic.CheckResult> {
  const parsed = artifactLicenseInputSchema.safeParse(withoutProvider(news));
  if (!parsed.success) return { inputs: withoutProvider(news), failures: failuresFromZod(parsed.error) };
  const input = parsed.data;
  const failures: CheckFailure[] = [];

  const { expiresAt, failures: expiryFailures } = checkExpiresAt(input.expiresAt);
  failures.push(...expiryFailures);

  // Unchanged references keep what they resolved to last time (previousCheck.ts): no read for them.
  const previous = previousInputs(checkedArtifactLicenseSchema, olds);
  const previousSelections = previous !== undefined && Array.isArray(previous.artifacts) ? previous.artifacts : [];
  const knownCustomer = input.customer !== undefined && !isUnknown(input.customer) ? input.customer.trim() : undefined;
  const customerToCheck = knownCustomer !== undefined && knownCustomer !== previous?.customer;
  const needsDistr =
    customerToCheck ||
    (!isUnknown(input.artifacts) &&
      input.artifacts.some(
        (entry) =>
          !isUnknown(entry) && !isUnknown(entry.artifact) && keptSelection(entry, previousSelections) === undefined,
      ));
  const client = needsDistr ? distrClient() : undefined;
  if (client && customerToCheck) {
    const customer = await resolveCustomer(client, knownCustomer);
    if ("failure" in customer) failures.push(customer.failure);
  }

  let artifacts: CheckedArtifactLicense["artifacts"] = UNKNOWN;
  if (!isUnknown(input.artifacts)) {
    if (input.artifacts.length === 0) {
      failures.push({
        property: "artifacts",
        reason: 'an empty list grants nothing; select at least one artifact, like [{ artifact: "…", tags: "all" }]',
      });
    }
    const resolved = await resolveSelections(client, input.artifacts, previousSelections);
    failures.push(...resolved.failures);
    artifacts = resolved.selections;
  }

  const inputs: CheckedArtifactLicense = jsonClean({
    name: isUnknown(input.name) ? UNKNOWN : input.name.trim(),
    customer: input.customer === undefined || isUnknown(input.customer) ? input.customer : input.customer.trim(),
    expiresAt,
    artifacts,
    adopt: isUnknown(input.adopt) ? undefined : input.adopt,
  });
  return failures.length > 0 ? { inputs, failures } : { inputs };
}

type SelectionInput = z.output<typeof artifactSelectionInputSchema>;

/** The earlier run's selection of the artifact this entry names (by name or id). */
function previousSelectionFor(
  entry: SelectionInput,
  previous: ReadonlyArray<CheckedSelection | Unknown>,
): CheckedSelection | undefined {
  return previous.find(
    (selection): selection is CheckedSelection =>
      !isUnknown(selection) &&
      samePreviousReference(entry.artifact, { name: selection.artifact, id: selection.artifactId }),
  );
}

/** The earlier run's selection of this entry's artifact, when the entry grants all of it as it did then. */
function keptSelection(
  entry: SelectionInput,
  previous: ReadonlyArray<CheckedSelection | Unknown>,
): CheckedSelection | undefined {
  // A tag list is resolved every time: a tag may have moved to another digest since.
  if ((entry.tags ?? "all") !== "all") return undefined;
  const same = previousSelectionFor(entry, previous);
  return same?.tags === "all" ? same : undefined;
}

async function resolveSelections(
  client: DistrClient | undefined,
  entries: Array<SelectionInput | Unknown>,
  previous: ReadonlyArray<CheckedSelection | Unknown>,
): Promise<{ selections: Array<CheckedSelection | Unknown>; failures: CheckFailure[] }> {
  const failures: CheckFailure[] = [];
  const selections: Array<CheckedSelection | Unknown> = [];
  const seen = new Map<string, number>();
  for (const [index, entry] of entries.entries()) {
    if (isUnknown(entry)) {
      selections.push(UNKNOWN);
      continue;
    }
    const kept = keptSelection(entry, previous);
    if (kept !== undefined) {
      const first = seen.get(kept.artifactId);
      if (first !== undefined) failures.push(duplicateSelection(kept.artifact, index, first));
      seen.set(kept.artifactId, index);
      selections.push(kept);
      continue;
    }
    let artifact: Artifact | Unknown = UNKNOWN;
    if (client && !isUnknown(entry.artifact)) {
      // Tags on the same artifact as last time need its tags, not the list that finds it by name.
      const same = previousSelectionFor(entry, previous);
      const found =
        (same ? await client.lookups.artifactById(same.artifactId) : undefined) ??
        (await client.lookups.artifact(entry.artifact.trim()));
      if (found) artifact = found;
      else failures.push(await unknownArtifact(client, entry.artifact, index));
    }
    if (!isUnknown(artifact)) {
      const first = seen.get(artifact.id);
      if (first !== undefined) failures.push(duplicateSelection(artifact.name, index, first));
      seen.set(artifact.id, index);
    }
    const tags = resolveTags(entry.tags ?? "all", artifact, `artifacts[${index}].tags`);
    failures.push(...tags.failures);
    selections.push({
      artifact: isUnknown(artifact) ? entry.artifact : artifact.name,
      artifactId: isUnknown(artifact) ? UNKNOWN : artifact.id,
      tags: tags.tags,
      ...(tags.digests !== undefined ? { digests: tags.digests } : {}),
    });
  }
  return { selections: sortSelections(selections), failures };
}

function duplicateSelection(artifact: string, index: number, first: number): CheckFailure {
  return {
    property: `artifacts[${index}].artifact`,
    reason:
      `artifact ${JSON.stringify(artifact)} is already selected by artifacts[${first}]; ` +
      "Distr allows one selection per artifact: merge the tags into one entry",
  };
}

/** By artifact name, unknown ones last: the order a program lists artifacts in never shows as a change. */
function sortSelections<T extends { artifact: string } | Unknown>(selections: T[]): T[] {
  const key = (selection: T) => (isUnknown(selection) || isUnknown(selection.artifact) ? "\uffff" : selection.artifact);
  return [...selections].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

async function unknownArtifact(client: DistrClient, artifact: string, index: number): Promise<CheckFailure> {
  const names = (await client.lookups.artifacts()).map((a) => a.name).sort();
  return {
    property: `artifacts[${index}].artifact`,
    reason: `Distr has no artifact ${JSON.stringify(artifact)} (by name or id); use one of its artifacts: ${listForMessage(names)}`,
  };
}

async function diff(_id: string, olds: unknown, news: unknown): Promise<dynamic.DiffResult> {
  const current = parseProperties(artifactLicenseOutputsSchema, olds, "artifact license's outputs");
  const desired = parseProperties(checkedArtifactLicenseSchema, news, "artifact license's checked inputs");
  const changes =
    containsUnknown(desired) ||
    desired.name !== current.name ||
    desired.customer !== current.customer ||
    desired.expiresAt !== current.expiresAt ||
    !isDeepStrictEqual(desired.artifacts, current.artifacts.map(withoutVersionIds));
  // Every field changes in place on Distr (section 6.3), the customer included: never a replacement.
  return { changes };
}

function withoutVersionIds(selection: SelectionOutputs): CheckedSelection {
  const { versionIds: _versionIds, ...rest } = selection;
  return rest;
}

async function create(inputs: unknown): Promise<dynamic.CreateResult> {
  const desired = knownInputs(inputs);
  const client = distrClient();
  const selections = await selectionsWithIds(client, desired.artifacts);
  const request = requestOf(desired, selections);
  const existing = await licenseToAdopt(client.artifactLicenses, "artifact license", desired);
  let license: ArtifactLicense;
  if (existing) {
    license = await adoptLicense(
      existing,
      (current) => artifactLicenseMatches(current, request),
      () => updateLicense(client, existing.id, request),
    );
  } else {
    try {
      license = await client.artifactLicenses.create(request);
    } catch (error) {
      if (!isDistrApiError(error, "name-taken")) throw error;
      // The retry of a create an interrupted run left pending (provider/interruptedCreate.ts).
      const left = await client.artifactLicenses.findByName(desired.name, desired.customer);
      if (!left || !isLeftArtifactLicense(left, request)) {
        throw await licenseNameTaken(client, client.artifactLicenses, "artifact license", desired, error);
      }
      license = left;
    }
  }
  return { id: license.id, outs: await outputsOf(client, license, selections) };
}

async function read(id: string, props: unknown): Promise<dynamic.ReadResult> {
  const prior = artifactLicenseOutputsSchema.partial().safeParse(withoutProvider(props));
  const priorSelections = prior.success ? (prior.data.artifacts ?? []) : [];
  const client = distrClient();
  const license = await client.artifactLicenses.get(id);
  // Gone (deleted in the portal, or with its customer): the engine drops it and the next `up` re-creates it.
  if (!license) return {};
  const selections: SelectionOutputs[] = [];
  for (const selection of license.artifacts ?? []) {
    const artifact = await client.lookups.artifactById(selection.artifactId);
    const versionIds = [...new Set(selection.versionIds ?? [])].sort();
    const priorSelection = priorSelections.find((p) => p.artifactId === selection.artifactId);
    const granted = describeGrantedTags(
      versionIds,
      artifact,
      priorSelection && { tags: priorSelection.tags, digests: asDigests(priorSelection.digests) },
    );
    selections.push({
      artifact: artifact?.name ?? selection.artifactId,
      artifactId: selection.artifactId,
      tags: granted.tags,
      ...(granted.digests !== undefined ? { digests: granted.digests } : {}),
      versionIds,
    });
  }
  const outs = await outputsOf(client, license, sortSelections(selections));
  // Inputs as the program would have to write them for no diff, so the engine shows drift and `up` repairs it.
  const inputs = jsonClean({
    name: outs.name,
    customer: outs.customer,
    expiresAt: outs.expiresAt,
    artifacts: outs.artifacts.map(withoutVersionIds),
  });
  return { id: license.id, props: outs, inputs };
}

function asDigests(digests: string[] | Unknown | undefined): string[] | undefined {
  return digests === undefined || isUnknown(digests) ? undefined : digests;
}

async function update(id: string, _olds: unknown, news: unknown): Promise<dynamic.UpdateResult> {
  const desired = knownInputs(news);
  const client = distrClient();
  const selections = await selectionsWithIds(client, desired.artifacts);
  const license = await updateLicense(client, id, requestOf(desired, selections));
  return { outs: await outputsOf(client, license, selections) };
}

async function updateLicense(
  client: DistrClient,
  id: string,
  request: ArtifactLicenseRequest,
): Promise<ArtifactLicense> {
  // A full replacement (quirk 5): every selection is sent, omitted ones are removed.
  return updateInDistr(`artifact license ${JSON.stringify(request.name)} (id ${id})`, () =>
    client.artifactLicenses.update(id, request),
  );
}

async function deleteLicense(id: string, props: unknown): Promise<void> {
  const prior = artifactLicenseOutputsSchema.partial().safeParse(withoutProvider(props));
  const name = (prior.success ? prior.data.name : undefined) ?? id;
  await deleteFromDistr(
    `artifact license ${JSON.stringify(name)} (id ${id})`,
    () => distrClient().artifactLicenses.delete(id),
    { inUse: "Remove what uses it in Distr, then run the command again." },
  );
}

interface KnownArtifactLicense {
  readonly name: string;
  readonly customer?: string;
  readonly expiresAt?: string;
  readonly artifacts: CheckedSelection[];
  readonly adopt?: Adopt;
}

function knownInputs(properties: unknown): KnownArtifactLicense {
  const inputs = parseProperties(checkedArtifactLicenseSchema, properties, "artifact license's checked inputs");
  if (containsUnknown(inputs)) {
    throw new DistrResourceError("invalid-state", "the artifact license's inputs still hold unknown values");
  }
  return inputs as KnownArtifactLicense;
}

/** The checked selections with Distr's digest-row ids for their digests (`[]` = all). */
async function selectionsWithIds(client: DistrClient, selections: CheckedSelection[]): Promise<SelectionOutputs[]> {
  const withIds: SelectionOutputs[] = [];
  for (const selection of selections) {
    const artifact = await client.lookups.artifactById(selection.artifactId);
    if (!artifact) {
      throw new DistrResourceError("gone", `artifact ${selection.artifact} (id ${selection.artifactId}) is gone`);
    }
    const digests = asDigests(selection.digests);
    const versionIds = [...new Set(versionIdsForDigests(digests, artifact))].sort();
    withIds.push({ ...selection, versionIds });
  }
  return withIds;
}

function requestOf(desired: KnownArtifactLicense, selections: SelectionOutputs[]): ArtifactLicenseRequest {
  return {
    name: desired.name,
    artifacts: selections.map((s) => ({ artifactId: s.artifactId, versionIds: s.versionIds })),
    ...(desired.customer !== undefined ? { customerOrganizationId: desired.customer } : {}),
    // Always UTC (quirk 17): check normalized it.
    ...(desired.expiresAt !== undefined ? { expiresAt: desired.expiresAt } : {}),
  };
}

async function outputsOf(
  client: DistrClient,
  license: ArtifactLicense,
  selections: SelectionOutputs[],
): Promise<ArtifactLicenseOutputs> {
  const customer =
    license.customerOrganizationId === undefined
      ? undefined
      : await client.customers.get(license.customerOrganizationId);
  return jsonClean({
    name: license.name,
    customer: license.customerOrganizationId,
    customerName: customer?.name,
    expiresAt: license.expiresAt,
    artifacts: selections,
    createdAt: license.createdAt,
  });
}

export const artifactLicenseHandlers: ResourceHandlers = {
  configure,
  check,
  diff,
  create,
  read,
  update,
  delete: deleteLicense,
};
