/**
 * The resources of one saved state of a stack, from either document Pulumi keeps it in: a checkpoint file of the
 * file and object-store backends (`{ version, checkpoint: { latest: { resources, pending_operations } } }`, the
 * current state and the copy saved with each update under `.pulumi/history/`), or `pulumi stack export`
 * (`{ version, deployment: { resources, pending_operations } }`, also with `--version N` on Pulumi Cloud). Only the
 * envelope is read here, for every command that reads a state (drift, the license overview, history); what a
 * resource's outputs say about a license is read by review/licenseSnapshot.ts, as for a preview.
 */
import { z } from "zod";

const resourceSchema = z
  .object({
    urn: z.string(),
    type: z.string(),
    id: z.string().optional(),
    inputs: z.record(z.string(), z.unknown()).nullish(),
    outputs: z.record(z.string(), z.unknown()).nullish(),
    /** A replaced resource waiting for deletion: not what the stack has any more. */
    delete: z.boolean().optional(),
  })
  .loose();
export type DeploymentResource = z.infer<typeof resourceSchema>;

const resourcesSchema = z
  .array(resourceSchema)
  .nullish()
  .transform((resources) => resources ?? []);

/** What an interrupted run left unfinished: `creating` means Distr may hold an object the state has no id for. */
const pendingSchema = z
  .array(z.object({ type: z.string(), resource: resourceSchema }).loose())
  .nullish()
  .transform((operations) => operations ?? []);

const deploymentSchema = z.object({ resources: resourcesSchema, pending_operations: pendingSchema }).loose();

const checkpointSchema = z.object({ checkpoint: z.object({ latest: deploymentSchema.nullish() }).loose() });
const exportSchema = z.object({ deployment: deploymentSchema });

export interface Deployment {
  /** The live resources (replaced ones waiting for deletion left out). */
  readonly resources: readonly DeploymentResource[];
  /** Resources whose create an interrupted run left pending. */
  readonly pendingCreates: readonly DeploymentResource[];
}

/** A saved state that is not a Pulumi checkpoint or export. */
export class DeploymentDocumentError extends Error {
  readonly kind = "deployment-document";
  constructor(message: string) {
    super(message);
    this.name = "DeploymentDocumentError";
  }
}

/** A checkpoint or export document (`source` names it in errors). */
export function readDeployment(json: unknown, source: string): Deployment {
  const exported = exportSchema.safeParse(json);
  if (exported.success) return deployment(exported.data.deployment);
  const checkpoint = checkpointSchema.safeParse(json);
  // A stack created but never updated has a checkpoint without `latest`.
  if (checkpoint.success) {
    const latest = checkpoint.data.checkpoint.latest;
    return latest ? deployment(latest) : { resources: [], pendingCreates: [] };
  }
  const issue = checkpoint.error.issues[0];
  throw new DeploymentDocumentError(
    `${source} is not a Pulumi checkpoint or \`pulumi stack export\` document ` +
      `(${issue ? `${issue.path.join(".") || "(root)"}: ${issue.message}` : "unexpected shape"})`,
  );
}

/** The live resources of a checkpoint or export document (`source` names it in errors). */
export function deploymentResources(json: unknown, source: string): DeploymentResource[] {
  return [...readDeployment(json, source).resources];
}

function deployment(parsed: z.infer<typeof deploymentSchema>): Deployment {
  return {
    resources: parsed.resources.filter((resource) => resource.delete !== true),
    pendingCreates: parsed.pending_operations
      .filter((operation) => operation.type === "creating")
      .map((operation) => operation.resource),
  };
}
