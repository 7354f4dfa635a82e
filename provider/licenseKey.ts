/**
 * The LicenseKey resource: a Distr 3.x license key (section 8), a JWT Distr signs for a customer, carrying a JSON
 * payload between `notBefore` and `expiresAt`. Distr keeps the key's content in append-only revisions: a change of
 * payload or dates is an in-place update that appends one (the token changes, the id stays); `name` and the customer
 * cannot change in Distr (section 8.4), so changing them replaces the key. A change that running deployments would render differently is refused by Distr (409) until
 * confirmed: by default the update fails naming those deployments; `redeploy: true` confirms and Distr re-deploys
 * them. Deleting a key that deployments reference fails the same way. Payloads compare semantically (key order and
 * whitespace never diff); the token is a secret output. A template key without payload leaves its revisions to
 * Distr's billing: their content is never compared.
 */
import { isDeepStrictEqual } from "node:util";
import { z } from "zod";
import type { dynamic } from "@pulumi/pulumi";
import { describeAffectedDeployments } from "../sdk/errorClassification";
import { isDistrApiError, type AffectedDeploymentRef } from "../sdk/errors";
import type { LicenseKey, LicenseKeyPayload, LicenseKeyUpdateRequest } from "../sdk/schemas";
import { describeValue, failuresFromZod, type CheckFailure } from "./checkFailures";
import { configure, distrClient } from "./config";
import { deleteFromDistr, updateInDistr } from "./distrWrites";
import { normalizeExpiry } from "./expiry";
import { byValueType, nonBlankString, orUnknown } from "./inputSchemas";
import { adoptHint, adoptInputSchema, adoptSchema, type Adopt } from "./adoption";
import { licenseToAdopt } from "./licenseAdoption";
import { requireLicenseKeyFeature } from "./licenseKeyAvailability";
import { jsonClean, parseProperties, withoutProvider } from "./properties";
import type { ResourceHandlers } from "./resourceHandlers";
import { DistrResourceError, goneFromDistr } from "./resourceError";
import { containsUnknown, isUnknown, UNKNOWN, type Unknown } from "./unknowns";

/** Claims Distr sets itself (`licensekey/jwt.go`): a payload may not contain them. */
const REGISTERED_CLAIMS = ["exp", "nbf", "iss", "sub", "aud", "iat", "org"];

const timestampSchema = orUnknown(
  z.string({ error: (issue) => `expected an RFC 3339 timestamp string, got ${describeValue(issue.input)}` }),
);

const payloadSchema = orUnknown(
  byValueType(
    {
      object: z.record(z.string(), z.unknown()),
      string: z.string().transform((text, context) => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          context.addIssue({
            code: "custom",
            message: `${describeValue(text)} is not JSON; expected a JSON object like {"seats": 10}`,
          });
          return z.NEVER;
        }
        if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
          context.addIssue({
            code: "custom",
            message: `${describeValue(text)} is not a JSON object; expected an object like {"seats": 10}`,
          });
          return z.NEVER;
        }
        return parsed as Record<string, unknown>;
      }),
    },
    (value) => `expected a JSON object like { seats: 10 } (or its JSON text), got ${describeValue(value)}`,
  ),
);

export const licenseKeyInputSchema = z.strictObject({
  name: orUnknown(nonBlankString('the key name, like "acme-prod"; deployments reference it by this name')),
  customer: orUnknown(nonBlankString("the id of the customer (a Customer resource's id)")).optional(),
  description: orUnknown(
    z.string({ error: (issue) => `expected a string, got ${describeValue(issue.input)}` }),
  ).optional(),
  payload: payloadSchema.optional(),
  notBefore: timestampSchema.optional(),
  expiresAt: timestampSchema.optional(),
  template: orUnknown(nonBlankString("the id of a license template (a LicenseTemplate resource's id)")).optional(),
  redeploy: orUnknown(
    z.boolean({ error: (issue) => `expected true or false, got ${describeValue(issue.input)}` }),
  ).optional(),
  adopt: adoptInputSchema.optional(),
});

const payloadStateSchema = z.union([z.record(z.string(), z.unknown()), z.literal(UNKNOWN)]);
const maybeUnknownString = z.union([z.string(), z.literal(UNKNOWN)]);

