/**
 * A seeded random Distr organization in a local Distr, for round trips of `pulumi-distr export`: customers with the
 * same name, names with spaces and non-ASCII characters, licenses without customer, "all" and explicit selections,
 * archived versions, expiry set and unset, several artifacts per license, registry credentials on some application
 * licenses; on 3.x also a license granting a version
 * of another application, and on both a digest that lost its tag. Same seed, same organization (the ids differ).
 */
import type { DistrClient } from "../../sdk/distrClient";
import type { LocalDistr } from "../../local-distr";
import type { Application, Artifact, CustomerFeature } from "../../sdk/schemas";

export interface RandomOrganizationOptions {
  readonly seed: number;
  readonly customers: number;
  readonly licenses: number;
}

export interface RandomOrganization {
  readonly seed: number;
  readonly customers: number;
  readonly applicationLicenses: number;
  readonly artifactLicenses: number;
  readonly withoutCustomer: number;
  /** The license granting another application's version (3.x), and the one granting an untagged digest. */
  readonly foreignVersionLicense: string | undefined;
  readonly untaggedDigestLicense: string;
}

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CUSTOMER_NAMES = [
  "Acme Corp",
  "Globex Corporation",
  "Initech GmbH",
  "Müller & Söhne",
  "Café Zürich",
  "日本電気",
  "Østfold Energi",
  "São Paulo Logística",
  "Umbrella",
  "Wayne Enterprises",
];
const LICENSE_WORDS = ["pro", "Pro Plan", "enterprise", "Lizenz für", "ライセンス", "trial", "Évaluation", "ops team"];

export async function populateRandomOrganization(
  distr: LocalDistr,
  client: DistrClient,
  options: RandomOrganizationOptions,
): Promise<RandomOrganization> {
  const random = seededRandom(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const some = <T>(items: readonly T[], max: number): T[] => {
    const shuffled = [...items].sort(() => random() - 0.5);
    return shuffled.slice(0, 1 + Math.floor(random() * Math.min(max, items.length)));
  };
  const dialect = await client.dialect();

  // An archived version besides the demo's 1.0.0, and a digest whose only tag moved on.
  distr.control.addApplicationVersion("hello-distr", "0.9.0", { archived: true });
  const untagged = distr.control.addArtifactTag("hello-distr/backend", "nightly").versionId;
  distr.control.addArtifactTag("hello-distr/backend", "nightly");
  client.lookups.invalidate();

  const applications = (await Promise.all(
    ["hello-distr", "hello-distr-helm"].map((name) => client.lookups.application(name)),
  )) as Application[];
  const artifacts = (await Promise.all(
    ["hello-distr/backend", "hello-distr/frontend", "hello-distr/chart"].map((name) => client.lookups.artifact(name)),
  )) as Artifact[];

  const customerIds: string[] = [];
  for (let index = 0; index < options.customers; index++) {
    // The second customer always repeats the first one's name: Distr allows it, adoption must use ids.
    const name =
      index === 1
        ? CUSTOMER_NAMES[0]
        : index < CUSTOMER_NAMES.length
          ? CUSTOMER_NAMES[index]
          : `${pick(CUSTOMER_NAMES)} ${index}`;
    const features: CustomerFeature[] =
      dialect === "3"
        ? pick([
            ["deployment_targets", "artifacts"],
            ["deployment_targets", "alerts", "support_bundles"],
            ["artifacts"],
          ])
        : pick([["deployment_targets", "artifacts"], ["artifacts"], ["deployment_targets"]]);
    customerIds.push((await client.customers.create({ name: name ?? "Customer", features })).id);
  }

  let applicationLicenses = 0;
  let artifactLicenses = 0;
  let withoutCustomer = 0;
  let foreignVersionLicense: string | undefined;
  let untaggedDigestLicense: string | undefined;
  for (let index = 0; index < options.licenses; index++) {
    const customer = index % 9 === 4 ? undefined : pick(customerIds);
    if (customer === undefined) withoutCustomer++;
    const name = `${pick(LICENSE_WORDS)} ${index + 1}`;
    const expiresAt =
      random() < 0.5
        ? undefined
        : new Date(
            Date.UTC(
              2027 + Math.floor(random() * 3),
              Math.floor(random() * 12),
              1 + Math.floor(random() * 28),
              Math.floor(random() * 24),
            ),
          )
            .toISOString()
            .replace(".000Z", "Z");
    const common = {
      name,
      ...(customer !== undefined ? { customerOrganizationId: customer } : {}),
      ...(expiresAt !== undefined ? { expiresAt } : {}),
    };
    const artifactLicense = index === 1 || (index !== 0 && random() < 0.4);
    if (!artifactLicense) {
      // 2.x cannot read Helm licenses with versions back (quirk 2): there, Helm licenses grant all versions.
      const application =
        dialect === "2" ? pick([applications[0], applications[0], applications[1]]) : pick(applications);
      if (!application) throw new Error("the local Distr lacks the demo applications");
      const explicit = random() < 0.65 && !(dialect === "2" && application.name === "hello-distr-helm");
      const versions = explicit ? some(application.versions ?? [], 3).map((v) => ({ id: v.id })) : [];
      if (index === 0 && dialect === "3") {
        // Distr does not check that a version belongs to the license's application (section 5.4).
        const other = applications.find((a) => a.id !== application.id);
        versions.push({ id: other?.versions?.[0]?.id ?? "" });
      }
      // Registry credentials on some: their password is never exported, the program reads it from secret config.
      const registry =
        random() < 0.2
          ? {
              registryUrl: "registry.example.com",
              registryUsername: `pull-${index + 1}`,
              registryPassword: `pw-${options.seed}-${index + 1}`,
            }
          : {};
      const license = await client.applicationLicenses.create({
        ...common,
        ...registry,
        applicationId: application.id,
        versions,
      });
      if (index === 0 && dialect === "3") foreignVersionLicense = license.name;
      applicationLicenses++;
    } else {
      const selected = index === 1 ? [artifacts[0] as Artifact] : some(artifacts, 3);
      const selections = selected.map((artifact) => {
        const tagged = (artifact.versions ?? []).filter((v) => v.tags.length > 0);
        const versionIds = random() < 0.4 && index !== 1 ? [] : some(tagged, 2).map((v) => v.id);
        if (index === 1) versionIds.push(untagged);
        return { artifactId: artifact.id, versionIds };
      });
      const license = await client.artifactLicenses.create({ ...common, artifacts: selections });
      if (index === 1) untaggedDigestLicense = license.name;
      artifactLicenses++;
    }
  }
  if (untaggedDigestLicense === undefined) throw new Error("the generator needs at least 2 licenses");
  return {
    seed: options.seed,
    customers: options.customers,
    applicationLicenses,
    artifactLicenses,
    withoutCustomer,
    foreignVersionLicense,
    untaggedDigestLicense,
  };
}
