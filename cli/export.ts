/**
 * `pulumi-distr export`: writes code (a license catalog, or a TypeScript program) describing a live Distr
 * organization, every object marked for adoption. The work is in export/; this file reads options and the
 * environment, shows progress on a terminal, and writes the result.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { EXPORT_FORMATS, exportOrganization, ExportError, type ExportFormat } from "../export";
import { createDistrClient, type ClosableDistrClient } from "../sdk/client";
import { DEFAULT_DISTR_HOST } from "../sdk/dialect";
import { isDistrApiError } from "../sdk/errors";
import { parseOptions, UsageError, type CliCommand } from "./command";

const USAGE = `Usage: pulumi-distr export [options]

Reads the customers, application and artifact licenses of a Distr organization and writes code that describes
exactly what exists, every object marked for adoption: the first \`pulumi up\` takes them over without writing to
Distr. The token comes from DISTR_TOKEN (never from an option, so it stays out of shell history).

Options:
  --format catalog|typescript   a license catalog for the root program (default), or a Pulumi TypeScript program
  --customer NAME               export only this customer (repeatable; names match exactly)
  --out FILE                    write to FILE (default: stdout)
  --host URL                    the Distr hub (default: DISTR_HOST, else ${DEFAULT_DISTR_HOST})
  --allow-insecure-http         allow http:// to hosts other than loopback (like distr:allowInsecureHttp)
  -h, --help                    show this help
`;

export interface ExportArguments {
  readonly format: ExportFormat;
  readonly customers: readonly string[];
  readonly out: string | undefined;
  readonly host: string | undefined;
  readonly allowInsecureHttp: boolean;
}

/** `null` means: print the usage. */
export function parseExportArguments(argv: readonly string[]): ExportArguments | null {
  const { values } = parseOptions(argv, {
    help: { type: "boolean", short: "h" },
    format: { type: "string" },
    customer: { type: "string", multiple: true },
    out: { type: "string" },
    host: { type: "string" },
    "allow-insecure-http": { type: "boolean" },
  });
  if (values.help) return null;
  const format = values.format ?? "catalog";
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format must be ${EXPORT_FORMATS.join(" or ")}, got ${format}`);
  }
  return {
    format: format as ExportFormat,
    customers: values.customer ?? [],
    out: values.out,
    host: values.host,
    allowInsecureHttp: values["allow-insecure-http"] ?? false,
  };
}

export const exportCommand: CliCommand = {
  name: "export",
  summary: "write a Distr organization as a license catalog or a Pulumi program, marked for adoption",
  usage: USAGE,
  async run(argv) {
    const args = parseExportArguments(argv);
    if (args === null) {
      process.stdout.write(USAGE);
      return 0;
    }
    if (args.out !== undefined) {
      // Checked before reading Distr: a run of minutes should not end in a bare ENOENT.
      const directory = path.dirname(path.resolve(args.out));
      if (!fs.existsSync(directory) || !fs.statSync(directory).isDirectory()) {
        process.stderr.write(
          `pulumi-distr export: --out ${args.out}: the directory ${directory} does not exist; ` +
            `create it first (mkdir -p ${directory}) or choose another --out\n`,
        );
        return 1;
      }
    }
    const token = process.env["DISTR_TOKEN"] ?? "";
    if (token === "") {
      process.stderr.write("pulumi-distr export: set DISTR_TOKEN to a Distr personal access token (distr-…)\n");
      return 1;
    }
    const host = args.host ?? (process.env["DISTR_HOST"] || DEFAULT_DISTR_HOST);
    let requests = 0;
    let client: ClosableDistrClient;
    try {
      client = createDistrClient({
        host,
        token,
        allowInsecureHttp: args.allowInsecureHttp,
        onRequest: () => requests++,
      });
    } catch (error) {
      // A malformed token or a refused plain-http host: the message says which and what to do, never the token.
      if (!isDistrApiError(error)) throw error;
      process.stderr.write(`pulumi-distr export: ${error.message}\n`);
      return 1;
    }
    const progress = progressLine(process.stderr);
    const started = Date.now();
    try {
      const result = await exportOrganization(client, {
        format: args.format,
        customers: args.customers,
        packageVersion: packageVersion(),
        onProgress: (done, total) => progress.show(`pulumi-distr export: reading Distr ${done}/${total}`),
      });
      progress.clear();
      if (args.out !== undefined) fs.writeFileSync(args.out, result.text);
      else process.stdout.write(result.text);
      for (const warning of result.warnings) process.stderr.write(`warning: ${warning.subject}: ${warning.message}\n`);
      const licenses =
        result.organization.customers.reduce((sum, c) => sum + c.licenses.length, 0) +
        result.organization.licensesWithoutCustomer.length;
      process.stderr.write(
        `exported ${counted(result.organization.customers.length, "customer")}, ` +
          `${counted(licenses, "license")} from ${client.host} ` +
          `(${requests} requests, ${((Date.now() - started) / 1000).toFixed(1)} s)` +
          `${args.out !== undefined ? ` to ${args.out}` : ""}\n`,
      );
      return 0;
    } catch (error) {
      progress.clear();
      if (error instanceof ExportError || isDistrApiError(error)) {
        process.stderr.write(`pulumi-distr export: ${error.message}\n`);
        return 1;
      }
      throw error;
    } finally {
      await client.close();
    }
  },
};

function counted(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

/** One rewritten line on a terminal; nothing when stderr is a file or a pipe. */
function progressLine(stream: NodeJS.WriteStream) {
  let shown = false;
  return {
    show(text: string) {
      if (!stream.isTTY) return;
      stream.write(`\r${text}\u001b[K`);
      shown = true;
    },
    clear() {
      if (shown) stream.write("\r\u001b[K");
      shown = false;
    },
  };
}

/** The version of the installed pulumi-distr (the package.json above this file, in dist/ or in the sources). */
function packageVersion(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const file = path.join(dir, "package.json");
    if (fs.existsSync(file)) {
      const manifest = JSON.parse(fs.readFileSync(file, "utf8")) as { name?: string; version?: string };
      if (manifest.name === "pulumi-distr" && manifest.version) return manifest.version;
    }
    if (path.dirname(dir) === dir) return "unknown";
  }
}
