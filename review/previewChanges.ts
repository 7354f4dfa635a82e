/**
 * Reads the license-level changes out of a `pulumi preview --json` document. The engine sends no detailed diff for
 * dynamic resources (pulumi-notes §8), so each step is compared here: the old state's outputs ("before", what the
 * provider last wrote) with the new state's inputs ("after", what the provider's `check` resolved: ranges with the
 * versions they match now, tags with their digests). Customers are named everywhere: a license's customer comes
 * from its outputs, from a Customer step of the same preview (a new customer's id is unknown, its URN is in the
 * license's property dependencies), or from `customerNames` looked up in Distr.
 */
import type { Dialect } from "../sdk/dialect";
import type { Adoptions } from "./adoptions";
import { compareCustomers, type CustomerChange } from "./customerChange";
import { compareLicenses, hasVisibleChange, type LicenseAction, type LicenseChange } from "./licenseChange";
import {
  applicationLicenseSnapshotOf,
  artifactLicenseSnapshotOf,
  customerSnapshotOf,
  type CustomerRef,
  type LicenseSnapshot,
} from "./licenseSnapshot";
import type { PreviewDocument, PreviewResourceState, PreviewStep } from "./previewDocument";
import { replacementOf } from "./replacement";
import { resourceKindOf, resourceNameOf, type ResourceKind } from "./resourceKinds";
import { byContent, grantsUnchanged } from "./sameGrants";

export interface UnchangedCounts {
  customers: number;
  applicationLicenses: number;
  artifactLicenses: number;
}

export interface PreviewChanges {
  readonly customers: CustomerChange[];
  readonly licenses: LicenseChange[];
  /** Our resources the preview leaves as they are (only counted; a preview lists them with --show-sames). */
  readonly unchanged: UnchangedCounts;
  /** Customer ids the preview does not name (look them up in Distr and read again with `customerNames`). */
  readonly unnamedCustomerIds: string[];
  /** Whether the document lists unchanged resources (--show-sames): else `unchanged` only counts the summary's. */
  readonly listsUnchanged: boolean;
  /** Every Customer resource the preview shows (changed or not), by id where it has one: who is who. */
  readonly customerResources?: CustomerResource[];
}

/** A Customer resource of the program as the preview shows it. */
export interface CustomerResource {
  readonly urn: string;
  /** The resource's name in the program. */
  readonly resource: string;
  /** Distr's id (existing or adopted customers). */
  readonly id?: string;
  readonly name?: string;
}

export interface PreviewReadOptions {
  /** Customer id → name, from Distr. */
  readonly customerNames?: ReadonlyMap<string, string>;
  /** The Distr dialect, when known: decides the order of a replacement the document does not show. */
  readonly dialect?: Dialect;
  /** Objects in Distr that adopting creates take over (adoptions.ts). */
  readonly adoptions?: Adoptions;
}

const UNCHANGED_KEYS: Readonly<Record<ResourceKind, keyof UnchangedCounts>> = {
  customer: "customers",
  applicationLicense: "applicationLicenses",
  artifactLicense: "artifactLicenses",
};

const LICENSE_OPS: Readonly<Record<string, LicenseAction>> = {
  create: "create",
  update: "update",
  replace: "replace",
  delete: "delete",
};

