/**
 * A license's `customer`: the id of a customer organization (usually a Customer resource's `id`). Distr would
 * answer an unknown id with a 500 carrying a PostgreSQL foreign-key text (sections 5.5, 6.5), so `check` looks it
 * up first, in the client's cached customer list.
 */
import type { DistrClient } from "../sdk/distrClient";
import type { Customer } from "../sdk/schemas";
import type { CheckFailure } from "./checkFailures";
import { listForMessage } from "./selection";

export async function resolveCustomer(
  client: DistrClient,
  id: string,
): Promise<{ customer: Customer } | { failure: CheckFailure }> {
  const customer = await client.customers.get(id);
  if (customer) return { customer };
  const customers = await client.customers.list();
  const known = customers.map((c) => `${c.name} (${c.id})`);
  return {
    failure: {
      property: "customer",
      reason:
        `Distr has no customer with id ${JSON.stringify(id)}; use a Customer resource's id (like acme.id) or the id ` +
        `of one of its customers: ${listForMessage(known, 20)}`,
    },
  };
}
