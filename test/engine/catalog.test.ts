/**
 * The root program (Pulumi.yaml at the repository root → the license catalog) through the engine: the demo catalog
 * applies, a second run changes nothing, an edit of the YAML shows up as exactly that edit, and a broken catalog
 * stops the preview with the file, the path and the fix before anything is written.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startLocalDistr, type LocalDistr } from "../../local-distr";
import { DistrPortal } from "./harness/distrState";
import { REPO_ROOT } from "./harness/engine";
import { SuiteClock } from "./harness/measurements";
import { changesBesidesSame, ProgramStack, stepsByOp } from "./harness/programStack";

jest.setTimeout(10 * 60_000);
const clock = new SuiteClock();
clock.install("catalog.test.ts");

describe("the root program applying the license catalog", () => {
  let distr: LocalDistr;
  let portal: DistrPortal;
  let stack: ProgramStack;
  let catalogDir: string;
  let catalogFile: string;

  beforeAll(async () => {
    distr = await startLocalDistr({ dialect: "3" });
    portal = new DistrPortal(distr.host, distr.token, "3", { afterRequest: () => distr.control.resetRateLimits() });
    catalogDir = fs.mkdtempSync(path.join(os.tmpdir(), "catalog-"));
    catalogFile = path.join(catalogDir, "licenses.yaml");
    fs.copyFileSync(path.join(REPO_ROOT, "catalog", "licenses.yaml"), catalogFile);
    stack = await ProgramStack.open({
      program: ".",
      distr,
      name: "catalog",
      config: { catalogFile: { value: catalogFile } },
    });
  });

  afterAll(async () => {
    await stack?.dispose();
    await distr?.close();
    fs.rmSync(catalogDir, { recursive: true, force: true });
  });

  it("applies the demo catalog: 3 customers, 6 application licenses, 3 artifact licenses", async () => {
    const up = await stack.up();
    expect(up.changes["create"]).toBe(13);
    const snapshot = await portal.snapshot();
    expect(snapshot.customers.map((customer) => customer.name).sort()).toEqual([
      "ACME Corp",
      "Globex Corporation",
      "Initech",
    ]);
    expect(snapshot.applicationLicenses.map((license) => license.name).sort()).toEqual([
      "acme-pro-hello-distr",
      "acme-pro-hello-distr-helm",
      "globex-early-access-hello-distr",
      "globex-enterprise-hello-distr",
      "globex-enterprise-hello-distr-helm",
      "initech-starter-hello-distr",
    ]);
    const early = await portal.applicationLicenseNamed("globex-early-access-hello-distr");
    expect(await portal.grantedVersions(early, "hello-distr")).toEqual(["2.4.0-rc.1", "3.0.0-beta.1"]);
    const outputs = await stack.outputs();
    expect(Object.keys(outputs["applicationLicenses"] as object)).toHaveLength(6);
  });

  it("changes nothing on a second run", async () => {
    expect(changesBesidesSame(await stack.up())).toEqual({});
  });

  it("shows an edit of the catalog as exactly that edit", async () => {
    const text = fs.readFileSync(catalogFile, "utf8");
    fs.writeFileSync(
      catalogFile,
      text.replace('expiresAt: "2027-06-30T00:00:00Z"', 'expiresAt: "2027-09-30T00:00:00Z"'),
    );
    const preview = await stack.preview();
    expect(stepsByOp(preview, "update", "replace", "create", "delete")).toEqual([
      "update acme-pro-artifacts",
      "update acme-pro-hello-distr",
      "update acme-pro-hello-distr-helm",
    ]);
    await stack.up();
    expect((await portal.applicationLicenseNamed("acme-pro-hello-distr")).expiresAt).toBe("2027-09-30T00:00:00Z");
    expect(changesBesidesSame(await stack.preview())).toEqual({});
  });

  it("stops on an invalid catalog with the file, the path and the fix, writing nothing", async () => {
    const valid = fs.readFileSync(catalogFile, "utf8");
    fs.writeFileSync(catalogFile, valid.replace("- plan: starter", "- plan: startr"));
    const writesBefore = distr.control.requests.filter((request) => request.method !== "GET").length;
    const failure = await stack.preview().then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    fs.writeFileSync(catalogFile, valid);
    expect(failure).toBeDefined();
    const message = String(failure?.message);
    expect(message).toContain(catalogFile);
    expect(message).toContain("customers[2].grants[0].plan");
    expect(message).toContain('unknown plan "startr"');
    expect(message).toContain("did you mean starter?");
    expect(distr.control.requests.filter((request) => request.method !== "GET").length).toBe(writesBefore);
  });

  it("destroys everything it created", async () => {
    const destroy = await stack.destroy();
    expect(destroy.changes["delete"]).toBe(13);
    expect(await portal.snapshot()).toEqual({ customers: [], applicationLicenses: [], artifactLicenses: [] });
  });
});
