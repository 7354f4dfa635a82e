/**
 * The scale benchmark's options (scripts/bench-scale.ts): sizes, the dialect, the order of the operations (each `up`
 * with or without its preview) and the point of Distr's minute at which the sequence starts. Parsed once, with an
 * error naming the option, the value and what it accepts.
 */
import { parseArgs } from "node:util";
import type { Dialect } from "../sdk";
import { wholeNumberOption } from "./wholeNumberOptions";

export const STEP_KINDS = ["create", "preview", "refresh", "noop", "update", "destroy"] as const;
export type StepKind = (typeof STEP_KINDS)[number];

/** One operation of the sequence; `skipPreview` only for the `up`s (create, noop, update). */
export interface Step {
  readonly kind: StepKind;
  readonly skipPreview: boolean;
}

/** The README's order: every `up` previews first, as `pulumi up` does. */
export const DEFAULT_ORDER = "create,preview,refresh,noop,update,destroy";

const UP_KINDS: ReadonlySet<StepKind> = new Set(["create", "noop", "update"]);
const SKIP_PREVIEW = ":skip-preview";

export interface BenchOptions {
  readonly customers: number;
  readonly applicationLicenses: number;
  readonly artifactLicenses: number;
  readonly dialect: Dialect;
  readonly steps: readonly Step[];
  /** Seconds into Distr's minute window at which the sequence starts; undefined: at once, wherever that is. */
  readonly offsetSeconds: number | undefined;
  /** A directory for V8 CPU profiles of the Distr stack's Node processes (program and provider), or undefined. */
  readonly cpuProfileDirectory: string | undefined;
}

/** How the table names a step: the command as run, and what it does. */
export function stepLabel(step: Step): string {
  const up = step.skipPreview ? "up --skip-preview" : "up";
  switch (step.kind) {
    case "create":
      return `${up} (create)`;
    case "noop":
      return `${up}, no changes`;
    case "update":
      return `${up}, every expiry`;
    default:
      return step.kind;
  }
}

/** `create:skip-preview,preview,…` → steps; `skipAll` adds --skip-preview to every `up`. */
export function parseOrder(text: string, skipAll: boolean): Step[] {
  const steps = text.split(",").map((item): Step => {
    const name = item.trim();
    const skipPreview = name.endsWith(SKIP_PREVIEW);
    const kind = skipPreview ? name.slice(0, -SKIP_PREVIEW.length) : name;
    if (!(STEP_KINDS as readonly string[]).includes(kind)) {
      throw new Error(
        `--order: unknown operation ${JSON.stringify(name)}; use ${STEP_KINDS.join(", ")} ` +
          `(an up, i.e. create, noop or update, may end in ${SKIP_PREVIEW})`,
      );
    }
    const stepKind = kind as StepKind;
    if (skipPreview && !UP_KINDS.has(stepKind)) {
      throw new Error(`--order: ${JSON.stringify(name)}: only create, noop and update are \`up\`s with a preview`);
    }
    return { kind: stepKind, skipPreview: UP_KINDS.has(stepKind) && (skipPreview || skipAll) };
  });
  if (steps[0]?.kind !== "create" || steps.slice(1).some((s) => s.kind === "create")) {
    throw new Error(
      `--order ${JSON.stringify(text)}: must start with create, once (the other operations need the stack)`,
    );
  }
  if (steps.slice(0, -1).some((s) => s.kind === "destroy")) {
    throw new Error(`--order ${JSON.stringify(text)}: destroy can only be the last operation`);
  }
  return steps;
}

export function benchOptions(args: string[] = process.argv.slice(2)): BenchOptions {
  const { values } = parseArgs({
    args,
    options: {
      customers: { type: "string" },
      "application-licenses": { type: "string" },
      "artifact-licenses": { type: "string" },
      dialect: { type: "string" },
      order: { type: "string" },
      "skip-preview": { type: "boolean" },
      offset: { type: "string" },
      "cpu-profile": { type: "string" },
    },
  });
  const dialect = values.dialect ?? "3";
  if (dialect !== "2" && dialect !== "3") {
    throw new Error(`--dialect needs 2 or 3 (Distr 2.x or 3.x), got ${JSON.stringify(dialect)}`);
  }
  let offsetSeconds: number | undefined;
  if (values.offset !== undefined) {
    offsetSeconds = Number(values.offset);
    if (values.offset.trim() === "" || !Number.isFinite(offsetSeconds) || offsetSeconds < 0 || offsetSeconds >= 60) {
      throw new Error(
        `--offset needs seconds into Distr's minute, 0 to below 60, got ${JSON.stringify(values.offset)}`,
      );
    }
  }
  return {
    customers: wholeNumberOption("customers", values.customers, 0) ?? 20,
    applicationLicenses: wholeNumberOption("application-licenses", values["application-licenses"], 0) ?? 10,
    artifactLicenses: wholeNumberOption("artifact-licenses", values["artifact-licenses"], 0) ?? 1,
    dialect,
    steps: parseOrder(values.order ?? DEFAULT_ORDER, values["skip-preview"] ?? false),
    offsetSeconds,
    cpuProfileDirectory: values["cpu-profile"],
  };
}
