/**
 * What one or more stacks manage in Distr, read the way a user reads a stack's state: `pulumi stack export` (no
 * `--show-secrets`: secrets stay ciphertext, and no field the drift check compares is secret). Our resources are the
 * ones of either face, `pulumi-nodejs:dynamic/distr:<Kind>` (TypeScript) or `distr:index:<Kind>` (the plugin: YAML,
 * Go, Python); their id is Distr's id. Creates that an interrupted run left in `pending_operations` are kept too:
 * the object Distr may have made for one has no id in the state, and the drift report names the run it probably
 * came from.
 */
import { DeploymentDocumentError, readDeployment } from "../review/deploymentDocument";
import { PreviewDocumentError } from "../review/previewDocument";
import { runPulumi, type StackTarget } from "../review/previewSource";
import { distrClassNameOf, resourceNameOf } from "../review/resourceKinds";

export type ManagedKind = "Customer" | "ApplicationLicense" | "ArtifactLicense" | "LicenseKey" | "LicenseTemplate";

export interface ManagedObject {
  readonly stack: string;
  readonly kind: ManagedKind | string;
  /** The resource's name in the program. */
  readonly resource: string;
  readonly urn: string;
  /** Distr's id. */
  readonly id: string;
  /** The provider's outputs as the state keeps them (secret values are ciphertext objects). */
  readonly outputs: Readonly<Record<string, unknown>>;
}

export interface InterruptedCreate {
  readonly stack: string;
  readonly kind: string;
  readonly resource: string;
  readonly urn: string;
  /** The name it was to get in Distr, when the inputs carry it. */
  readonly name?: string;
}

export interface StackState {
  readonly stacks: readonly string[];
  readonly objects: readonly ManagedObject[];
  readonly interruptedCreates: readonly InterruptedCreate[];
}

export class StackStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StackStateError";
  }
}

/** Parses the JSON of `pulumi stack export` for `stack`; throws a StackStateError that names the stack. */
export function parseStackExport(stack: string, text: string): StackState {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new StackStateError(
      `\`pulumi stack export --stack ${stack}\` did not print JSON (${(error as Error).message})`,
    );
  }
  let deployment;
  try {
    deployment = readDeployment(json, `\`pulumi stack export --stack ${stack}\``);
  } catch (error) {
    if (!(error instanceof DeploymentDocumentError)) throw error;
    throw new StackStateError(`${error.message}: is it a stack that was never deployed?`);
  }
  const objects: ManagedObject[] = [];
  for (const resource of deployment.resources) {
    const kind = distrClassNameOf(resource.type);
    if (kind === undefined || resource.id === undefined || resource.id === "") continue;
    objects.push({
      stack,
      kind,
      resource: resourceNameOf(resource.urn),
      urn: resource.urn,
      id: resource.id,
      outputs: resource.outputs ?? {},
    });
  }
  const interruptedCreates: InterruptedCreate[] = [];
  for (const resource of deployment.pendingCreates) {
    const kind = distrClassNameOf(resource.type);
    if (kind === undefined) continue;
    const name = resource.inputs?.["name"];
    interruptedCreates.push({
      stack,
      kind,
      resource: resourceNameOf(resource.urn),
      urn: resource.urn,
      ...(typeof name === "string" ? { name } : {}),
    });
  }
  return { stacks: [stack], objects, interruptedCreates };
}

/** `pulumi stack export` for each stack, merged. Stacks are read one after another (each is one CLI call). */
export async function readStackStates(
  stacks: readonly string[],
  target: Omit<StackTarget, "stack"> = {},
): Promise<StackState> {
  const states: StackState[] = [];
  for (const stack of stacks) {
    let result: { stdout: string; stderr: string; code: number };
    try {
      result = await runPulumi({ ...target, stack }, ["stack", "export", "--stack", stack]);
    } catch (error) {
      if (error instanceof PreviewDocumentError) {
        throw new StackStateError(
          "`pulumi` is not on PATH (or --cwd does not exist): the drift check reads each stack's state with " +
            "`pulumi stack export`; install the Pulumi CLI and log in to the stack's backend",
        );
      }
      throw error;
    }
    if (result.code !== 0) {
      throw new StackStateError(
        `\`pulumi stack export --stack ${stack}\` failed (exit ${result.code}): ` +
          `${result.stderr.trim().split("\n").slice(-3).join(" ") || "no output"}; ` +
          "check the stack name and that PULUMI_BACKEND_URL (or `pulumi login`) points at its backend",
      );
    }
    states.push(parseStackExport(stack, result.stdout));
  }
  return {
    stacks: states.flatMap((state) => state.stacks),
    objects: states.flatMap((state) => state.objects),
    interruptedCreates: states.flatMap((state) => state.interruptedCreates),
  };
}
