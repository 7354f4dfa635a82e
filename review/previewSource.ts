/**
 * Where the review gets its preview: a file, stdin, or `pulumi preview --json` run for a stack. The review runs the
 * preview with --show-sames (unchanged resources are counted) and --show-replacement-steps (the engine's order of a
 * replacement shows whether the license is deleted first). For Distr look-ups it reads the stack's `distr:host` and
 * `distr:token` the way the provider does (stack configuration first, then DISTR_HOST / DISTR_TOKEN).
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs/promises";
import { z } from "zod";
import { CONFIG_KEYS, ENV_VARS } from "../provider/config";
import type { Dialect } from "../sdk/dialect";
import { PreviewDocumentError } from "./previewDocument";

export const PREVIEW_ARGUMENTS = ["preview", "--json", "--show-sames", "--show-replacement-steps", "--non-interactive"];

export interface StackTarget {
  readonly stack: string;
  /** The Pulumi project directory (default: the current directory). */
  readonly cwd?: string;
  /** The `pulumi` executable (default: `pulumi` on PATH). */
  readonly pulumi?: string;
  readonly env?: NodeJS.ProcessEnv;
}

export async function readPreviewFile(file: string): Promise<string> {
  try {
    return await fs.readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new PreviewDocumentError(
      code === "ENOENT" ? `${file} does not exist` : `cannot read ${file}: ${(error as Error).message}`,
    );
  }
}

export async function readPreviewStdin(stdin: NodeJS.ReadableStream = process.stdin): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}

/** Runs `pulumi preview --json` for the stack; its JSON, also when the preview failed (it then carries the errors). */
export async function runPreview(target: StackTarget): Promise<string> {
  const result = await runPulumi(target, [...PREVIEW_ARGUMENTS, "--stack", target.stack]);
  if (result.stdout.trim() !== "") return result.stdout;
  throw new PreviewDocumentError(
    `\`pulumi preview --json --stack ${target.stack}\`${target.cwd ? ` in ${target.cwd}` : ""} failed` +
      `${result.code !== 0 ? ` (exit ${result.code})` : ""}: ${lastLines(result.stderr) || "no output"}`,
  );
}

export interface DistrSettings {
  readonly host?: string;
  readonly token?: string;
  readonly dialect?: Dialect;
  readonly allowInsecureHttp?: boolean;
  /** Where the settings came from, for messages (never the token). */
  readonly source: string;
}

/** `pulumi config --json` of a stack: key → { value, secret }. */
const stackConfigSchema = z.record(z.string(), z.object({ value: z.unknown().optional() }).loose());

/**
 * The stack's `distr:*` configuration, else DISTR_HOST / DISTR_TOKEN: as the provider reads them
 * (provider/config.ts). One `pulumi config --json --show-secrets` call; the token stays in this process.
 */
export async function distrSettings(target: StackTarget | undefined, env = process.env): Promise<DistrSettings> {
  const fromEnv = (name: string) => (env[name]?.trim() ? env[name]?.trim() : undefined);
  const config = target ? await stackConfig(target) : {};
  const value = (key: string) => {
    const entry = config[key]?.value;
    return typeof entry === "string" && entry.trim() !== "" ? entry.trim() : undefined;
  };
  const host = value(CONFIG_KEYS.host);
  const token = value(CONFIG_KEYS.token);
  const dialect = value(CONFIG_KEYS.dialect);
  const insecure = value(CONFIG_KEYS.allowInsecureHttp);
  const source =
    host !== undefined || token !== undefined
      ? `stack ${target?.stack} configuration`
      : `${ENV_VARS.host}/${ENV_VARS.token}`;
  const resolvedHost = host ?? fromEnv(ENV_VARS.host);
  const resolvedToken = token ?? fromEnv(ENV_VARS.token);
  return {
    ...(resolvedHost !== undefined ? { host: resolvedHost } : {}),
    ...(resolvedToken !== undefined ? { token: resolvedToken } : {}),
    ...(dialect === "2" || dialect === "3" ? { dialect } : {}),
    ...(insecure !== undefined ? { allowInsecureHttp: insecure === "true" } : {}),
    source,
  };
}

async function stackConfig(target: StackTarget): Promise<z.infer<typeof stackConfigSchema>> {
  const result = await runPulumi(target, ["config", "--json", "--show-secrets", "--stack", target.stack]);
  if (result.code !== 0) return {};
  try {
    const parsed = stackConfigSchema.safeParse(JSON.parse(result.stdout));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

/**
 * Runs the Pulumi CLI for a stack target (its cwd, executable and environment); its output and exit code. Only a
 * missing executable rejects, with `notFound` as the message (what the caller can do instead).
 */
export function runPulumi(
  target: StackTarget,
  args: string[],
  notFound = "`pulumi` is not on PATH (or --cwd does not exist): install the Pulumi CLI, or pass the JSON of " +
    "`pulumi preview --json` as a file or on stdin",
): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve, reject) => {
    execFile(
      target.pulumi ?? "pulumi",
      args,
      { cwd: target.cwd ?? process.cwd(), env: target.env ?? process.env, maxBuffer: 256 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error && (error as NodeJS.ErrnoException).code === "ENOENT") {
          reject(new PreviewDocumentError(notFound));
          return;
        }
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1;
        resolve({ stdout, stderr, code });
      },
    );
  });
}

function lastLines(text: string): string {
  return text.trim().split("\n").slice(-5).join(" ").trim();
}
