/**
 * A stack's worth of managed objects made by the real provider handlers (test/provider/providerHarness.ts) against
 * the local Distr, and its state in the shape `pulumi stack export` prints (resources with type, URN, id and the
 * provider's outputs), so that the drift and overview logic run without the engine. The engine suite
 * (test/engine/driftCommand.test.ts) runs the same scenario through `pulumi up` and the real `stack export`.
 */
import { parseStackExport, type StackState } from "../../drift/stackState";
import type { ResourceKind } from "../../provider/resourceHandlers";
import { SimulatedResource, type ProviderProcess, type ProviderTestbed } from "../provider/providerHarness";

/** The state a stack of each face keeps: TypeScript's dynamic resources, or the plugin's (YAML, Go, Python). */
export type Face = "dynamic" | "plugin";

const CLASS_NAME: Readonly<Record<ResourceKind, string>> = {
  customer: "Customer",
  applicationLicense: "ApplicationLicense",
  artifactLicense: "ArtifactLicense",
  licenseKey: "LicenseKey",
  licenseTemplate: "LicenseTemplate",
};

/** Stated literally, as the engine writes them (pulumi-notes §4; the plugin's schema, package `distr`). */
export function typeToken(face: Face, className: string): string {
  return face === "dynamic" ? `pulumi-nodejs:dynamic/distr:${className}` : `distr:index:${className}`;
}

export interface ManagedFixture {
  readonly acmeId: string;
  readonly globexId: string;
  readonly resources: ReadonlyArray<{ name: string; resource: SimulatedResource }>;
  /** The export document of a stack holding `resources`, as a stack of `face` keeps it (default: dynamic). */
  exportText(stack: string, face?: Face): string;
  state(stack: string, face?: Face): StackState;
}

/**
 * ACME Corp: acme-pro (hello-distr, range >=2.0.0 <2.2.0, expires 2027-06-30), acme-legacy (hello-distr 1.2.0,
 * expires 2027-01-31), acme-images (backend "latest", frontend range ^2); Globex: globex-helm (hello-distr-helm all,
 * no expiry).
 */
export async function createManagedFixture(testbed: ProviderTestbed): Promise<ManagedFixture> {
  const process: ProviderProcess = await testbed.process();
  const resources: Array<{ name: string; resource: SimulatedResource }> = [];
  const make = async (kind: ResourceKind, name: string, inputs: Record<string, unknown>) => {
    const resource = new SimulatedResource(kind);
    await resource.up(process, inputs);
    resources.push({ name, resource });
    return resource;
  };
  const acme = await make("customer", "acme", { name: "ACME Corp" });
  const globex = await make("customer", "globex", { name: "Globex" });
  await make("applicationLicense", "acme-pro", {
    name: "acme-pro",
    customer: acme.id,
    application: "hello-distr",
    versions: { range: ">=2.0.0 <2.2.0" },
    expiresAt: "2027-06-30T00:00:00Z",
  });
  await make("applicationLicense", "acme-legacy", {
    name: "acme-legacy",
    customer: acme.id,
    application: "hello-distr",
    versions: ["1.2.0"],
    expiresAt: "2027-01-31T00:00:00Z",
  });
  await make("artifactLicense", "acme-images", {
    name: "acme-images",
    customer: acme.id,
    expiresAt: "2027-06-30T00:00:00Z",
    artifacts: [
      { artifact: "hello-distr/backend", tags: ["latest"] },
      { artifact: "hello-distr/frontend", tags: { range: "^2" } },
    ],
  });
  await make("applicationLicense", "globex-helm", {
    name: "globex-helm",
    customer: globex.id,
    application: "hello-distr-helm",
    versions: "all",
  });
  const exportText = (stack: string, face: Face = "dynamic") =>
    JSON.stringify({
      version: 3,
      deployment: {
        manifest: { time: "2027-01-01T00:00:00Z" },
        resources: [
          { urn: `urn:pulumi:${stack}::licenses::pulumi:pulumi:Stack::licenses-${stack}`, type: "pulumi:pulumi:Stack" },
          ...resources.map(({ name, resource }) => ({
            urn: `urn:pulumi:${stack}::licenses::${typeToken(face, CLASS_NAME[resource.kind])}::${name}`,
            type: typeToken(face, CLASS_NAME[resource.kind]),
            id: resource.id,
            inputs: resource.inputs,
            outputs: resource.outputs,
          })),
        ],
      },
    });
  return {
    acmeId: acme.id,
    globexId: globex.id,
    resources,
    exportText,
    state: (stack, face) => parseStackExport(stack, exportText(stack, face)),
  };
}
