/**
 * The brownfield round trip through the real engine, on seeded random organizations (the seed is printed; rerun one
 * with EXPORT_SEED=<seed>), for Distr 3.x and 2.x and for both export formats:
 * export (registry passwords set as secret config, as the export's warnings say) → `pulumi up` adopts everything with
 * ZERO POST/PUT/DELETE received by the local Distr →
 * `pulumi preview --expect-no-changes` passes → an edit of one grant in the exported code → the plan is exactly
 * that one update, and applying it sends exactly one PUT.
 */
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseDocument, isMap, isSeq } from "yaml";
import { expandCatalog } from "../../catalog/expand";
import { parseCatalog } from "../../catalog/load";
import { exportOrganization, type ExportFormat } from "../../export";
import { startLocalDistr, type LocalDistr } from "../../local-distr";
import { createDistrClient } from "../../sdk/client";
import type { Dialect } from "../../sdk/dialect";
import { populateRandomOrganization } from "../export/randomOrganization";
import { REPO_ROOT } from "./harness/engine";
import { SuiteClock } from "./harness/measurements";
import { changesBesidesSame, ProgramStack, stepsByOp } from "./harness/programStack";

jest.setTimeout(15 * 60_000);
const clock = new SuiteClock();
clock.install("export.test.ts");

const SEED = Number(process.env["EXPORT_SEED"] ?? Math.floor(Math.random() * 1_000_000));
const NEW_EXPIRY = "2031-01-01T00:00:00Z";

/** An exported program on disk: the catalog file for the root program, or a program directory in the repository. */
interface ExportedCode {
  readonly format: ExportFormat;
  readonly file: string;
  readonly program: string;
  readonly config: Record<string, { value: string }>;
  /** Edits one grant; returns the Pulumi resource name whose plan must change. */
  editOneGrant(): string;
  dispose(): void;
}

