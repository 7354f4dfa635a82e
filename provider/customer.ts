/**
 * The Customer resource: a Distr customer organization (section 4 / B3). Names are not unique in Distr, features
 * are ignored on create (the client sends them with a follow-up PUT, quirk 6), updates are full replacements
 * (quirk 5): the logo (`imageId`) set in the portal is carried over, since this resource does not manage it.
 */
import { isDeepStrictEqual } from "node:util";
import { z } from "zod";
import type { dynamic } from "@pulumi/pulumi";
import { CUSTOMER_FEATURES, DEFAULT_CUSTOMER_FEATURES, type Customer, type CustomerFeature } from "../sdk/schemas";
import { adoptHint, adoptInputSchema, adoptSchema, type Adopt } from "./adoption";
import { describeValue, failuresFromZod, type CheckFailure } from "./checkFailures";
import { configure, distrClient } from "./config";
import { deleteFromDistr, updateInDistr } from "./distrWrites";
import { nonBlankString, orUnknown } from "./inputSchemas";
import { leftCustomer } from "./interruptedCreate";
import { jsonClean, parseProperties, withoutProvider } from "./properties";
import type { ResourceHandlers } from "./resourceHandlers";
import { DistrResourceError, goneFromDistr } from "./resourceError";
import { containsUnknown, isUnknown, UNKNOWN, type Unknown } from "./unknowns";

/** Features every Distr dialect knows; the others exist on 3.x only (section 4.1 vs B3). */
const FEATURES_OF_EVERY_DIALECT: readonly CustomerFeature[] = ["deployment_targets", "artifacts"];

const featureSchema = z.enum(CUSTOMER_FEATURES, {
  error: (issue) =>
    `${describeValue(issue.input)} is not a Distr customer feature; use one of ${CUSTOMER_FEATURES.join(", ")}`,
});

export const customerInputSchema = z.strictObject({
  name: orUnknown(nonBlankString('the customer\'s name, like "ACME Corp"')),
  features: orUnknown(
    z.array(orUnknown(featureSchema), {
      error: (issue) => `expected a list of features like ["deployment_targets"], got ${describeValue(issue.input)}`,
    }),
  ).optional(),
  adopt: adoptInputSchema.optional(),
});

/** Checked inputs: what diff, create and update receive, and what the engine shows as the resource's inputs. */
const checkedCustomerSchema = z.object({
  name: z.string(),
  features: z.union([z.array(z.string()), z.literal(UNKNOWN)]),
  adopt: adoptSchema.optional(),
});
type CheckedCustomer = z.infer<typeof checkedCustomerSchema>;

export const customerOutputsSchema = z.object({
  name: z.string(),
  features: z.array(z.string()),
  createdAt: z.string().optional(),
});
export type CustomerOutputs = z.infer<typeof customerOutputsSchema>;

async function check(_olds: unknown, news: unknown): Promise<dynamic.CheckResult> {
  const parsed = customerInputSchema.safeParse(withoutProvider(news));
  if (!parsed.success) return { inputs: withoutProvider(news), failures: failuresFromZod(parsed.error) };
  const { name, features, adopt } = parsed.data;
  const failures: CheckFailure[] = [];
  const normalized = features === undefined ? [...DEFAULT_CUSTOMER_FEATURES] : normalizeFeatures(features);

  if (Array.isArray(normalized)) {
    if (normalized.includes("alerts") && !normalized.includes("deployment_targets")) {
      failures.push({
        property: "features",
        reason: 'Distr requires "deployment_targets" for "alerts"; add "deployment_targets" or remove "alerts"',
      });
    }
    const dialectSpecific = normalized.filter((f) => !isUnknown(f) && !FEATURES_OF_EVERY_DIALECT.includes(f));
    if (dialectSpecific.length > 0 && (await distrClient().dialect()) === "2") {
      failures.push({
        property: "features",
        reason:
          `${dialectSpecific.map((f) => JSON.stringify(f)).join(", ")} ${dialectSpecific.length === 1 ? "is" : "are"} ` +
          `not available on Distr 2.x; it knows ${FEATURES_OF_EVERY_DIALECT.join(", ")}`,
      });
    }
  }
  const inputs: CheckedCustomer = jsonClean({
    name: isUnknown(name) ? UNKNOWN : name.trim(),
    features: normalized,
    adopt: isUnknown(adopt) ? undefined : adopt,
  });
  return failures.length > 0 ? { inputs, failures } : { inputs };
}

/** De-duplicated and in Distr's order, so the order a program lists features in never shows as a change. */
function normalizeFeatures(
  features: Array<CustomerFeature | Unknown> | Unknown,
): Array<CustomerFeature | Unknown> | Unknown {
  if (isUnknown(features)) return UNKNOWN;
  const unknown = features.filter(isUnknown);
  const known = CUSTOMER_FEATURES.filter((feature) => features.includes(feature));
  return [...known, ...unknown.slice(0, 1)];
}

async function diff(_id: string, olds: unknown, news: unknown): Promise<dynamic.DiffResult> {
  const current = parseProperties(customerOutputsSchema, olds, "customer's outputs");
  const desired = parseProperties(checkedCustomerSchema, news, "customer's checked inputs");
  const changes =
    containsUnknown(desired) ||
    desired.name !== current.name ||
    !isDeepStrictEqual([...desired.features].sort(), [...current.features].sort());
  return { changes };
}

