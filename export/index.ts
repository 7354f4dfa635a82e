/**
 * `pulumi-distr export` without the process: read a live Distr organization and write code (a license catalog or a
 * TypeScript program) that describes exactly what exists, every object marked for adoption, or the file
 * `pulumi import --file` takes to bring it into a stack of the provider plugin's resources.
 */
import type { DistrClient } from "../sdk/distrClient";
import { renderCatalog } from "./catalogExport";
import { describeOrganization, type ExportedOrganization, type ExportWarning } from "./exportedOrganization";
import type { ExportProvenance } from "./exportHeader";
import { renderImportFile, type ImportFileOptions } from "./importFile";
import { readOrganizationSnapshot } from "./organizationSnapshot";
import { renderTypeScript } from "./typescriptExport";

export type ExportFormat = "catalog" | "typescript" | "import";
export const EXPORT_FORMATS: readonly ExportFormat[] = ["catalog", "typescript", "import"];

export interface ExportOptions {
  readonly format: ExportFormat;
  /** Customer names; all customers and the licenses without customer when empty. */
  readonly customers?: readonly string[];
  readonly packageVersion: string;
  /** Default: now. */
  readonly at?: Date;
  readonly onProgress?: (done: number, total: number) => void;
  /** Format `import`: a provider or parent already in the stack, for every resource. */
  readonly importFile?: ImportFileOptions;
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
    // The plugin has LicenseKey and LicenseTemplate resources; the catalog and the TypeScript export leave them out.
    withLicenseKeys: options.format === "import",
  });
  const organization = describeOrganization(snapshot);
  const provenance: ExportProvenance = { at: options.at ?? new Date(), packageVersion: options.packageVersion };
  const text =
    options.format === "catalog"
      ? renderCatalog(organization, provenance)
      : options.format === "typescript"
        ? renderTypeScript(organization, provenance)
        : renderImportFile(organization, options.importFile);
  return { text, organization, warnings: organization.warnings };
}

export { describeOrganization, renderCatalog, renderTypeScript, renderImportFile, readOrganizationSnapshot };
export { IMPORT_TYPES, importFileOf, importFileSchema } from "./importFile";
export type { ImportFile, ImportFileOptions, StackReference } from "./importFile";
export type { ExportedOrganization, ExportWarning, ExportProvenance };
export { ExportError } from "./exportError";
