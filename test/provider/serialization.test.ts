/**
 * What Pulumi stores as `__provider`, and that no token leaks anywhere: into the serialized provider, the outputs,
 * or error messages. Also evaluates the serialized text the way the engine's provider process does (a new Node
 * process, require-from-string, working directory = the program's) to prove the shim finds the implementation by
 * package name, falls back to the captured path only when the package is missing, and reports other failures.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { LocalDistr } from "../../local-distr";
import { startLocalDistr } from "../../local-distr";
import { createProviderShim } from "../../provider/shim";
import type { ResourceKind } from "../../provider/resourceHandlers";
import { configOf, SimulatedResource, startProviderProcess, withProvider } from "./providerHarness";

const KINDS: ResourceKind[] = ["customer", "applicationLicense", "artifactLicense"];
const IMPLEMENTATION_PATH = require.resolve("../../provider/implementation");
/** A token the provider must never write anywhere; set in the environment and in configuration. */
const TOKEN = "distr-0123456789abcdef0123456789abcdef";

async function serialize(kind: ResourceKind): Promise<string> {
  const shim = createProviderShim(kind, IMPLEMENTATION_PATH);
  const serialized = await pulumi.runtime.serializeFunction(() => shim, { allowSecrets: true });
  return serialized.text;
}

describe("the serialized provider shim", () => {
  const sizes: Record<string, number> = {};
  afterAll(() => {
    console.info(`__provider sizes in bytes: ${JSON.stringify(sizes)}`);
  });

  it.each(KINDS)("is small and holds only the kind, the package name and the fallback path (%s)", async (kind) => {
    process.env.DISTR_TOKEN = TOKEN;
    await (await startProviderProcess({ host: "http://127.0.0.1:9", token: TOKEN })).customer.check({}, {});
    const text = await serialize(kind);
    sizes[`serializeFunction ${kind}`] = Buffer.byteLength(text);
    expect(Buffer.byteLength(text)).toBeLessThan(4096);
    expect(text).toContain('require("pulumi-distr/provider/implementation")');
    expect(text).toContain(JSON.stringify(IMPLEMENTATION_PATH));
    expect(text).toContain(JSON.stringify(kind));
    expect(text).not.toContain(TOKEN);
    expect(text).not.toMatch(/distr-[0-9a-f]{32}/);
    // Nothing heavy serialized by value: no SDK, no zod, no HTTP client.
    expect(text).not.toMatch(/@pulumi\/pulumi|zod|undici|semver/);
    delete process.env.DISTR_TOKEN;
  });

  it("is what a dynamic.Resource stores as __provider, without the token, for each resource class", async () => {
    process.env.DISTR_TOKEN = TOKEN;
    const inputs: Record<string, Record<string, unknown>> = {};
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          inputs[args.type] = args.inputs as Record<string, unknown>;
          return { id: `${args.name}-id`, state: args.inputs };
        },
        call: () => ({}),
      },
      "project",
      "stack",
      false,
    );
    const distr = require("../../index") as typeof import("../../index");
    const acme = new distr.Customer("acme", { name: "ACME Corp" });
    const license = new distr.ApplicationLicense("acme-pro", {
      customer: acme.id,
      application: "hello-distr",
      versions: { range: "^2" },
      registry: { url: "r.example.com", username: "u", password: "s3cret" },
    });
    const images = new distr.ArtifactEntitlement("acme-images", {
      customer: acme.id,
      artifacts: [{ artifact: "hello-distr/backend", tags: "all" }],
    });
    await Promise.all(
      [acme, license, images].map((r) => new Promise((resolve) => pulumi.all([r.urn, r.id]).apply(resolve))),
    );
    expect(Object.keys(inputs).sort()).toEqual([
      "pulumi-nodejs:dynamic/distr:ApplicationLicense",
      "pulumi-nodejs:dynamic/distr:ArtifactLicense",
      "pulumi-nodejs:dynamic/distr:Customer",
    ]);
    for (const [type, props] of Object.entries(inputs)) {
      const provider = String(props.__provider);
      sizes[type] = Buffer.byteLength(provider);
      expect(provider).toContain('require("pulumi-distr/provider/implementation")');
      expect(Buffer.byteLength(provider)).toBeLessThan(4096);
      expect(JSON.stringify(props)).not.toContain(TOKEN);
    }
    // The logical name is the default license name; outputs are seeded so they are registered.
    expect(inputs["pulumi-nodejs:dynamic/distr:ApplicationLicense"]).toMatchObject({
      name: "acme-pro",
      application: "hello-distr",
      versions: { range: "^2" },
    });
    expect(ApplicationLicenseIsAlias(distr)).toBe(true);
    delete process.env.DISTR_TOKEN;
  });
});

