/**
 * The resources of one saved state of a stack, from either document Pulumi keeps it in: a checkpoint file of the
 * file and object-store backends (`{ version, checkpoint: { latest: { resources } } }`, the current state and the copy
 * saved with each update under `.pulumi/history/`), or `pulumi stack export` (`{ version, deployment: { resources } }`,
 * also with `--version N` on Pulumi Cloud). Only the envelope is read here; what a resource's outputs say about a
 * license is read by review/licenseSnapshot.ts, as for a preview.
 */
import { z } from "zod";

const resourceSchema = z
  .object({
    urn: z.string(),
    type: z.string(),
    id: z.string().optional(),
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

const checkpointSchema = z.object({
  checkpoint: z.object({ latest: z.object({ resources: resourcesSchema }).loose().nullish() }).loose(),
});
const exportSchema = z.object({ deployment: z.object({ resources: resourcesSchema }).loose() });

/** A saved state that is not a Pulumi checkpoint or export. */
export class DeploymentDocumentError extends Error {
  readonly kind = "deployment-document";
  constructor(message: string) {
    super(message);
    this.name = "DeploymentDocumentError";
  }
}

/** The live resources of a checkpoint or export document (`source` names it in errors). */
export function deploymentResources(json: unknown, source: string): DeploymentResource[] {
  const exported = exportSchema.safeParse(json);
  if (exported.success) return live(exported.data.deployment.resources);
  const checkpoint = checkpointSchema.safeParse(json);
  // A stack created but never updated has a checkpoint without `latest`.
  if (checkpoint.success) return live(checkpoint.data.checkpoint.latest?.resources ?? []);
  const issue = checkpoint.error.issues[0];
  throw new DeploymentDocumentError(
    `${source} is not a Pulumi checkpoint or \`pulumi stack export\` document ` +
      `(${issue ? `${issue.path.join(".") || "(root)"}: ${issue.message}` : "unexpected shape"})`,
  );
}

function live(resources: DeploymentResource[]): DeploymentResource[] {
  return resources.filter((resource) => resource.delete !== true);
}
