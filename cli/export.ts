/**
 * `pulumi-distr export`: writes code (a license catalog, or a TypeScript program) describing a live Distr
 * organization, every object marked for adoption, or the file `pulumi import --file` takes. The work is in export/;
 * this file reads options and the environment, shows progress on a terminal, and writes the result.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { EXPORT_FORMATS, exportOrganization, ExportError, type ExportFormat, type StackReference } from "../export";
import { createDistrClient, type ClosableDistrClient } from "../sdk/client";
import { DEFAULT_DISTR_HOST } from "../sdk/dialect";
import { isDistrApiError } from "../sdk/errors";
import { parseOptions, UsageError, type CliCommand } from "./command";

const USAGE = `Usage: pulumi-distr export [options]

Reads the customers, application and artifact licenses of a Distr organization and writes code that describes
exactly what exists, every object marked for adoption: the first \`pulumi up\` takes them over without writing to
Distr. The token comes from DISTR_TOKEN (never from an option, so it stays out of shell history).

With --format import it writes the JSON file that \`pulumi import --file FILE\` takes instead: every customer,
license, license key and template by id, for a stack that uses the provider plugin (pulumi-resource-distr, type
tokens distr:index:*). The import reads each object without writing to Distr and prints the program (YAML,
TypeScript, ...) with names, not ids.

Options:
  --format catalog|typescript|import
                                a license catalog for the root program (default), a Pulumi TypeScript program, or
                                the file for \`pulumi import --file\`
  --customer NAME               export only this customer (repeatable; names match exactly)
  --provider NAME=URN           import: the explicit distr provider (already in the stack) the resources belong to
  --parent NAME=URN             import: the resource (already in the stack) to put them under
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
  /** --format import only. */
  readonly provider?: StackReference;
  readonly parent?: StackReference;
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
    provider: { type: "string" },
    parent: { type: "string" },
  });
  if (values.help) return null;
  const format = values.format ?? "catalog";
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) {
    const choices = `${EXPORT_FORMATS.slice(0, -1).join(", ")} or ${EXPORT_FORMATS.at(-1) ?? ""}`;
    throw new UsageError(`--format must be ${choices}, got ${format}`);
  }
  if (format !== "import" && (values.provider !== undefined || values.parent !== undefined)) {
    throw new UsageError(`--provider and --parent belong to --format import (the import file), not --format ${format}`);
  }
  return {
    format: format as ExportFormat,
    customers: values.customer ?? [],
    out: values.out,
    host: values.host,
    allowInsecureHttp: values["allow-insecure-http"] ?? false,
    ...(values.provider !== undefined
      ? { provider: stackReference(values.provider, "--provider", "pulumi:providers:distr") }
      : {}),
    ...(values.parent !== undefined ? { parent: stackReference(values.parent, "--parent") } : {}),
  };
}

/** `NAME=URN`: the engine finds a provider or parent of an import by its URN in the stack. */
function stackReference(text: string, option: string, type?: string): StackReference {
  const at = text.indexOf("=");
  const name = at === -1 ? "" : text.slice(0, at);
  const urn = at === -1 ? "" : text.slice(at + 1);
  const example = `${option} hub=urn:pulumi:dev::licenses::${type ?? "my:index:Component"}::hub`;
  if (name === "" || !urn.startsWith("urn:pulumi:")) {
    throw new UsageError(
      `${option} ${JSON.stringify(text)} is not NAME=URN: give the name the file should use and the resource's URN ` +
        `in the stack (\`pulumi stack --show-urns\`), like ${example}`,
    );
  }
  if (type !== undefined && !urn.includes(`::${type}::`)) {
    throw new UsageError(`${option}: ${urn} is not a ${type} resource; like ${example}`);
  }
  return { name, urn };
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
        ...(args.format === "import"
          ? {
              importFile: {
                ...(args.provider ? { provider: args.provider } : {}),
                ...(args.parent ? { parent: args.parent } : {}),
              },
            }
          : {}),
        onProgress: (done, total) => progress.show(`pulumi-distr export: reading Distr ${done}/${total}`),
      });
      progress.clear();
      if (args.out !== undefined) fs.writeFileSync(args.out, result.text);
      else process.stdout.write(result.text);
      for (const warning of result.warnings) process.stderr.write(`warning: ${warning.subject}: ${warning.message}\n`);
      const { customers, licensesWithoutCustomer, licenseKeysWithoutCustomer, licenseTemplates } = result.organization;
      const licenses = customers.reduce((sum, c) => sum + c.licenses.length, licensesWithoutCustomer.length);
      const keys = customers.reduce((sum, c) => sum + c.licenseKeys.length, licenseKeysWithoutCustomer.length);
      const keysAndTemplates =
        args.format === "import"
          ? `, ${counted(keys, "license key")}, ${counted(licenseTemplates.length, "license template")}`
          : "";
      process.stderr.write(
        `exported ${counted(customers.length, "customer")}, ${counted(licenses, "license")}${keysAndTemplates} ` +
          `from ${client.host} ` +
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