export function readPreviewChanges(document: PreviewDocument, options: PreviewReadOptions = {}): PreviewChanges {
  const ours = document.steps.filter((step) => kindOf(step) !== undefined);
  const adoptions = options.adoptions ?? new Map();
  const names = customerNamesOf(ours, options.customerNames, adoptions);
  const customerResources = customerResourcesOf(ours, adoptions);
  const urnOfCustomer = new Map(
    customerResources.filter((c) => c.id !== undefined).map((c) => [c.id as string, c.urn] as const),
  );
  const unchanged: UnchangedCounts = { customers: 0, applicationLicenses: 0, artifactLicenses: 0 };
  const customers: CustomerChange[] = [];
  const licenses: LicenseChange[] = [];
  const unnamed = new Set<string>();

  for (const step of ours) {
    const kind = kindOf(step) as ResourceKind;
    if (step.op === "same") {
      unchanged[UNCHANGED_KEYS[kind]] += 1;
      continue;
    }
    const action = LICENSE_OPS[step.op];
    if (action === undefined) continue; // read, refresh, create-replacement / delete-replaced (the replace step tells)
    const resource = resourceNameOf(step.urn);
    const adopted = action === "create" ? adoptions.get(step.urn) : undefined;
    if (kind === "customer") {
      if (adopted?.kind === "customer" && step.newState?.inputs) {
        customers.push(
          compareCustomers(adopted.snapshot, customerSnapshotOf(step.newState.inputs), {
            resource,
            urn: step.urn,
            action: "update",
            id: adopted.id,
            adopted: true,
          }),
        );
        continue;
      }
      customers.push(
        compareCustomers(
          action === "create"
            ? undefined
            : step.oldState?.outputs
              ? customerSnapshotOf(step.oldState.outputs)
              : undefined,
          action === "delete"
            ? undefined
            : step.newState?.inputs
              ? customerSnapshotOf(step.newState.inputs)
              : undefined,
          { resource, urn: step.urn, action, ...(step.oldState?.id ? { id: step.oldState.id } : {}) },
        ),
      );
      continue;
    }
    if (adopted?.kind === "license") {
      const after = withCustomerIdentity(licenseAfter(kind, step.newState, names), urnOfCustomer, adoptions);
      if (after) {
        const before = withCustomerIdentity(adopted.snapshot, urnOfCustomer, adoptions);
        const change = byContent(compareLicenses(before, after, { resource, urn: step.urn, action: "update" }));
        licenses.push({ ...change, id: adopted.id, adopted: { id: adopted.id, changed: !grantsUnchanged(change) } });
        continue;
      }
    }
    const before = withCustomerIdentity(
      action === "create" ? undefined : licenseBefore(kind, step.oldState, names),
      urnOfCustomer,
      adoptions,
    );
    const after = withCustomerIdentity(
      action === "delete" ? undefined : licenseAfter(kind, step.newState, names),
      urnOfCustomer,
      adoptions,
    );
    for (const snapshot of [before, after]) {
      if (snapshot?.customer?.id !== undefined && snapshot.customer.name === undefined)
        unnamed.add(snapshot.customer.id);
    }
    const replacement =
      action === "replace" && before && after
        ? replacementOf(step.replaceReasons ?? [], {
            ...reportedOrder(document, step.urn),
            ...(options.dialect !== undefined ? { dialect: options.dialect } : {}),
            current: { name: before.name, customer: stringOf(step.oldState?.outputs?.["customer"]) },
            desired: {
              name: stringOf(step.newState?.inputs?.["name"]) ?? after.name,
              customer: stringOf(step.newState?.inputs?.["customer"]),
            },
          })
        : undefined;
    const identity = { resource, urn: step.urn, action, ...(replacement ? { replacement } : {}) };
    let change = compareLicenses(before, after, identity);
    // Both sides show the password as "[secret]". The provider's diff compares it with the rest: an update in which
    // nothing else differs is a new password.
    if (action === "update" && !hasVisibleChange(change) && before && after) {
      change = compareLicenses(before, after, { ...identity, registryPasswordChanged: true });
    }
    const id = step.oldState?.id;
    licenses.push(id ? { ...change, id } : change);
  }
  // With --show-sames every unchanged resource has a step; without it the engine's summary counts more sames than
  // there are steps (the stack itself is listed either way).
  const sameSteps = document.steps.filter((step) => step.op === "same").length;
  const listsUnchanged = sameSteps >= (document.changeSummary?.["same"] ?? 0);
  return {
    customers,
    licenses,
    unchanged,
    unnamedCustomerIds: [...unnamed].sort(),
    listsUnchanged,
    customerResources,
  };
}

/** Customer resources of the preview, each once (the replacement steps of one resource share its URN). */
function customerResourcesOf(steps: readonly PreviewStep[], adoptions: Adoptions): CustomerResource[] {
  const found = new Map<string, CustomerResource>();
  for (const step of steps) {
    if (kindOf(step) !== "customer" || found.has(step.urn)) continue;
    const adopted = adoptions.get(step.urn);
    const id = step.oldState?.id || (adopted?.kind === "customer" ? adopted.id : undefined);
    const name =
      stringOf(step.newState?.inputs?.["name"]) ??
      stringOf(step.newState?.outputs?.["name"]) ??
      stringOf(step.oldState?.outputs?.["name"]);
    found.set(step.urn, {
      urn: step.urn,
      resource: resourceNameOf(step.urn),
      ...(id ? { id } : {}),
      ...(name !== undefined ? { name } : {}),
    });
  }
  return [...found.values()];
}

/**
 * A license's customer with its identity: the Customer resource's URN where the preview shows that customer, and
 * the id of a customer adopted in the same preview (its input id is unknown until apply).
 */
