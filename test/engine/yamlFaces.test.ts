/**
 * The same case through both faces, compared: the TypeScript program of dynamic resources (programs/licenses) and
 * the same spec as a Pulumi YAML program of the plugin's resources (harness/yamlProgram.ts), each against its own
 * local Distr 3.x with the same catalog. Bad input fails the preview with the same check failure, naming the
 * property path; `pulumi-distr review` of the same change reads exactly the same (ids, digests and the stack name
 * replaced by placeholders); the policy pack blocks a YAML program's `up` as it blocks a TypeScript one's.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { startLocalDistr, type LocalDistr } from "../../local-distr";
import { PREVIEW_ARGUMENTS } from "../../review/previewSource";
import { renderJson } from "../../review/renderJson";
import { renderMarkdown } from "../../review/renderMarkdown";
import { renderText } from "../../review/renderText";
import { reviewPreview } from "../../review/reviewPreview";
import { createDistrClient } from "../../sdk/client";
import { stableOutput } from "../review/golden";
import { DistrPortal } from "./harness/distrState";
import { REPO_ROOT } from "./harness/engine";
import { SuiteClock } from "./harness/measurements";
import { pluginEnvironment } from "./harness/pluginPath";
import { ProgramStack } from "./harness/programStack";
import { LICENSES_PROGRAM, type ProgramSpec } from "./harness/spec";
import { YamlProgramDir } from "./harness/yamlProgram";

jest.setTimeout(10 * 60_000);
const clock = new SuiteClock();
clock.install("yamlFaces.test.ts");

const NOW = "2027-01-01T00:00:00Z";
const PACK = path.join(REPO_ROOT, "policy-pack");
type Face = "typescript" | "yaml";
const FACES: readonly Face[] = ["typescript", "yaml"];

/** One face's stack on its own local Distr; `apply` sets the spec (stack config or the YAML file). */
class FaceStack {
  private constructor(
    readonly face: Face,
    readonly distr: LocalDistr,
    readonly stack: ProgramStack,
    private readonly program: YamlProgramDir | undefined,
  ) {}

  /** Opens the stack with `spec` as its program (the YAML file must exist before the stack does). */
  static async open(face: Face, name: string, spec: ProgramSpec): Promise<FaceStack> {
    const distr = await startLocalDistr({ dialect: "3" });
    const program = face === "yaml" ? new YamlProgramDir(spec) : undefined;
    try {
      const stack = await ProgramStack.open({
        program: program?.dir ?? LICENSES_PROGRAM,
        distr,
        name: `${name}-${face}`,
        ...(program ? { env: await pluginEnvironment() } : {}),
      });
      const opened = new FaceStack(face, distr, stack, program);
      await opened.apply(spec);
      return opened;
    } catch (error) {
      program?.remove();
      await distr.close();
      throw error;
    }
  }

  async apply(spec: ProgramSpec): Promise<void> {
    if (this.program) this.program.write(spec);
    else await this.stack.setObject("spec", spec);
  }

  async dispose(): Promise<void> {
    await this.stack.dispose();
    this.program?.remove();
    await this.distr.close();
  }
}

/** The engine's "Diagnostics:" section as blocks per resource ("  <type> (<name>):" and the lines below it). */
function diagnosticBlocks(output: string): Map<string, string> {
  const at = output.indexOf("Diagnostics:");
  const blocks = new Map<string, string>();
  if (at === -1) return blocks;
  let current: string | undefined;
  for (const line of output.slice(at).split("\n").slice(1)) {
    const header = /^ {2}(\S+) \((.+)\):$/.exec(line);
    if (header) {
      current = `${header[1]} ${header[2]}`;
      blocks.set(current, "");
    } else if (/^\S/.test(line)) {
      current = undefined;
    } else if (current) {
      blocks.set(current, `${blocks.get(current)}${line}\n`);
    }
  }
  return blocks;
}

/** The type tokens are the one thing the faces name differently. */
const sameTypes = (text: string) => text.replace(/pulumi-nodejs:dynamic\/distr:|distr:index:/g, "<distr>:");

