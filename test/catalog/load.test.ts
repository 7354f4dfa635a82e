import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CatalogError, type CatalogIssue } from "../../catalog/errors";
import { loadCatalog, parseCatalog } from "../../catalog/load";
import { checkExpiresAt } from "../../provider/expiry";

const VALID = `
plans:
  pro:
    applications:
      hello-distr: { range: ">=2.0.0 <3.0.0" }
    artifacts:
      hello-distr/backend: { range: "^2" }
customers:
  - name: ACME Corp
    grants:
      - plan: pro
        expiresAt: "2027-06-30T00:00:00Z"
`;

/** Parses text that must be rejected and returns the error. */
function rejection(text: string): CatalogError {
  try {
    parseCatalog(text, "licenses.yaml");
  } catch (error) {
    if (error instanceof CatalogError) return error;
    throw error;
  }
  throw new Error("the catalog was accepted");
}

function issueAt(error: CatalogError, path: string): CatalogIssue {
  const issue = error.issues.find((candidate) => candidate.path === path);
  if (!issue) throw new Error(`no issue at ${path}; got ${error.issues.map((i) => i.path).join(", ")}`);
  return issue;
}

describe("loading the license catalog", () => {
  it("accepts the demo catalog shipped in catalog/licenses.yaml", () => {
    const catalog = loadCatalog(join(__dirname, "../../catalog/licenses.yaml"));
    expect(Object.keys(catalog.plans)).toEqual(["starter", "pro", "enterprise", "early-access"]);
    expect(catalog.customers.map((customer) => customer.key)).toEqual(["acme", "globex", "initech"]);
    expect(catalog.plans["early-access"]?.applications?.["hello-distr"]).toEqual({
      range: ">=2.4.0-0",
      includePrerelease: true,
    });
  });

  it("derives a customer's key from its name when none is given", () => {
    const catalog = parseCatalog(VALID, "licenses.yaml");
    expect(catalog.customers[0]?.key).toBe("acme-corp");
  });

  it("keeps all, exact lists and ranges of versions and tags as written", () => {
    const catalog = parseCatalog(
      `plans:
  mix:
    applications:
      a: all
      b: ["2.1.0", "2.2.0"]
      c: { range: "^2", includePrerelease: true }
    artifacts:
      x: all
      y: ["1.2.0"]
      z: { range: "~1.3" }
customers: []
`,
      "licenses.yaml",
    );
    expect(catalog.plans["mix"]).toEqual({
      applications: { a: "all", b: ["2.1.0", "2.2.0"], c: { range: "^2", includePrerelease: true } },
      artifacts: { x: "all", y: ["1.2.0"], z: { range: "~1.3" } },
    });
  });

  it("names the file, the path, the line and a fix for an unknown plan", () => {
    const error = rejection(VALID.replace("- plan: pro", "- plan: por"));
    expect(error.kind).toBe("invalid");
    const issue = issueAt(error, "customers[0].grants[0].plan");
    expect(issue).toMatchObject({ line: 11, message: 'unknown plan "por"' });
    expect(issue.fix).toContain("did you mean pro?");
    expect(error.message).toContain("licenses.yaml:11:");
    expect(error.message).toContain("customers[0].grants[0].plan");
  });

  it("reports an unknown plan together with problems elsewhere in the file", () => {
    const error = rejection(VALID.replace("- plan: pro", "- plan: por").replace('">=2.0.0 <3.0.0"', '">=2 <<3"'));
    expect(error.issues.map((issue) => issue.path)).toEqual([
      'plans.pro.applications["hello-distr"].range',
      "customers[0].grants[0].plan",
    ]);
  });

  it("rejects an invalid semver range with an example of a valid one", () => {
    const error = rejection(VALID.replace('">=2.0.0 <3.0.0"', '">=2 <<3"'));
    const issue = issueAt(error, 'plans.pro.applications["hello-distr"].range');
    expect(issue.message).toBe('">=2 <<3" is not a valid semver range');
    expect(issue.fix).toContain('">=2.0.0 <3.0.0"');
    expect(issue.line).toBe(5);
  });

  it("rejects expiry dates that are not UTC and suggests the UTC instant", () => {
    const withOffset = rejection(VALID.replace('"2027-06-30T00:00:00Z"', '"2027-06-30T00:00:00+02:00"'));
    expect(issueAt(withOffset, "customers[0].grants[0].expiresAt").fix).toBe('write "2027-06-29T22:00:00Z"');
    const dateOnly = rejection(VALID.replace('"2027-06-30T00:00:00Z"', "2027-06-30"));
    expect(issueAt(dateOnly, "customers[0].grants[0].expiresAt").fix).toBe('write "2027-06-30T00:00:00Z"');
  });

  it("judges expiresAt with the provider's own check: no date the license resource would reject gets through", () => {
    for (const invalid of [
      "2027-02-29T00:00:00Z",
      "2027-04-31T00:00:00Z",
      "2027-06-30T24:00:00Z",
      "2027-06-30T23:59:60Z",
    ]) {
      const issue = issueAt(
        rejection(VALID.replace('"2027-06-30T00:00:00Z"', JSON.stringify(invalid))),
        "customers[0].grants[0].expiresAt",
      );
      const provider = checkExpiresAt(invalid).failures[0];
      expect(provider?.reason).toBeDefined();
      expect(issue.message).toBe(provider?.reason);
      expect(issue.fix).toBe('write a UTC timestamp such as "2027-06-30T00:00:00Z"');
    }
    for (const valid of ["2028-02-29T00:00:00Z", "2027-06-30T23:59:59.123456Z", "2027-12-31T00:00:00Z"]) {
      expect(checkExpiresAt(valid).failures).toEqual([]);
      expect(() =>
        parseCatalog(VALID.replace('"2027-06-30T00:00:00Z"', JSON.stringify(valid)), "licenses.yaml"),
      ).not.toThrow();
    }
  });

  it("suggests the nearest known key for a misspelt one", () => {
    const error = rejection(VALID.replace("expiresAt:", "expiresOn:"));
    const issue = issueAt(error, "customers[0].grants[0].expiresOn");
    expect(issue.message).toBe('unknown key "expiresOn"');
    expect(issue.fix).toContain("allowed here: plan, expiresAt, adopt, registry");
    expect(issue.line).toBe(12);
  });

  it("rejects unknown customer features and names the closest one", () => {
    const error = rejection(VALID.replace("    grants:", "    features: [deployment_target]\n    grants:"));
    expect(issueAt(error, "customers[0].features[0]").fix).toContain("did you mean deployment_targets?");
  });

  it("rejects an empty version list instead of granting all versions by accident", () => {
    const error = rejection(VALID.replace('{ range: ">=2.0.0 <3.0.0" }', "[]"));
    expect(issueAt(error, 'plans.pro.applications["hello-distr"]').message).toBe("an empty list grants no versions");
  });

  it("explains that unquoted version numbers are read as numbers", () => {
    const error = rejection(VALID.replace('{ range: ">=2.0.0 <3.0.0" }', "[2.1]"));
    const issue = issueAt(error, 'plans.pro.applications["hello-distr"][0]');
    expect(issue.message).toBe("expected a version name, got number 2.1");
    expect(issue.fix).toContain("YAML reads 1.0 as a number");
  });

  it("rejects a plan that grants nothing and a plan name unfit for resource names", () => {
    const error = rejection(
      VALID.replace("plans:\n", "plans:\n  empty: {}\n  Gold Plan:\n    applications: { a: all }\n"),
    );
    expect(issueAt(error, "plans.empty").message).toBe("this plan grants nothing");
    expect(issueAt(error, 'plans["Gold Plan"]').fix).toBe('rename it to "gold-plan"');
  });

  it("rejects two customers with the same key and the same plan granted twice", () => {
    const sameKey = rejection(VALID + "  - name: acme corp\n");
    expect(issueAt(sameKey, "customers[1].name").message).toBe('customers[0] already uses the key "acme-corp"');
    const twice = rejection(VALID + "      - plan: pro\n");
    expect(issueAt(twice, "customers[0].grants[1].plan").message).toBe('plan "pro" is already granted in grants[0]');
  });

  it("rejects grants whose generated license names collide", () => {
    const error = rejection(`
plans:
  c: { applications: { app: all } }
  b-c: { applications: { app: all } }
customers:
  - { name: A B, grants: [{ plan: c }] }
  - { name: A, grants: [{ plan: b-c }] }
`);
    expect(issueAt(error, "customers[1].grants[0]").message).toBe(
      'produces the license name "a-b-c-app", like customers[0].grants[0]',
    );
  });

  it("reports a missing required field with what to add", () => {
    const error = rejection(VALID + "  - grants: []\n");
    expect(issueAt(error, "customers[1].name")).toMatchObject({ message: "name is missing", line: 13 });
  });

  it("reports YAML syntax errors with their line", () => {
    const duplicate = rejection("plans: {}\nplans: {}\ncustomers: []\n");
    expect(duplicate.kind).toBe("syntax");
    expect(duplicate.issues[0]).toMatchObject({ line: 2, message: "the same key appears twice in one mapping" });
    const unclosed = rejection("plans:\n  pro: { applications: [\ncustomers: []\n");
    expect(unclosed.kind).toBe("syntax");
    expect(unclosed.issues[0]?.line).toBeGreaterThan(0);
  });

  it("reports an empty file and a missing file as such", () => {
    expect(rejection("# nothing yet\n").issues[0]?.message).toBe("the file is empty");
    const dir = mkdtempSync(join(tmpdir(), "catalog-"));
    try {
      const missing = join(dir, "nope.yaml");
      expect(() => loadCatalog(missing)).toThrow(CatalogError);
      try {
        loadCatalog(missing);
      } catch (error) {
        expect((error as CatalogError).kind).toBe("unreadable");
        expect((error as CatalogError).message).toContain(missing);
      }
      const file = join(dir, "ok.yaml");
      writeFileSync(file, VALID);
      expect(loadCatalog(file).customers).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("keeps registry passwords out of the file: only the name of a secret config value is accepted", () => {
    const error = rejection(
      VALID.replace(
        '"2027-06-30T00:00:00Z"',
        '"2027-06-30T00:00:00Z"\n        registry: { url: r.example.com, username: u, password: hunter2 }',
      ),
    );
    expect(issueAt(error, "customers[0].grants[0].registry.password").fix).toContain("passwordConfig");
    const catalog = parseCatalog(
      VALID.replace(
        '"2027-06-30T00:00:00Z"',
        '"2027-06-30T00:00:00Z"\n        registry: { url: r.example.com, username: u, passwordConfig: acmeRegistryPassword }',
      ),
      "licenses.yaml",
    );
    expect(catalog.customers[0]?.grants[0]?.registry?.passwordConfig).toBe("acmeRegistryPassword");
  });
});
