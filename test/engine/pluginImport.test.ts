/**
 * `pulumi import` of Distr objects through the provider plugin, as a brownfield user runs it, on both dialects:
 * a customer and a license by id (`pulumi import distr:index:Customer acme <id>`), and a whole organization from
 * `pulumi-distr export --format import` (`pulumi import --file`). Each import reads Distr only (0 POST/PUT/DELETE
 * in the local Distr's request log), prints code for YAML and for TypeScript that names applications, versions,
 * artifacts and tags (and refers to the customer imported with it), and once that code is the program, the next
 * preview shows no changes.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { importFileSchema } from "../../export";
import { startLocalDistr, type LocalDistr } from "../../local-distr";
import { createDistrClient } from "../../sdk/client";
import type { Dialect } from "../../sdk/dialect";
import { seedAcmeLicenses } from "../sdk/harness";
import { REPO_ROOT } from "./harness/engine";
import { SuiteClock } from "./harness/measurements";
import { pluginEnvironment } from "./harness/pluginPath";
import { changesBesidesSame, ProgramStack } from "./harness/programStack";

jest.setTimeout(10 * 60_000);
const clock = new SuiteClock();
clock.install("pluginImport.test.ts");

const CLI = path.join(REPO_ROOT, "dist", "cli", "main.js");
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** A project directory of one language with an empty program; `adopt` makes generated YAML code the program. */
class ImportProject {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-distr-import-"));

  constructor(readonly runtime: "yaml" | "nodejs") {
    const project = { name: "distr-import", runtime, description: "pulumi import through the plugin (engine test)" };
    fs.writeFileSync(
      path.join(this.dir, "Pulumi.yaml"),
      stringify(runtime === "yaml" ? project : { ...project, main: "index.js" }),
    );
    if (runtime === "nodejs")
      fs.writeFileSync(path.join(this.dir, "index.js"), "// the generated code is read, not run\n");
  }