describe("bad input through YAML and through TypeScript", () => {
  const ACME = { resource: "acme", name: "ACME Corp" };
  const CASES: ReadonlyArray<{ name: string; path: string; spec: ProgramSpec }> = [
    {
      name: "an expiry that is no timestamp",
      path: "expiresAt",
      spec: {
        customers: [ACME],
        applicationLicenses: [
          { resource: "acme-pro", customer: "acme", application: "hello-distr", versions: "all", expiresAt: "soon" },
        ],
      },
    },
    {
      name: "a version range that does not parse",
      path: "versions.range",
      spec: {
        customers: [ACME],
        applicationLicenses: [
          { resource: "acme-pro", customer: "acme", application: "hello-distr", versions: { range: "^^2" } },
        ],
      },
    },
    {
      name: "a tag the artifact does not have",
      path: "artifacts[0].tags",
      spec: {
        customers: [ACME],
        artifactLicenses: [
          {
            resource: "acme-images",
            customer: "acme",
            artifacts: [{ artifact: "hello-distr/backend", tags: ["9.9.9"] }],
          },
        ],
      },
    },
  ];

  const stacks = new Map<Face, FaceStack>();
  beforeAll(async () => {
    for (const face of FACES) stacks.set(face, await FaceStack.open(face, "bad-input", { customers: [] }));
  });
  afterAll(async () => {
    for (const stack of stacks.values()) await stack.dispose();
  });

  it.each(CASES.map((c) => [c.name, c] as const))("%s: the same plan-time error", async (_name, testCase) => {
    const messages = new Map<Face, string>();
    for (const face of FACES) {
      const faceStack = stacks.get(face);
      if (!faceStack) throw new Error(`no ${face} stack`);
      await faceStack.apply(testCase.spec);
      const before = faceStack.distr.control.requests.length;
      const preview = await faceStack.stack.cli("preview");
      expect(preview.code).not.toBe(0);
      const blocks = [...diagnosticBlocks(`${preview.stdout}\n${preview.stderr}`)].filter(([resource]) =>
        /^(distr:index:|pulumi-nodejs:dynamic\/distr:)/.test(resource),
      );
      expect(blocks).toHaveLength(1);
      messages.set(face, sameTypes(`${blocks[0]?.[0]}\n${blocks[0]?.[1]}`));
      // Plan time: the preview wrote nothing.
      expect(faceStack.distr.control.requests.slice(before).filter((r) => r.method !== "GET")).toEqual([]);
    }
    const yaml = messages.get("yaml") ?? "";
    clock.note(`${testCase.name}: ${yaml.replace(/\s+/g, " ").trim()}`);
    expect(yaml).toContain(testCase.path);
    expect(yaml).toBe(messages.get("typescript"));
  });
});

describe("pulumi-distr review of a YAML program's preview", () => {
  const base: ProgramSpec = {
    customers: [{ resource: "acme", name: "ACME Corp" }],
    applicationLicenses: [
      {
        resource: "acme-pro",
        customer: "acme",
        application: "hello-distr",
        versions: { range: "^2" },
        expiresAt: "2027-06-30T00:00:00Z",
      },
      { resource: "lab-preview", application: "hello-distr", versions: ["2.3.0"], expiresAt: "2027-03-31T00:00:00Z" },
    ],
    artifactLicenses: [
      {
        resource: "acme-images",
        customer: "acme",
        artifacts: [{ artifact: "hello-distr/backend", tags: ["latest"] }],
        expiresAt: "2027-06-30T00:00:00Z",
      },
    ],
  };
  // Narrowing, a new customer with an all-versions license, a deleted license, a prerelease without customer.
  const changed: ProgramSpec = {
    customers: [...base.customers, { resource: "globex", name: "Globex Corporation" }],
    applicationLicenses: [
      {
        resource: "acme-pro",
        customer: "acme",
        application: "hello-distr",
        versions: ["2.1.0", "2.2.0"],
        expiresAt: "2027-09-30T00:00:00Z",
      },
      { resource: "globex-enterprise", customer: "globex", application: "hello-distr", versions: "all" },
      {
        resource: "lab-preview",
        application: "hello-distr",
        versions: ["2.3.0", "2.4.0-rc.1"],
        expiresAt: "2027-03-31T00:00:00Z",
      },
    ],
  };

  const stacks = new Map<Face, FaceStack>();
  afterAll(async () => {
    for (const stack of stacks.values()) await stack.dispose();
  });

  it("reads exactly like the review of the TypeScript program's preview of the same change", async () => {
    const outputs = new Map<Face, { text: string; markdown: string; json: string }>();
    for (const face of FACES) {
      const faceStack = await FaceStack.open(face, "review", base);
      stacks.set(face, faceStack);
      await faceStack.stack.up();
      await faceStack.apply(changed);
      const preview = await faceStack.stack.cli(...PREVIEW_ARGUMENTS.filter((arg) => arg !== "--non-interactive"));
      if (preview.code !== 0) throw new Error(`${face} preview failed: ${preview.stderr}${preview.stdout}`);
      const client = createDistrClient({ host: faceStack.distr.host, token: faceStack.distr.token, rateLimits: false });
      const report = await reviewPreview(preview.stdout, "the preview", { now: new Date(NOW), distr: client });
      await client.close();
      const stable = (text: string) => sameTypes(stableOutput(text, faceStack.stack.stackName));
      outputs.set(face, {
        text: stable(renderText(report)),
        markdown: stable(renderMarkdown(report)),
        json: stable(renderJson(report)),
      });
    }
    const yaml = outputs.get("yaml");
    const typescript = outputs.get("typescript");
    expect(yaml?.text).toContain("acme-pro (application license for hello-distr): updated");
    expect(yaml?.text).toContain("Globex Corporation (new customer)");
    expect(yaml?.text).toContain("acme-images (artifact license): deleted");
    expect(yaml?.text).toBe(typescript?.text);
    expect(yaml?.markdown).toBe(typescript?.markdown);
    expect(yaml?.json).toBe(typescript?.json);
    clock.note(`review of the YAML preview:\n${yaml?.text ?? ""}`);
  });
});

