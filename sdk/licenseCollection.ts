/**
 * What application and artifact licenses share on the wire: names unique in their scope (quirk 13), creation that
 * survives a lost answer by looking the name up, and list caches that every write makes stale, whatever its outcome
 * (an answer lost may still have committed). The modules per license kind add their bodies and rules.
 */
import type { z } from "zod";
import type { ClientContext, ListCaches } from "./clientContext";
import { createOnce } from "./createOnce";
import type { DialectSpec } from "./dialect";
import { DistrApiError } from "./errors";
import type { CoalescedList } from "./listCache";
import { inNameScope } from "./nameScope";

interface NamedLicense {
  readonly id: string;
  readonly name: string;
  readonly customerOrganizationId?: string | undefined;
}

/** One license kind: its route, the subject its errors name, its wire schema and its cached list. */
export interface LicenseCollection<License extends NamedLicense> {
  readonly subject: "applicationLicense" | "artifactLicense";
  /** Messages say "an application entitlement" / "an artifact license" (with the dialect's noun). */
  readonly kind: "application" | "artifact";
  readonly schema: z.ZodType<License>;
  readonly route: (spec: DialectSpec) => string;
  readonly list: (caches: ListCaches) => CoalescedList<License>;
}

/** The path of one license (below `/api/v1`). */
export function licensePath(context: ClientContext, collection: LicenseCollection<NamedLicense>, id: string): string {
  return `${collection.route(context.spec)}/${encodeURIComponent(id)}`;
}

export interface LicenseCreation<License> {
  readonly body: Record<string, unknown>;
  readonly name: string;
  readonly customerOrganizationId: string | undefined;
  /** The list variant to look the license up in after a lost answer ("" for all). */
  readonly listKey: string;
  /** Ids known before the POST: a license among them was not created by it (the POST failed as a duplicate). */
  readonly knownBefore: ReadonlySet<string>;
  /** Whether a license found after a lost answer is the one the request describes. */
  readonly matchesRequest: (license: License) => boolean;
}

/** POSTs a license exactly once (createOnce): after a lost answer, the license of this name in its scope is ours. */
export async function createLicense<License extends NamedLicense>(
  context: ClientContext,
  collection: LicenseCollection<License>,
  creation: LicenseCreation<License>,
): Promise<License> {
  const { sender, spec } = context;
  const list = collection.list(context.caches);
  try {
    return await createOnce({
      post: () =>
        sender.post({
          path: collection.route(spec),
          body: creation.body,
          subject: collection.subject,
          schema: collection.schema,
          emptyMeansRollback: true,
        }),
      findCreated: async () => {
        const found = (await list.get(creation.listKey, { fresh: true })).find((license) =>
          inNameScope(spec, license, creation.name, creation.customerOrganizationId),
        );
        if (found === undefined) {
          return undefined;
        }
        if (creation.knownBefore.has(found.id) || !creation.matchesRequest(found)) {
          throw nameTaken(context, collection, creation.name);
        }
        return found;
      },
      policy: context.policy,
      clock: context.clock,
    });
  } finally {
    list.invalidate();
  }
}

/** A full replacement (quirk 5) of the license with this id, with Distr's answer. */
export async function putLicense<License extends NamedLicense>(
  context: ClientContext,
  collection: LicenseCollection<License>,
  id: string,
  body: Record<string, unknown>,
): Promise<License> {
  try {
    return await context.sender.send({
      method: "PUT",
      path: licensePath(context, collection, id),
      body,
      subject: collection.subject,
      schema: collection.schema,
      emptyMeansRollback: true,
    });
  } finally {
    collection.list(context.caches).invalidate();
  }
}

export async function deleteLicense<License extends NamedLicense>(
  context: ClientContext,
  collection: LicenseCollection<License>,
  id: string,
): Promise<void> {
  try {
    await context.sender.send({
      method: "DELETE",
      path: licensePath(context, collection, id),
      subject: collection.subject,
    });
  } finally {
    collection.list(context.caches).invalidate();
  }
}

/** The license of this name in its scope (quirk 13), from the shared list of all licenses. */
export async function findLicenseByName<License extends NamedLicense>(
  context: ClientContext,
  collection: LicenseCollection<License>,
  name: string,
  customerOrganizationId: string | undefined,
): Promise<License | undefined> {
  const licenses = await collection.list(context.caches).get("");
  return licenses.find((license) => inNameScope(context.spec, license, name, customerOrganizationId));
}

function nameTaken(context: ClientContext, collection: LicenseCollection<NamedLicense>, name: string): DistrApiError {
  return new DistrApiError({
    kind: "name-taken",
    method: "POST",
    path: context.sender.displayPath(collection.route(context.spec)),
    hint: `the answer to the create was lost, and an ${collection.kind} ${context.spec.noun} named ${JSON.stringify(name)} that differs from the request exists in its name scope: choose another name or import the existing one`,
  });
}