const checkedLicenseKeySchema = z.object({
  name: maybeUnknownString,
  customer: maybeUnknownString.optional(),
  description: maybeUnknownString.optional(),
  payload: payloadStateSchema.optional(),
  notBefore: maybeUnknownString.optional(),
  expiresAt: maybeUnknownString.optional(),
  template: maybeUnknownString.optional(),
  redeploy: z.union([z.boolean(), z.literal(UNKNOWN)]),
  adopt: adoptSchema.optional(),
});
type CheckedLicenseKey = z.infer<typeof checkedLicenseKeySchema>;

const affectedDeploymentOutputSchema = z.object({
  deploymentTarget: z.string(),
  deploymentTargetId: z.string(),
  application: z.string(),
  deploymentId: z.string(),
});
export type AffectedDeploymentOutput = z.infer<typeof affectedDeploymentOutputSchema>;

export const licenseKeyOutputsSchema = z.object({
  name: z.string(),
  customer: z.string().optional(),
  description: z.string().optional(),
  payload: z.record(z.string(), z.unknown()).optional(),
  notBefore: z.string().optional(),
  expiresAt: z.string().optional(),
  template: z.string().optional(),
  redeploy: z.boolean().optional(),
  token: z.string().optional(),
  revision: z.object({ count: z.number(), lastRevisedAt: z.string().optional() }),
  affectedDeployments: z.array(affectedDeploymentOutputSchema),
  createdAt: z.string().optional(),
});
export type LicenseKeyOutputs = z.infer<typeof licenseKeyOutputsSchema>;

/** Object keys sorted at every level: the form payloads are kept and compared in (Distr re-orders them, jsonb). */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

function samePayload(a: Record<string, unknown> | undefined, b: Record<string, unknown> | undefined): boolean {
  return isDeepStrictEqual(canonical(a), canonical(b));
}

function normalizedTime(
  value: string | Unknown | undefined,
  property: string,
  failures: CheckFailure[],
): string | Unknown | undefined {
  if (value === undefined || isUnknown(value)) return value;
  const parsed = normalizeExpiry(value);
  if (parsed.ok) return parsed.utc;
  failures.push({ property, reason: parsed.reason });
  return value;
}

async function check(_olds: unknown, news: unknown): Promise<dynamic.CheckResult> {
  const parsed = licenseKeyInputSchema.safeParse(withoutProvider(news));
  if (!parsed.success) return { inputs: withoutProvider(news), failures: failuresFromZod(parsed.error) };
  const { name, customer, description, payload, template, redeploy, adopt } = parsed.data;
  const failures: CheckFailure[] = [];
  const notBefore = normalizedTime(parsed.data.notBefore, "notBefore", failures);
  const expiresAt = normalizedTime(parsed.data.expiresAt, "expiresAt", failures);

  if (payload === undefined && template === undefined) {
    failures.push({
      property: "payload",
      reason:
        "a license key needs a payload (a JSON object like { seats: 10 }, with notBefore and expiresAt) or a template",
    });
  }
  if (payload !== undefined) {
    for (const [property, value] of [
      ["notBefore", notBefore],
      ["expiresAt", expiresAt],
    ] as const) {
      if (value === undefined) {
        failures.push({
          property,
          reason: `a key with a payload needs ${property}, a full RFC 3339 timestamp like "2027-01-01T00:00:00Z"`,
        });
      }
    }
    if (!isUnknown(payload)) {
      for (const claim of Object.keys(payload).filter((key) => REGISTERED_CLAIMS.includes(key))) {
        failures.push({
          property: `payload.${claim}`,
          reason: `Distr sets the JWT claim ${JSON.stringify(claim)} itself (${REGISTERED_CLAIMS.join(", ")}); rename the payload member`,
        });
      }
    }
  } else if (notBefore !== undefined || expiresAt !== undefined) {
    failures.push({
      property: notBefore !== undefined ? "notBefore" : "expiresAt",
      reason: "dates belong to a revision, which needs a payload too: give payload, notBefore and expiresAt together",
    });
  }
  if (
    typeof notBefore === "string" &&
    typeof expiresAt === "string" &&
    !isUnknown(notBefore) &&
    !isUnknown(expiresAt) &&
    Date.parse(expiresAt) <= Date.parse(notBefore)
  ) {
    failures.push({
      property: "expiresAt",
      reason: `${expiresAt} is not after notBefore ${notBefore}; Distr refuses such a key`,
    });
  }
  // Plan time: a 2.x hub or an organization without the feature fails the preview with what is missing.
  await requireLicenseKeyFeature(template === undefined ? "license keys" : "license templates");

  const inputs: CheckedLicenseKey = jsonClean({
    name: isUnknown(name) ? UNKNOWN : name.trim(),
    customer,
    description,
    payload: payload === undefined || isUnknown(payload) ? payload : (canonical(payload) as Record<string, unknown>),
    notBefore,
    expiresAt,
    template,
    redeploy: redeploy ?? false,
    adopt: isUnknown(adopt) ? undefined : adopt,
  });
  return failures.length > 0 ? { inputs, failures } : { inputs };
}

