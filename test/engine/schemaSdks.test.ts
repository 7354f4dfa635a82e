/**
 * The package schema through the real CLI's SDK generation: `pulumi package gen-sdk` for nodejs, python and go (with
 * scripts/pulumi-sdkgen.sh's generators, since this machine has no current language hosts) ends without errors or
 * warnings, and what it writes is sound: the nodejs SDK compiles with the project's TypeScript and @pulumi/pulumi,
 * the python SDK byte-compiles, the go SDK parses (gofmt). The generated classes carry the schema's resources,
 * secrets and replaceOnChanges.
 */
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { distrPackageSchema } from "../../plugin/schema";
import { pulumiEngine, REPO_ROOT, type Engine } from "./harness/engine";

jest.setTimeout(6 * 60_000);

const LANGUAGES = ["nodejs", "python", "go"] as const;
type Language = (typeof LANGUAGES)[number];

const packageVersion = (
  JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string }
).version;
const schema = distrPackageSchema(packageVersion);
const timings: string[] = [];

function timed<T>(what: string, run: () => T): T {
  const started = Date.now();
  try {
    return run();
  } finally {
    timings.push(`${what}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}

let engine: Engine;
let work: string;
let env: NodeJS.ProcessEnv;
const generated = new Map<Language, { code: number | null; stdout: string; stderr: string; dir: string }>();

beforeAll(async () => {
  engine = await pulumiEngine();
  work = fs.mkdtempSync(path.join(os.tmpdir(), "distr-schema-sdks-"));
  const sdkgen = timed("scripts/pulumi-sdkgen.sh", () =>
    execFileSync("bash", [path.join(REPO_ROOT, "scripts", "pulumi-sdkgen.sh")], {
      cwd: REPO_ROOT,
      encoding: "utf8",
      env: { ...process.env, ...engine.env, PULUMI_DISTR_ENGINE_BIN: path.dirname(engine.executable) },
      stdio: ["ignore", "pipe", "inherit"],
    })
      .trim()
      .split("\n")
      .pop(),
  );
  if (!sdkgen) throw new Error("scripts/pulumi-sdkgen.sh printed no directory");
  const schemaFile = path.join(work, "schema.json");
  fs.writeFileSync(schemaFile, JSON.stringify(schema, null, 2));
  env = {
    ...process.env,
    ...engine.env,
    PATH: `${sdkgen}:${engine.env.PATH ?? ""}`,
    PULUMI_HOME: path.join(work, "pulumi-home"),
  };
  for (const language of LANGUAGES) {
    const dir = path.join(work, language);
    const result = timed(`gen-sdk --language ${language}`, () =>
      spawnSync(path.join(sdkgen, "pulumi"), ["package", "gen-sdk", schemaFile, "--language", language, "--out", dir], {
        cwd: work,
        env,
        encoding: "utf8",
      }),
    );
    generated.set(language, { code: result.status, stdout: result.stdout, stderr: result.stderr, dir });
  }
});

afterAll(() => {
  console.log(`schema ${JSON.stringify(schema).length} bytes; ${timings.join("; ")}`);
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

function output(language: Language): { dir: string; files: string[] } {
  const result = generated.get(language);
  if (!result) throw new Error(`no ${language} run`);
  const root = path.join(result.dir, language);
  const files: string[] = [];
  const visit = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== "node_modules") visit(full);
      else if (entry.isFile()) files.push(path.relative(root, full));
    }
  };
  visit(root);
  return { dir: root, files: files.sort() };
}

describe.each(LANGUAGES)("pulumi package gen-sdk --language %s", (language) => {
  it("succeeds and prints no warning", () => {
    const result = generated.get(language);
    expect(result?.code).toBe(0);
    // The CLI's only line, on stderr; a warning or a diagnostic would be another line.
    expect(`${result?.stdout ?? ""}${result?.stderr ?? ""}`).toBe(
      `SDK has been written to ${path.join(result?.dir ?? "", language)}\n`,
    );
  });
});

describe("the generated SDKs", () => {
  it("nodejs: one class per resource, secrets and replaceOnChanges as the schema says, and it compiles", () => {
    const { dir, files } = output("nodejs");
    for (const token of Object.keys(schema.resources)) {
      const name = token.replace("distr:index:", "");
      expect(files).toContain(`${name[0]?.toLowerCase()}${name.slice(1)}.ts`);
    }
    const licenseKey = fs.readFileSync(path.join(dir, "licenseKey.ts"), "utf8");
    expect(licenseKey).toContain('replaceOnChanges: ["customer", "name"]');
    expect(licenseKey).toContain('additionalSecretOutputs: ["token"]');
    const provider = fs.readFileSync(path.join(dir, "provider.ts"), "utf8");
    expect(provider).toContain('resourceInputs["token"] = args?.token ? pulumi.secret(args.token) : undefined');
    expect(JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"))).toMatchObject({
      name: schema.language.nodejs.packageName,
      version: packageVersion,
      pulumi: { resource: true, name: "distr", version: packageVersion },
    });
    fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(dir, "node_modules"));
    const compiled = timed("tsc of the nodejs SDK", () =>
      spawnSync(path.join(REPO_ROOT, "node_modules", ".bin", "tsc"), ["-p", dir, "--noEmit"], { encoding: "utf8" }),
    );
    expect(compiled.stdout + compiled.stderr).toBe("");
    expect(compiled.status).toBe(0);
  });

  it("python: package pulumi_distr, one module per resource, and it byte-compiles", () => {
    const { dir, files } = output("python");
    expect(files).toEqual(
      expect.arrayContaining([
        "pyproject.toml",
        "pulumi_distr/__init__.py",
        "pulumi_distr/customer.py",
        "pulumi_distr/application_license.py",
        "pulumi_distr/artifact_license.py",
        "pulumi_distr/license_key.py",
        "pulumi_distr/license_template.py",
        "pulumi_distr/provider.py",
      ]),
    );
    if (spawnSync("python3", ["--version"]).status !== 0) {
      console.warn("!!!!! python3 is not installed: the generated python SDK was NOT byte-compiled !!!!!");
      return;
    }
    const compiled = timed("python3 -m compileall", () =>
      spawnSync("python3", ["-m", "compileall", "-q", path.join(dir, "pulumi_distr")], { encoding: "utf8" }),
    );
    expect(compiled.stdout + compiled.stderr).toBe("");
    expect(compiled.status).toBe(0);
  });

  it("go: package distr under the schema's import path, and it parses", () => {
    const { dir, files } = output("go");
    expect(files).toEqual(expect.arrayContaining(["distr/customer.go", "distr/licenseKey.go", "distr/provider.go"]));
    const licenseKey = fs.readFileSync(path.join(dir, "distr", "licenseKey.go"), "utf8");
    expect(licenseKey).toContain(`"${schema.language.go.importBasePath}/internal"`);
    const gofmt = timed("gofmt -l", () =>
      spawnSync("gofmt", ["-l", "-e", dir], {
        encoding: "utf8",
        env: { ...process.env, PATH: `${process.env.PATH ?? ""}:/usr/local/go/bin` },
      }),
    );
    expect(gofmt.stderr).toBe("");
    expect(gofmt.status).toBe(0);
  });
});
