/**
 * The licenses of a stack's previous state: what a policy pack compares the program with to see a deleted license.
 * The engine never shows an analyzer a delete (it calls `Analyze` for registered resources only, and `AnalyzeStack`
 * with the stack's final resources: pkg/resource/deploy/step_generator.go `AnalyzeResources`), so a license the
 * program dropped is one that the previous state has and the final stack has not. The state is read the way a user
 * reads it, `pulumi stack export` for the stack the engine named in `ConfigureStack` (analyzerRequests.ts), run in
 * the program's directory (the analyzer's working directory) with the environment the engine gave the analyzer
 * (backend URL, passphrase): read-only, no lock taken.
 */
import { execFile } from "node:child_process";
import { z } from "zod";
import { resourceKindOf, resourceNameOf } from "../review/resourceKinds";
import type { AnalyzedStack } from "./analyzerRequests";

export interface PreviousLicense {
  readonly kind: "applicationLicense" | "artifactLicense";
  readonly urn: string;
  /** The resource's name in the program. */
  readonly name: string;
  /** The provider's outputs as the state keeps them (secrets stay encrypted: none is read). */
  readonly outputs: Readonly<Record<string, unknown>>;
}

const exportSchema = z.object({
  deployment: z.object({
    resources: z
      .array(
        z.object({
          urn: z.string(),
          type: z.string(),
          delete: z.boolean().optional(),
          outputs: z.record(z.string(), z.unknown()).nullish(),
        }),
      )
      .nullish(),
  }),
});

export type PreviousLicensesResult =
  { readonly licenses: readonly PreviousLicense[] } | { readonly unavailable: string };

/** Runs `pulumi stack export` for the stack; `pulumi` from PATH unless `pulumi` is given. */
export async function previousLicenses(
  stack: AnalyzedStack,
  options: { pulumi?: string; cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<PreviousLicensesResult> {
  const qualified = `${stack.organization}/${stack.project}/${stack.stack}`;
  const command = `pulumi stack export --stack ${qualified}`;
  const result = await new Promise<{ stdout: string; stderr: string; failure?: string }>((resolve) => {
    execFile(
      options.pulumi ?? "pulumi",
      ["stack", "export", "--stack", qualified, "--non-interactive"],
      { cwd: options.cwd ?? process.cwd(), env: options.env ?? process.env, maxBuffer: 512 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error === null) return resolve({ stdout, stderr });
        const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
        resolve({
          stdout,
          stderr,
          failure: missing
            ? "`pulumi` is not on the PATH the engine gave the policy pack"
            : `exit ${String(error.code)}`,
        });
      },
    );
  });
  if (result.failure !== undefined) {
    const detail = result.stderr.trim().split("\n").slice(-3).join(" ").trim();
    return { unavailable: `\`${command}\` failed (${result.failure})${detail ? `: ${detail}` : ""}` };
  }
  let parsed: z.infer<typeof exportSchema>;
  try {
    parsed = exportSchema.parse(JSON.parse(result.stdout));
  } catch (error) {
    return { unavailable: `\`${command}\` printed no stack state (${(error as Error).message.split("\n")[0]})` };
  }
  const licenses: PreviousLicense[] = [];
  for (const resource of parsed.deployment.resources ?? []) {
    const kind = resourceKindOf(resource.type);
    // `delete: true` marks an old half of a replacement that is already on its way out.
    if ((kind !== "applicationLicense" && kind !== "artifactLicense") || resource.delete === true) continue;
    licenses.push({ kind, urn: resource.urn, name: resourceNameOf(resource.urn), outputs: resource.outputs ?? {} });
  }
  return { licenses };
}
