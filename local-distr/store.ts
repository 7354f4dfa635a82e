/**
 * The local Distr's database: the rows Distr keeps for the licensing API, in memory, optionally persisted to one
 * JSON file. Writes go to a temporary file that is renamed over the data file, so a crash leaves either the old or
 * the new state, never a partial one.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";

const RoleSchema = z.enum(["read_only", "read_write", "admin"]);
export type Role = z.infer<typeof RoleSchema>;

const OrganizationRowSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  name: z.string(),
  slug: z.string(),
  features: z.array(z.string()),
  subscriptionType: z.string(),
});
export type OrganizationRow = z.infer<typeof OrganizationRowSchema>;

const UserRowSchema = z.object({ id: z.string(), createdAt: z.string(), email: z.string(), name: z.string() });
export type UserRow = z.infer<typeof UserRowSchema>;

const MembershipRowSchema = z.object({ userId: z.string(), organizationId: z.string(), role: RoleSchema });
export type MembershipRow = z.infer<typeof MembershipRowSchema>;

/** A personal access token: 16 key bytes as 32 lowercase hex, fixed to one organization (section 2.3). */
const AccessTokenRowSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  keyHex: z.string().regex(/^[0-9a-f]{32}$/),
  userId: z.string(),
  organizationId: z.string(),
});
export type AccessTokenRow = z.infer<typeof AccessTokenRowSchema>;

const ApplicationRowSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  organizationId: z.string(),
  name: z.string(),
  type: z.enum(["docker", "kubernetes"]),
});
export type ApplicationRow = z.infer<typeof ApplicationRowSchema>;

const ApplicationVersionRowSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  applicationId: z.string(),
  name: z.string(),
  archivedAt: z.string().optional(),
  linkTemplate: z.string(),
  chartType: z.string().optional(),
  chartName: z.string().optional(),
  chartUrl: z.string().optional(),
  chartVersion: z.string().optional(),
});
export type ApplicationVersionRow = z.infer<typeof ApplicationVersionRowSchema>;

const ArtifactRowSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  organizationId: z.string(),
  name: z.string(),
});
export type ArtifactRow = z.infer<typeof ArtifactRowSchema>;

/** Distr's `ArtifactVersion`: a digest row (name contains `:`) or a tag row (name = tag), same manifest digest. */
const ArtifactVersionRowSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  artifactId: z.string(),
  name: z.string(),
  digest: z.string(),
  manifestContentType: z.string(),
  size: z.number(),
});
export type ArtifactVersionRow = z.infer<typeof ArtifactVersionRowSchema>;

const CustomerRowSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  organizationId: z.string(),
  name: z.string(),
  imageId: z.string().optional(),
  features: z.array(z.string()),
});
export type CustomerRow = z.infer<typeof CustomerRowSchema>;

const ApplicationLicenseRowSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  organizationId: z.string(),
  name: z.string(),
  expiresAt: z.string().optional(),
  applicationId: z.string(),
  customerOrganizationId: z.string().optional(),
  registryUrl: z.string().optional(),
  registryUsername: z.string().optional(),
  registryPassword: z.string().optional(),
  /** Linked version ids; empty = all versions (section 5.4). */
  versionIds: z.array(z.string()),
});
export type ApplicationLicenseRow = z.infer<typeof ApplicationLicenseRowSchema>;

const ArtifactSelectionRowSchema = z.object({ artifactId: z.string(), versionId: z.string().nullable() });
export type ArtifactSelectionRow = z.infer<typeof ArtifactSelectionRowSchema>;

const ArtifactLicenseRowSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  organizationId: z.string(),
  name: z.string(),
  expiresAt: z.string().optional(),
  customerOrganizationId: z.string().optional(),
  /** One row per (artifact, version); `versionId: null` = all versions of the artifact (section 6.6). */
  selections: z.array(ArtifactSelectionRowSchema),
});
export type ArtifactLicenseRow = z.infer<typeof ArtifactLicenseRowSchema>;

const DeploymentTargetRowSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  customerOrganizationId: z.string(),
  name: z.string(),
});
export type DeploymentTargetRow = z.infer<typeof DeploymentTargetRowSchema>;

/** A deployment with the application version of its latest revision. */
const DeploymentRowSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  deploymentTargetId: z.string(),
  applicationLicenseId: z.string(),
  applicationVersionId: z.string(),
});
export type DeploymentRow = z.infer<typeof DeploymentRowSchema>;

/** `LicenseKey` (section 8.1): the key itself; its content lives in revisions. */
const LicenseKeyRowSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  organizationId: z.string(),
  name: z.string(),
  description: z.string().optional(),
  customerOrganizationId: z.string().optional(),
  licenseTemplateId: z.string().optional(),
});
export type LicenseKeyRow = z.infer<typeof LicenseKeyRowSchema>;

/** `LicenseKeyRevision`: append-only; the payload as jsonb stores it (keys re-ordered). */
const LicenseKeyRevisionRowSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  licenseKeyId: z.string(),
  notBefore: z.string(),
  expiresAt: z.string(),
  payload: z.record(z.string(), z.unknown()),
});
export type LicenseKeyRevisionRow = z.infer<typeof LicenseKeyRevisionRowSchema>;

const LicenseTemplateRowSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  organizationId: z.string(),
  name: z.string(),
  payloadTemplate: z.string(),
  expirationGracePeriodDays: z.number(),
});
export type LicenseTemplateRow = z.infer<typeof LicenseTemplateRowSchema>;

/**
 * A deployment whose values template references license keys by name (`{{ .LicenseKeys.<name> }}`, section 8.5):
 * what a license key update re-renders and a delete breaks. `valuesRevision` counts the deployment revisions a
 * confirmed key update created (re-deploys).
 */
const KeyDeploymentRowSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  deploymentTargetId: z.string(),
  applicationName: z.string(),
  licenseKeyNames: z.array(z.string()),
  valuesRevision: z.number(),
});
export type KeyDeploymentRow = z.infer<typeof KeyDeploymentRowSchema>;

export const DistrStateSchema = z.object({
  formatVersion: z.literal(1),
  organizations: z.array(OrganizationRowSchema),
  users: z.array(UserRowSchema),
  memberships: z.array(MembershipRowSchema),
  accessTokens: z.array(AccessTokenRowSchema),
  applications: z.array(ApplicationRowSchema),
  applicationVersions: z.array(ApplicationVersionRowSchema),
  artifacts: z.array(ArtifactRowSchema),
  artifactVersions: z.array(ArtifactVersionRowSchema),
  customers: z.array(CustomerRowSchema),
  applicationLicenses: z.array(ApplicationLicenseRowSchema),
  artifactLicenses: z.array(ArtifactLicenseRowSchema),
  deploymentTargets: z.array(DeploymentTargetRowSchema),
  deployments: z.array(DeploymentRowSchema),
  // Added with license keys: data files written before read as empty tables and get a signing key at start.
  licenseKeys: z.array(LicenseKeyRowSchema).default([]),
  licenseKeyRevisions: z.array(LicenseKeyRevisionRowSchema).default([]),
  licenseTemplates: z.array(LicenseTemplateRowSchema).default([]),
  keyDeployments: z.array(KeyDeploymentRowSchema).default([]),
  /** `LICENSE_KEY_PRIVATE_KEY`: an Ed25519 private key (PKCS#8 PEM), generated once per data file. */
  licenseKeySigningKey: z.string().optional(),
});
export type DistrState = z.infer<typeof DistrStateSchema>;

export function emptyState(): DistrState {
  return {
    formatVersion: 1,
    organizations: [],
    users: [],
    memberships: [],
    accessTokens: [],
    applications: [],
    applicationVersions: [],
    artifacts: [],
    artifactVersions: [],
    customers: [],
    applicationLicenses: [],
    artifactLicenses: [],
    deploymentTargets: [],
    deployments: [],
    licenseKeys: [],
    licenseKeyRevisions: [],
    licenseTemplates: [],
    keyDeployments: [],
  };
}

export class DistrStoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "DistrStoreError";
  }
}

/** Reads a data file; undefined when it does not exist. A corrupt file is an error, never silently replaced. */
export function readStateFile(dataFile: string): DistrState | undefined {
  let text: string;
  try {
    text = fs.readFileSync(dataFile, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new DistrStoreError(`cannot read local Distr data file ${dataFile}`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new DistrStoreError(`local Distr data file ${dataFile} is not JSON; delete it to start over`, {
      cause: error,
    });
  }
  const parsed = DistrStateSchema.safeParse(json);
  if (!parsed.success) {
    throw new DistrStoreError(
      `local Distr data file ${dataFile} has an unexpected shape (${parsed.error.issues[0]?.message ?? "invalid"}); delete it to start over`,
    );
  }
  return parsed.data;
}

/** Writes the whole state next to the data file, flushes it, then renames it over the data file (atomic on POSIX). */
export function writeStateFile(dataFile: string, state: DistrState): void {
  const directory = path.dirname(dataFile);
  fs.mkdirSync(directory, { recursive: true });
  const temporary = path.join(directory, `.${path.basename(dataFile)}.${process.pid}.tmp`);
  try {
    const fd = fs.openSync(temporary, "w", 0o600);
    try {
      fs.writeSync(fd, JSON.stringify(state, null, 1) + "\n");
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temporary, dataFile);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}

/** The state plus its persistence: handlers mutate `state` and then call `commit()`. */
export class DistrStore {
  constructor(
    public state: DistrState,
    private readonly dataFile: string | undefined,
  ) {}

  /** Persists the current state (a no-op without a data file). */
  commit(): void {
    if (this.dataFile !== undefined) writeStateFile(this.dataFile, this.state);
  }

  /**
   * Runs a change like a database transaction: if `change` throws, the state is restored and nothing is written.
   */
  transaction<T>(change: (state: DistrState) => T): T {
    const before = structuredClone(this.state);
    try {
      const result = change(this.state);
      this.commit();
      return result;
    } catch (error) {
      this.state = before;
      throw error;
    }
  }
}
