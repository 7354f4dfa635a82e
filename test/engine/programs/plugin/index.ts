/**
 * The engine suite's program for the native plugin (pulumi-resource-distr): declares the resources of the stack
 * config value `spec` as `pulumi.CustomResource`s with the plugin's type tokens (distr:index:*), which is what a
 * generated SDK or a YAML program registers too. References inside `args`:
 * - `{ "$id": "<resource>" }`: that resource's id (a customer's id for a license's `customer`);
 * - `{ "$secret": "<config key>" }`: a secret stack config value (a registry password).
 * `providers` declares explicit providers (`pulumi:providers:distr`) whose token is the secret config value
 * `<provider>Token`; a resource's `provider` names one.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";

const Spec = z.object({
  providers: z.array(z.object({ name: z.string(), host: z.string() })).default([]),
  resources: z.array(
    z.object({
      type: z.enum(["Customer", "ApplicationLicense", "ArtifactLicense", "LicenseKey", "LicenseTemplate"]),
      name: z.string(),
      args: z.record(z.string(), z.unknown()),
      provider: z.string().optional(),
    }),
  ),
});
export type PluginProgramSpec = z.input<typeof Spec>;

/** `new distr.Provider(...)` as a generated SDK declares it. */
class DistrProvider extends pulumi.ProviderResource {
  constructor(name: string, args: { host: pulumi.Input<string>; token: pulumi.Input<string> }) {
    super("distr", name, args);
  }
}

/** A resource of the plugin, as a generated SDK's classes register it (`CustomResource` is abstract in TypeScript). */
class DistrResource extends pulumi.CustomResource {
  constructor(type: string, name: string, args: pulumi.Inputs, opts: pulumi.CustomResourceOptions) {
    super(type, name, args, opts);
  }
}

const config = new pulumi.Config();
const spec = Spec.parse(config.requireObject("spec"));

const providers = new Map<string, pulumi.ProviderResource>();
for (const { name, host } of spec.providers) {
  providers.set(name, new DistrProvider(name, { host, token: config.requireSecret(`${name}Token`) }));
}

const declared = new Map<string, pulumi.CustomResource>();
function resolve(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(resolve);
  if (value === null || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  if (typeof record["$id"] === "string") {
    const target = declared.get(record["$id"]);
    if (!target) throw new Error(`spec refers to undeclared resource ${record["$id"]}`);
    return target.id;
  }
  if (typeof record["$secret"] === "string") return config.requireSecret(record["$secret"]);
  return Object.fromEntries(Object.entries(record).map(([key, item]) => [key, resolve(item)]));
}

export const ids: Record<string, pulumi.Output<string>> = {};
for (const { type, name, args, provider } of spec.resources) {
  const explicit = provider === undefined ? undefined : providers.get(provider);
  if (provider !== undefined && !explicit) throw new Error(`spec refers to undeclared provider ${provider}`);
  const resource = new DistrResource(
    `distr:index:${type}`,
    name,
    resolve(args) as pulumi.Inputs,
    explicit ? { provider: explicit } : {},
  );
  declared.set(name, resource);
  ids[name] = resource.id;
}
