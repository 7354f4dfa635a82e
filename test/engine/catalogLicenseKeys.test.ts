/**
 * The root program (the license catalog) with plans that issue license keys: a tier's key with a fixed payload and
 * a metered tier's key made from a template, through the real engine against the local Distr 3.x.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startLocalDistr, type LocalDistr } from "../../local-distr";
import { SuiteClock } from "./harness/measurements";
import { changesBesidesSame, ProgramStack, stepsByOp } from "./harness/programStack";

jest.setTimeout(10 * 60_000);
const clock = new SuiteClock();
clock.install("catalogLicenseKeys.test.ts");

const CATALOG = `
licenseTemplates:
  metered:
    payloadTemplate: '{"seats": {{ itemQuantity "seats" }}}'
    expirationGracePeriodDays: 7
plans:
  pro:
    applications:
      hello-distr: { range: ">=2.0.0 <3.0.0" }
    licenseKey:
      payload: { edition: pro, seats: 25 }
      notBefore: "2026-01-01T00:00:00Z"
  metered:
    licenseKey:
      template: metered
customers:
  - name: ACME Corp
    key: acme
    grants:
      - plan: pro
        expiresAt: "2027-06-30T00:00:00Z"
  - name: Globex
    grants:
      - plan: metered
`;

describe("the license catalog issuing license keys", () => {
  let distr: LocalDistr;
  let stack: ProgramStack | undefined;
  let catalogDir: string;

  beforeEach(async () => {
    distr = await startLocalDistr({ dialect: "3" });
    catalogDir = fs.mkdtempSync(path.join(os.tmpdir(), "catalog-keys-"));
  });
  afterEach(async () => {
    await stack?.dispose();
    stack = undefined;
    await distr.close();
    fs.rmSync(catalogDir, { recursive: true, force: true });
  });

  const get = async (route: string) => {
    const res = await fetch(`${distr.host}/api/v1${route}`, {
      headers: { Authorization: `AccessToken ${distr.token}` },
    });
    distr.control.resetRateLimits();
    return (await res.json()) as Array<Record<string, unknown>>;
  };

  it("each grant of a plan with licenseKey issues <customer>-<plan>-key with the plan's entitlements", async () => {
    const catalogFile = path.join(catalogDir, "licenses.yaml");
    fs.writeFileSync(catalogFile, CATALOG);
    stack = await ProgramStack.open({
      program: ".",
      distr,
      name: "catalog-keys",
      config: { catalogFile: { value: catalogFile } },
    });
    const up = await stack.up();
    expect(stepsByOp(up, "create")).toEqual(
      ["acme", "globex", "template-metered", "acme-pro-hello-distr", "acme-pro-key", "globex-metered-key"]
        .map((r) => `create ${r}`)
        .sort(),
    );
    const keys = await get("/license-keys");
    const [template] = await get("/license-templates");
    expect(keys).toEqual([
      expect.objectContaining({
        name: "acme-pro-key",
        payload: { seats: 25, edition: "pro" },
        notBefore: "2026-01-01T00:00:00Z",
        expiresAt: "2027-06-30T00:00:00Z",
      }),
      expect.objectContaining({ name: "globex-metered-key", licenseTemplateId: template?.["id"] }),
    ]);
    expect(Object.keys((await stack.outputs())["licenseKeys"] as object).sort()).toEqual([
      "acme-pro-key",
      "globex-metered-key",
    ]);
    expect(changesBesidesSame(await stack.preview())).toEqual({});

    // Raising the tier's seats is a new revision of every key of the tier, in place.
    fs.writeFileSync(catalogFile, CATALOG.replace("seats: 25", "seats: 30"));
    expect(stepsByOp(await stack.up(), "update", "replace", "create", "delete")).toEqual(["update acme-pro-key"]);
    expect((await get("/license-keys"))[0]).toMatchObject({ payload: { seats: 30, edition: "pro" } });
  });
});
