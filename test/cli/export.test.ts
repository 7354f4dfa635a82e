import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseCatalog } from "../../catalog/load";
import { UsageError } from "../../cli/command";
import { parseExportArguments } from "../../cli/export";
import { startLocalDistr, type LocalDistr } from "../../local-distr";
import { createDistrClient } from "../../sdk/client";
import { populateRandomOrganization } from "../export/randomOrganization";

const REPO = path.resolve(__dirname, "../..");
// Each run transpiles the CLI and what it imports on the fly (scripts/register-typescript.cjs).
jest.setTimeout(90_000);

describe("pulumi-distr export argument parsing", () => {
  it("defaults to the catalog format on stdout", () => {
    expect(parseExportArguments([])).toEqual({
      format: "catalog",
      customers: [],
      out: undefined,
      host: undefined,
      allowInsecureHttp: false,
    });
  });

  it("takes repeated customers, an output file, a format and a host", () => {
    expect(
      parseExportArguments([
        "--format",
        "typescript",
        "--customer",
        "ACME Corp",
        "--customer=Café Zürich",
        "--out",
        "x.ts",
        "--host",
        "http://127.0.0.1:8585",
        "--allow-insecure-http",
      ]),
    ).toEqual({
      format: "typescript",
      customers: ["ACME Corp", "Café Zürich"],
      out: "x.ts",
      host: "http://127.0.0.1:8585",
      allowInsecureHttp: true,
    });
  });

  it("takes an explicit provider and a parent for the import file", () => {
    const provider = "urn:pulumi:dev::licenses::pulumi:providers:distr::hub-eu";
    const parent = "urn:pulumi:dev::licenses::my:index:Licenses::licenses";
    expect(
      parseExportArguments([
        "--format",
        "import",
        "--provider",
        `hub-eu=${provider}`,
        "--parent",
        `licenses=${parent}`,
      ]),
    ).toMatchObject({
      format: "import",
      provider: { name: "hub-eu", urn: provider },
      parent: { name: "licenses", urn: parent },
    });
  });

  it.each([
    [["--format", "yaml"], /--format must be catalog, typescript or import, got yaml/],
    [["--provider", "hub=urn:x"], /--provider and --parent belong to --format import/],
    [["--format", "import", "--provider", "hub"], /--provider "hub" is not NAME=URN/],
    [
      ["--format", "import", "--provider", "hub=urn:pulumi:dev::p::pulumi:providers:aws::hub"],
      /is not a pulumi:providers:distr resource/,
    ],
    [["--token", "distr-0123456789abcdef0123456789abcdef"], /unknown option "--token"/],
    [["--out"], /--out needs a value/],
  ])("%j is a usage error", (argv, message) => {
    expect(() => parseExportArguments(argv)).toThrow(UsageError);
    expect(() => parseExportArguments(argv)).toThrow(message);
  });
});

describe("pulumi-distr export (the command in its own process)", () => {
  let distr: LocalDistr;
  let dir: string;

  beforeAll(async () => {
    distr = await startLocalDistr({ dialect: "3", rateLimits: false });
    const portal = createDistrClient({ host: distr.host, token: distr.token, rateLimits: false });
    await populateRandomOrganization(distr, portal, { seed: 3, customers: 4, licenses: 10 });
    await portal.close();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-distr-export-"));
  });
  afterAll(async () => {
    await distr.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function exportCli(args: string[], env: Record<string, string>) {
    return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [
          "-r",
          path.join(REPO, "scripts", "register-typescript.cjs"),
          path.join(REPO, "cli", "main.ts"),
          "export",
          ...args,
        ],
        { cwd: dir, env: { PATH: process.env["PATH"] ?? "", ...env } },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });
  }

  it("writes the catalog to --out, reports what it read on stderr (no progress line off a terminal), never the token", async () => {
    const out = path.join(dir, "exported.yaml");
    const result = await exportCli(["--customer", "Acme Corp", "--out", out], {
      DISTR_HOST: distr.host,
      DISTR_TOKEN: distr.token,
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(
      /^exported 2 customers, \d+ licenses from http:\/\/127\.0\.0\.1:\d+ \(\d+ requests, [\d.]+ s\) to /m,
    );
    expect(result.stderr).not.toContain("reading Distr");
    const text = fs.readFileSync(out, "utf8");
    expect(parseCatalog(text, out).customers.map((c) => c.name)).toEqual(["Acme Corp", "Acme Corp"]);
    expect(text + result.stderr).not.toContain(distr.token);
  });

  it("counts in the singular for one, and says so when the --out directory does not exist", async () => {
    const one = await exportCli(["--customer", "Initech GmbH", "--out", path.join(dir, "one.yaml")], {
      DISTR_HOST: distr.host,
      DISTR_TOKEN: distr.token,
    });
    expect(one.code).toBe(0);
    expect(one.stderr).toMatch(/^exported 1 customer, \d+ licenses? from /m);
    const missing = path.join(dir, "no", "such", "dir");
    const nowhere = await exportCli(["--out", path.join(missing, "out.yaml")], {
      DISTR_HOST: distr.host,
      DISTR_TOKEN: distr.token,
    });
    expect(nowhere.code).toBe(1);
    expect(nowhere.stderr).toBe(
      `pulumi-distr export: --out ${path.join(missing, "out.yaml")}: the directory ${missing} does not exist; ` +
        `create it first (mkdir -p ${missing}) or choose another --out\n`,
    );
  });

  it("fails with what to do when the token is missing or a customer is unknown", async () => {
    const noToken = await exportCli([], { DISTR_HOST: distr.host });
    expect(noToken.code).toBe(1);
    expect(noToken.stderr).toContain("set DISTR_TOKEN to a Distr personal access token");
    const unknown = await exportCli(["--customer", "Nobody"], { DISTR_HOST: distr.host, DISTR_TOKEN: distr.token });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('Distr has no customer named "Nobody"');
  });
});
