/**
 * Distr customer organizations (section 4 / B3). No GET by id (quirk 4): single customers are read from the shared
 * list. Create ignores `features` (quirk 6) and updates are full replacements (quirk 5).
 */
import { z } from "zod";
import type { ClientContext, ContextProvider } from "./clientContext";
import { createOnce } from "./createOnce";
import type { CustomersApi } from "./distrClient";
import { DistrApiError } from "./errors";
import { sameIdSet } from "./nameScope";
import type { Customer, CustomerRequest } from "./schemas";
import { CUSTOMER_FEATURES, CustomerSchema, DEFAULT_CUSTOMER_FEATURES } from "./schemas";

const CustomerListSchema = z.array(CustomerSchema);

/** Features Distr 2.x stores (an enum in its database; anything else is a 500 there, section B3). */
const FEATURES_2X: readonly string[] = ["deployment_targets", "artifacts"];

export function loadCustomers(context: Pick<ClientContext, "sender" | "spec">): Promise<Customer[]> {
  return context.sender.send({
    method: "GET",
    path: context.spec.routes.customers,
    subject: "customer",
    schema: CustomerListSchema,
  });
}

export class Customers implements CustomersApi {
  constructor(private readonly context: ContextProvider) {}

  async list(): Promise<Customer[]> {
    const context = await this.context();
    return context.caches.customers.get();
  }

  async get(id: string): Promise<Customer | undefined> {
    return (await this.list()).find((customer) => customer.id === id);
  }

  async create(request: CustomerRequest): Promise<Customer> {
    const context = await this.context();
    this.validate(context, request);
    const { caches, sender, spec } = context;
    // Customer names are not unique in Distr: only a customer that was not there before our POST can be ours.
    const before = new Set((await caches.customers.get()).map((customer) => customer.id));
    let created: Customer;
    try {
      created = await createOnce({
        post: () =>
          sender.post({
            path: spec.routes.customers,
            body: { name: request.name, imageId: request.imageId },
            subject: "customer",
            schema: CustomerSchema,
          }),
        findCreated: async () => {
          const after = await caches.customers.get("", { fresh: true });
          const candidates = after.filter((customer) => customer.name === request.name && !before.has(customer.id));
          if (candidates.length > 1) {
            throw new DistrApiError({
              kind: "server-error",
              method: "POST",
              path: sender.displayPath(spec.routes.customers),
              hint: `the answer to creating customer ${JSON.stringify(request.name)} was lost and ${candidates.length} new customers of that name appeared meanwhile (ids ${candidates.map((c) => c.id).join(", ")}); delete the extra ones in Distr`,
            });
          }
          return candidates[0];
        },
        policy: context.policy,
        clock: context.clock,
      });
    } finally {
      caches.customers.invalidate();
    }
    if (request.features !== undefined && !sameIdSet(request.features, created.features)) {
      // Quirk 6: create stores the default features; the requested ones need a follow-up PUT.
      return this.update(created.id, request);
    }
    return created;
  }

  async update(id: string, request: CustomerRequest): Promise<Customer> {
    const context = await this.context();
    this.validate(context, request);
    try {
      return await context.sender.send({
        method: "PUT",
        path: `${context.spec.routes.customers}/${encodeURIComponent(id)}`,
        // Quirk 5: a full replacement; omitted features would silently reset to the defaults, so send them always.
        body: {
          name: request.name,
          imageId: request.imageId,
          features: request.features ?? [...DEFAULT_CUSTOMER_FEATURES],
        },
        subject: "customer",
        schema: CustomerSchema,
      });
    } finally {
      context.caches.customers.invalidate();
    }
  }

  async delete(id: string): Promise<void> {
    const context = await this.context();
    try {
      await context.sender.send({
        method: "DELETE",
        path: `${context.spec.routes.customers}/${encodeURIComponent(id)}`,
        subject: "customer",
      });
    } finally {
      // Quirk 16: the customer's licenses go with it.
      context.caches.customers.invalidate();
      context.caches.applicationLicenses.invalidate();
      context.caches.artifactLicenses.invalidate();
      context.caches.licenseKeys.invalidate();
    }
  }

  private validate(context: ClientContext, request: CustomerRequest): void {
    const known: readonly string[] = context.dialect === "2" ? FEATURES_2X : CUSTOMER_FEATURES;
    const unknown = (request.features ?? []).filter((feature) => !known.includes(feature));
    if (unknown.length > 0) {
      throw new DistrApiError({
        kind: "bad-request",
        hint: `unknown customer feature${unknown.length === 1 ? "" : "s"} ${unknown.map((f) => JSON.stringify(f)).join(", ")} for Distr ${context.dialect}.x; known: ${known.join(", ")}`,
      });
    }
  }
}