function ApplicationLicenseIsAlias(distr: typeof import("../../index")): boolean {
  return (
    distr.ApplicationEntitlement === distr.ApplicationLicense && distr.ArtifactEntitlement === distr.ArtifactLicense
  );
}

describe("tokens never leak", () => {
  let local: LocalDistr;
  beforeEach(async () => {
    local = await startLocalDistr({ rateLimits: false });
  });
  afterEach(() => local.close());

  it("keeps the token out of checked inputs, outputs and read results", async () => {
    const p = await startProviderProcess(local);
    const customer = new SimulatedResource("customer");
    await customer.up(p, { name: "ACME Corp" });
    const license = new SimulatedResource("applicationLicense");
    await license.up(p, { name: "l", customer: customer.id, application: "hello-distr", versions: ["2.1.0"] });
    const read = await license.refresh(await startProviderProcess(local));
    const everything = JSON.stringify([customer.state, license.state, read]);
    expect(everything).not.toContain(local.token);
    expect(everything).not.toContain(local.token.slice("distr-".length));
  });

  it("rejects a malformed token without repeating it", async () => {
    const malformed = "distr-not-a-real-token-but-secret-anyway";
    const p = await startProviderProcess({ host: local.host, token: malformed });
    const failure = p.applicationLicense.check({}, withProvider({ name: "l", application: "hello-distr" }));
    await expect(failure).rejects.toThrow(
      'distr:token is not a Distr personal access token (expected "distr-" followed by 32 hexadecimal characters)',
    );
    await failure.catch((error: Error) => {
      expect(`${error.message} ${error.stack}`).not.toContain(malformed);
    });
  });

  it("reports a token Distr does not accept without repeating it", async () => {
    const wrong = "distr-ffffffffffffffffffffffffffffffff";
    const p = await startProviderProcess({ host: local.host, token: wrong });
    const failure = p.applicationLicense.check({}, withProvider({ name: "l", application: "hello-distr" }));
    await expect(failure).rejects.toThrow(/401/);
    await failure.catch((error: Error) => {
      expect(`${error.message} ${error.stack} ${JSON.stringify(error)}`).not.toContain(wrong);
      expect(`${error.message}`).not.toContain("ffffffffffffffffffffffffffffffff");
    });
  });

  it("asks for a token when none is configured, naming both ways to set it", async () => {
    const saved = process.env.DISTR_TOKEN;
    delete process.env.DISTR_TOKEN;
    let implementation: typeof import("../../provider/implementation") | undefined;
    jest.isolateModules(() => {
      implementation = require("../../provider/implementation");
    });
    await implementation?.resourceProviders.customer.configure(configOf({ "distr:host": local.host }));
    await expect(
      implementation?.resourceProviders.customer.read("id", withProvider({ name: "x", features: [] })),
    ).rejects.toThrow(
      "no Distr access token: set it with `pulumi config set --secret distr:token <token>` or the DISTR_TOKEN environment variable",
    );
    if (saved !== undefined) process.env.DISTR_TOKEN = saved;
  });

  it("falls back to DISTR_HOST and DISTR_TOKEN read when a method runs, not when the program loads", async () => {
    let implementation: typeof import("../../provider/implementation") | undefined;
    jest.isolateModules(() => {
      implementation = require("../../provider/implementation");
    });
    await implementation?.resourceProviders.customer.configure(configOf({}));
    process.env.DISTR_HOST = local.host;
    process.env.DISTR_TOKEN = local.token;
    try {
      const created = await implementation?.resourceProviders.customer.create(
        withProvider({ name: "From env", features: ["artifacts"] }),
      );
      expect(created?.outs).toMatchObject({ name: "From env" });
    } finally {
      delete process.env.DISTR_HOST;
      delete process.env.DISTR_TOKEN;
    }
  });
});

