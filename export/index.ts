/**
 * `pulumi-distr export` without the process: read a live Distr organization and write code (a license catalog or a
 * TypeScript program) that describes exactly what exists, every object marked for adoption.
 */
import type { DistrClient } from "../sdk/distrClient";
import { renderCatalog } from "./catalogExport";
import { describeOrganization, type ExportedOrganization, type ExportWarning } from "./exportedOrganization";
import type { ExportProvenance } from "./exportHeader";
import { readOrganizationSnapshot } from "./organizationSnapshot";
import { renderTypeScript } from "./typescriptExport";

export type ExportFormat = "catalog" | "typescript";
export const EXPORT_FORMATS: readonly ExportFormat[] = ["catalog", "typescript"];

export interface ExportOptions {
  readonly format: ExportFormat;
  /** Customer names; all customers and the licenses without customer when empty. */
  readonly customers?: readonly string[];
  readonly packageVersion: string;
  /** Default: now. */
  readonly at?: Date;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface ExportResult {
  readonly text: string;
  readonly organization: ExportedOrganization;
  readonly warnings: readonly ExportWarning[];
}

export async function exportOrganization(client: DistrClient, options: ExportOptions): Promise<ExportResult> {
  const snapshot = await readOrganizationSnapshot(client, {
    ...(options.customers ? { customers: options.customers } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  const organization = describeOrganization(snapshot);
  const provenance: ExportProvenance = { at: options.at ?? new Date(), packageVersion: options.packageVersion };
  const text =
    options.format === "catalog" ? renderCatalog(organization, provenance) : renderTypeScript(organization, provenance);
  return { text, organization, warnings: organization.warnings };
}

export { describeOrganization, renderCatalog, renderTypeScript, readOrganizationSnapshot };
export type { ExportedOrganization, ExportWarning, ExportProvenance };
export { ExportError } from "./exportError";
