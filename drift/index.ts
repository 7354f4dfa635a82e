/**
 * `pulumi-distr drift` without the process: read the stacks' state and Distr's objects, and compare them.
 * Re-exports, and `checkDrift`, the whole read-and-compare that the command runs.
 */
import type { StackTarget } from "../review/previewSource";
import type { DistrClient } from "../sdk/distrClient";
import { readDistrInventory } from "./distrInventory";
import { buildDriftReport, type DriftReport } from "./driftReport";
import { readStackStates, type StackState } from "./stackState";

export interface CheckDriftOptions {
  /** Stacks to compare with; their states are merged (an object managed by any of them is managed). */
  readonly stacks: readonly string[];
  /** Where and how to run `pulumi stack export` (directory, environment, executable). */
  readonly target?: Omit<StackTarget, "stack">;
  readonly now: Date;
  /** Requests sent so far by `client` (the caller counts them through the client's onRequest). */
  readonly requestCount?: () => number;
}

export async function checkDrift(client: DistrClient, options: CheckDriftOptions): Promise<DriftReport> {
  const state: StackState = await readStackStates(options.stacks, options.target ?? {});
  const inventory = await readDistrInventory(client);
  return buildDriftReport(state, inventory, {
    now: options.now,
    ...(options.requestCount ? { requests: options.requestCount() } : {}),
  });
}

export { buildDriftReport, driftReportSchema, DRIFT_SCHEMA_VERSION } from "./driftReport";
export type { DriftItem, DriftReport, DriftSection } from "./driftReport";
export { readDistrInventory } from "./distrInventory";
export type { DistrInventory } from "./distrInventory";
export { parseStackExport, readStackStates, StackStateError } from "./stackState";
export type { ManagedObject, StackState } from "./stackState";
export { driftMarker, renderDriftJson, renderDriftMarkdown, renderDriftText } from "./renderDrift";
