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
