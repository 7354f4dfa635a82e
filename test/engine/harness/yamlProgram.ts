/**
 * The engine suite's program (test/engine/programs/licenses) in Pulumi YAML, through the provider plugin: the same
 * ProgramSpec becomes a Pulumi.yaml that declares the same resources under the same names with the same inputs, so
 * a scenario runs both faces on the same case (the dynamic resources in TypeScript, the plugin's `distr:index:*` in
 * YAML) and compares what the engine, the review or the policy pack say. Written to a temp directory per stack;
 * `write` again is the program edit of a scenario.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import type { ProgramSpec } from "./spec";

/** The TypeScript program's project name: URNs differ between the faces only in the type token. */
export const YAML_PROJECT = "distr-engine-test";

export function yamlProgramOf(spec: ProgramSpec, options: { project?: string } = {}): string {
  const resources: Record<string, unknown> = {};
  const customerId = (resource: string) => {
    if (!spec.customers.some((customer) => customer.resource === resource)) {
      throw new Error(`spec refers to unknown customer ${resource}`);
    }
    return `\${${resource}.id}`;
  };
  for (const { resource, ...properties } of spec.customers) {
    resources[resource] = { type: "distr:index:Customer", properties };
  }
  for (const { resource, customer, registry, ...properties } of spec.applicationLicenses ?? []) {
    resources[resource] = {
      type: "distr:index:ApplicationLicense",
      properties: {
        ...properties,
        ...(customer !== undefined ? { customer: customerId(customer) } : {}),
        ...(registry ? { registry: { ...registry, password: "${registryPassword}" } } : {}),
      },
    };
  }
  for (const { resource, customer, ...properties } of spec.artifactLicenses ?? []) {
    resources[resource] = {
      type: "distr:index:ArtifactLicense",
      properties: { ...properties, ...(customer !== undefined ? { customer: customerId(customer) } : {}) },
    };
  }
  const ids = (list: ReadonlyArray<{ resource: string }> | undefined) =>
    Object.fromEntries((list ?? []).map(({ resource }) => [resource, `\${${resource}.id}`]));
  const usesRegistry = (spec.applicationLicenses ?? []).some((license) => license.registry !== undefined);
  const outputs = {
    ...(spec.applicationLicenses?.length ? { applicationLicenses: ids(spec.applicationLicenses) } : {}),
    ...(spec.artifactLicenses?.length ? { artifactLicenses: ids(spec.artifactLicenses) } : {}),
    ...(spec.customers.length ? { customerIds: ids(spec.customers) } : {}),
  };
  return stringify({
    name: options.project ?? YAML_PROJECT,
    description: "The engine suite's licenses program in Pulumi YAML (generated from a ProgramSpec).",
    runtime: "yaml",
    ...(usesRegistry ? { config: { registryPassword: { type: "string", secret: true } } } : {}),
    resources,
    ...(Object.keys(outputs).length > 0 ? { outputs } : {}),
  });
}

/** A directory holding one Pulumi YAML program; `dir` is what ProgramStack.open takes as `program`. */
export class YamlProgramDir {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-distr-yaml-"));

  constructor(spec?: ProgramSpec) {
    if (spec) this.write(spec);
  }

  write(spec: ProgramSpec): void {
    this.writeText(yamlProgramOf(spec));
  }

  writeText(text: string): void {
    fs.writeFileSync(path.join(this.dir, "Pulumi.yaml"), text);
  }

  read(): string {
    return fs.readFileSync(path.join(this.dir, "Pulumi.yaml"), "utf8");
  }

  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