async function diff(_id: string, olds: unknown, news: unknown): Promise<dynamic.DiffResult> {
  const current = parseProperties(licenseKeyOutputsSchema, olds, "license key's outputs");
  const desired = parseProperties(checkedLicenseKeySchema, news, "license key's checked inputs");
  const replaces: string[] = [];
  // Distr has no way to rename a key or move it to another customer (section 8.4).
  if (desired.name !== current.name) replaces.push("name");
  if ((desired.customer ?? undefined) !== (current.customer ?? undefined)) replaces.push("customer");
  // Without a payload (a template key) the revisions are Distr's billing's: their content is not compared.
  const revisionChanged =
    desired.payload !== undefined &&
    ((desired.notBefore ?? undefined) !== (current.notBefore ?? undefined) ||
      (desired.expiresAt ?? undefined) !== (current.expiresAt ?? undefined) ||
      (!isUnknown(desired.payload) && !samePayload(desired.payload, current.payload)));
  const changes =
    replaces.length > 0 ||
    containsUnknown(desired) ||
    revisionChanged ||
    (desired.description ?? undefined) !== (current.description ?? undefined) ||
    (desired.template ?? undefined) !== (current.template ?? undefined) ||
    desired.redeploy !== (current.redeploy ?? false);
  // The replacement takes the same name in the same scope: the old key must go first.
  const sameScope = !replaces.includes("name") && !replaces.includes("customer");
  return { changes, replaces, deleteBeforeReplace: replaces.length > 0 && sameScope };
}

interface KnownLicenseKey {
  readonly name: string;
  readonly customer?: string;
  readonly description?: string;
  readonly payload?: LicenseKeyPayload;
  readonly notBefore?: string;
  readonly expiresAt?: string;
  readonly template?: string;
  readonly redeploy: boolean;
  readonly adopt?: Adopt;
}

function knownInputs(properties: unknown): KnownLicenseKey {
  const inputs = parseProperties(checkedLicenseKeySchema, properties, "license key's checked inputs");
  if (containsUnknown(inputs)) {
    throw new DistrResourceError("invalid-state", "the license key's inputs still hold unknown values after preview");
  }
  return inputs as KnownLicenseKey;
}

function describeKey(name: string, id: string): string {
  return `license key ${JSON.stringify(name)} (id ${id})`;
}

/** Outputs from the key as Distr lists it plus its revisions (count and the current token). */
async function outputsOf(
  key: LicenseKey,
  extra: { redeploy: boolean; affectedDeployments: AffectedDeploymentOutput[] },
): Promise<LicenseKeyOutputs> {
  const revisions = await distrClient().licenseKeys.revisions(key.id);
  return jsonClean({
    name: key.name,
    customer: key.customerOrganizationId,
    description: key.description,
    payload: key.payload === undefined ? undefined : (canonical(key.payload) as Record<string, unknown>),
    notBefore: key.notBefore,
    expiresAt: key.expiresAt,
    template: key.licenseTemplateId,
    redeploy: extra.redeploy,
    token: revisions[0]?.token,
    revision: { count: revisions.length, lastRevisedAt: key.lastRevisedAt },
    affectedDeployments: extra.affectedDeployments,
    createdAt: key.createdAt,
  });
}

