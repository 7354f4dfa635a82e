/**
 * The license catalog file format (catalog/licenses.yaml): customers, plans (named bundles of application version
 * selections and artifact tag selections) and per-customer grants of plans with an expiry.
 *
 * Every issue carries a `fix` (in the issue's `params`) so that a load error tells the user what to write instead;
 * see load.ts for how issues become one readable error naming the file, the path and the line.
 */
import semver from "semver";
import { z } from "zod";
import { normalizeExpiry } from "../provider/expiry";
import { CUSTOMER_FEATURES } from "../sdk/schemas/customer";

/** Keys that end up in Pulumi resource names and Distr license names: lower-case, digits, dashes. */
const KEY_PATTERN = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** Parameters of a custom issue: what to write instead. */
export interface IssueParams {
  readonly fix: string;
}

type Ctx = z.RefinementCtx;

function fail(ctx: Ctx, message: string, fix: string, path: PropertyKey[] = []): typeof z.NEVER {
  ctx.addIssue({ code: "custom", message, path, params: { fix } satisfies IssueParams });
  return z.NEVER;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** A key made of lower-case letters, digits and dashes (used in resource names). */
function keySchema(what: string) {
  return z.string().transform((value, ctx) => {
    if (!KEY_PATTERN.test(value)) {
      const suggestion = slugify(value);
      return fail(
        ctx,
        `${what} ${JSON.stringify(value)} may only contain lower-case letters, digits and inner dashes`,
        suggestion ? `rename it to ${JSON.stringify(suggestion)}` : 'use a name such as "pro"',
      );
    }
    return value;
  });
}

/** Turns a display name into a key: "ACME Corp." → "acme-corp". */
export function slugify(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** `"all"`, a non-empty list of exact names, or `{ range }`: shared shape of versions and tags. */
export type VersionSelection = "all" | string[] | { range: string; includePrerelease?: boolean };
export type TagSelection = "all" | string[] | { range: string };

function selectionSchema(what: "versions" | "tags", example: { list: string; range: string }) {
  const allowed =
    what === "versions"
      ? `all, a list such as ${example.list}, or { range: "${example.range}", includePrerelease: true }`
      : `all, a list such as ${example.list}, or { range: "${example.range}" }`;
  return z.unknown().transform((value, ctx): VersionSelection => {
    if (value === "all") return "all";
    if (Array.isArray(value)) {
      if (value.length === 0) {
        return fail(ctx, `an empty list grants no ${what}`, `write all, or list the ${what}, e.g. ${example.list}`);
      }
      const bad = value.findIndex((item) => typeof item !== "string" || item.trim() === "");
      if (bad >= 0) {
        return fail(
          ctx,
          `expected a ${what === "versions" ? "version" : "tag"} name, got ${describe(value[bad])}`,
          `quote ${what === "versions" ? "version" : "tag"} names (YAML reads 1.0 as a number), e.g. ${example.list}`,
          [bad],
        );
      }
      const seen = new Set<string>();
      for (const [index, item] of (value as string[]).entries()) {
        if (seen.has(item))
          return fail(ctx, `${JSON.stringify(item)} is listed twice`, "remove the duplicate", [index]);
        seen.add(item);
      }
      return value as string[];
    }
    if (typeof value === "object" && value !== null) {
      const record = value as Record<string, unknown>;
      const allowedKeys = what === "versions" ? ["range", "includePrerelease"] : ["range"];
      for (const key of Object.keys(record)) {
        if (!allowedKeys.includes(key)) {
          const hint = closest(key, allowedKeys);
          return fail(
            ctx,
            `unknown key ${JSON.stringify(key)} in a ${what} range`,
            hint ? `did you mean ${hint}?` : `allowed keys: ${allowedKeys.join(", ")}`,
            [key],
          );
        }
      }
      const range = record["range"];
      if (typeof range !== "string" || range.trim() === "") {
        return fail(ctx, `a ${what} range needs range: <semver range>`, `write { range: "${example.range}" }`);
      }
      if (semver.validRange(range) === null) {
        return fail(
          ctx,
          `${JSON.stringify(range)} is not a valid semver range`,
          `write a range such as "${example.range}", "^2" or "~2.1" (https://github.com/npm/node-semver#ranges)`,
          ["range"],
        );
      }
      const includePrerelease = record["includePrerelease"];
      if (includePrerelease !== undefined && typeof includePrerelease !== "boolean") {
        return fail(ctx, `includePrerelease must be true or false`, "write includePrerelease: true", [
          "includePrerelease",
        ]);
      }
      return includePrerelease === undefined ? { range } : { range, includePrerelease };
    }
    return fail(ctx, `expected ${what}, got ${describe(value)}`, `write ${allowed}`);
  });
}

const VersionsSchema = selectionSchema("versions", { list: '["2.1.0"]', range: ">=2.0.0 <3.0.0" });
const TagsSchema = selectionSchema("tags", { list: '["1.2.0", "1.3.0"]', range: "^2" }).transform(
  (selection): TagSelection =>
    typeof selection === "object" && !Array.isArray(selection) ? { range: selection.range } : selection,
);

/**
 * Whether a timestamp is valid at all is the provider's check (provider/expiry.ts), the one both front ends share,
 * so the catalog never accepts a date (2027-02-29, T24:00) that the license resource then rejects. On top of it the
 * catalog wants UTC as written: Distr discards zone offsets (quirk 17), and the file should read like the state.
 */
const ExpiresAtSchema = z.string().transform((value, ctx) => {
  const expiry = normalizeExpiry(value);
  if (expiry.ok && /Z$/.test(value)) return value;
  if (expiry.ok) {
    return fail(
      ctx,
      `${JSON.stringify(value)} is not a UTC timestamp (Distr drops zone offsets, so only ...Z times are kept as written)`,
      `write ${JSON.stringify(expiry.utc)}`,
    );
  }
  const midnight = /^\d{4}-\d{2}-\d{2}$/.test(value) ? normalizeExpiry(`${value}T00:00:00Z`) : undefined;
  return fail(
    ctx,
    expiry.reason,
    midnight?.ok ? `write ${JSON.stringify(midnight.utc)}` : 'write a UTC timestamp such as "2027-06-30T00:00:00Z"',
  );
});

/** Claims Distr sets in every license key token itself (`licensekey/jwt.go`); a payload may not use them. */
const REGISTERED_CLAIMS = ["exp", "nbf", "iss", "sub", "aud", "iat", "org"];

const LicenseKeyShape = {
  /** The key's payload: what the customer's software reads from the verified token (seats, features, edition…). */
  payload: z.record(z.string(), z.unknown()).optional(),
  /** A template of `licenseTemplates:` the key is made from (Distr 3.x, organization feature vendor_billing). */
  template: z.string().min(1).optional(),
  /** Start of validity (UTC); a grant's `notBefore` overrides it. */
  notBefore: ExpiresAtSchema.optional(),
  /** End of validity (UTC); a grant's `expiresAt` overrides it. */
  expiresAt: ExpiresAtSchema.optional(),
};
const LicenseKeySchema = z.strictObject(LicenseKeyShape).superRefine((key, ctx) => {
  if (key.payload === undefined && key.template === undefined) {
    fail(ctx, "a license key needs a payload or a template", "add payload: { seats: 10 } (or template: <name>)");
  }
  for (const claim of Object.keys(key.payload ?? {}).filter((k) => REGISTERED_CLAIMS.includes(k))) {
    fail(
      ctx,
      `Distr sets the token claim ${JSON.stringify(claim)} itself (${REGISTERED_CLAIMS.join(", ")})`,
      "rename this payload member",
      ["payload", claim],
    );
  }
});
export type PlanLicenseKey = z.output<typeof LicenseKeySchema>;

const LicenseTemplateShape = {
  /** A Go text/template rendering the payload as JSON (`hasItem`, `itemQuantity` over the Stripe subscription). */
  payloadTemplate: z.string().min(1),
  expirationGracePeriodDays: z.number().int().min(0).optional(),
};
const LicenseTemplateSchema = z.strictObject(LicenseTemplateShape);
export type CatalogLicenseTemplate = z.output<typeof LicenseTemplateSchema>;

const PlanShape = {
  description: z.string().optional(),
  /** A signed license key (Distr 3.x) each grant of the plan issues to its customer, with the plan's entitlements. */
  licenseKey: LicenseKeySchema.optional(),
  /** Application name in Distr → the versions this plan grants. */
  applications: z.record(z.string().min(1), VersionsSchema).optional(),
  /** Artifact name (repository path, e.g. hello-distr/backend) → the tags this plan grants. */
  artifacts: z.record(z.string().min(1), TagsSchema).optional(),
};
const PlanSchema = z.strictObject(PlanShape).superRefine((plan, ctx) => {
  const applications = Object.keys(plan.applications ?? {}).length;
  const artifacts = Object.keys(plan.artifacts ?? {}).length;
  if (applications === 0 && artifacts === 0 && plan.licenseKey === undefined) {
    fail(
      ctx,
      "this plan grants nothing",
      "add applications: { <application>: <versions> }, artifacts: { <artifact>: <tags> } or licenseKey: { payload: … }",
    );
  }
});
export type Plan = z.output<typeof PlanSchema>;

const RegistryShape = {
  url: z.string().min(1),
  username: z.string().min(1),
  /**
   * Name of a secret stack config value holding the password (`pulumi config set --secret <name> …`); the catalog
   * file never holds the password itself.
   */
  passwordConfig: z.string().min(1),
};
const RegistrySchema = z.strictObject(RegistryShape);
export type RegistryGrant = z.output<typeof RegistrySchema>;

/**
 * Adoption of an existing object: `true` finds it by name (licenses: in Distr's name scope), `{ id }` names it, for
 * customers whose name is not unique in Distr (written by `pulumi-distr export`).
 */
const AdoptSchema = z.union([z.boolean(), z.strictObject({ id: z.string().trim().min(1) })]);
export type CatalogAdopt = z.output<typeof AdoptSchema>;

const GrantShape = {
  /** The plan granted; a grant without a plan grants its own `applications`/`artifacts` (an inline grant). */
  plan: z.string().min(1).optional(),
  expiresAt: ExpiresAtSchema.optional(),
  /**
   * Take over licenses that already exist in Distr under the license name instead of creating them; `{ id }` (a
   * grant that is one license) takes over that license.
   */
  adopt: AdoptSchema.optional(),
  registry: RegistrySchema.optional(),
  /** Start of validity of the plan's license key for this customer (overrides the plan's). */
  notBefore: ExpiresAtSchema.optional(),
  /**
   * The license's name in Distr, for a grant that is exactly one license (default: `<key>-<plan>-<application>`).
   * Exported catalogs name every license as Distr has it.
   */
  name: z.string().trim().min(1).optional(),
  /** Names the license's Pulumi resource (`<customer key>-<key>`) when `name` has no usable letters. */
  key: keySchema("key").optional(),
  /** Inline grant: what it grants, in a plan's words; exactly one license (one application, or artifacts). */
  applications: PlanShape.applications,
  artifacts: PlanShape.artifacts,
};
const GrantSchema = z.strictObject(GrantShape).superRefine((grant, ctx) => {
  const inline = grant.applications !== undefined || grant.artifacts !== undefined;
  if (grant.plan === undefined && !inline) {
    fail(ctx, "a grant needs a plan, or its own applications/artifacts", "add plan: <plan name>");
    return;
  }
  if (grant.plan !== undefined && inline) {
    fail(
      ctx,
      "a grant has either a plan or its own applications/artifacts, not both",
      "move the applications/artifacts into the plan, or remove plan:",
      ["plan"],
    );
    return;
  }
  if (inline) {
    const licenses = licenseCount({ applications: grant.applications, artifacts: grant.artifacts });
    if (licenses !== 1) {
      fail(
        ctx,
        licenses === 0
          ? "this grant grants nothing"
          : "a grant without a plan is one license: one application, or artifacts only",
        "split it into one grant per application (and one for the artifacts), each with its own name:",
      );
    }
    if (grant.name === undefined) {
      fail(ctx, "a grant without a plan needs the license's name", 'add name: "<license name in Distr>"', ["name"]);
    }
  }
  if (grant.name !== undefined && grant.key === undefined && slugify(grant.name) === "") {
    fail(
      ctx,
      `cannot derive a resource key from the license name ${JSON.stringify(grant.name)}`,
      'add key: <lower-case-name>, e.g. key: "support"',
      ["name"],
    );
  }
});
export type Grant = z.output<typeof GrantSchema>;

/** How many licenses a plan's contents become: one per application, one for all its artifacts. */
export function licenseCount(plan: Pick<Plan, "applications" | "artifacts">): number {
  return Object.keys(plan.applications ?? {}).length + (Object.keys(plan.artifacts ?? {}).length > 0 ? 1 : 0);
}

const CustomerShape = {
  /** The customer's name in Distr. */
  name: z.string().trim().min(1),
  /** Stable key for resource and license names; defaults to the name in lower case with dashes. */
  key: keySchema("key").optional(),
  features: z.array(z.enum(CUSTOMER_FEATURES)).optional(),
  /** Take over a customer that already exists in Distr: with this name (true), or with this id ({ id }). */
  adopt: AdoptSchema.optional(),
  grants: z.array(GrantSchema).default([]),
};
const CustomerSchema = z.strictObject(CustomerShape).transform((customer, ctx) => {
  const key = customer.key ?? slugify(customer.name);
  if (!KEY_PATTERN.test(key)) {
    return fail(
      ctx,
      `cannot derive a key from the name ${JSON.stringify(customer.name)}`,
      'add key: <lower-case-name>, e.g. key: "acme"',
    );
  }
  return { ...customer, key };
});
export type CatalogCustomer = z.output<typeof CustomerSchema>;

const CatalogFileShape = {
  /** License templates (Distr 3.x, feature vendor_billing) that plans' license keys can be made from. */
  licenseTemplates: z.record(keySchema("template name"), LicenseTemplateSchema).optional(),
  plans: z.record(keySchema("plan name"), PlanSchema),
  customers: z.array(CustomerSchema),
  /** Licenses that belong to no customer (Distr allows them): grants with a `name`, each exactly one license. */
  grantsWithoutCustomer: z.array(GrantSchema).optional(),
};
export const CatalogFileSchema = z.strictObject(CatalogFileShape).superRefine((catalog, ctx) => {
  const templateNames = Object.keys(catalog.licenseTemplates ?? {});
  for (const [planName, plan] of Object.entries(catalog.plans)) {
    const template = plan.licenseKey?.template;
    if (template !== undefined && !templateNames.includes(template)) {
      const hint = closest(template, templateNames);
      fail(
        ctx,
        `unknown license template ${JSON.stringify(template)}`,
        (hint ? `did you mean ${hint}? ` : "") +
          `use one of ${templateNames.join(", ") || "(none defined)"}, or define it under licenseTemplates:`,
        ["plans", planName, "licenseKey", "template"],
      );
    }
  }
  const keys = new Map<string, number>();
  const names = new Map<string, number>();
  catalog.customers.forEach((customer, index) => {
    const sameKey = keys.get(customer.key);
    if (sameKey !== undefined) {
      fail(
        ctx,
        `customers[${sameKey}] already uses the key ${JSON.stringify(customer.key)}`,
        "give one of them a different key: (keys name the Pulumi resources and licenses)",
        ["customers", index, customer.key === slugify(customer.name) ? "name" : "key"],
      );
    }
    keys.set(customer.key, index);
    const sameName = names.get(customer.name);
    // Distr does not require customer names to be unique: two entries may share a name when each adopts its own id.
    const otherAdopt = sameName === undefined ? undefined : catalog.customers[sameName]?.adopt;
    const distinctIds =
      typeof customer.adopt === "object" && typeof otherAdopt === "object" && customer.adopt.id !== otherAdopt.id;
    if (sameName !== undefined && !distinctIds) {
      fail(
        ctx,
        `customers[${sameName}] already has the name ${JSON.stringify(customer.name)}`,
        'merge the two entries (or, for two customers of one name in Distr, give each adopt: { id: "<id>" })',
        ["customers", index, "name"],
      );
    }
    names.set(customer.name, index);

    const granted = new Map<string, number>();
    customer.grants.forEach((grant, grantIndex) => {
      checkGrantPlan(ctx, catalog.plans, grant, ["customers", index, "grants", grantIndex]);
      checkGrantLicenseKey(ctx, catalog.plans, grant, ["customers", index, "grants", grantIndex], true);
      if (grant.plan === undefined || !(grant.plan in catalog.plans)) return;
      // Named grants produce their own license names: the same plan may be granted twice (two licenses in Distr).
      if (grant.name !== undefined) return;
      const path = ["customers", index, "grants", grantIndex, "plan"];
      const earlier = granted.get(grant.plan);
      if (earlier !== undefined) {
        fail(
          ctx,
          `plan ${JSON.stringify(grant.plan)} is already granted in grants[${earlier}]`,
          "remove one of the two grants (one grant per plan and customer)",
          path,
        );
      }
      granted.set(grant.plan, grantIndex);
    });
  });
  catalog.grantsWithoutCustomer?.forEach((grant, index) => {
    const path = ["grantsWithoutCustomer", index];
    checkGrantPlan(ctx, catalog.plans, grant, path);
    checkGrantLicenseKey(ctx, catalog.plans, grant, path, false);
    if (grant.name === undefined) {
      fail(ctx, "a license without customer needs its name", 'add name: "<license name in Distr>"', [...path, "name"]);
    }
  });
});

/** A grant's plan exists (when it has one), `name` fits one license, registry credentials have an application. */
function checkGrantPlan(
  ctx: Ctx,
  plans: Readonly<Record<string, Plan>>,
  grant: Grant,
  path: Array<string | number>,
): void {
  if (grant.plan !== undefined && !(grant.plan in plans)) {
    const issue = unknownPlanIssue(grant.plan, Object.keys(plans));
    fail(ctx, issue.message, issue.fix, [...path, "plan"]);
    return;
  }
  const contents = grant.plan === undefined ? grant : plans[grant.plan];
  if (contents === undefined) return;
  if (grant.plan !== undefined && grant.name !== undefined && licenseCount(contents) !== 1) {
    fail(
      ctx,
      `plan ${JSON.stringify(grant.plan)} becomes ${licenseCount(contents)} licenses, so one name cannot name them`,
      "remove name: (licenses are then named <key>-<plan>-<application>)",
      [...path, "name"],
    );
  }
  if (typeof grant.adopt === "object" && licenseCount(contents) !== 1) {
    fail(
      ctx,
      `this grant becomes ${licenseCount(contents)} licenses, so one id cannot name the license to adopt`,
      "write adopt: true (each license is found by its name)",
      [...path, "adopt"],
    );
  }
  if (grant.registry && Object.keys(contents.applications ?? {}).length === 0) {
    fail(
      ctx,
      grant.plan === undefined
        ? "this grant has no application, so registry credentials have nothing to attach to"
        : `plan ${JSON.stringify(grant.plan)} has no applications, so registry credentials have nothing to attach to`,
      "remove registry: from this grant",
      [...path, "registry"],
    );
  }
}

/** A plan's license key needs a customer and a validity (from the grant or the plan); notBefore needs a key. */
function checkGrantLicenseKey(
  ctx: Ctx,
  plans: Readonly<Record<string, Plan>>,
  grant: Grant,
  path: Array<string | number>,
  hasCustomer: boolean,
): void {
  const licenseKey = grant.plan === undefined ? undefined : plans[grant.plan]?.licenseKey;
  const what = grant.plan === undefined ? "this grant" : `plan ${JSON.stringify(grant.plan)}`;
  if (licenseKey !== undefined && !hasCustomer) {
    fail(
      ctx,
      `${what} issues a license key, which Distr issues to a customer`,
      "grant this plan to a customer, or grant a plan without licenseKey: here",
      [...path, "plan"],
    );
  }
  if (licenseKey?.payload !== undefined) {
    if ((grant.notBefore ?? licenseKey.notBefore) === undefined) {
      fail(
        ctx,
        `${what} issues a license key, which needs a start of validity`,
        'add notBefore: "2026-01-01T00:00:00Z" to this grant or to the plan\'s licenseKey',
        path,
      );
    }
    if ((grant.expiresAt ?? licenseKey.expiresAt) === undefined) {
      fail(
        ctx,
        `${what} issues a license key, which needs an end of validity`,
        'add expiresAt: "2027-01-01T00:00:00Z" to this grant or to the plan\'s licenseKey',
        path,
      );
    }
  }
  if (grant.notBefore !== undefined && licenseKey === undefined) {
    fail(
      ctx,
      `${what} issues no license key, so notBefore has nothing to apply to`,
      "remove notBefore: from this grant, or add licenseKey: to the plan",
      [...path, "notBefore"],
    );
  }
}

function unknownPlanIssue(plan: string, planNames: readonly string[]): { message: string; fix: string } {
  const hint = closest(plan, planNames);
  return {
    message: `unknown plan ${JSON.stringify(plan)}`,
    fix:
      (hint ? `did you mean ${hint}? ` : "") +
      `use one of ${planNames.join(", ") || "(none defined)"}, or define it under plans:`,
  };
}

/**
 * Grants naming a plan that does not exist, found in the raw file. The schema's own check only runs once the whole
 * file has the right shape; the loader adds these so that a typo in a plan name is reported together with any
 * other problem, not in a second round.
 */
export function unknownPlanReferences(raw: unknown): Array<{ path: PropertyKey[]; message: string; fix: string }> {
  if (!isRecord(raw) || !isRecord(raw["plans"]) || !Array.isArray(raw["customers"])) return [];
  const planNames = Object.keys(raw["plans"]);
  const found: Array<{ path: PropertyKey[]; message: string; fix: string }> = [];
  raw["customers"].forEach((customer: unknown, index) => {
    if (!isRecord(customer) || !Array.isArray(customer["grants"])) return;
    customer["grants"].forEach((grant: unknown, grantIndex) => {
      if (!isRecord(grant) || typeof grant["plan"] !== "string" || planNames.includes(grant["plan"])) return;
      found.push({
        path: ["customers", index, "grants", grantIndex, "plan"],
        ...unknownPlanIssue(grant["plan"], planNames),
      });
    });
  });
  return found;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Which keys each kind of mapping in the file accepts, for "did you mean" hints on unknown keys. */
export const CATALOG_KEYS = {
  catalog: Object.keys(CatalogFileShape),
  plan: Object.keys(PlanShape),
  customer: Object.keys(CustomerShape),
  grant: Object.keys(GrantShape),
  registry: Object.keys(RegistryShape),
  licenseKey: Object.keys(LicenseKeyShape),
  licenseTemplate: Object.keys(LicenseTemplateShape),
} as const;

/** The validated catalog: every plan reference resolves, every customer has a key. */
export type LicenseCatalog = z.output<typeof CatalogFileSchema>;

/** The candidate nearest to `word` if it is a plausible typo (edit distance ≤ 2 or a case difference). */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = candidate.toLowerCase() === word.toLowerCase() ? 0 : editDistance(word, candidate);
    if (distance <= 2 && (best === undefined || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