describe("the license policy pack on a YAML program", () => {
  let faceStack: FaceStack | undefined;
  afterEach(async () => {
    await faceStack?.dispose();
    faceStack = undefined;
  });

  it("reports advisory findings and applies; a mandatory loses-access blocks `up` before anything reaches Distr", async () => {
    const spec = (versions: string[]): ProgramSpec => ({
      customers: [{ resource: "acme", name: "Acme" }],
      applicationLicenses: [{ resource: "acme-pro", customer: "acme", application: "hello-distr", versions }],
    });
    faceStack = await FaceStack.open("yaml", "policy", spec(["2.0.0", "2.1.0", "2.4.0-rc.1"]));
    const { distr, stack } = faceStack;
    const portal = new DistrPortal(distr.host, distr.token, "3", {
      afterRequest: () => distr.control.resetRateLimits(),
    });
    const distrEnv = { DISTR_HOST: distr.host, DISTR_TOKEN: distr.token };
    const created = await stack.cliWith(distrEnv, "up", "--yes", "--policy-pack", PACK);
    if (created.code !== 0) throw new Error(`up failed (${created.code}): ${created.stdout}\n${created.stderr}`);
    expect(created.stdout).toMatch(/\[advisory\]\s+no-expiry/);
    expect(created.stdout).toContain("license acme-pro (customer Acme): no expiry");
    expect(created.stdout).toContain("grants prerelease 2.4.0-rc.1 of hello-distr");

    await faceStack.apply(spec(["2.1.0"]));
    const before = await portal.snapshot();
    const writesBefore = distr.control.requests.filter((r) => r.method !== "GET").length;
    const configFile = path.join(faceStack.stack.cliEnvironment.cwd, "policy-config.json");
    fs.writeFileSync(configFile, JSON.stringify({ "loses-access": "mandatory" }));
    const blocked = await stack.cliWith(
      distrEnv,
      "up",
      "--yes",
      "--policy-pack",
      PACK,
      "--policy-pack-config",
      configFile,
    );
    // The preview fails (exit 1 here; the TypeScript program's `up` exits 255, as the Node.js host reports it).
    if (blocked.code === 0) throw new Error(`up was not blocked:\n${blocked.stdout}\n${blocked.stderr}`);
    expect(blocked.stdout).toMatch(/\[mandatory\]\s+loses-access/);
    expect(blocked.stdout).toContain(
      "license acme-pro (customer Acme): loses versions 2.0.0, 2.4.0-rc.1 of hello-distr",
    );
    expect(await portal.snapshot()).toEqual(before);
    expect(distr.control.requests.filter((r) => r.method !== "GET").length).toBe(writesBefore);
  });
});
