import { expectEmpty, expectNoContent } from "../expectations";
import type { ContractSuite } from "../target";

/** Quirk 16: a customer's licenses go with it, and afterwards read as gone. */
export function describeCustomerCascade(suite: ContractSuite): void {
  describe("cascade on customer delete (section 4.5, B3, quirk 16)", () => {
    test("deleting a customer deletes its application and artifact licenses: GET/DELETE → 404 empty, gone from the lists", async () => {
      const { http, paths, objects, catalog } = suite.target();
      const customer = await objects.createCustomer();
      const appLicense = await objects.createApplicationLicense({
        name: objects.uniqueName("cascade-app"),
        applicationId: catalog.application.id,
        customerOrganizationId: customer.id,
        versions: [],
      });
      const artifactLicense = await objects.createArtifactLicense({
        name: objects.uniqueName("cascade-artifact"),
        customerOrganizationId: customer.id,
        artifacts: [],
      });

      expectNoContent(await http.send({ method: "DELETE", path: paths.customer(customer.id) }));

      expectEmpty(await http.send({ method: "GET", path: paths.applicationLicense(appLicense.id) }), 404);
      expectEmpty(await http.send({ method: "DELETE", path: paths.applicationLicense(appLicense.id) }), 404);
      expectEmpty(await http.send({ method: "DELETE", path: paths.artifactLicense(artifactLicense.id) }), 404);
      expect((await objects.listApplicationLicenses()).map((l) => l.id)).not.toContain(appLicense.id);
      expect((await objects.listArtifactLicenses()).map((l) => l.id)).not.toContain(artifactLicense.id);
    });
  });
}