describe("the serialized shim in a provider process", () => {
  let local: LocalDistr;
  let workDir: string;
  beforeEach(async () => {
    local = await startLocalDistr({ rateLimits: false });
    workDir = mkdtempSync(join(tmpdir(), "pulumi-distr-shim-"));
  });
  afterEach(async () => {
    await local.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  /**
   * Runs the serialized customer shim in a new Node process with the working directory `workDir`, like the
   * engine's dynamic provider: configure, check, create. The repository's TypeScript stands in for the compiled
   * dist/ of an installed package (transpiled on load, without type checks).
   */
  async function runInProviderProcess(
    text: string,
    cwd = workDir,
  ): Promise<{ stdout: string; stderr: string; code: number }> {
    const providerFile = join(workDir, "provider.js");
    writeFileSync(providerFile, text);
    const script = `
      const fs = require("node:fs");
      const ts = require(${JSON.stringify(require.resolve("typescript"))});
      require.extensions[".ts"] = (module, filename) => {
        const source = fs.readFileSync(filename, "utf8");
        const output = ts.transpileModule(source, {
          compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
        }).outputText;
        module._compile(output, filename);
      };
      const requireFromString = require(${JSON.stringify(require.resolve("require-from-string"))});
      const text = fs.readFileSync(${JSON.stringify(providerFile)}, "utf8");
      const provider = requireFromString(text).handler();
      const values = { "distr:host": process.env.LOCAL_HOST, "distr:token": process.env.LOCAL_TOKEN };
      (async () => {
        await provider.configure({ config: { get: (key) => values[key], require: (key) => values[key] } });
        const checked = await provider.check({}, { name: "ACME Corp", __provider: text });
        const created = await provider.create({ ...checked.inputs, __provider: text });
        console.log(JSON.stringify({ checked, created }));
      })().catch((error) => { console.error(error && error.message); process.exit(3); });
    `;
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        ["-e", script],
        { cwd, env: { PATH: process.env.PATH, LOCAL_HOST: local.host, LOCAL_TOKEN: local.token } },
        (error, stdout, stderr) => resolve({ stdout, stderr, code: error ? Number(error.code ?? 1) : 0 }),
      );
    });
  }

  it("uses the captured implementation path when the program cannot resolve pulumi-distr", async () => {
    const result = await runInProviderProcess(await serialize("customer"));
    expect(result.stderr).toBe("");
    const { checked, created } = JSON.parse(result.stdout) as { checked: unknown; created: { id: string } };
    expect(checked).toEqual({ inputs: { name: "ACME Corp", features: ["deployment_targets", "artifacts"] } });
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
  }, 60_000);

  it("prefers the installed package by name", async () => {
    const installed = join(workDir, "node_modules", "pulumi-distr");
    mkdirSync(join(installed, "dist"), { recursive: true });
    writeFileSync(
      join(installed, "package.json"),
      JSON.stringify({ name: "pulumi-distr", exports: { "./provider/implementation": "./dist/implementation.js" } }),
    );
    writeFileSync(
      join(installed, "dist", "implementation.js"),
      `const marker = { configure: async () => {}, check: async () => ({ inputs: { resolvedBy: "package name" } }),
         create: async (inputs) => ({ id: "from-package", outs: inputs }) };
       exports.resourceProviders = { customer: marker, applicationLicense: marker, artifactLicense: marker };`,
    );
    const result = await runInProviderProcess(await serialize("customer"));
    expect(JSON.parse(result.stdout)).toEqual({
      checked: { inputs: { resolvedBy: "package name" } },
      created: { id: "from-package", outs: { resolvedBy: "package name", __provider: expect.any(String) } },
    });
  }, 60_000);

  it("finds the checkout of pulumi-distr above the program directory before the captured path", async () => {
    // A program inside a (moved) checkout of this repository: examples/, the root catalog program.
    const checkout = join(workDir, "checkout");
    mkdirSync(join(checkout, "dist", "provider"), { recursive: true });
    mkdirSync(join(checkout, "examples", "demo"), { recursive: true });
    writeFileSync(join(checkout, "package.json"), JSON.stringify({ name: "pulumi-distr" }));
    writeFileSync(
      join(checkout, "dist", "provider", "implementation.js"),
      `const marker = { configure: async () => {}, check: async () => ({ inputs: { resolvedBy: "checkout" } }),
         create: async (inputs) => ({ id: "from-checkout", outs: inputs }) };
       exports.resourceProviders = { customer: marker, applicationLicense: marker, artifactLicense: marker };`,
    );
    const result = await runInProviderProcess(await serialize("customer"), join(checkout, "examples", "demo"));
    expect(JSON.parse(result.stdout)).toEqual({
      checked: { inputs: { resolvedBy: "checkout" } },
      created: { id: "from-checkout", outs: { resolvedBy: "checkout", __provider: expect.any(String) } },
    });
  }, 60_000);

  it("reports a broken installation instead of silently using another copy", async () => {
    const installed = join(workDir, "node_modules", "pulumi-distr");
    mkdirSync(join(installed, "dist"), { recursive: true });
    writeFileSync(
      join(installed, "package.json"),
      JSON.stringify({ name: "pulumi-distr", exports: { "./provider/implementation": "./dist/implementation.js" } }),
    );
    writeFileSync(join(installed, "dist", "implementation.js"), `require("a-dependency-that-is-not-installed");`);
    const result = await runInProviderProcess(await serialize("customer"));
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("Cannot find module 'a-dependency-that-is-not-installed'");
  }, 60_000);
});