async function create(inputs: unknown): Promise<dynamic.CreateResult> {
  const desired = knownInputs(inputs);
  const client = distrClient();
  const existing = await findExisting(desired.name, desired.adopt);
  const customer = existing
    ? await updateCustomer(existing, desired)
    : await client.customers.create({ name: desired.name, features: desired.features });
  return { id: customer.id, outs: outputsOf(customer) };
}

/** The customer to take over, or undefined to create one; fails on a name clash without `adopt`. */
async function findExisting(name: string, adopt: Adopt | undefined): Promise<Customer | undefined> {
  const client = distrClient();
  if (typeof adopt === "object") {
    const customer = await client.customers.get(adopt.id);
    if (!customer) {
      const sameName = (await client.customers.list()).filter((c) => c.name === name).map((c) => c.id);
      throw new DistrResourceError(
        "adoption",
        `cannot adopt customer ${JSON.stringify(adopt.id)}: Distr has no customer with this id` +
          (sameName.length > 0 ? `; customers named ${JSON.stringify(name)}: ${sameName.join(", ")}` : ""),
      );
    }
    return customer;
  }
  if (adopt === false) return undefined;
  const sameName = (await client.customers.list()).filter((c) => c.name === name);
  if (sameName.length === 0) return undefined;
  if (adopt === true) {
    if (sameName.length === 1) return sameName[0];
    throw new DistrResourceError(
      "adoption",
      `cannot adopt customer ${JSON.stringify(name)}: Distr has ${sameName.length} customers with this name ` +
        `(ids ${sameName.map((c) => c.id).join(", ")}; customer names are not unique in Distr); ` +
        `choose one with adopt: { id: "<id>" }`,
    );
  }
  // The retry of a create an interrupted run left pending (provider/interruptedCreate.ts).
  const left = await leftCustomer(client, sameName);
  if (left) return left;
  const ids = sameName.map((c) => c.id);
  throw new DistrResourceError(
    "already-exists",
    `a customer named ${JSON.stringify(name)} already exists in Distr (id ${ids.join(", ")}); ` +
      `${ids.length === 1 ? adoptHint(ids[0] ?? "") : 'to manage one of them, set adopt: { id: "<id>" }'}, ` +
      "or set adopt: false to create another customer with the same name",
  );
}

async function read(id: string, _props: unknown): Promise<dynamic.ReadResult> {
  const customer = await distrClient().customers.get(id);
  // Absent from Distr's list: the engine drops the resource from state and the next `up` re-creates it.
  if (!customer) return {};
  const outs = outputsOf(customer);
  return { id: customer.id, props: outs, inputs: { name: outs.name, features: outs.features } };
}

async function update(id: string, _olds: unknown, news: unknown): Promise<dynamic.UpdateResult> {
  const desired = knownInputs(news);
  const existing = await distrClient().customers.get(id);
  if (!existing) throw goneFromDistr(`customer ${JSON.stringify(desired.name)} (id ${id})`);
  return { outs: outputsOf(await updateCustomer(existing, desired)) };
}

async function updateCustomer(existing: Customer, desired: KnownCustomer): Promise<Customer> {
  const unchanged =
    existing.name === desired.name && isDeepStrictEqual([...existing.features].sort(), [...desired.features].sort());
  if (unchanged) return existing;
  return updateInDistr(`customer ${JSON.stringify(existing.name)} (id ${existing.id})`, () =>
    distrClient().customers.update(existing.id, {
      name: desired.name,
      features: desired.features,
      ...(existing.imageId !== undefined ? { imageId: existing.imageId } : {}),
    }),
  );
}

async function deleteCustomer(id: string, props: unknown): Promise<void> {
  const name = parseProperties(customerOutputsSchema.partial(), props, "customer's outputs").name ?? id;
  await deleteFromDistr(`customer ${JSON.stringify(name)} (id ${id})`, () => distrClient().customers.delete(id), {
    inUse: "Remove what still belongs to it in Distr, then run the command again.",
    forbidden: "Deleting customers needs a token of a user with role admin on Distr 3.x (read_write on 2.x).",
  });
}

interface KnownCustomer {
  readonly name: string;
  readonly features: string[];
  readonly adopt?: Adopt;
}

/** Checked inputs of create/update, where the engine has resolved every value. */
function knownInputs(properties: unknown): KnownCustomer {
  const inputs = parseProperties(checkedCustomerSchema, properties, "customer's checked inputs");
  if (isUnknown(inputs.features) || containsUnknown(inputs)) {
    throw new DistrResourceError("invalid-state", "the customer's inputs still hold unknown values after preview");
  }
  return {
    name: inputs.name,
    features: inputs.features,
    ...(inputs.adopt !== undefined ? { adopt: inputs.adopt } : {}),
  };
}

function outputsOf(customer: Customer): CustomerOutputs {
  const known = new Set<string>(CUSTOMER_FEATURES);
  const features = [
    ...CUSTOMER_FEATURES.filter((f) => customer.features.includes(f)),
    ...customer.features.filter((f) => !known.has(f)).sort(),
  ];
  return { name: customer.name, features, createdAt: customer.createdAt };
}

export const customerHandlers: ResourceHandlers = {
  configure,
  check,
  diff,
  create,
  read,
  update,
  delete: deleteCustomer,
};
