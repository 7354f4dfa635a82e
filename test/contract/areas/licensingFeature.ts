import { randomUUID } from "node:crypto";
import { z } from "zod";
import { CustomerSchema } from "../distrShapes";
import { expectJson, expectPlainTextError } from "../expectations";
import type { DistrRequest } from "../distrHttp";
import type { ContractSuite } from "../target";

/** Sections 5.1, 6.1, B4.1: license routes need the organization feature `licensing`; customers do not. */
export function describeLicensingFeature(suite: ContractSuite): void {
  describe("licensing feature off (sections 5.1, 6.1, 11)", () => {
    const t = () => suite.target();

    suite.testRequiring("toggle-licensing")(
      "every license route answers 403 licensing not enabled for organization, even before the id is checked",
      async () => {
        const { http, paths, server, objects, catalog } = t();
        const license = await objects.createApplicationLicense({
          name: objects.uniqueName("gated"),
          applicationId: catalog.application.id,
        });
        const requests: DistrRequest[] = [
          { method: "GET", path: paths.applicationLicenses() },
          {
            method: "POST",
            path: paths.applicationLicenses(),
            json: { name: "x", applicationId: catalog.application.id },
          },
          { method: "GET", path: paths.applicationLicense(license.id) },
          { method: "PUT", path: paths.applicationLicense(license.id), json: { name: "x" } },
          { method: "DELETE", path: paths.applicationLicense(license.id) },
          { method: "GET", path: paths.applicationLicense("not-a-uuid") },
          { method: "GET", path: paths.artifactLicenses() },
          { method: "POST", path: paths.artifactLicenses(), json: { name: "x" } },
          { method: "DELETE", path: paths.artifactLicense(randomUUID()) },
        ];
        server.setLicensing(false);
        try {
          for (const request of requests) {
            expectPlainTextError(await http.send(request), 403, "licensing not enabled for organization");
          }
        } finally {
          server.setLicensing(true);
        }
        expect((await objects.getApplicationLicense(license.id)).name).toBe(license.name);
      },
    );

    suite.testRequiring("toggle-licensing")("customers and lookups work without licensing", async () => {
      const { http, paths, server, objects } = t();
      server.setLicensing(false);
      try {
        const res = await http.send({
          method: "POST",
          path: paths.customers(),
          json: { name: objects.uniqueName("unlicensed") },
        });
        objects.trackCustomer(expectJson(res, CustomerSchema).id);
        expectJson(await http.send({ method: "GET", path: paths.customers() }), z.array(CustomerSchema));
        expectJson(await http.send({ method: "GET", path: paths.applications() }), z.array(z.unknown()));
        expectJson(await http.send({ method: "GET", path: paths.artifacts() }), z.array(z.unknown()));
      } finally {
        server.setLicensing(true);
      }
    });

    suite.testRequiring("second-organization")(
      "an organization created without licensing gets 403 on license routes",
      async () => {
        const { http, paths, server } = t();
        const unlicensed = server.addOrganization({ licensing: false });
        const res = await http.send({ method: "GET", path: paths.applicationLicenses(), token: unlicensed.token });
        expectPlainTextError(res, 403, "licensing not enabled for organization");
      },
    );
  });
}