function withCustomerIdentity(
  snapshot: LicenseSnapshot | undefined,
  urnOfCustomer: ReadonlyMap<string, string>,
  adoptions: Adoptions,
): LicenseSnapshot | undefined {
  const ref = snapshot?.customer;
  if (!snapshot || !ref) return snapshot;
  const urn = ref.urn ?? (ref.id !== undefined ? urnOfCustomer.get(ref.id) : undefined);
  const adopted = urn === undefined ? undefined : adoptions.get(urn);
  const id = ref.id ?? (adopted?.kind === "customer" ? adopted.id : undefined);
  return {
    ...snapshot,
    customer: { ...ref, ...(id !== undefined ? { id } : {}), ...(urn !== undefined ? { urn } : {}) },
  };
}

function kindOf(step: PreviewStep): ResourceKind | undefined {
  const type = step.newState?.type ?? step.oldState?.type;
  return type === undefined ? undefined : resourceKindOf(type);
}

interface CustomerNames {
  /** Id → name before the change, and after it (a renamed customer differs). */
  readonly before: Map<string, string>;
  readonly after: Map<string, string>;
  /** URN → name after the change (new customers have no id yet). */
  readonly byUrn: Map<string, string>;
}

function customerNamesOf(
  steps: readonly PreviewStep[],
  known: ReadonlyMap<string, string> | undefined,
  adoptions: Adoptions,
): CustomerNames {
  const before = new Map(known ?? []);
  const after = new Map(known ?? []);
  const byUrn = new Map<string, string>();
  for (const [, adopted] of adoptions) {
    if (adopted.kind === "customer") before.set(adopted.id, adopted.snapshot.name);
  }
  for (const step of steps) {
    if (kindOf(step) !== "customer") continue;
    const oldName = stringOf(step.oldState?.outputs?.["name"]);
    const newName = stringOf(step.newState?.inputs?.["name"]) ?? stringOf(step.newState?.outputs?.["name"]);
    const id = step.oldState?.id ?? step.newState?.id;
    if (id && oldName) before.set(id, oldName);
    if (id && newName && step.op !== "delete") after.set(id, newName);
    if (newName && step.op !== "delete") byUrn.set(step.urn, newName);
  }
  // A license's outputs carry its customer's name as Distr had it: good for "before" where no step names it.
  for (const step of steps) {
    const customer = stringOf(step.oldState?.outputs?.["customer"]);
    const name = stringOf(step.oldState?.outputs?.["customerName"]);
    if (customer && name) {
      if (!before.has(customer)) before.set(customer, name);
      if (!after.has(customer)) after.set(customer, name);
    }
  }
  return { before, after, byUrn };
}

function licenseBefore(
  kind: ResourceKind,
  state: PreviewResourceState | null | undefined,
  names: CustomerNames,
): LicenseSnapshot | undefined {
  if (!state?.outputs) return undefined;
  const snapshot = snapshotOf(kind, state.outputs);
  return withCustomerName(snapshot, (ref) => (ref.id !== undefined ? names.before.get(ref.id) : undefined));
}

function licenseAfter(
  kind: ResourceKind,
  state: PreviewResourceState | null | undefined,
  names: CustomerNames,
): LicenseSnapshot | undefined {
  if (!state?.inputs) return undefined;
  const snapshot = snapshotOf(kind, state.inputs);
  const dependency = state.propertyDependencies?.["customer"]?.[0];
  const named = withCustomerName(snapshot, (ref) =>
    ref.id !== undefined ? names.after.get(ref.id) : dependency !== undefined ? names.byUrn.get(dependency) : undefined,
  );
  // The dependency is the Customer resource the program passed: its identity, also before Distr gives it an id.
  if (named.customer && dependency !== undefined && names.byUrn.has(dependency)) {
    return { ...named, customer: { ...named.customer, urn: dependency } };
  }
  return named;
}

function snapshotOf(kind: ResourceKind, properties: Record<string, unknown>): LicenseSnapshot {
  return kind === "applicationLicense"
    ? applicationLicenseSnapshotOf(properties)
    : artifactLicenseSnapshotOf(properties);
}

function withCustomerName(
  snapshot: LicenseSnapshot,
  nameOf: (ref: CustomerRef) => string | undefined,
): LicenseSnapshot {
  if (!snapshot.customer) return snapshot;
  const name = nameOf(snapshot.customer) ?? snapshot.customer.name;
  if (name === undefined) return snapshot;
  return { ...snapshot, customer: { ...snapshot.customer, name } };
}

/** With --show-replacement-steps the document lists the two halves of a replacement in the engine's order. */
function reportedOrder(document: PreviewDocument, urn: string): { reportedDeleteFirst?: boolean } {
  const ops = document.steps.filter((step) => step.urn === urn).map((step) => step.op);
  const deleted = ops.indexOf("delete-replaced");
  const created = ops.indexOf("create-replacement");
  if (deleted === -1 || created === -1) return {};
  return { reportedDeleteFirst: deleted < created };
}

function stringOf(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}
