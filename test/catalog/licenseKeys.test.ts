import { CatalogError, type CatalogIssue } from "../../catalog/errors";
import { expandCatalog } from "../../catalog/expand";
import { parseCatalog } from "../../catalog/load";

const CATALOG = `
licenseTemplates:
  billing:
    payloadTemplate: '{"seats": {{ itemQuantity "seats" }}}'
    expirationGracePeriodDays: 7
plans:
  pro:
    applications:
      hello-distr: { range: ">=2.0.0 <3.0.0" }
    licenseKey:
      payload: { edition: pro, seats: 25, features: [sso, audit] }
      notBefore: "2026-01-01T00:00:00Z"
  metered:
    licenseKey:
      template: billing
customers:
  - name: ACME Corp
    grants:
      - plan: pro
        expiresAt: "2027-06-30T00:00:00Z"
  - name: Globex
    grants:
      - plan: metered
`;

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
  if (!issue)
    throw new Error(`no issue at ${path}; got ${error.issues.map((i) => `${i.path}: ${i.message}`).join(", ")}`);
  return issue;
}

describe("license keys in the catalog", () => {
  it("a plan with licenseKey issues one key per grant, named <customer>-<plan>-key, with the grant's validity", () => {
    const contents = expandCatalog(parseCatalog(CATALOG, "licenses.yaml"));
    expect(contents.licenseTemplates).toEqual([
      {
        resourceName: "template-billing",
        name: "billing",
        payloadTemplate: '{"seats": {{ itemQuantity "seats" }}}',
        expirationGracePeriodDays: 7,
      },
    ]);
    expect(contents.licenseKeys).toEqual([
      {
        resourceName: "acme-corp-pro-key",
        customer: "acme-corp",
        name: "acme-corp-pro-key",
        payload: { edition: "pro", seats: 25, features: ["sso", "audit"] },
        notBefore: "2026-01-01T00:00:00Z",
        expiresAt: "2027-06-30T00:00:00Z",
        source: "customers[0].grants[0]",
      },
      {
        resourceName: "globex-metered-key",
        customer: "globex",
        name: "globex-metered-key",
        template: "template-billing",
        source: "customers[1].grants[0]",
      },
    ]);
    expect(contents.applicationLicenses.map((l) => l.name)).toEqual(["acme-corp-pro-hello-distr"]);
  });

  it("a key with a payload needs both ends of its validity, from the plan or the grant", () => {
    const error = rejection(CATALOG.replace('        expiresAt: "2027-06-30T00:00:00Z"\n', ""));
    expect(issueAt(error, "customers[0].grants[0]")).toMatchObject({
      message: 'plan "pro" issues a license key, which needs an end of validity',
    });
  });

  it("names an unknown template with a hint, and refuses claims Distr sets itself", () => {
    const error = rejection(CATALOG.replace("template: billing", "template: biling").replace("seats: 25,", "exp: 1,"));
    expect(issueAt(error, "plans.metered.licenseKey.template").fix).toContain("did you mean billing?");
    expect(issueAt(error, "plans.pro.licenseKey.payload.exp").message).toContain('"exp"');
  });

  it("suggests the right key for a typo inside licenseKey", () => {
    const error = rejection(CATALOG.replace("      notBefore:", "      notBfore:"));
    expect(error.issues.map((issue) => issue.fix).join(" ")).toContain("did you mean notBefore?");
  });

  it("a key needs a customer: a plan with licenseKey granted without customer is refused, so no key is dropped", () => {
    const error = rejection(`${CATALOG}grantsWithoutCustomer:\n  - plan: metered\n    name: shared-metered\n`);
    expect(issueAt(error, "grantsWithoutCustomer[0].plan").message).toBe(
      'plan "metered" issues a license key, which Distr issues to a customer',
    );
  });

  it("a key's validity is checked on named grants too (exported catalogs name every license)", () => {
    const error = rejection(
      CATALOG.replace("      - plan: pro\n", "      - plan: pro\n        name: acme-pro\n").replace(
        '      notBefore: "2026-01-01T00:00:00Z"\n',
        "",
      ),
    );
    expect(issueAt(error, "customers[0].grants[0]").message).toBe(
      'plan "pro" issues a license key, which needs a start of validity',
    );
  });
});