function revisionRequest(desired: KnownLicenseKey): LicenseKeyUpdateRequest {
  return jsonClean({
    // Full replacement (omitted = cleared): always send what the program says.
    description: desired.description,
    licenseTemplateId: desired.template,
    notBefore: desired.notBefore,
    expiresAt: desired.expiresAt,
    payload: desired.payload,
  });
}

async function create(inputs: unknown): Promise<dynamic.CreateResult> {
  const desired = knownInputs(inputs);
  const client = distrClient();
  const adopted = await keyToAdopt(desired);
  if (adopted) {
    // Taken over as it is when it already says what the program says (no write), else given a new revision:
    // the same path as an update, with the same refusal while running deployments would render it differently.
    return { id: adopted.id, outs: (await update(adopted.id, {}, inputs)).outs };
  }
  const existing = await client.licenseKeys.findByName(desired.name, desired.customer);
  if (existing) {
    throw new DistrResourceError(
      "already-exists",
      `a license key named ${JSON.stringify(desired.name)} already exists ${desired.customer ? `for customer ${desired.customer}` : "without a customer"} ` +
        `in Distr (id ${existing.id}); key names are unique per customer: choose another name, delete the existing key, ` +
        `or ${adoptHint(existing.id)}`,
    );
  }
  const base = {
    name: desired.name,
    ...(desired.description !== undefined ? { description: desired.description } : {}),
    ...(desired.customer !== undefined ? { customerOrganizationId: desired.customer } : {}),
  };
  let key: LicenseKey;
  if (desired.template !== undefined) {
    key = await client.licenseKeys.create({ ...base, licenseTemplateId: desired.template });
    // Distr creates no revision for a template key; a payload given too becomes its first revision. No deployment
    // can reference a key that did not exist a moment ago, so nothing needs confirming.
    if (desired.payload !== undefined) key = await client.licenseKeys.update(key.id, revisionRequest(desired));
  } else {
    if (desired.payload === undefined || desired.notBefore === undefined || desired.expiresAt === undefined) {
      throw new DistrResourceError(
        "invalid-state",
        "a license key without template needs payload, notBefore and expiresAt",
      );
    }
    key = await client.licenseKeys.create({
      ...base,
      payload: desired.payload,
      notBefore: desired.notBefore,
      expiresAt: desired.expiresAt,
    });
  }
  return { id: key.id, outs: await outputsOf(key, { redeploy: desired.redeploy, affectedDeployments: [] }) };
}

/**
 * The key `adopt` takes over (licenseAdoption.ts), undefined to create one. A key named by `adopt: { id }` must have
 * this name and customer: Distr cannot rename a key or move it.
 */
async function keyToAdopt(desired: KnownLicenseKey): Promise<LicenseKey | undefined> {
  const key = await licenseToAdopt(distrClient().licenseKeys, "license key", desired);
  if (key && (key.name !== desired.name || (key.customerOrganizationId ?? undefined) !== desired.customer)) {
    const scope = (name: string, customer: string | undefined) =>
      `${JSON.stringify(name)} ${customer ? `for customer ${customer}` : "without a customer"}`;
    throw new DistrResourceError(
      "adoption",
      `adopt: ${describeKey(key.name, key.id)} is ${scope(key.name, key.customerOrganizationId)}, but this ` +
        `LicenseKey declares ${scope(desired.name, desired.customer)}; Distr cannot rename a key or move it to ` +
        "another customer: declare its name and customer as they are",
    );
  }
  return key;
}

async function read(id: string, props: unknown): Promise<dynamic.ReadResult> {
  const previous = parseProperties(licenseKeyOutputsSchema.partial(), props, "license key's outputs");
  const key = await distrClient().licenseKeys.get(id);
  // Absent from Distr's list (deleted in the portal, or with its customer): refresh drops it from state.
  if (!key) return {};
  const outs = await outputsOf(key, {
    redeploy: previous.redeploy ?? false,
    affectedDeployments: previous.affectedDeployments ?? [],
  });
  return {
    id,
    props: outs,
    inputs: jsonClean({
      name: outs.name,
      customer: outs.customer,
      description: outs.description,
      payload: outs.payload,
      notBefore: outs.notBefore,
      expiresAt: outs.expiresAt,
      template: outs.template,
      redeploy: outs.redeploy ?? false,
    }),
  };
}

