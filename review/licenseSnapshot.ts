/**
 * One customer or license at one moment, as the review and the rules see it: names instead of ids, what is granted
 * by name, never a secret. A snapshot comes from the provider's state (a preview step's old outputs), from a
 * resource's new inputs (checked by the provider, or as the program wrote them: a policy pack sees those), or from
 * Distr's current objects (distrSnapshots.ts). Values the engine knows only after apply are listed in `pending`.
 */
import { z } from "zod";
import { isUnknown } from "../provider/unknowns";
import { grantSelectionOf, grantSelectionSchema } from "./grantSelection";
import { SECRET_PLACEHOLDER } from "./previewDocument";

/** A customer as a license refers to it: by id (absent while the customer is being created) and by name. */
export const customerRefSchema = z.object({
  id: z.string().optional(),
  name: z.string().optional(),
  /** The Customer resource's URN in the program, where the preview tells it: identity while the id is unknown. */
  urn: z.string().optional(),
});
export type CustomerRef = z.infer<typeof customerRefSchema>;

export const customerSnapshotSchema = z.object({
  kind: z.literal("customer"),
  name: z.string(),
  features: z.array(z.string()),
  pending: z.array(z.string()),
});
export type CustomerSnapshot = z.infer<typeof customerSnapshotSchema>;

export const registrySnapshotSchema = z.object({
  url: z.string(),
  username: z.string(),
});

export const applicationLicenseSnapshotSchema = z.object({
  kind: z.literal("applicationLicense"),
  name: z.string(),
  customer: customerRefSchema.optional(),
  application: z.string(),
  versions: grantSelectionSchema,
  expiresAt: z.string().optional(),
  /** Registry url and user name; the password is never part of a snapshot. */
  registry: registrySnapshotSchema.optional(),
  pending: z.array(z.string()),
});
export type ApplicationLicenseSnapshot = z.infer<typeof applicationLicenseSnapshotSchema>;

export const artifactGrantSchema = z.object({
  artifact: z.string(),
  tags: grantSelectionSchema,
  /** The digests the tags resolved to; absent for "all"; null while not known. */
  digests: z.array(z.string()).nullable().optional(),
});
export type ArtifactGrant = z.infer<typeof artifactGrantSchema>;

export const artifactLicenseSnapshotSchema = z.object({
  kind: z.literal("artifactLicense"),
  name: z.string(),
  customer: customerRefSchema.optional(),
  expiresAt: z.string().optional(),
  artifacts: z.array(artifactGrantSchema),
  pending: z.array(z.string()),
});
export type ArtifactLicenseSnapshot = z.infer<typeof artifactLicenseSnapshotSchema>;

export type LicenseSnapshot = ApplicationLicenseSnapshot | ArtifactLicenseSnapshot;
export const licenseSnapshotSchema = z.discriminatedUnion("kind", [
  applicationLicenseSnapshotSchema,
  artifactLicenseSnapshotSchema,
]);

/** Shown where the engine knows a value only after apply. */
export const PENDING_TEXT = "(known after apply)";

type Properties = Readonly<Record<string, unknown>>;

/**
 * A customer from its outputs (old state) or inputs (new state). The provider fills in Distr's default features
 * in `check`; raw program inputs without features get the same default here.
 */
export function customerSnapshotOf(properties: Properties): CustomerSnapshot {
  const pending: string[] = [];
  const name = text(properties["name"], "name", pending);
  const features = properties["features"];
  let list: string[] = ["deployment_targets", "artifacts"];
  if (Array.isArray(features)) list = features.filter((f): f is string => typeof f === "string" && !isUnknown(f));
  if (isUnknown(features) || (Array.isArray(features) && features.some(isUnknown))) pending.push("features");
  return { kind: "customer", name, features: list, pending };
}

/**
 * An application license from its outputs, checked inputs or program inputs. `customerName` is the outputs' name of
 * the customer; callers that know the name otherwise (a Customer step of the same preview) pass it in `customer`.
 */
export function applicationLicenseSnapshotOf(properties: Properties): ApplicationLicenseSnapshot {
  const pending: string[] = [];
  const versions = grantSelectionOf(properties["versions"]);
  if (versions.kind === "unknown" || (versions.kind === "range" && versions.matches === null)) pending.push("versions");
  return dropUndefined({
    kind: "applicationLicense" as const,
    name: text(properties["name"], "name", pending),
    customer: customerRefOf(properties, pending),
    application: text(properties["application"], "application", pending),
    versions,
    expiresAt: optionalText(properties["expiresAt"], "expiresAt", pending),
    registry: registryOf(properties["registry"], pending),
    pending,
  });
}

export function artifactLicenseSnapshotOf(properties: Properties): ArtifactLicenseSnapshot {
  const pending: string[] = [];
  const raw = properties["artifacts"];
  const artifacts: ArtifactGrant[] = [];
  if (Array.isArray(raw)) {
    for (const entry of raw) {
      if (entry === null || typeof entry !== "object" || isUnknown(entry)) {
        pending.push("artifacts");
        continue;
      }
      const selection = entry as Record<string, unknown>;
      const tags = grantSelectionOf(selection["tags"] ?? "all");
      const digests = selection["digests"];
      const grant: ArtifactGrant = {
        artifact: text(selection["artifact"], "artifacts", pending),
        tags,
        ...(tags.kind === "all"
          ? {}
          : {
              digests:
                Array.isArray(digests) && digests.every((d): d is string => typeof d === "string" && !isUnknown(d))
                  ? [...new Set(digests)].sort()
                  : null,
            }),
      };
      if (tags.kind === "unknown" || grant.digests === null) pending.push("artifacts");
      artifacts.push(grant);
    }
  } else {
    pending.push("artifacts");
  }
  artifacts.sort((a, b) => (a.artifact < b.artifact ? -1 : a.artifact > b.artifact ? 1 : 0));
  return dropUndefined({
    kind: "artifactLicense" as const,
    name: text(properties["name"], "name", pending),
    customer: customerRefOf(properties, pending),
    expiresAt: optionalText(properties["expiresAt"], "expiresAt", pending),
    artifacts,
    pending: [...new Set(pending)],
  });
}

function customerRefOf(properties: Properties, pending: string[]): CustomerRef | undefined {
  const id = properties["customer"];
  const name = properties["customerName"];
  if (id === undefined || id === null) return undefined;
  if (isUnknown(id)) {
    pending.push("customer");
    return typeof name === "string" ? { name } : {};
  }
  if (typeof id !== "string") return undefined;
  return typeof name === "string" && name !== "" ? { id, name } : { id };
}

function text(value: unknown, field: string, pending: string[]): string {
  if (typeof value === "string" && !isUnknown(value)) return value;
  pending.push(field);
  return PENDING_TEXT;
}

function optionalText(value: unknown, field: string, pending: string[]): string | undefined {
  if (value === undefined || value === null) return undefined;
  return text(value, field, pending);
}

/** Url and user name only. A whole-secret registry (an Output of credentials) shows as "[secret]". */
function registryOf(value: unknown, pending: string[]): { url: string; username: string } | undefined {
  if (value === undefined || value === null) return undefined;
  if (isUnknown(value)) {
    pending.push("registry");
    return undefined;
  }
  if (value === SECRET_PLACEHOLDER) return { url: SECRET_PLACEHOLDER, username: SECRET_PLACEHOLDER };
  if (typeof value !== "object") return undefined;
  const registry = value as Record<string, unknown>;
  return {
    url: text(registry["url"], "registry", pending),
    username: text(registry["username"], "registry", pending),
  };
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as T;
}
