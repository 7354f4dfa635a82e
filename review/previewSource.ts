/**
 * Where the review gets its preview: a file, stdin, or `pulumi preview --json` run for a stack. The review runs the
 * preview with --show-sames (unchanged resources are counted) and --show-replacement-steps (the engine's order of a
 * replacement shows whether the license is deleted first). For Distr look-ups it reads the stack's `distr:host` and
 * `distr:token` the way the provider does (stack configuration first, then DISTR_HOST / DISTR_TOKEN).
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs/promises";
import { CONFIG_KEYS, ENV_VARS } from "../provider/config";
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
  /** Where the settings came from, for messages (never the token). */
  readonly source: string;
}

/** `distr:host` / `distr:token` of the stack, else DISTR_HOST / DISTR_TOKEN: as the provider reads them. */
export async function distrSettings(target: StackTarget | undefined, env = process.env): Promise<DistrSettings> {
  const fromEnv = (name: string) => (env[name]?.trim() ? env[name]?.trim() : undefined);
  let host: string | undefined;
  let token: string | undefined;
  if (target) {
    host = await configValue(target, CONFIG_KEYS.host);
    token = await configValue(target, CONFIG_KEYS.token);
  }
  const source =
    host !== undefined || token !== undefined
      ? `stack ${target?.stack} configuration`
      : `${ENV_VARS.host}/${ENV_VARS.token}`;
  host ??= fromEnv(ENV_VARS.host);
  token ??= fromEnv(ENV_VARS.token);
  return { ...(host !== undefined ? { host } : {}), ...(token !== undefined ? { token } : {}), source };
}

async function configValue(target: StackTarget, key: string): Promise<string | undefined> {
  const result = await runPulumi(target, ["config", "get", key, "--stack", target.stack]);
  const value = result.stdout.trim();
  return result.code === 0 && value !== "" ? value : undefined;
}

function runPulumi(target: StackTarget, args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve, reject) => {
    execFile(
      target.pulumi ?? "pulumi",
      args,
      { cwd: target.cwd ?? process.cwd(), env: target.env ?? process.env, maxBuffer: 256 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error && (error as NodeJS.ErrnoException).code === "ENOENT") {
          reject(
            new PreviewDocumentError(
              "`pulumi` is not on PATH (or --cwd does not exist): install the Pulumi CLI, or pass the JSON of " +
                "`pulumi preview --json` as a file or on stdin",
            ),
          );
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
