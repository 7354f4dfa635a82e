/**
 * The document `pulumi preview --json` prints (pulumi-notes §8; pkg/display/json.go `PreviewDigest`). Only what the
 * review reads is described; everything else passes. Secrets arrive as the string "[secret]"; dynamic resources
 * with a custom diff carry no detailed diff, so the review compares each step's old state with its new inputs.
 */
import { z } from "zod";

/** How `pulumi preview --json` prints every secret value. */
export const SECRET_PLACEHOLDER = "[secret]";

const propertyBag = z.record(z.string(), z.unknown());

const resourceStateSchema = z.object({
  urn: z.string(),
  type: z.string(),
  id: z.string().optional(),
  inputs: propertyBag.nullish(),
  outputs: propertyBag.nullish(),
  propertyDependencies: z.record(z.string(), z.array(z.string()).nullish()).nullish(),
});
export type PreviewResourceState = z.infer<typeof resourceStateSchema>;

const stepSchema = z.object({
  op: z.string(),
  urn: z.string(),
  oldState: resourceStateSchema.nullish(),
  newState: resourceStateSchema.nullish(),
  replaceReasons: z.array(z.string()).nullish(),
});
export type PreviewStep = z.infer<typeof stepSchema>;

const diagnosticSchema = z.object({
  urn: z.string().optional(),
  message: z.string(),
  severity: z.string(),
});

export const previewDocumentSchema = z.object({
  steps: z
    .array(stepSchema)
    .nullish()
    .transform((steps) => steps ?? []),
  diagnostics: z
    .array(diagnosticSchema)
    .nullish()
    .transform((diagnostics) => diagnostics ?? []),
  changeSummary: z.record(z.string(), z.number()).nullish(),
});
export type PreviewDocument = z.infer<typeof previewDocumentSchema>;

/** The input is not a preview document the review can read. */
export class PreviewDocumentError extends Error {
  readonly kind = "preview-document";
  constructor(message: string) {
    super(message);
    this.name = "PreviewDocumentError";
  }
}

/** Parses the text of `pulumi preview --json`; `source` names where it came from in errors. */
export function parsePreviewDocument(text: string, source: string): PreviewDocument {
  if (text.trim() === "") {
    throw new PreviewDocumentError(`${source} is empty; pass the output of \`pulumi preview --json\``);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new PreviewDocumentError(
      `${source} is not JSON (${error instanceof Error ? error.message : String(error)}); ` +
        "pass the output of `pulumi preview --json` (without --diff or other display options)",
    );
  }
  refuseOtherDocuments(json, source);
  const parsed = previewDocumentSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`);
    throw new PreviewDocumentError(
      `${source} is not a \`pulumi preview --json\` document: ${problems.slice(0, 5).join("; ")}`,
    );
  }
  const errors = parsed.data.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) {
    throw new PreviewDocumentError(
      `${source}: the preview failed, so it does not show what would change: ` +
        errors.map((d) => d.message.trim()).join("; "),
    );
  }
  return parsed.data;
}

/** Keys every `pulumi preview --json` document has at least one of (pkg/display/json.go `PreviewDigest`). */
const PREVIEW_KEYS = ["steps", "changeSummary", "duration"];

/**
 * Valid JSON that is not a preview must not pass as one with "No license changes.": `{}`, a `pulumi stack export`,
 * another tool's output. A real preview has a duration and a change summary even when nothing changes.
 */
function refuseOtherDocuments(json: unknown, source: string): void {
  const expected =
    "pass the output of `pulumi preview --json --show-sames --show-replacement-steps` (or use --stack to run it)";
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    const got = json === null ? "null" : Array.isArray(json) ? "a JSON array" : `a JSON ${typeof json}`;
    throw new PreviewDocumentError(`${source} is not a preview: it is ${got}; ${expected}`);
  }
  const keys = Object.keys(json);
  if (keys.includes("deployment")) {
    throw new PreviewDocumentError(
      `${source} is a stack's state (the output of \`pulumi stack export\`), not a preview of changes; ${expected}`,
    );
  }
  if (!keys.some((key) => PREVIEW_KEYS.includes(key))) {
    const got =
      keys.length === 0
        ? "an empty object ({})"
        : `an object with ${keys.length === 1 ? "key" : "keys"} ${keys.slice(0, 8).join(", ")}`;
    throw new PreviewDocumentError(
      `${source} is not a preview: it is ${got}, without any of ${PREVIEW_KEYS.join(", ")}; ${expected}`,
    );
  }
}
