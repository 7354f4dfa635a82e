/**
 * `pulumi-distr licenses` without the process: Distr's licenses by expiry and each customer's access, in markdown,
 * text, JSON and a self-contained HTML page. Re-exports, and `readLicenseOverview`, the read the command runs.
 */
import { readDistrInventory } from "../drift/distrInventory";
import { readStackStates } from "../drift/stackState";
import type { StackTarget } from "../review/previewSource";
import type { DistrClient } from "../sdk/distrClient";
import { buildLicenseOverview, type OverviewReport } from "./licenseOverview";

export interface ReadOverviewOptions {
  readonly now: Date;
  readonly expiringWithinDays?: number;
  /** Stacks whose state shows the ranges and tags the code wrote (optional: the overview is Distr's view). */
  readonly stacks?: readonly string[];
  readonly target?: Omit<StackTarget, "stack">;
  readonly requestCount?: () => number;
}

export async function readLicenseOverview(client: DistrClient, options: ReadOverviewOptions): Promise<OverviewReport> {
  const state =
    options.stacks && options.stacks.length > 0
      ? await readStackStates(options.stacks, options.target ?? {})
      : undefined;
  const inventory = await readDistrInventory(client);
  return buildLicenseOverview(inventory, {
    now: options.now,
    ...(options.expiringWithinDays !== undefined ? { expiringWithinDays: options.expiringWithinDays } : {}),
    ...(state ? { state } : {}),
    ...(options.requestCount ? { requests: options.requestCount() } : {}),
  });
}

export {
  buildLicenseOverview,
  DEFAULT_EXPIRING_WINDOW_DAYS,
  licensesNeedingAttention,
  overviewReportSchema,
  OVERVIEW_SCHEMA_VERSION,
} from "./licenseOverview";
export type { ExpiryStatus, OverviewLicense, OverviewReport } from "./licenseOverview";
export { renderOverviewJson, renderOverviewMarkdown, renderOverviewText } from "./renderOverview";
export { renderOverviewHtml, STATUS_COLOURS } from "./renderOverviewHtml";
