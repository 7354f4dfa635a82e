/**
 * An exported organization as a license catalog (catalog/licenses.yaml's format) for the root program. Licenses with
 * the same contents held by several customers share a plan (named after what it grants); a license only one holder
 * has becomes an inline grant. Every grant carries the license's name in Distr, so nothing is renamed.
 */
import { Document, isMap, isScalar, visit } from "yaml";
import { slugify } from "../catalog/schema";
import type {
  ExportedApplicationLicense,
  ExportedCustomer,
  ExportedLicense,
  ExportedOrganization,
  ExportedSelection,
} from "./exportedOrganization";
import { headerLines, type ExportProvenance } from "./exportHeader";

interface PlanContents {
  applications?: Record<string, ExportedSelection>;
  artifacts?: Record<string, ExportedSelection>;
}

export function renderCatalog(organization: ExportedOrganization, provenance: ExportProvenance): string {
  const holders = new Map<string, number>();
  const allLicenses = [...organization.customers.flatMap((c) => c.licenses), ...organization.licensesWithoutCustomer];
  for (const license of allLicenses) {
    const key = contentsKey(license);
    holders.set(key, (holders.get(key) ?? 0) + 1);
  }
  const plans = new Map<string, { name: string; contents: PlanContents; holders: number }>();
  const planNames = new Set<string>();
  const planFor = (license: ExportedLicense): string | undefined => {
    const key = contentsKey(license);
    const count = holders.get(key) ?? 0;
    if (count < 2) return undefined;
    let plan = plans.get(key);
    if (!plan) {
      plan = { name: claimPlanName(planNames, license), contents: contentsOf(license), holders: count };
      plans.set(key, plan);
    }
    return plan.name;
  };

  const grantOf = (license: ExportedLicense) => {
    const plan = planFor(license);
    return {
      ...(plan !== undefined ? { plan } : {}),
      name: license.name,
      ...(license.key !== undefined ? { key: license.key } : {}),
      ...(plan === undefined ? contentsOf(license) : {}),
      ...(license.expiresAt !== undefined ? { expiresAt: license.expiresAt } : {}),
      ...(license.kind === "application" && license.registry ? { registry: license.registry } : {}),
      adopt: license.adopt,
    };
  };
  const customers = organization.customers.map((customer: ExportedCustomer) => ({
    name: customer.name,
    key: customer.key,
    ...(customer.features ? { features: [...customer.features] } : {}),
    adopt: customer.adopt,
    grants: customer.licenses.map(grantOf),
  }));
  const withoutCustomer = organization.licensesWithoutCustomer.map(grantOf);

  const document = new Document({
    plans: Object.fromEntries(
      [...plans.values()].map((plan) => [
        plan.name,
        { description: `shared by ${plan.holders} licenses`, ...plan.contents },
      ]),
    ),
    customers,
    ...(withoutCustomer.length > 0 ? { grantsWithoutCustomer: withoutCustomer } : {}),
  });
  // Lists of names and `adopt: { id }` read best on one line, like the hand-written catalog.
  visit(document, {
    Seq(_key, node) {
      if (node.items.every((item) => isScalar(item))) node.flow = true;
    },
    Pair(_key, pair) {
      if (!isScalar(pair.key)) return;
      if (pair.key.value === "adopt" && isMap(pair.value)) pair.value.flow = true;
      // Quoted like the hand-written catalog: YAML 1.1 readers would take a bare timestamp for a date.
      if (pair.key.value === "expiresAt" && isScalar(pair.value)) pair.value.type = "QUOTE_DOUBLE";
    },
  });
  document.commentBefore = headerLines(organization, provenance)
    .map((line) => ` ${line}`)
    .join("\n");
  return document.toString({ lineWidth: 0, flowCollectionPadding: false });
}

function contentsOf(license: ExportedLicense): PlanContents {
  if (license.kind === "application") return { applications: { [license.application]: selection(license.versions) } };
  return { artifacts: Object.fromEntries(license.artifacts.map((a) => [a.artifact, selection(a.tags)])) };
}

function selection(value: ExportedSelection): ExportedSelection {
  return value === "all" ? "all" : [...value];
}

/** Two licenses grant the same when kind, application or artifacts, and selections are equal (not name or expiry). */
function contentsKey(license: ExportedLicense): string {
  return JSON.stringify(contentsOf(license));
}

function claimPlanName(taken: Set<string>, license: ExportedLicense): string {
  const base =
    license.kind === "application"
      ? applicationPlanName(license)
      : slugify(license.artifacts.map((a) => a.artifact).join(" "))
          .slice(0, 40)
          .replace(/-+$/, "") || "artifacts";
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}-${n}`;
  taken.add(name);
  return name;
}

function applicationPlanName(license: ExportedApplicationLicense): string {
  const application = slugify(license.application).slice(0, 30).replace(/-+$/, "") || "application";
  if (license.versions === "all") return `${application}-all`;
  const versions = slugify(license.versions.join(" "));
  return versions !== "" && versions.length <= 24 ? `${application}-${versions}` : `${application}-selection`;
}
