/**
 * Where license names must be unique (quirk 13): per customer on Distr 3.x (migration 105), per vendor
 * organization on 2.x. A replacement that keeps its name in the same scope would collide with the license it
 * replaces, so it must delete the old one first (`deleteBeforeReplace`); otherwise the new one is created first.
 */
import { DIALECT_SPECS, type Dialect } from "../sdk/dialect";
import { isUnknown } from "./unknowns";

export interface LicenseIdentity {
  readonly name: string;
  readonly customer?: string | undefined;
}

export function replacementCollides(dialect: Dialect, current: LicenseIdentity, desired: LicenseIdentity): boolean {
  // A name not known yet may well be the same one: delete first to be safe.
  if (isUnknown(desired.name)) return true;
  if (desired.name !== current.name) return false;
  if (DIALECT_SPECS[dialect].nameScope === "organization") return true;
  // An unknown customer id is a customer being created or replaced: a new scope.
  return !isUnknown(desired.customer) && desired.customer === current.customer;
}
