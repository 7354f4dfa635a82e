/**
 * A stack's license history: the state after each update, compared with the state before it, license by license,
 * the way the review compares a preview (review/licenseChange.ts), so a grant, a widening, a moved expiry or a
 * deletion reads the same in a pull request and in the history. Pure: the states come from history/historySource.ts.
 */
import { compareLicenses, hasVisibleChange, type LicenseAction, type LicenseChange } from "../review/licenseChange";
import type { LicenseSnapshot } from "../review/licenseSnapshot";
import { customerName } from "../review/rules";
import type { StackUpdate } from "./stackUpdate";
import type { StateLicense, StateLicenses } from "./stateLicenses";

/** The state a stack had after one of its updates. */
export interface UpdateState {
  readonly update: StackUpdate;
  readonly state: StateLicenses;
}

export interface LicenseEvent {
  readonly update: StackUpdate;
  /** The customer's name (its id where the state does not name it); null for a license without customer. */
  readonly customer: string | null;
  readonly change: LicenseChange;
}

/** Every visible license change, oldest first; a license that moves between customers is listed under both. */
export function licenseEvents(states: readonly UpdateState[]): LicenseEvent[] {
  const events: LicenseEvent[] = [];
  let previous: ReadonlyMap<string, StateLicense> = new Map();
  for (const { update, state } of states) {
    const urns = [...new Set([...previous.keys(), ...state.licenses.keys()])].sort();
    for (const urn of urns) {
      const before = previous.get(urn);
      const after = state.licenses.get(urn);
      const action = actionOf(before, after);
      if (action === undefined) continue;
      const change = compareLicenses(before?.snapshot, after?.snapshot, {
        resource: (after ?? before)?.resource ?? urn,
        urn,
        action,
        // The state keeps the password as a secret: comparing it is not this command's business.
        registryPasswordChanged: false,
      });
      if (!hasVisibleChange(change)) continue;
      for (const customer of customersOf(before?.snapshot, after?.snapshot)) events.push({ update, customer, change });
    }
    previous = state.licenses;
  }
  return events;
}

function actionOf(before: StateLicense | undefined, after: StateLicense | undefined): LicenseAction | undefined {
  if (before === undefined) return after === undefined ? undefined : "create";
  if (after === undefined) return "delete";
  return before.id !== undefined && after.id !== undefined && before.id !== after.id ? "replace" : "update";
}

function customersOf(before: LicenseSnapshot | undefined, after: LicenseSnapshot | undefined): Array<string | null> {
  return [...new Set([before, after].filter((s) => s !== undefined).map((s) => customerName(s.customer) ?? null))];
}

export interface LicenseAccess {
  readonly license: string;
  readonly resource: string;
  readonly snapshot: LicenseSnapshot;
  /** The expiry had passed at the moment asked about: the license no longer gives access. */
  readonly expired: boolean;
  /** The update that last changed this license (its content at the moment asked about). */
  readonly since: StackUpdate;
}

export interface CustomerAccess {
  readonly customer: string | null;
  readonly licenses: readonly LicenseAccess[];
}

export interface AccessAt {
  readonly at: Date;
  /** The last update that had ended by then; undefined: none had, the stack granted nothing yet. */
  readonly update: StackUpdate | undefined;
  /** The first update after the moment, if any: the answer holds until then. */
  readonly nextUpdate: StackUpdate | undefined;
  readonly customers: readonly CustomerAccess[];
}

/**
 * What each customer had at a moment: the licenses in the state after the last update that ended by then (an update
 * takes effect when it ends), each marked expired when its expiry had passed.
 */
export function accessAt(states: readonly UpdateState[], at: Date): AccessAt {
  const ended = (state: UpdateState) =>
    state.update.endTime !== undefined && Date.parse(state.update.endTime) <= at.getTime();
  const upTo = states.filter(ended);
  const current = upTo[upTo.length - 1];
  const next = states.find((state) => !ended(state) && state.update.endTime !== undefined);
  const events = licenseEvents(upTo);
  const byCustomer = new Map<string | null, LicenseAccess[]>();
  for (const license of current ? [...current.state.licenses.values()] : []) {
    const customer = customerName(license.snapshot.customer) ?? null;
    const lastChange = events.filter((event) => event.change.urn === license.urn).pop();
    const expiresAt = license.snapshot.expiresAt;
    const access: LicenseAccess = {
      license: license.snapshot.name,
      resource: license.resource,
      snapshot: license.snapshot,
      expired: expiresAt !== undefined && Date.parse(expiresAt) <= at.getTime(),
      since: lastChange?.update ?? (current as UpdateState).update,
    };
    byCustomer.set(customer, [...(byCustomer.get(customer) ?? []), access]);
  }
  return {
    at,
    update: current?.update,
    nextUpdate: next?.update,
    customers: [...byCustomer.entries()]
      .sort(([a], [b]) => compareCustomers(a, b))
      .map(([customer, licenses]) => ({
        customer,
        licenses: licenses.sort((a, b) => (a.license < b.license ? -1 : a.license > b.license ? 1 : 0)),
      })),
  };
}

/** Customers by name; the licenses without customer last. */
export function compareCustomers(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a.localeCompare(b);
}
