import { z } from "zod";
import { expectJson, expectPlainTextError } from "../expectations";
import type { ContractSuite } from "../target";

/** Section 7 / quirk 24, stated literally: what `pulumi-distr export` reads for chosen customers on 3.x. */
export function describeLicenseSnapshot(suite: ContractSuite): void {
  describe("grouped GET /licenses (section 7, quirk 24)", () => {
    if (suite.dialect === "3") {
      test("one element per customer, customers without licenses included with [] arrays, customer-less licenses left out", async () => {
        const { http, objects, catalog } = suite.target();
        const customer = await objects.createCustomer();
        const empty = await objects.createCustomer();
        const own = await objects.createApplicationLicense({
          name: objects.uniqueName("snapshot-app"),
          applicationId: catalog.application.id,
          customerOrganizationId: customer.id,
          versions: [],
        });
        const images = await objects.createArtifactLicense({
          name: objects.uniqueName("snapshot-artifacts"),
          customerOrganizationId: customer.id,
          artifacts: [],
        });
        const vendorOnly = await objects.createApplicationLicense({
          name: objects.uniqueName("snapshot-vendor"),
          applicationId: catalog.application.id,
          versions: [],
        });

        const snapshot = expectJson(
          await http.send({ method: "GET", path: "/api/v1/licenses" }),
          z.array(
            z.object({
              customerOrganization: z.object({ id: z.string(), name: z.string() }),
              applicationEntitlements: z.array(z.object({ id: z.string(), customerOrganizationId: z.string() })),
              artifactEntitlements: z.array(z.object({ id: z.string() })),
              licenseKeys: z.array(z.unknown()),
            }),
          ),
        );
        const of = (id: string) => snapshot.find((entry) => entry.customerOrganization.id === id);
        expect(of(customer.id)?.applicationEntitlements.map((l) => l.id)).toEqual([own.id]);
        expect(of(customer.id)?.artifactEntitlements.map((l) => l.id)).toEqual([images.id]);
        expect(of(empty.id)).toMatchObject({ applicationEntitlements: [], artifactEntitlements: [], licenseKeys: [] });
        const listed = snapshot.flatMap((entry) => entry.applicationEntitlements.map((l) => l.id));
        expect(listed).not.toContain(vendorOnly.id);
      });
    } else {
      test("2.x has no such route → 404 404 page not found", async () => {
        const res = await suite.target().http.send({ method: "GET", path: "/api/v1/licenses" });
        expectPlainTextError(res, 404, "404 page not found");
      });
    }
  });
}
