/**
 * The generated Python and Go SDKs (languages/, written only by `npm run gen:sdks`): regenerated from the schema
 * with the real `pulumi package gen-sdk` into a temporary directory, they must equal the checked-in copy (a schema or
 * doc-comment change without regenerating fails here, naming the files); the Go SDK and the Go example compile
 * against github.com/pulumi/pulumi/sdk/v3 at the engine's version; the Python SDK and the Python example
 * byte-compile and pass mypy (Debian's python3-mypy) against the Python SDK of the engine's version.
 *
 * Checked in rather than generated at build time: a Go module is consumed from its repository path
 * (github.com/pulumi-distr/pulumi-distr/languages/go), so it must exist in the tree, and a reviewer sees in the
 * diff what a doc comment changes in the SDKs.
 */
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pulumiEngine, REPO_ROOT } from "./harness/engine";

jest.setTimeout(20 * 60_000);

const LANGUAGES = path.join(REPO_ROOT, "languages");
const GO = fs.existsSync("/usr/local/go/bin/go") ? "/usr/local/go/bin/go" : "go";
const GO_ENV = { ...process.env, GOTOOLCHAIN: "local", GOWORK: "off", GOFLAGS: "-mod=readonly" };
const timings: string[] = [];

function timed<T>(what: string, run: () => T): T {
  const started = Date.now();
  try {
    return run();
  } finally {
    timings.push(`${what}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}

/** Relative paths of the files under a directory, without Python's caches. */
function filesUnder(root: string): string[] {
  const files: string[] = [];
  const visit = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== "__pycache__") visit(full);
      else if (entry.isFile() && !entry.name.endsWith(".pyc")) files.push(path.relative(root, full));
    }
  };
  if (fs.existsSync(root)) visit(root);
  return files.sort();
}

/** Python with mypy: Debian's /usr/bin/python3 (python3-mypy), else whatever python3 has it. */
function pythonWithMypy(): string | undefined {
  return ["/usr/bin/python3", "python3"].find(
    (python) => spawnSync(python, ["-m", "mypy", "--version"], { encoding: "utf8" }).status === 0,
  );
}

let work: string;
let goModCache: string;
let engineVersion: string;

beforeAll(async () => {
  const engine = await pulumiEngine();
  engineVersion = engine.version;
  work = fs.mkdtempSync(path.join(os.tmpdir(), "distr-language-sdks-"));
  timed("npm run gen:sdks (into a temp dir)", () =>
    execFileSync("bash", [path.join(REPO_ROOT, "scripts", "gen-sdks.sh"), work], {
      cwd: REPO_ROOT,
      env: { ...process.env, GEN_SDKS_SKIP_TIDY: "1" },
      stdio: ["ignore", "ignore", "pipe"],
    }),
  );
  goModCache = execFileSync(GO, ["env", "GOMODCACHE"], { encoding: "utf8" }).trim();
});

afterAll(() => {
  console.log(timings.join("; "));
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe("the checked-in SDKs are what gen-sdk makes from the schema (else: npm run gen:sdks)", () => {
  it.each(["python", path.join("go", "distr")])("languages/%s", (dir) => {
    const generated = filesUnder(path.join(work, dir));
    expect(generated.length).toBeGreaterThan(10);
    expect(filesUnder(path.join(LANGUAGES, dir))).toEqual(generated);
    const stale = generated.filter(
      (file) =>
        fs.readFileSync(path.join(work, dir, file), "utf8") !==
        fs.readFileSync(path.join(LANGUAGES, dir, file), "utf8"),
    );
    expect(stale).toEqual([]);
  });
});

describe("Go", () => {
  it("the SDK requires github.com/pulumi/pulumi/sdk/v3 at the engine's version and compiles", () => {
    const goMod = fs.readFileSync(path.join(LANGUAGES, "go", "go.mod"), "utf8");
    expect(goMod).toContain(`github.com/pulumi/pulumi/sdk/v3 v${engineVersion}`);
    const built = timed("go build ./... (languages/go)", () =>
      spawnSync(GO, ["build", "./..."], { cwd: path.join(LANGUAGES, "go"), env: GO_ENV, encoding: "utf8" }),
    );
    expect(built.stderr).toBe("");
    expect(built.status).toBe(0);
  });

  it("the tiered-plans Go example (program and Automation API runner) compiles and passes go vet", () => {
    const example = path.join(REPO_ROOT, "examples", "tiered-plans", "go");
    const vetted = timed("go vet ./... (examples/tiered-plans/go)", () =>
      spawnSync(GO, ["vet", "./..."], { cwd: example, env: GO_ENV, encoding: "utf8" }),
    );
    expect(vetted.stderr).toBe("");
    expect(vetted.status).toBe(0);
  });
});

describe("Python", () => {
  const sources = [
    path.join(LANGUAGES, "python", "pulumi_distr"),
    path.join(REPO_ROOT, "examples", "tiered-plans", "python"),
  ];

  it("the SDK and the example byte-compile", () => {
    const compiled = timed("python3 -m compileall", () =>
      spawnSync("python3", ["-m", "compileall", "-q", ...sources], {
        encoding: "utf8",
        env: { ...process.env, PYTHONPYCACHEPREFIX: path.join(work, "pycache") },
      }),
    );
    expect(compiled.stdout + compiled.stderr).toBe("");
    expect(compiled.status).toBe(0);
  });

  it("mypy: the example has no error; the SDK only the four the generator's code has under mypy 1.0", () => {
    const python = pythonWithMypy();
    if (!python) throw new Error("mypy is not installed: apt-get install python3-mypy (Debian 12: mypy 1.0.1)");
    const sdk = path.join(goModCache, `github.com/pulumi/pulumi/sdk/v3@v${engineVersion}`, "python", "lib");
    expect(fs.existsSync(path.join(sdk, "pulumi", "__init__.py"))).toBe(true);
    const checked = timed("mypy", () =>
      spawnSync(
        python,
        [
          "-m",
          "mypy",
          "--config-file",
          path.join(LANGUAGES, "mypy.ini"),
          "--cache-dir",
          path.join(work, "mypy"),
          ...sources,
        ],
        { cwd: REPO_ROOT, encoding: "utf8", env: { ...process.env, MYPYPATH: sdk } },
      ),
    );
    const errors = checked.stdout
      .split("\n")
      .filter((line) => line.includes(": error: "))
      .map((line) => `${line.split(":")[0] ?? ""} ${/\[([a-z-]+)\]$/.exec(line)?.[1] ?? line}`);
    // In the generated code, not ours: _utilities.lift_output_func's decorator typing and two Output conversions of
    // the provider's optional config inputs; Pulumi checks its generated code with mypy 1.17, Debian 12 has 1.0.1.
    expect(errors).toEqual([
      "languages/python/pulumi_distr/_utilities.py return-value",
      "languages/python/pulumi_distr/_utilities.py return-value",
      "languages/python/pulumi_distr/provider.py arg-type",
      "languages/python/pulumi_distr/provider.py arg-type",
    ]);
  });
});
