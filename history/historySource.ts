/**
 * A stack's updates and the state after each, read through the Pulumi CLI where it can: `pulumi stack history --json`
 * for the updates (number, kind, result, times, message, commit), `pulumi whoami --json` for the backend, and on
 * Pulumi Cloud `pulumi stack export --version N` for each update's state. The file and object-store backends answer
 * `stack export --version` with "the current backend (...) does not provide the ability to export previous
 * deployments" (v3.276.0), but keep
 * the state of every update beside its record under `.pulumi/history/` (history/backendBucket.ts): those files are read
 * and matched to the CLI's records one to one, in order, each checked against the record's end time.
 */
import { PreviewDocumentError } from "../review/previewDocument";
import { runPulumi, type StackTarget } from "../review/previewSource";
import { openBackendBucket, type BackendBucket } from "./backendBucket";
import { deploymentResources } from "../review/deploymentDocument";
import type { UpdateState } from "./licenseTimeline";
import { stackUpdatesOf, type StackUpdate } from "./stackUpdate";
import { stateLicenses } from "./stateLicenses";

/** The history could not be read: the message says what and what to do. */
export class StackHistoryError extends Error {
  readonly kind = "stack-history";
  constructor(message: string) {
    super(message);
    this.name = "StackHistoryError";
  }
}

export interface StackHistory {
  readonly stack: string;
  /** The backend URL without its query (never credentials: the CLI and the SDK take those from the environment). */
  readonly backend: string;
  readonly states: UpdateState[];
}

const PAGE_SIZE = 100;
const NOT_FOUND = "`pulumi` is not on PATH (or --cwd does not exist): install the Pulumi CLI";
/** A record's checkpoint is copied right after its end time is taken (backend/diy/backend.go); allow a slow store. */
const CHECKPOINT_AFTER_END_MS = { min: -1_000, max: 10 * 60_000 };

export async function readStackHistory(target: StackTarget): Promise<StackHistory> {
  const updates = await stackUpdates(target);
  const backend = await backendUrl(target);
  const shown = backend.replace(/\?.*$/, "");
  if (backend.startsWith("file://") || backend.startsWith("s3://")) {
    const bucket = await openBackendBucket(backend, target.env ?? process.env);
    return { stack: target.stack, backend: shown, states: await statesFromBucket(target, bucket, updates) };
  }
  const states: UpdateState[] = [];
  for (const update of updates) {
    const exported = await cli(target, [
      "stack",
      "export",
      "--stack",
      target.stack,
      "--version",
      String(update.number),
    ]);
    const resources = deploymentResources(
      parseJson(exported, `pulumi stack export --version ${update.number}`),
      `update ${update.number}`,
    );
    states.push({ update, state: stateLicenses(resources) });
  }
  return { stack: target.stack, backend: shown, states };
}

async function stackUpdates(target: StackTarget): Promise<StackUpdate[]> {
  const records: unknown[] = [];
  for (let page = 1; ; page++) {
    const args = ["stack", "history", "--json", "--stack", target.stack, "--page-size", String(PAGE_SIZE)];
    const text = await cli(target, [...args, "--page", String(page)]);
    const json = parseJson(text, "pulumi stack history --json");
    const entries = Array.isArray(json) ? json : [];
    records.push(...entries);
    if (entries.length < PAGE_SIZE) break;
  }
  return stackUpdatesOf(records, "pulumi stack history --json");
}

async function backendUrl(target: StackTarget): Promise<string> {
  const json = parseJson(await cli(target, ["whoami", "--json"]), "pulumi whoami --json");
  const url = json !== null && typeof json === "object" ? (json as Record<string, unknown>)["url"] : undefined;
  if (typeof url !== "string" || url === "") throw new StackHistoryError("`pulumi whoami --json` named no backend url");
  return url;
}

/** Where the backend keeps the stack's records: `<project>/<stack>/` (project layout) or `<stack>/` (legacy). */
async function historyFiles(target: StackTarget, bucket: BackendBucket): Promise<{ records: string[]; dir: string }> {
  const qualified = (
    await cli(target, ["stack", "--stack", target.stack, "--show-name", "--fully-qualify-stack-names"])
  ).trim();
  const parts = qualified.split("/");
  const stack = parts[parts.length - 1] ?? qualified;
  const dirs =
    parts.length === 3
      ? [`.pulumi/history/${parts[1]}/${stack}/`, `.pulumi/history/${stack}/`]
      : [`.pulumi/history/${stack}/`];
  for (const dir of dirs) {
    const records = (await bucket.list(dir)).filter((key) => /\.history\.json(\.gz|\.zst)?$/.test(key));
    if (records.length > 0) return { records, dir };
  }
  return { records: [], dir: dirs[0] ?? "" };
}

async function statesFromBucket(
  target: StackTarget,
  bucket: BackendBucket,
  updates: StackUpdate[],
): Promise<UpdateState[]> {
  const { records, dir } = await historyFiles(target, bucket);
  if (records.length !== updates.length) {
    throw new StackHistoryError(
      `\`pulumi stack history\` lists ${updates.length} updates of ${target.stack}, but ${bucket.description}/${dir} ` +
        `holds ${records.length} update records: the history changed while it was read (run it again), or the ` +
        "backend's files were edited",
    );
  }
  const states: UpdateState[] = [];
  for (const [index, update] of updates.entries()) {
    const record = records[index] ?? "";
    const checkpoint = record.replace(/\.history\.json/, ".checkpoint.json");
    const nanos = /-(\d+)\.history\.json/.exec(record)?.[1];
    const savedAt = nanos !== undefined ? Number(BigInt(nanos) / 1_000_000n) : Number.NaN;
    const ended = update.endTime !== undefined ? Date.parse(update.endTime) : Number.NaN;
    const lag = savedAt - ended;
    if (!(lag >= CHECKPOINT_AFTER_END_MS.min && lag <= CHECKPOINT_AFTER_END_MS.max)) {
      throw new StackHistoryError(
        `update ${update.number} of ${target.stack} ended at ${update.endTime ?? "(no end time)"}, but the record ` +
          `${record} in ${bucket.description} was saved at ${Number.isNaN(savedAt) ? "an unknown time" : new Date(savedAt).toISOString()}: ` +
          "the backend's history files do not match what `pulumi stack history` lists",
      );
    }
    const text = (await bucket.read(checkpoint)).toString("utf8");
    const resources = deploymentResources(parseJson(text, checkpoint), `${bucket.description}/${checkpoint}`);
    states.push({ update, state: stateLicenses(resources) });
  }
  return states;
}

async function cli(target: StackTarget, args: string[]): Promise<string> {
  let result: { stdout: string; stderr: string; code: number };
  try {
    result = await runPulumi(target, args, NOT_FOUND);
  } catch (error) {
    if (error instanceof PreviewDocumentError) throw new StackHistoryError(error.message);
    throw error;
  }
  if (result.code !== 0) {
    throw new StackHistoryError(
      `\`pulumi ${args.join(" ")}\`${target.cwd ? ` in ${target.cwd}` : ""} failed (exit ${result.code}): ` +
        (result.stderr.trim().split("\n").slice(-3).join(" ").trim() || "no output"),
    );
  }
  return result.stdout;
}

function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new StackHistoryError(
      `${source} did not print JSON (${error instanceof Error ? error.message : String(error)})`,
    );
  }
}
