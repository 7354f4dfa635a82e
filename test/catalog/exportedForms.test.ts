/**
 * The catalog forms `pulumi-distr export` writes (named grants, inline grants, licenses without customer, customers
 * of one name adopted by id), added to the format without changing what existing catalogs mean.
 */
import { CatalogError, type CatalogIssue } from "../../catalog/errors";
import { expandCatalog } from "../../catalog/expand";
import { parseCatalog } from "../../catalog/load";

const EXPORTED = `
plans:
  hello-distr-all:
    applications:
      hello-distr: all
customers:
  - name: Acme Corp
    key: acme-corp
    adopt: { id: "c-1" }
    grants:
      - plan: hello-distr-all
        name: acme prod
        adopt: true
      - name: acme images
        artifacts:
          hello-distr/backend: ["1.0.0", "sha256:abc"]
        expiresAt: "2027-01-01T00:00:00Z"
        adopt: true
  - name: Acme Corp
    key: acme-corp-2
    adopt: { id: "c-2" }
    grants:
      - plan: hello-distr-all
        name: acme prod
        adopt: true
      - name: 日本
        key: license-1
        applications:
          hello-distr-helm: ["1.0.0"]
grantsWithoutCustomer:
  - name: vendor trial
    plan: hello-distr-all
    adopt: true
`;

function rejection(text: string): CatalogIssue[] {
  try {
    parseCatalog(text, "licenses.yaml");
  } catch (error) {
    if (error instanceof CatalogError) return [...error.issues];
    throw error;
  }
  throw new Error("the catalog was accepted");
}

describe("catalog forms written by export", () => {
  it("names each license as in Distr, keeps same-named customers apart by id, and allows licenses without customer", () => {
    const contents = expandCatalog(parseCatalog(EXPORTED, "licenses.yaml"));
    expect(contents.customers.map((c) => [c.resourceName, c.name, c.adopt])).toEqual([
      ["acme-corp", "Acme Corp", { id: "c-1" }],
      ["acme-corp-2", "Acme Corp", { id: "c-2" }],
    ]);
    expect(
      contents.applicationLicenses.map((l) => [l.resourceName, l.name, l.customer, l.application, l.versions]),
    ).toEqual([
      ["acme-corp-acme-prod", "acme prod", "acme-corp", "hello-distr", "all"],
      ["acme-corp-2-acme-prod", "acme prod", "acme-corp-2", "hello-distr", "all"],
      ["acme-corp-2-license-1", "日本", "acme-corp-2", "hello-distr-helm", ["1.0.0"]],
      ["vendor-trial", "vendor trial", undefined, "hello-distr", "all"],
    ]);
    expect(contents.artifactLicenses).toEqual([
      expect.objectContaining({
        resourceName: "acme-corp-acme-images",
        name: "acme images",
        expiresAt: "2027-01-01T00:00:00Z",
        artifacts: [{ artifact: "hello-distr/backend", tags: ["1.0.0", "sha256:abc"] }],
      }),
    ]);
  });

  it("still refuses two customers of one name unless each adopts its own id", () => {
    const issues = rejection(EXPORTED.replace('adopt: { id: "c-2" }', "adopt: true"));
    expect(issues.map((i) => [i.path, i.message])).toContainEqual([
      "customers[1].name",
      'customers[0] already has the name "Acme Corp"',
    ]);
  });

  it("explains what a named or inline grant needs", () => {
    const issues = rejection(`
plans:
  pro:
    applications: { hello-distr: all, hello-distr-helm: all }
customers:
  - name: A
    grants:
      - plan: pro
        name: one
      - applications: { hello-distr: all, hello-distr-helm: all }
        name: two
      - applications: { hello-distr: all }
grantsWithoutCustomer:
  - plan: pro
`);
    expect(issues.map((i) => `${i.path}: ${i.message}`)).toEqual(
      expect.arrayContaining([
        'customers[0].grants[0].name: plan "pro" becomes 2 licenses, so one name cannot name them',
        "customers[0].grants[1]: a grant without a plan is one license: one application, or artifacts only",
        "customers[0].grants[2].name: a grant without a plan needs the license's name",
        "grantsWithoutCustomer[0].name: a license without customer needs its name",
      ]),
    );
  });
});
