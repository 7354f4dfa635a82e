import { join } from "node:path";
import { expandCatalog } from "../../catalog/expand";
import { loadCatalog, parseCatalog } from "../../catalog/load";

describe("expanding the catalog into Distr objects", () => {
  it("turns each grant into one license per application and one artifact license", () => {
    const contents = expandCatalog(loadCatalog(join(__dirname, "../../catalog/licenses.yaml")));
    expect(contents.customers.map((customer) => [customer.resourceName, customer.name])).toEqual([
      ["acme", "ACME Corp"],
      ["globex", "Globex Corporation"],
      ["initech", "Initech"],
    ]);
    expect(contents.applicationLicenses.map((license) => license.name)).toEqual([
      "acme-pro-hello-distr",
      "acme-pro-hello-distr-helm",
      "globex-enterprise-hello-distr",
      "globex-enterprise-hello-distr-helm",
      "globex-early-access-hello-distr",
      "initech-starter-hello-distr",
    ]);
    expect(contents.artifactLicenses.map((license) => license.name)).toEqual([
      "acme-pro-artifacts",
      "globex-enterprise-artifacts",
      "initech-starter-artifacts",
    ]);
  });

  it("gives every license of a grant the grant's customer and expiry", () => {
    const contents = expandCatalog(loadCatalog(join(__dirname, "../../catalog/licenses.yaml")));
    const acme = contents.applicationLicenses.filter((license) => license.customer === "acme");
    expect(acme.map((license) => license.expiresAt)).toEqual(["2027-06-30T00:00:00Z", "2027-06-30T00:00:00Z"]);
    const early = contents.applicationLicenses.find((license) => license.name === "globex-early-access-hello-distr");
    expect(early).toMatchObject({
      customer: "globex",
      application: "hello-distr",
      versions: { range: ">=2.4.0-0", includePrerelease: true },
      expiresAt: "2027-03-31T00:00:00Z",
      source: "customers[1].grants[1]",
    });
    const artifacts = contents.artifactLicenses.find((license) => license.name === "acme-pro-artifacts");
    expect(artifacts?.artifacts).toEqual([
      { artifact: "hello-distr/backend", tags: { range: "^2" } },
      { artifact: "hello-distr/frontend", tags: { range: "^2" } },
      { artifact: "hello-distr/chart", tags: "all" },
    ]);
  });

  it("creates no artifact license for a plan without artifacts and passes adoption and registry through", () => {
    const contents = expandCatalog(
      parseCatalog(
        `plans:
  hotfix: { applications: { hello-distr: ["2.1.0"] } }
customers:
  - name: Umbrella
    adopt: true
    grants:
      - plan: hotfix
        adopt: true
        registry: { url: registry.example.com, username: umbrella, passwordConfig: umbrellaRegistryPassword }
`,
        "licenses.yaml",
      ),
    );
    expect(contents.customers).toEqual([{ resourceName: "umbrella", name: "Umbrella", adopt: true }]);
    expect(contents.artifactLicenses).toEqual([]);
    expect(contents.applicationLicenses).toEqual([
      {
        resourceName: "umbrella-hotfix-hello-distr",
        name: "umbrella-hotfix-hello-distr",
        customer: "umbrella",
        application: "hello-distr",
        versions: ["2.1.0"],
        adopt: true,
        registry: { url: "registry.example.com", username: "umbrella", passwordConfig: "umbrellaRegistryPassword" },
        source: "customers[0].grants[0]",
      },
    ]);
  });
});
