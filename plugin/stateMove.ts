/**
 * Moves a stack's dynamic Distr resources to the plugin without touching Distr: a rewrite of the exported state
 * (`pulumi stack export`), imported back with `pulumi stack import`. Each `pulumi-nodejs:dynamic/distr:<Kind>`
 * resource becomes `distr:index:<Kind>` under the same name, with its inputs and outputs as they are minus the
 * serialized provider (`__provider`), served by a default `pulumi:providers:distr` added to the state; URNs that
 * name it elsewhere (dependencies, parents) follow. Both faces run the same handlers on the same property bags,
 * so the program's next `up` through the plugin finds nothing to change in Distr.
 */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { PROVIDER_KEY } from "../provider/properties";
import { PACKAGE_NAME, PROVIDER_TYPE, RESOURCE_TYPES } from "./resourceTypes";

const DYNAMIC_TYPE = /^pulumi-nodejs:dynamic\/distr:(\w+)$/;

const resourceSchema = z.looseObject({
  urn: z.string(),
  type: z.string(),
  inputs: z.record(z.string(), z.unknown()).optional(),
  outputs: z.record(z.string(), z.unknown()).optional(),
  provider: z.string().optional(),
  parent: z.string().optional(),
  dependencies: z.array(z.string()).optional(),
  propertyDependencies: z.record(z.string(), z.array(z.string())).optional(),
  deletedWith: z.string().optional(),
});
type StateResource = z.infer<typeof resourceSchema>;

const exportSchema = z.looseObject({
  version: z.number(),
  deployment: z.looseObject({
    resources: z.array(resourceSchema).default([]),
    pending_operations: z.array(z.unknown()).optional(),
  }),
});

export interface StateMove {
  /** The state to `pulumi stack import`. */
  readonly exported: z.infer<typeof exportSchema>;
  /** `old URN → new URN` of every moved resource. */
  readonly moved: ReadonlyMap<string, string>;
}

/** The rewrite of an exported stack (`pulumi stack export` JSON); throws with the reason when it cannot be done. */
export function moveToPlugin(exportedJson: unknown): StateMove {
  const parsed = exportSchema.safeParse(exportedJson);
  if (!parsed.success) {
    throw new Error(`not the output of \`pulumi stack export\`: ${parsed.error.issues[0]?.message ?? "unreadable"}`);
  }
  const exported = parsed.data;
  if ((exported.deployment.pending_operations ?? []).length > 0) {
    throw new Error("the stack has pending operations: run `pulumi refresh` first, then export it again");
  }
  const resources = exported.deployment.resources;
  const moved = new Map<string, string>();
  const newTypes = new Map<string, string>();
  for (const resource of resources) {
    const kind = DYNAMIC_TYPE.exec(resource.type)?.[1];
    if (kind === undefined) continue;
    const type = `${PACKAGE_NAME}:index:${kind}`;
    if (!Object.hasOwn(RESOURCE_TYPES, type)) throw new Error(`${resource.urn}: no plugin resource ${type}`);
    newTypes.set(resource.urn, type);
    moved.set(resource.urn, resource.urn.replace(new RegExp(`${escape(resource.type)}::([^:]*)$`), `${type}::$1`));
  }
  if (moved.size === 0) return { exported, moved };

  const first = resources.findIndex((resource) => moved.has(resource.urn));
  const prefix = /^(urn:pulumi:[^:]+::[^:]+::)/.exec([...moved.values()][0] ?? "")?.[1];
  if (prefix === undefined) throw new Error("cannot read the stack and project from the resources' URNs");
  const providerUrn = `${prefix}${PROVIDER_TYPE}::default`;
  if (resources.some((resource) => resource.urn === providerUrn)) {
    throw new Error(`the state already has ${providerUrn}; the stack was moved before`);
  }
  const provider: StateResource = {
    urn: providerUrn,
    custom: true,
    id: randomUUID(),
    type: PROVIDER_TYPE,
    // The engine fills in the stack's `distr:*` configuration on the next run (an update of the provider only).
    inputs: {},
    outputs: {},
  };
  const providerReference = `${providerUrn}::${String(provider["id"])}`;
  const rename = (urn: string) => moved.get(urn) ?? urn;
  const rewritten = resources.map((resource): StateResource => {
    const next: StateResource = {
      ...resource,
      urn: rename(resource.urn),
      ...(resource.parent !== undefined ? { parent: rename(resource.parent) } : {}),
      ...(resource.deletedWith !== undefined ? { deletedWith: rename(resource.deletedWith) } : {}),
      ...(resource.dependencies !== undefined ? { dependencies: resource.dependencies.map(rename) } : {}),
      ...(resource.propertyDependencies !== undefined
        ? {
            propertyDependencies: Object.fromEntries(
              Object.entries(resource.propertyDependencies).map(([key, urns]) => [key, urns.map(rename)]),
            ),
          }
        : {}),
    };
    if (!moved.has(resource.urn)) return next;
    return {
      ...next,
      type: newTypes.get(resource.urn) ?? next.type,
      inputs: withoutProvider(resource.inputs),
      outputs: withoutProvider(resource.outputs),
      provider: providerReference,
    };
  });
  // The dynamic provider's default provider goes when nothing uses it any more.
  const stillUsed = new Set(rewritten.map((resource) => resource.provider?.replace(/::[^:]*$/, "")));
  const kept = rewritten.filter(
    (resource) => !(resource.type === "pulumi:providers:pulumi-nodejs" && !stillUsed.has(resource.urn)),
  );
  const at = kept.findIndex((resource) => resource.urn === rename(resources[first]?.urn ?? ""));
  kept.splice(at, 0, provider);
  return { exported: { ...exported, deployment: { ...exported.deployment, resources: kept } }, moved };
}

function withoutProvider(bag: Record<string, unknown> | undefined): Record<string, unknown> {
  const copy = { ...bag };
  delete copy[PROVIDER_KEY];
  return copy;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
