/**
 * The consumer's path: a program outside this repository with pulumi-distr installed in its node_modules from the
 * packed tarball (`npm pack`, so exactly the published files), not reached through the repository's self-reference.
 * This is what serialization sees for real users (pulumi-notes §2: test with a real copy in node_modules).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startLocalDistr, type LocalDistr } from "../../local-distr";
import { DistrPortal } from "./harness/distrState";
import { REPO_ROOT } from "./harness/engine";
import { installPackedPackage } from "./harness/packedInstall";
import { describeProviderSizes, providerSizes, SuiteClock } from "./harness/measurements";
import { changesBesidesSame, ProgramStack, stepsByOp } from "./harness/programStack";

jest.setTimeout(10 * 60_000);
const clock = new SuiteClock();
clock.install("package.test.ts");

/**
 * A consumer project: the hotfix example's Pulumi.yaml and index.ts (no tsconfig: ts-node defaults, as in a fresh
 * project), pulumi-distr unpacked from its tarball, and every other dependency linked from the repository's
 * node_modules (no registry access needed).
 */
function consumerProject(root: string): string {
  const project = path.join(root, "consumer");
  installPackedPackage(project, root);

  for (const file of ["Pulumi.yaml", "index.ts"]) {
    fs.copyFileSync(path.join(REPO_ROOT, "examples", "hotfix", file), path.join(project, file));
  }
  fs.writeFileSync(
    path.join(project, "package.json"),
    JSON.stringify({ name: "distr-consumer", private: true, dependencies: { "pulumi-distr": "*" } }, null, 2),
  );
  return project;
}

describe("pulumi-distr installed from its tarball in a project outside the repository", () => {
  let distr: LocalDistr;
  let root: string;
  let stack: ProgramStack | undefined;

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-distr-consumer-"));
    distr = await startLocalDistr({ dialect: "3" });
  });

  afterAll(async () => {
    await stack?.dispose();
    await distr?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("runs the hotfix example from node_modules, serializing only a reference to the installed shim", async () => {
    const project = consumerProject(root);
    stack = await ProgramStack.open({ program: project, distr, name: "consumer", typeCheck: true });
    const up = await stack.up();
    expect(stepsByOp(up, "create")).toEqual([
      "create initech",
      "create initech-hotfix-2-1-0",
      "create initech-starter",
    ]);
    const portal = new DistrPortal(distr.host, distr.token, "3", {
      afterRequest: () => distr.control.resetRateLimits(),
    });
    const hotfix = await portal.applicationLicenseNamed("initech-hotfix-2-1-0");
    expect(await portal.grantedVersions(hotfix, "hello-distr")).toEqual(["2.1.0"]);
    expect(changesBesidesSame(await stack.preview())).toEqual({});

    const resources = await stack.exportDeployment();
    const serialized = resources
      .map((resource) => resource.inputs?.["__provider"])
      .filter((value): value is string => typeof value === "string");
    expect(serialized).toHaveLength(3);
    for (const text of serialized) {
      // The shim is required from the installed package by reference, never copied into state (<= 1.5 KB), ...
      expect(text).toMatch(
        /require\("pulumi-distr\/dist\/provider\/shims\/(customer|applicationLicense|artifactLicense)\.js"\)/,
      );
      expect(Buffer.byteLength(text)).toBeLessThanOrEqual(1536);
      // ... and neither the repository checkout nor a credential is baked in.
      expect(text).not.toContain(path.join(REPO_ROOT, "dist"));
      expect(text).not.toContain(distr.token.slice("distr-".length));
    }
    clock.note(`installed package: ${describeProviderSizes(providerSizes(resources)).join("; ")}`);

    await stack.destroy();
    expect(await portal.snapshot()).toEqual({ customers: [], applicationLicenses: [], artifactLicenses: [] });
  });
});