async function customerName(customerId: string | undefined): Promise<string | undefined> {
  if (customerId === undefined) return undefined;
  try {
    return (await distrClient().customers.get(customerId))?.name;
  } catch {
    return undefined;
  }
}

async function deploymentsSentence(
  deployments: readonly AffectedDeploymentRef[],
  customerId: string | undefined,
): Promise<string> {
  const customer = await customerName(customerId);
  const owner = customer === undefined ? "" : ` of customer ${JSON.stringify(customer)}`;
  return `${deployments.length} deployment${deployments.length === 1 ? "" : "s"}${owner}: ${describeAffectedDeployments(deployments)}`;
}

async function update(id: string, olds: unknown, news: unknown): Promise<dynamic.UpdateResult> {
  const desired = knownInputs(news);
  const current = parseProperties(licenseKeyOutputsSchema.partial(), olds, "license key's outputs");
  const client = distrClient();
  const what = describeKey(desired.name, id);
  const existing = await client.licenseKeys.get(id);
  if (!existing) throw goneFromDistr(what);
  const contentUnchanged =
    (existing.description ?? undefined) === desired.description &&
    (existing.licenseTemplateId ?? undefined) === desired.template &&
    (desired.payload === undefined ||
      (existing.notBefore === desired.notBefore &&
        existing.expiresAt === desired.expiresAt &&
        samePayload(existing.payload, desired.payload)));
  if (contentUnchanged) {
    // Only `redeploy` changed: nothing to send.
    return {
      outs: await outputsOf(existing, {
        redeploy: desired.redeploy,
        affectedDeployments: current.affectedDeployments ?? [],
      }),
    };
  }
  let updated;
  try {
    updated = await updateInDistr(what, () =>
      client.licenseKeys.update(id, revisionRequest(desired), { confirm: desired.redeploy }),
    );
  } catch (error) {
    if (isDistrApiError(error, "deployments-affected") && error.affectedDeployments !== undefined) {
      throw new DistrResourceError(
        "deployments-affected",
        `Distr refused to change ${what}: the new revision changes what ${await deploymentsSentence(error.affectedDeployments, existing.customerOrganizationId)} render${error.affectedDeployments.length === 1 ? "s" : ""} with the key. ` +
          "To roll the new key out to them, set `redeploy: true` on this LicenseKey and run the command again: Distr then " +
          `re-deploys them with the new token. Or first change those deployments so they no longer use {{ .LicenseKeys.${desired.name} }}.`,
        { cause: error },
      );
    }
    throw error;
  }
  const affectedDeployments = updated.affectedDeployments.map((d) => ({
    deploymentTarget: d.deploymentTargetName,
    deploymentTargetId: d.deploymentTargetId,
    application: d.applicationName,
    deploymentId: d.deploymentId,
  }));
  return { outs: await outputsOf(updated, { redeploy: desired.redeploy, affectedDeployments }) };
}

async function deleteLicenseKey(id: string, props: unknown): Promise<void> {
  const previous = parseProperties(licenseKeyOutputsSchema.partial(), props, "license key's outputs");
  const what = describeKey(previous.name ?? id, id);
  try {
    await deleteFromDistr(what, () => distrClient().licenseKeys.delete(id), {
      inUse: "Remove what still uses it in Distr, then run the command again.",
    });
  } catch (error) {
    if (isDistrApiError(error, "deployments-affected") && error.affectedDeployments !== undefined) {
      throw new DistrResourceError(
        "deployments-affected",
        `Distr refused to delete ${what}: ${await deploymentsSentence(error.affectedDeployments, previous.customer)} ` +
          `reference${error.affectedDeployments.length === 1 ? "s" : ""} it in their values ({{ .LicenseKeys.${previous.name ?? "<name>"} }}) and would fail to render without it. ` +
          "Remove the reference from those deployments (and re-deploy them), or delete the deployments, then run the command again.",
        { cause: error },
      );
    }
    throw error;
  }
}

export const licenseKeyHandlers: ResourceHandlers = {
  configure,
  check,
  diff,
  create,
  read,
  update,
  delete: deleteLicenseKey,
};