  /** Adds the resources of generated YAML code to the program. */
  adopt(generated: string): void {
    const file = path.join(this.dir, "Pulumi.yaml");
    const program = parse(fs.readFileSync(file, "utf8")) as { resources?: Record<string, unknown> };
    const code = parse(generated) as { resources?: Record<string, unknown> };
    program.resources = { ...program.resources, ...code.resources };
    fs.writeFileSync(file, stringify(program));
  }

  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

describe.each<Dialect>(["3", "2"])("pulumi import through the plugin on Distr %s.x", (dialect) => {
  let distr: LocalDistr;
  let customerId: string;
  const projects: ImportProject[] = [];
  const stacks: ProgramStack[] = [];

  beforeAll(async () => {
    distr = await startLocalDistr({ dialect, rateLimits: false });
    if (dialect === "3") distr.control.setFeature("vendor_billing", true);
    const portal = createDistrClient({ host: distr.host, token: distr.token, rateLimits: false });
    customerId = await seedAcmeLicenses(portal);
    if (dialect === "3") {
      const pro = await portal.licenseTemplates.create({
        name: "pro",
        payloadTemplate: '{"seats": 10}',
        expirationGracePeriodDays: 7,
      });
      await portal.licenseKeys.create({
        name: "acme-pro-key",
        customerOrganizationId: customerId,
        licenseTemplateId: pro.id,
      });
      await portal.licenseKeys.create({
        name: "acme-prod",
        customerOrganizationId: customerId,
        payload: { seats: 25, tier: "gold" },
        notBefore: "2026-01-01T00:00:00Z",
        expiresAt: "2027-06-30T00:00:00Z",
      });
    }
    await portal.close();
  });

  afterAll(async () => {
    for (const stack of stacks) await stack.dispose();
    for (const project of projects) project.remove();
    await distr?.close();
  });

  async function openProject(runtime: "yaml" | "nodejs", name: string) {
    const project = new ImportProject(runtime);
    projects.push(project);
    const stack = await ProgramStack.open({
      program: project.dir,
      distr,
      name: `${name}-${runtime}`,
      env: await pluginEnvironment(),
    });
    stacks.push(stack);
    return { project, stack };
  }

  /** Runs a CLI command and returns what Distr received meanwhile. */
  async function counted<T>(run: () => Promise<T>): Promise<{ result: T; requests: string[]; writes: string[] }> {
    const before = distr.control.requests.length;
    const result = await run();
    const received = distr.control.requests.slice(before);
    return {
      result,
      requests: received.map((r) => `${r.method} ${r.path}`),
      writes: received.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`),
    };
  }

  async function importOne(stack: ProgramStack, project: ImportProject, type: string, name: string, id: string) {
    const out = path.join(project.dir, `${name}.generated`);
    const { result, requests, writes } = await counted(() =>
      stack.cli("import", type, name, id, "--yes", "--protect=false", "--out", out),
    );
    if (result.code !== 0) throw new Error(`pulumi import failed: ${result.stdout}\n${result.stderr}`);
    clock.note(
      `Distr ${dialect}.x, ${project.runtime}: import ${type} ${name}: ${requests.length} requests, ${writes.length} writes`,
    );
    expect(writes).toEqual([]);
    // The plugin's read gives inputs that its own check accepts (else the engine warns that the code needs edits).
    expect(result.stdout).not.toContain("failed to validate");
    return fs.readFileSync(out, "utf8");
  }

  async function licenseId(kind: "application" | "artifact", name: string): Promise<string> {
    const client = createDistrClient({ host: distr.host, token: distr.token, rateLimits: false });
    try {
      const list =
        kind === "application" ? await client.applicationLicenses.list() : await client.artifactLicenses.list();
      const found = list.find((license) => license.name === name);
      if (!found) throw new Error(`no ${kind} license ${name}`);
      return found.id;
    } finally {
      await client.close();
    }
  }

  it("imports a customer and a license by id into a YAML stack with 0 writes; the code names them; no changes next", async () => {
    const { project, stack } = await openProject("yaml", "import-one");
    const customer = await importOne(stack, project, "distr:index:Customer", "acme", customerId);
    // YAML's code generator writes the short token (`distr:Customer` for `distr:index:Customer`).
    expect(parse(customer)).toMatchObject({
      resources: { acme: { type: "distr:Customer", properties: { name: "ACME Corp" } } },
    });
    const license = await importOne(
      stack,
      project,
      "distr:index:ApplicationLicense",
      "acme-pro",
      await licenseId("application", "acme-pro"),
    );
    clock.note(`generated YAML for acme-pro:\n${license}`);
    const properties = (parse(license) as { resources: Record<string, { properties: Record<string, unknown> }> })
      .resources["acme-pro"]?.properties;
    expect(properties).toMatchObject({
      name: "acme-pro",
      customer: customerId, // the resource takes the customer by id; imported alone, there is nothing to refer to
      application: "hello-distr",
      versions: ["2.0.0", "2.1.0"],
      expiresAt: "2027-06-30T00:00:00Z",
    });
    // No UUID but the customer's.
    expect(license.match(UUID)).toEqual([customerId]);
    project.adopt(customer);
    project.adopt(license);
    const preview = await stack.preview();
    expect(changesBesidesSame(preview)).toEqual({});
  });

  it("prints TypeScript that names them too", async () => {
    const { project, stack } = await openProject("nodejs", "import-one");
    const customer = await importOne(stack, project, "distr:index:Customer", "acme", customerId);
    expect(customer).toContain('new distr.Customer("acme", {');
    expect(customer).toContain('name: "ACME Corp"');
    const images = await importOne(
      stack,
      project,
      "distr:index:ArtifactLicense",
      "acme-images",
      await licenseId("artifact", "acme-images"),
    );
    clock.note(`generated TypeScript for acme-images:\n${images}`);
    expect(images).toContain('new distr.ArtifactLicense("acme-images", {');
    expect(images).toContain('artifact: "hello-distr/backend"');
    expect(images).toContain('"latest"');
    expect(images.match(UUID)).toEqual([customerId]);
  });

  it("imports a whole organization from `pulumi-distr export --format import` with 0 writes; no changes next", async () => {
    const file = path.join(os.tmpdir(), `distr-import-${dialect}-${process.pid}.json`);
    const exported = await counted(
      () =>
        new Promise<{ code: number; stderr: string }>((resolve) => {
          execFile(
            process.execPath,
            [CLI, "export", "--format", "import", "--out", file],
            { env: { ...process.env, DISTR_HOST: distr.host, DISTR_TOKEN: distr.token } },
            (error, _stdout, stderr) => resolve({ code: error ? 1 : 0, stderr }),
          );
        }),
    );
    expect(exported.result.code).toBe(0);
    expect(exported.writes).toEqual([]);
    clock.note(`Distr ${dialect}.x: export --format import: ${exported.result.stderr.trim()}`);
    const importFile = importFileSchema.parse(JSON.parse(fs.readFileSync(file, "utf8")));
    const expected =
      dialect === "3"
        ? [
            "pro",
            "acme-corp",
            "acme-corp-acme-pro",
            "acme-corp-acme-images",
            "acme-corp-acme-pro-key",
            "acme-corp-acme-prod",
          ]
        : ["acme-corp", "acme-corp-acme-pro", "acme-corp-acme-images"];
    expect(importFile.resources.map((resource) => resource.name)).toEqual(expected);

    for (const runtime of ["yaml", "nodejs"] as const) {
      const { project, stack } = await openProject(runtime, "import-file");
      const out = path.join(project.dir, "organization.generated");
      const imported = await counted(() =>
        stack.cli("import", "--file", file, "--yes", "--protect=false", "--out", out),
      );
      if (imported.result.code !== 0)
        throw new Error(`pulumi import --file failed: ${imported.result.stdout}\n${imported.result.stderr}`);
      expect(imported.writes).toEqual([]);
      expect(imported.result.stdout).not.toContain("failed to validate");
      clock.note(
        `Distr ${dialect}.x, ${runtime}: pulumi import --file (${expected.length} resources): ` +
          `${imported.requests.length} requests, ${imported.writes.length} writes`,
      );
      const code = fs.readFileSync(out, "utf8");
      clock.note(`generated ${runtime} for the organization:\n${code}`);
      // The licenses refer to the customer imported with them, not to its id.
      expect(code).not.toContain(customerId);
      // Names with dashes: YAML's generator writes `${["acme-corp"].id}`, TypeScript's a variable `acme_corp`.
      expect(code).toContain(runtime === "yaml" ? '${["acme-corp"].id}' : "customer: acme_corp.id");
      expect(code).toContain("hello-distr/backend");
      if (runtime === "yaml") {
        project.adopt(code);
        expect(changesBesidesSame(await stack.preview())).toEqual({});
      }
    }
    fs.rmSync(file, { force: true });
  });
});
