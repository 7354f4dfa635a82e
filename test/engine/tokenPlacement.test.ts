/**
 * Where the API token lands in the state, through the real engine: the README's table "Where the token ends up",
 * one test per row. (The `--secret` row, together with registry passwords, is in safety.test.ts.)
 */
import { startLocalDistr, type LocalDistr } from "../../local-distr";
import { DistrPortal } from "./harness/distrState";
import { SuiteClock } from "./harness/measurements";
import { ProgramStack } from "./harness/programStack";
import { LICENSES_PROGRAM, type ProgramSpec } from "./harness/spec";

jest.setTimeout(10 * 60_000);
const clock = new SuiteClock();
clock.install("tokenPlacement.test.ts");

const SPEC: ProgramSpec = {
  customers: [{ resource: "acme", name: "ACME Corp" }],
  applicationLicenses: [{ resource: "acme-pro", customer: "acme", application: "hello-distr", versions: ["2.1.0"] }],
};

/** The state as `pulumi stack export` prints it, and every checkpoint file the file backend keeps. */
async function stateTexts(stack: ProgramStack): Promise<{ exported: string; files: string[] }> {
  const resources = await stack.exportDeployment();
  return { exported: JSON.stringify(resources), files: stack.stateFiles().map((file) => file.text) };
}

function occurrences(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

describe("where the token ends up in the state", () => {
  let distr: LocalDistr;
  let stack: ProgramStack | undefined;

  beforeEach(async () => {
    distr = await startLocalDistr({ dialect: "3" });
  });
  afterEach(async () => {
    await stack?.dispose();
    stack = undefined;
    await distr.close();
  });

  it("`pulumi config set --plaintext distr:token`: in clear text, twice (the default provider's inputs and outputs); the CLI refuses it without --secret or --plaintext", async () => {
    stack = await ProgramStack.open({
      program: LICENSES_PROGRAM,
      distr,
      name: "plaintext",
      tokenVia: "plaintext-config",
    });
    const refused = await stack.cli("config", "set", "distr:token", distr.token);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/--secret|--plaintext/);

    await stack.setObject("spec", SPEC);
    await stack.up();
    await new DistrPortal(distr.host, distr.token, "3").applicationLicenseNamed("acme-pro");

    const resources = await stack.exportDeployment();
    const exported = JSON.stringify(resources);
    expect(occurrences(exported, distr.token)).toBe(2);
    const holders = resources.filter((resource) => JSON.stringify(resource).includes(distr.token));
    expect(holders.map((resource) => resource.type)).toEqual(["pulumi:providers:pulumi-nodejs"]);
    const provider = holders[0];
    expect(provider?.inputs?.["distr:token"]).toBe(distr.token);
    expect(provider?.outputs?.["distr:token"]).toBe(distr.token);
  });

  it("DISTR_TOKEN in the engine's environment: nowhere in the exported state or any checkpoint file", async () => {
    stack = await ProgramStack.open({ program: LICENSES_PROGRAM, distr, name: "envtoken", tokenVia: "environment" });
    await stack.setObject("spec", SPEC);
    const up = await stack.up();
    expect(up.changes["create"]).toBe(3);
    // The provider really used the environment's token: Distr has the license.
    await new DistrPortal(distr.host, distr.token, "3").applicationLicenseNamed("acme-pro");

    const { exported, files } = await stateTexts(stack);
    const secretPart = distr.token.slice("distr-".length);
    for (const text of [exported, ...files]) expect(text).not.toContain(secretPart);
    expect(exported).not.toContain("distr:token");
  });
});
