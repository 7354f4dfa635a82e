/**
 * Adoptions in a preview: create steps of resources with `adopt` (provider/adoption.ts) whose object already exists
 * in Distr. The engine shows them as creations (the resource is new to the stack), but the provider takes the object
 * over and writes only what differs. To tell a reviewer what really happens, the review looks each one up the way the
 * provider will (`adopt: { id }` by id, `adopt: true` by name in its scope) and compares with Distr's object, not
 * with nothing. Read-only look-ups through the sdk client; an object Distr does not have stays a creation.
 */
import { z } from "zod";
import type { DistrClient } from "../sdk/distrClient";
import type { Customer } from "../sdk/schemas";
import { applicationLicenseSnapshotFromDistr, artifactLicenseSnapshotFromDistr } from "./distrSnapshots";
import { customerSnapshotOf, type CustomerSnapshot, type LicenseSnapshot } from "./licenseSnapshot";
import type { PreviewDocument, PreviewStep } from "./previewDocument";
import { resourceKindOf } from "./resourceKinds";
import { isUnknown } from "../provider/unknowns";

/** What Distr has for an adopting resource: its id and a snapshot to compare the new inputs with. */
export type AdoptedObject =
  | { readonly kind: "customer"; readonly id: string; readonly snapshot: CustomerSnapshot }
  | { readonly kind: "license"; readonly id: string; readonly snapshot: LicenseSnapshot };

/** URN of an adopting create step → the object it takes over. */
export type Adoptions = ReadonlyMap<string, AdoptedObject>;

const adoptSchema = z.union([z.literal(true), z.object({ id: z.string() })]);

/** The steps' `adopt` setting, when it asks to adopt (`true` or `{ id }`). */
export function adoptSettingOf(step: PreviewStep): true | { id: string } | undefined {
  if (step.op !== "create") return undefined;
  const parsed = adoptSchema.safeParse(step.newState?.inputs?.["adopt"]);
  return parsed.success ? parsed.data : undefined;
}

/**
 * Looks up the objects the preview's adopting creates take over. Customers first: a license adopted by name is
 * found under its customer's id, which the preview does not know yet when that customer is adopted too.
 */
export async function lookUpAdoptions(document: PreviewDocument, client: DistrClient): Promise<Adoptions> {
  const adoptions = new Map<string, AdoptedObject>();
  const adopting = document.steps.filter((step) => adoptSettingOf(step) !== undefined);
  if (adopting.length === 0) return adoptions;
  const customers = await client.customers.list();
  for (const step of adopting) {
    if (kindOf(step) !== "customer") continue;
    const found = adoptedCustomer(step, customers);
    if (found) {
      adoptions.set(step.urn, {
        kind: "customer",
        id: found.id,
        snapshot: customerSnapshotOf({ name: found.name, features: found.features }),
      });
    }
  }
  const names = new Map(customers.map((customer) => [customer.id, customer.name]));
  for (const step of adopting) {
    const kind = kindOf(step);
    if (kind !== "applicationLicense" && kind !== "artifactLicense") continue;
    const customerId = licenseCustomerId(step, adoptions);
    const snapshot = await adoptedLicense(client, kind, step, customerId, names);
    if (snapshot) adoptions.set(step.urn, { kind: "license", ...snapshot });
  }
  return adoptions;
}

function kindOf(step: PreviewStep) {
  const type = step.newState?.type;
  return type === undefined ? undefined : resourceKindOf(type);
}

function adoptedCustomer(step: PreviewStep, customers: readonly Customer[]): Customer | undefined {
  const adopt = adoptSettingOf(step);
  if (adopt === undefined) return undefined;
  if (adopt !== true) return customers.find((customer) => customer.id === adopt.id);
  const name = step.newState?.inputs?.["name"];
  const named = customers.filter((customer) => customer.name === name);
  // Two of that name: the provider refuses `adopt: true` (it cannot choose), so nothing is taken over.
  return named.length === 1 ? named[0] : undefined;
}

/** The license's customer id: from its inputs, or from the customer adopted in the same preview. */
function licenseCustomerId(step: PreviewStep, adoptions: Adoptions): string | undefined {
  const customer = step.newState?.inputs?.["customer"];
  if (typeof customer === "string" && !isUnknown(customer)) return customer;
  const dependency = step.newState?.propertyDependencies?.["customer"]?.[0];
  const adopted = dependency === undefined ? undefined : adoptions.get(dependency);
  return adopted?.kind === "customer" ? adopted.id : undefined;
}

async function adoptedLicense(
  client: DistrClient,
  kind: "applicationLicense" | "artifactLicense",
  step: PreviewStep,
  customerId: string | undefined,
  names: ReadonlyMap<string, string>,
): Promise<{ id: string; snapshot: LicenseSnapshot } | undefined> {
  const adopt = adoptSettingOf(step);
  const name = step.newState?.inputs?.["name"];
  if (adopt === undefined || typeof name !== "string") return undefined;
  const customerName = (id: string | undefined) => (id === undefined ? undefined : names.get(id));
  if (kind === "applicationLicense") {
    const license =
      adopt === true
        ? await client.applicationLicenses.findByName(name, customerId)
        : await client.applicationLicenses.get(adopt.id);
    if (!license) return undefined;
    const application = await client.lookups.applicationById(license.applicationId);
    return {
      id: license.id,
      snapshot: applicationLicenseSnapshotFromDistr(license, application, customerName(license.customerOrganizationId)),
    };
  }
  const license =
    adopt === true
      ? await client.artifactLicenses.findByName(name, customerId)
      : await client.artifactLicenses.get(adopt.id);
  if (!license) return undefined;
  const artifacts = new Map<string, Awaited<ReturnType<DistrClient["lookups"]["artifactById"]>>>();
  for (const selection of license.artifacts ?? []) {
    artifacts.set(selection.artifactId, await client.lookups.artifactById(selection.artifactId));
  }
  return {
    id: license.id,
    snapshot: artifactLicenseSnapshotFromDistr(
      license,
      (id) => artifacts.get(id),
      customerName(license.customerOrganizationId),
    ),
  };
}
