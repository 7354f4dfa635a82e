/**
 * The ready pack directory (policy-pack/) users point `--policy-pack` at: shipped in the package, versioned like it,
 * with one policy per license rule plus the notice that Distr could not be asked.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { DELETED_LICENSES_POLICY, DISTR_REACHABLE_POLICY, licensePolicies, RULE_NEEDS_BEFORE } from "../../policy";
import { MINIMUM_NODE_MAJOR } from "../../sdk/supportedNode";
import { RULE_NAMES } from "../../review/rules";

const REPO = path.resolve(__dirname, "../..");
const readJson = (file: string) =>
  JSON.parse(fs.readFileSync(path.join(REPO, file), "utf8")) as Record<string, unknown>;

describe("the license policy pack directory", () => {
  it("has the package's version (the engine shows it as the pack's version)", () => {
    expect(readJson("policy-pack/package.json")["version"]).toBe(readJson("package.json")["version"]);
  });

  it("is a nodejs pack shipped in the package's files", () => {
    const project = parse(fs.readFileSync(path.join(REPO, "policy-pack/PulumiPolicy.yaml"), "utf8")) as unknown;
    expect(project).toMatchObject({ runtime: "nodejs" });
    expect(readJson("package.json")["files"]).toContain("policy-pack");
  });

  it("has one advisory policy per license rule, named like the rule, the Distr notice and the deletions", () => {
    const policies = licensePolicies({ connect: () => ({}) as never });
    expect(policies.map((policy) => policy.name)).toEqual([
      DISTR_REACHABLE_POLICY,
      ...RULE_NAMES,
      DELETED_LICENSES_POLICY,
    ]);
    expect(new Set(policies.map((policy) => policy.enforcementLevel))).toEqual(new Set(["advisory"]));
    expect(Object.keys(RULE_NEEDS_BEFORE).sort()).toEqual([...RULE_NAMES].sort());
  });

  it("needs the Node.js that package.json's engines names (the load-time guard checks it)", () => {
    const engines = readJson("package.json")["engines"] as { node?: string };
    expect(engines.node).toBe(`>=${MINIMUM_NODE_MAJOR}`);
  });
});