function writeCatalog(text: string): ExportedCode {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "exported-catalog-"));
  const file = path.join(dir, "exported.yaml");
  fs.writeFileSync(file, text);
  return {
    format: "catalog",
    file,
    program: ".",
    config: { catalogFile: { value: file } },
    editOneGrant() {
      const before = fs.readFileSync(file, "utf8");
      const document = parseDocument(before);
      const customers = document.get("customers");
      if (!isSeq(customers)) throw new Error("the exported catalog has no customers list");
      // The first grant of a customer: give it another expiry.
      for (const customer of customers.items) {
        const grants = isMap(customer) ? customer.get("grants") : undefined;
        if (isSeq(grants) && isMap(grants.items[0])) {
          grants.items[0].set("expiresAt", NEW_EXPIRY);
          break;
        }
      }
      fs.writeFileSync(file, document.toString({ lineWidth: 0 }));
      const old = expandCatalog(parseCatalog(before, file));
      const edited = expandCatalog(parseCatalog(fs.readFileSync(file, "utf8"), file));
      const changed = [...edited.applicationLicenses, ...edited.artifactLicenses].filter(
        (spec) =>
          ![...old.applicationLicenses, ...old.artifactLicenses].some(
            (o) => o.resourceName === spec.resourceName && o.expiresAt === spec.expiresAt,
          ),
      );
      if (changed.length !== 1) throw new Error(`the edit changed ${changed.length} licenses`);
      return changed[0]?.resourceName ?? "";
    },
    dispose: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

function writeProgram(text: string): ExportedCode {
  // Inside the repository, so that the program resolves pulumi-distr like the in-repo examples do.
  const dir = path.join(REPO_ROOT, "test", "engine", "programs", `exported-${randomBytes(4).toString("hex")}`);
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: exported-distr\nruntime: nodejs\nmain: index.ts\n");
  const file = path.join(dir, "index.ts");
  fs.writeFileSync(file, text);
  return {
    format: "typescript",
    file,
    program: path.relative(REPO_ROOT, dir),
    config: {},
    editOneGrant() {
      const lines = fs.readFileSync(file, "utf8").split("\n");
      const index = lines.findIndex((line) => line.startsWith("new distr.ApplicationLicense("));
      const line = lines[index] ?? "";
      lines[index] = /expiresAt: "[^"]*"/.test(line)
        ? line.replace(/expiresAt: "[^"]*"/, `expiresAt: "${NEW_EXPIRY}"`)
        : line.replace("adopt: true }", `expiresAt: "${NEW_EXPIRY}", adopt: true }`);
      fs.writeFileSync(file, lines.join("\n"));
      return JSON.parse(/^new distr\.ApplicationLicense\(("(?:[^"\\]|\\.)*")/.exec(line)?.[1] ?? '""') as string;
    },
    dispose: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

const SCENARIOS: Array<[Dialect, ExportFormat]> = [
  ["3", "catalog"],
  ["2", "catalog"],
  ["3", "typescript"],
  ["2", "typescript"],
];

describe.each(SCENARIOS)("export and adoption on Distr %s.x as %s", (dialect, format) => {
  let distr: LocalDistr;
  let code: ExportedCode;
  let stack: ProgramStack;
  const writes = (since: number) =>
    distr.control.requests
      .slice(since)
      .filter((request) => request.method !== "GET")
      .map((r) => `${r.method} ${r.path}`);

  beforeAll(async () => {
    distr = await startLocalDistr({ dialect, rateLimits: false });
    const portal = createDistrClient({ host: distr.host, token: distr.token, rateLimits: false });
    const organization = await populateRandomOrganization(distr, portal, { seed: SEED, customers: 6, licenses: 20 });
    console.log(
      `export round trip on ${dialect}.x as ${format}: seed ${SEED} (rerun with EXPORT_SEED=${SEED}); ` +
        `${organization.customers} customers, ${organization.applicationLicenses} application and ` +
        `${organization.artifactLicenses} artifact licenses, ${organization.withoutCustomer} without customer`,
    );
    const exported = await exportOrganization(portal, { format, packageVersion: "test" });
    // What a user does after reading the export's warnings: set each registry password as a secret config value.
    const passwords: Record<string, { value: string; secret: true }> = {};
    const licenses = [
      ...exported.organization.customers.flatMap((c) => c.licenses),
      ...exported.organization.licensesWithoutCustomer,
    ];
    for (const license of licenses) {
      if (license.kind !== "application" || !license.registry) continue;
      const password = (await portal.applicationLicenses.get(license.id))?.registryPassword ?? "";
      passwords[license.registry.passwordConfig] = { value: password, secret: true };
    }
    await portal.close();
    code = format === "catalog" ? writeCatalog(exported.text) : writeProgram(exported.text);
    stack = await ProgramStack.open({
      program: code.program,
      distr,
      name: `export-${format}`,
      config: { ...code.config, ...passwords },
    });
  });

  afterAll(async () => {
    await stack?.dispose();
    code?.dispose();
    await distr?.close();
  });

  it("adopts everything on the first `pulumi up` with zero writes to Distr", async () => {
    const since = distr.control.requests.length;
    const up = await stack.cli("up", "--yes");
    expect(up.stderr).toBe("");
    expect(up.code).toBe(0);
    expect(writes(since)).toEqual([]);
    expect(up.stdout).toMatch(/\+ \d+ created/);
  });

  it("passes `pulumi preview --expect-no-changes` next", async () => {
    const since = distr.control.requests.length;
    const preview = await stack.cli("preview", "--expect-no-changes");
    expect(preview.code).toBe(0);
    expect(changesBesidesSame(await stack.preview())).toEqual({});
    expect(writes(since)).toEqual([]);
  });

  it("shows an edit of one grant as exactly that update, and applies it with one PUT", async () => {
    const resource = code.editOneGrant();
    const preview = await stack.preview();
    expect(stepsByOp(preview, "update", "replace", "create", "delete")).toEqual([`update ${resource}`]);
    const since = distr.control.requests.length;
    await stack.up();
    expect(writes(since)).toEqual([
      expect.stringMatching(/^PUT \/api\/v1\/(application|artifact)-(entitlements|licenses)\//),
    ]);
    expect(changesBesidesSame(await stack.preview())).toEqual({});
  });
});
