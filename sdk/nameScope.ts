/**
 * Where a license name must be unique (quirk 13): per customer on 3.x (migration 105, customer-less licenses form
 * one more scope), per vendor organization on 2.x. Never look a 3.x license up by name alone.
 */
import type { DialectSpec } from "./dialect";

export function inNameScope(
  spec: DialectSpec,
  license: { readonly name: string; readonly customerOrganizationId?: string | undefined },
  name: string,
  customerOrganizationId: string | undefined,
): boolean {
  if (license.name !== name) {
    return false;
  }
  return (
    spec.nameScope === "organization" ||
    (license.customerOrganizationId ?? undefined) === (customerOrganizationId ?? undefined)
  );
}

export function sameIdSet(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((value) => right.has(value));
}
