/**
 * What the serialized provider shim delegates to, per resource kind: the dynamic provider methods
 * (pulumi-notes §1) with engine property bags typed as `unknown`, since every handler parses what it receives.
 */
import type { dynamic } from "@pulumi/pulumi";

export interface ResourceHandlers {
  configure(request: dynamic.ConfigureRequest): Promise<void>;
  check(olds: unknown, news: unknown): Promise<dynamic.CheckResult>;
  diff(id: string, olds: unknown, news: unknown): Promise<dynamic.DiffResult>;
  create(inputs: unknown): Promise<dynamic.CreateResult>;
  read(id: string, props: unknown): Promise<dynamic.ReadResult>;
  update(id: string, olds: unknown, news: unknown): Promise<dynamic.UpdateResult>;
  delete(id: string, props: unknown): Promise<void>;
}

export type ResourceKind = "customer" | "applicationLicense" | "artifactLicense" | "licenseKey" | "licenseTemplate";
