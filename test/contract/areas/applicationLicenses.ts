import { randomUUID } from "node:crypto";
import { z } from "zod";
import { ApplicationLicenseSchema, type ApplicationLicense } from "../distrShapes";
import { pickVersions, type VersionFixture } from "../catalog";
import type { RequestBody } from "../distrObjects";
import {
  DISTR_TIMESTAMP,
  expectEmpty,
  expectJson,
  expectNoContent,
  expectPlainTextError,
  expectStatus,
  rawJson,
} from "../expectations";
import type { ContractSuite } from "../target";

const versionRefs = (versions: readonly VersionFixture[]) => versions.map((v) => ({ id: v.id }));
const versionIds = (license: ApplicationLicense) => license.versions.map((v) => v.id);
const idSet = (ids: readonly string[]) => [...ids].sort();

/** Sections 5 / B4: application entitlements (3.x) and application licenses (2.x), identical JSON. */
export function describeApplicationLicenses(suite: ContractSuite): void {
  // Distr's texts and route names, written out as read from its source (distr-api.md §5.8, B4.4, quirk 18): never
  // taken from sdk/errorTexts, so a wrong shared constant fails this suite.
  const texts =
    suite.dialect === "3"
      ? {
          route: "/application-entitlements",
          nameTaken: "An entitlement with this name already exists",
          ownerChange: "Changing the entitlement owner is not allowed",
          deleteInUse: "could not delete entitlement because it is still in use",
          invalidId: "applicationEntitlementId is not a valid UUID",
        }
      : {
          route: "/application-licenses",
          nameTaken: "A license with this name already exists",
          ownerChange: "Changing the license owner is not allowed",
          deleteInUse: "could not delete license because it is still in use",
          invalidId: "applicationLicenseId is not a valid UUID",
        };

  describe(`application licenses: ${texts.route} (sections 5, B4, quirks 3, 5, 7-10, 13, 14)`, () => {
    const t = () => suite.target();
    const app = () => t().catalog.application;
    const versions = () => pickVersions(app(), 4);
    const put = (id: string, json: unknown, token?: string) =>
      t().http.send({ method: "PUT", path: t().paths.applicationLicense(id), json, ...(token ? { token } : {}) });
    /** A license of a fresh customer on the fixture application. */
    const createLicense = async (extra: RequestBody = {}) => {
      const { objects } = t();
      const customer = await objects.createCustomer();
      const license = await objects.createApplicationLicense({
        name: objects.uniqueName("app-license"),
        applicationId: app().id,
        customerOrganizationId: customer.id,
        versions: [],
        ...extra,
      });
      return { customer, license };
    };
    /** The body of an update that keeps everything and carries `id` (what a careful client sends, quirk 7). */
    const sameAs = (license: ApplicationLicense, extra: RequestBody = {}): RequestBody => ({
      id: license.id,
      name: license.name,
      applicationId: license.applicationId,
      ...(license.customerOrganizationId ? { customerOrganizationId: license.customerOrganizationId } : {}),
      ...(license.expiresAt ? { expiresAt: license.expiresAt } : {}),
      versions: license.versions.map((v) => ({ id: v.id })),
      ...extra,
    });

    describe("shape", () => {
      test("create answers the re-read license: all fields, nested application and customer, versions by createdAt", async () => {
        const { http, paths, objects } = t();
        const customer = await objects.createCustomer();
        const [v1, , v3] = versions();
        const name = objects.uniqueName("shape");
        const res = await http.send({
          method: "POST",
          path: paths.applicationLicenses(),
          json: {
            name,
            expiresAt: "2030-01-02T03:04:05Z",
            applicationId: app().id,
            customerOrganizationId: customer.id,
            registryUrl: "registry.example.com",
            registryUsername: "acme",
            registryPassword: "s3cret",
            // Sent newest first: Distr answers in version createdAt order.
            versions: versionRefs([v3!, v1!]),
          },
        });
        const license = expectJson(res, ApplicationLicenseSchema);
        objects.trackApplicationLicense(license.id);
        const raw = rawJson(res);
        expect(Object.keys(raw).sort()).toEqual(
          [
            "application",
            "applicationId",
            "createdAt",
            "customerOrganization",
            "customerOrganizationId",
            "expiresAt",
            "id",
            "name",
            "registryPassword",
            "registryUrl",
            "registryUsername",
            "versions",
          ].sort(),
        );
        expect(license).toMatchObject({
          name,
          expiresAt: "2030-01-02T03:04:05Z",
          applicationId: app().id,
          customerOrganizationId: customer.id,
          registryUrl: "registry.example.com",
          registryUsername: "acme",
          // Returned in clear text to every reader (quirk 10).
          registryPassword: "s3cret",
        });
        expect(license.createdAt).toMatch(DISTR_TIMESTAMP);
        expect(license.versions.map((v) => ({ id: v.id, name: v.name }))).toEqual([
          { id: v1!.id, name: v1!.name },
          { id: v3!.id, name: v3!.name },
        ]);
        const application = z
          .object({ id: z.string(), createdAt: z.string(), name: z.string(), type: z.string(), versions: z.null() })
          .parse(raw["application"]);
        expect(application).toMatchObject({ id: app().id, name: app().name, type: app().type, versions: null });
        // The nested customer is Distr's internal type: organizationId, no imageUrl, no usage counts.
        const nestedCustomer = z.record(z.string(), z.unknown()).parse(raw["customerOrganization"]);
        expect(nestedCustomer).toMatchObject({ id: customer.id, name: customer.name, createdAt: customer.createdAt });
        expect(typeof nestedCustomer["organizationId"]).toBe("string");
        expect(idSet(z.array(z.string()).parse(nestedCustomer["features"]))).toEqual(idSet(customer.features));
        for (const absent of ["imageUrl", "userCount", "deploymentTargetCount"]) {
          expect(Object.keys(nestedCustomer)).not.toContain(absent);
        }
      });

      test("GET by id answers the same document as create", async () => {
        const { http, paths, objects } = t();
        const customer = await objects.createCustomer();
        const created = await http.send({
          method: "POST",
          path: paths.applicationLicenses(),
          json: {
            name: objects.uniqueName("get-by-id"),
            applicationId: app().id,
            customerOrganizationId: customer.id,
            versions: versionRefs(versions().slice(0, 2)),
          },
        });
        const license = expectJson(created, ApplicationLicenseSchema);
        objects.trackApplicationLicense(license.id);
        const read = await http.send({ method: "GET", path: paths.applicationLicense(license.id) });
        expectJson(read, ApplicationLicenseSchema);
        expect(rawJson(read)).toEqual(rawJson(created));
      });

      test("null fields are omitted, not null: no expiresAt, customer, registry fields; versions [] = all versions", async () => {
        const { http, paths, objects } = t();
        const res = await http.send({
          method: "POST",
          path: paths.applicationLicenses(),
          json: { name: objects.uniqueName("minimal"), applicationId: app().id, versions: [] },
        });
        const license = expectJson(res, ApplicationLicenseSchema);
        objects.trackApplicationLicense(license.id);
        expect(Object.keys(rawJson(res)).sort()).toEqual(
          ["application", "applicationId", "createdAt", "id", "name", "versions"].sort(),
        );
        expect(license.versions).toEqual([]);
      });

      test("omitted versions on create also mean all versions and read back as []", async () => {
        const { objects } = t();
        const license = await objects.createApplicationLicense({
          name: objects.uniqueName("no-versions"),
          applicationId: app().id,
        });
        expect(license.versions).toEqual([]);
        expect((await objects.getApplicationLicense(license.id)).versions).toEqual([]);
      });

      suite.testRequiring("publish-version")(
        "versions [] stays [] after a new version is published (all versions, future ones included)",
        async () => {
          const { objects, server } = t();
          const { license } = await createLicense({ versions: [] });
          await server.publishVersion(app(), `9.${Date.now() % 100000}.0-contract-${objects.suffix}`);
          expect((await objects.getApplicationLicense(license.id)).versions).toEqual([]);
        },
      );

      test("successful create and update answer with the JSON document, never an empty 200 (quirk 3 is the client's concern)", async () => {
        const { objects } = t();
        const { license } = await createLicense();
        expect(license.id).not.toBe("");
        const res = await put(license.id, sameAs(license, { name: objects.uniqueName("renamed") }));
        expect(res.body.trim()).not.toBe("");
        expect(expectJson(res, ApplicationLicenseSchema).id).toBe(license.id);
      });
    });

    describe("list and filter", () => {
      test("the list contains every license; ?applicationId= keeps only that application's", async () => {
        const { objects, catalog } = t();
        const customer = await objects.createCustomer();
        const onApp = await objects.createApplicationLicense({
          name: objects.uniqueName("on-app"),
          applicationId: catalog.application.id,
          customerOrganizationId: customer.id,
        });
        const onOther = await objects.createApplicationLicense({
          name: objects.uniqueName("on-other"),
          applicationId: catalog.otherApplication.id,
          customerOrganizationId: customer.id,
        });
        const all = (await objects.listApplicationLicenses()).map((l) => l.id);
        expect(all).toEqual(expect.arrayContaining([onApp.id, onOther.id]));
        const filtered = await objects.listApplicationLicenses({ applicationId: catalog.otherApplication.id });
        expect(filtered.map((l) => l.id)).toContain(onOther.id);
        expect(filtered.map((l) => l.id)).not.toContain(onApp.id);
        expect(filtered.every((l) => l.applicationId === catalog.otherApplication.id)).toBe(true);
        const listed = (await objects.listApplicationLicenses()).find((l) => l.id === onApp.id);
        expect(listed).toEqual(onApp);
      });

      test("an invalid applicationId filter → 400 applicationId is not a valid UUID", async () => {
        const res = await t().http.send({
          method: "GET",
          path: t().paths.applicationLicenses({ applicationId: "not-a-uuid" }),
        });
        expectPlainTextError(res, 400, "applicationId is not a valid UUID");
      });
    });

    describe("required fields and names (quirks 13, 14)", () => {
      if (suite.dialect === "3") {
        test("a blank name → 400 name is required, on create and on update (quirk 14)", async () => {
          const { http, paths } = t();
          const res = await http.send({
            method: "POST",
            path: paths.applicationLicenses(),
            json: { name: "  ", applicationId: app().id, versions: [] },
          });
          expectPlainTextError(res, 400, "name is required");
          const { license } = await createLicense();
          expectPlainTextError(await put(license.id, sameAs(license, { name: "" })), 400, "name is required");
        });

        test("a missing applicationId on create → 400 application is required (quirk 14)", async () => {
          const res = await t().http.send({
            method: "POST",
            path: t().paths.applicationLicenses(),
            json: { name: t().objects.uniqueName("no-app"), versions: [] },
          });
          expectPlainTextError(res, 400, "application is required");
        });

        test("names are unique per customer: the same name for two customers is fine, twice for one → 400 (quirk 13)", async () => {
          const { objects, http, paths } = t();
          const name = objects.uniqueName("shared-name");
          const first = await objects.createCustomer();
          const second = await objects.createCustomer();
          const body = (customerOrganizationId: string) => ({ name, applicationId: app().id, customerOrganizationId });
          await objects.createApplicationLicense(body(first.id));
          await objects.createApplicationLicense(body(second.id));
          const again = await http.send({ method: "POST", path: paths.applicationLicenses(), json: body(first.id) });
          expectPlainTextError(again, 400, texts.nameTaken);
        });

        test("customer-less licenses share one name space (NULLS NOT DISTINCT, quirk 13)", async () => {
          const { objects, http, paths } = t();
          const name = objects.uniqueName("vendor-level");
          await objects.createApplicationLicense({ name, applicationId: app().id });
          const again = await http.send({
            method: "POST",
            path: paths.applicationLicenses(),
            json: { name, applicationId: app().id },
          });
          expectPlainTextError(again, 400, texts.nameTaken);
        });
      } else {
        test("a blank name is accepted (quirk 14)", async () => {
          const { objects, http, paths } = t();
          const license = await objects.createApplicationLicense({ name: "", applicationId: app().id });
          expect(license.name).toBe("");
          // Names are unique per organization: give the empty name back at once.
          expectNoContent(await http.send({ method: "DELETE", path: paths.applicationLicense(license.id) }));
        });

        test("a missing applicationId on create → 500 (foreign key, no validation)", async () => {
          const res = await t().http.send({
            method: "POST",
            path: t().paths.applicationLicenses(),
            json: { name: t().objects.uniqueName("no-app"), versions: [] },
          });
          expectStatus(res, 500);
        });

        test("names are unique per organization: the same name for another customer → 400 (quirk 13)", async () => {
          const { objects, http, paths } = t();
          const name = objects.uniqueName("org-name");
          const first = await objects.createCustomer();
          const second = await objects.createCustomer();
          await objects.createApplicationLicense({ name, applicationId: app().id, customerOrganizationId: first.id });
          const again = await http.send({
            method: "POST",
            path: paths.applicationLicenses(),
            json: { name, applicationId: app().id, customerOrganizationId: second.id },
          });
          expectPlainTextError(again, 400, texts.nameTaken);
        });
      }

      test("renaming onto a taken name → 400 with the name-taken text (quirk 13)", async () => {
        const { objects } = t();
        const customer = await objects.createCustomer();
        const taken = await objects.createApplicationLicense({
          name: objects.uniqueName("taken"),
          applicationId: app().id,
          customerOrganizationId: customer.id,
        });
        const other = await objects.createApplicationLicense({
          name: objects.uniqueName("other"),
          applicationId: app().id,
          customerOrganizationId: customer.id,
        });
        expectPlainTextError(await put(other.id, sameAs(other, { name: taken.name })), 400, texts.nameTaken);
      });
    });

    describe("owner and application (quirk 7)", () => {
      test("with id in the body, another customer → 400 owner change not allowed", async () => {
        const { license } = await createLicense();
        const other = await t().objects.createCustomer();
        expectPlainTextError(
          await put(license.id, sameAs(license, { customerOrganizationId: other.id })),
          400,
          texts.ownerChange,
        );
      });

      test("with id in the body, an omitted customer → 400 owner change not allowed", async () => {
        const { license } = await createLicense();
        const body = sameAs(license);
        delete body["customerOrganizationId"];
        expectPlainTextError(await put(license.id, body), 400, texts.ownerChange);
      });

      test("with id in the body, another or omitted applicationId → 400 Changing the application is not allowed", async () => {
        const { license } = await createLicense();
        expectPlainTextError(
          await put(license.id, sameAs(license, { applicationId: t().catalog.otherApplication.id })),
          400,
          "Changing the application is not allowed",
        );
        const body = sameAs(license);
        delete body["applicationId"];
        expectPlainTextError(await put(license.id, body), 400, "Changing the application is not allowed");
      });

      test("without id in the body the customer is silently replaced and applicationId ignored", async () => {
        const { objects } = t();
        const { license } = await createLicense();
        const other = await objects.createCustomer();
        const body = sameAs(license, {
          customerOrganizationId: other.id,
          applicationId: t().catalog.otherApplication.id,
        });
        delete body["id"];
        const updated = expectJson(await put(license.id, body), ApplicationLicenseSchema);
        expect(updated).toMatchObject({ customerOrganizationId: other.id, applicationId: app().id });

        const cleared = sameAs(updated);
        delete cleared["id"];
        delete cleared["customerOrganizationId"];
        const customerLess = expectJson(await put(license.id, cleared), ApplicationLicenseSchema);
        expect(customerLess.customerOrganizationId).toBeUndefined();
        expect(customerLess.customerOrganization).toBeUndefined();
      });

      test("with id in the body, a customer-less license may be given a customer", async () => {
        const { objects } = t();
        const license = await objects.createApplicationLicense({
          name: objects.uniqueName("later-owner"),
          applicationId: app().id,
        });
        const customer = await objects.createCustomer();
        const updated = expectJson(
          await put(license.id, sameAs(license, { customerOrganizationId: customer.id })),
          ApplicationLicenseSchema,
        );
        expect(updated.customerOrganizationId).toBe(customer.id);
      });

      test("an id in the body different from the path → 400 with an empty body", async () => {
        const { license } = await createLicense();
        expectEmpty(await put(license.id, sameAs(license, { id: randomUUID() })), 400);
      });
    });

    describe("full replacement (quirk 5)", () => {
      test("PUT clears omitted expiresAt and registry fields and widens omitted versions to all; id and createdAt stay", async () => {
        const { license } = await createLicense({
          expiresAt: "2031-05-06T07:08:09Z",
          registryUrl: "registry.example.com",
          registryUsername: "acme",
          registryPassword: "s3cret",
          versions: versionRefs(versions().slice(0, 2)),
        });
        const res = await put(license.id, {
          id: license.id,
          name: license.name,
          applicationId: license.applicationId,
          customerOrganizationId: license.customerOrganizationId,
        });
        const updated = expectJson(res, ApplicationLicenseSchema);
        const keys = Object.keys(rawJson(res));
        for (const cleared of ["expiresAt", "registryUrl", "registryUsername", "registryPassword"]) {
          expect(keys).not.toContain(cleared);
        }
        expect(updated).toMatchObject({ id: license.id, createdAt: license.createdAt, versions: [] });
        expect(await t().objects.getApplicationLicense(license.id)).toEqual(updated);
      });
    });

    describe("versions (quirks 8, 9)", () => {
      test("widening is allowed: a superset adds versions, [] or omitted → all versions", async () => {
        const [v1, v2, v3] = versions();
        const { license } = await createLicense({ versions: versionRefs([v1!]) });
        const superset = expectJson(
          await put(license.id, sameAs(license, { versions: versionRefs([v1!, v2!, v3!]) })),
          ApplicationLicenseSchema,
        );
        expect(versionIds(superset)).toEqual([v1!.id, v2!.id, v3!.id]);
        const omitted = sameAs(license);
        delete omitted["versions"];
        expect(expectJson(await put(license.id, omitted), ApplicationLicenseSchema).versions).toEqual([]);
        const { license: second } = await createLicense({ versions: versionRefs([v1!]) });
        const all = expectJson(await put(second.id, sameAs(second, { versions: [] })), ApplicationLicenseSchema);
        expect(all.versions).toEqual([]);
      });

      if (suite.dialect === "3") {
        test("narrowing {v1,v2} → {v1} is allowed while no deployment uses v2 (quirk 8)", async () => {
          const [v1, v2] = versions();
          const { license } = await createLicense({ versions: versionRefs([v1!, v2!]) });
          const narrowed = expectJson(
            await put(license.id, sameAs(license, { versions: versionRefs([v1!]) })),
            ApplicationLicenseSchema,
          );
          expect(versionIds(narrowed)).toEqual([v1!.id]);
          expect(versionIds(await t().objects.getApplicationLicense(license.id))).toEqual([v1!.id]);
        });

        test("narrowing all versions → {v1} is allowed while nothing is deployed (quirk 8)", async () => {
          const [v1] = versions();
          const { license } = await createLicense({ versions: [] });
          const narrowed = expectJson(
            await put(license.id, sameAs(license, { versions: versionRefs([v1!]) })),
            ApplicationLicenseSchema,
          );
          expect(versionIds(narrowed)).toEqual([v1!.id]);
        });

        suite.testRequiring("deploy-version")(
          "narrowing away a deployed version → 409 cannot narrow entitlement scope: deployment target … uses version …; nothing changes (quirk 8)",
          async () => {
            const { objects, server } = t();
            const [v1, v2] = versions();
            const { license } = await createLicense({ versions: versionRefs([v1!, v2!]) });
            const target = objects.uniqueName("edge");
            server.markVersionDeployed(license.id, v2!.name, target);
            const res = await put(license.id, sameAs(license, { versions: versionRefs([v1!]) }));
            expectPlainTextError(
              res,
              409,
              `cannot narrow entitlement scope: deployment target "${target}" uses version "${v2!.name}"`,
            );
            expect(versionIds(await objects.getApplicationLicense(license.id))).toEqual([v1!.id, v2!.id]);
            // The same from "all versions".
            const all = expectJson(await put(license.id, sameAs(license, { versions: [] })), ApplicationLicenseSchema);
            const fromAll = await put(license.id, sameAs(all, { versions: versionRefs([v1!]) }));
            expectPlainTextError(
              fromAll,
              409,
              `cannot narrow entitlement scope: deployment target "${target}" uses version "${v2!.name}"`,
            );
          },
        );

        suite.testRequiring("deploy-version")(
          "narrowing that keeps the deployed version is allowed (quirk 8)",
          async () => {
            const { objects, server } = t();
            const [v1, v2] = versions();
            const { license } = await createLicense({ versions: versionRefs([v1!, v2!]) });
            server.markVersionDeployed(license.id, v1!.name, objects.uniqueName("edge"));
            const narrowed = expectJson(
              await put(license.id, sameAs(license, { versions: versionRefs([v1!]) })),
              ApplicationLicenseSchema,
            );
            expect(versionIds(narrowed)).toEqual([v1!.id]);
          },
        );

        test("create with an unknown version id → 500 (foreign key, quirk 9)", async () => {
          const { http, paths, objects } = t();
          const name = objects.uniqueName("unknown-version");
          const res = await http.send({
            method: "POST",
            path: paths.applicationLicenses(),
            json: { name, applicationId: app().id, versions: [{ id: randomUUID() }] },
          });
          expectStatus(res, 500);
          expect((await objects.listApplicationLicenses()).map((l) => l.name)).not.toContain(name);
        });

        test("update silently drops unknown version ids (quirk 9)", async () => {
          const [v1] = versions();
          const { license } = await createLicense({ versions: versionRefs([v1!]) });
          const updated = expectJson(
            await put(license.id, sameAs(license, { versions: [{ id: v1!.id }, { id: randomUUID() }] })),
            ApplicationLicenseSchema,
          );
          expect(versionIds(updated)).toEqual([v1!.id]);
        });

        test("update with only unknown version ids leaves no links: all versions (quirk 9)", async () => {
          const [v1, v2] = versions();
          const { license } = await createLicense({ versions: versionRefs([v1!, v2!]) });
          const updated = expectJson(
            await put(license.id, sameAs(license, { versions: [{ id: randomUUID() }] })),
            ApplicationLicenseSchema,
          );
          expect(updated.versions).toEqual([]);
        });
      } else {
        test("any narrowing → 400 narrowing down license scope is not allowed yet; nothing changes (quirk 8)", async () => {
          const [v1, v2] = versions();
          const { license } = await createLicense({ versions: versionRefs([v1!, v2!]) });
          expectPlainTextError(
            await put(license.id, sameAs(license, { versions: versionRefs([v1!]) })),
            400,
            "narrowing down license scope is not allowed yet",
          );
          expect(versionIds(await t().objects.getApplicationLicense(license.id))).toEqual([v1!.id, v2!.id]);

          const { license: all } = await createLicense({ versions: [] });
          expectPlainTextError(
            await put(all.id, sameAs(all, { versions: versionRefs([v1!]) })),
            400,
            "narrowing down license scope is not allowed yet",
          );
          expect((await t().objects.getApplicationLicense(all.id)).versions).toEqual([]);
        });

        test("unknown version ids → 500 on create and on update (quirk 9)", async () => {
          const { http, paths, objects } = t();
          const [v1] = versions();
          const created = await http.send({
            method: "POST",
            path: paths.applicationLicenses(),
            json: {
              name: objects.uniqueName("unknown-version"),
              applicationId: app().id,
              versions: [{ id: randomUUID() }],
            },
          });
          expectStatus(created, 500);
          const { license } = await createLicense({ versions: versionRefs([v1!]) });
          expectStatus(
            await put(license.id, sameAs(license, { versions: [{ id: v1!.id }, { id: randomUUID() }] })),
            500,
          );
          expect(versionIds(await objects.getApplicationLicense(license.id))).toEqual([v1!.id]);
        });
      }
    });

    describe("registry credentials (quirk 10)", () => {
      test("a partial set on create → 500 and nothing is created", async () => {
        const { http, paths, objects } = t();
        const name = objects.uniqueName("partial-registry");
        const res = await http.send({
          method: "POST",
          path: paths.applicationLicenses(),
          json: { name, applicationId: app().id, registryUrl: "registry.example.com" },
        });
        expectStatus(res, 500);
        expect((await objects.listApplicationLicenses()).map((l) => l.name)).not.toContain(name);
      });

      test("a partial set on update → 500 with an empty body, the license unchanged", async () => {
        const { license } = await createLicense();
        const res = await put(
          license.id,
          sameAs(license, { registryUrl: "registry.example.com", registryUsername: "acme" }),
        );
        expectEmpty(res, 500);
        expect(await t().objects.getApplicationLicense(license.id)).toEqual(license);
      });

      test('registryUrl "" with username and password is stored and returned as "" (no server validation)', async () => {
        const { license } = await createLicense({ registryUrl: "", registryUsername: "acme", registryPassword: "pw" });
        expect(license).toMatchObject({ registryUrl: "", registryUsername: "acme", registryPassword: "pw" });
        expect(await t().objects.getApplicationLicense(license.id)).toMatchObject({ registryUrl: "" });
      });
    });

    describe("ids and deletion", () => {
      test("DELETE → 204; afterwards GET, PUT and DELETE → 404 with an empty body", async () => {
        const { http, paths } = t();
        const { license } = await createLicense();
        expectNoContent(await http.send({ method: "DELETE", path: paths.applicationLicense(license.id) }));
        expectEmpty(await http.send({ method: "GET", path: paths.applicationLicense(license.id) }), 404);
        expectEmpty(await put(license.id, sameAs(license)), 404);
        expectEmpty(await http.send({ method: "DELETE", path: paths.applicationLicense(license.id) }), 404);
      });

      test(`a non-UUID id → 400 ${texts.invalidId} on GET, PUT and DELETE`, async () => {
        const { http, paths } = t();
        const text = texts.invalidId;
        const path = paths.applicationLicense("not-a-uuid");
        expectPlainTextError(await http.send({ method: "GET", path }), 400, text);
        expectPlainTextError(await http.send({ method: "PUT", path, json: { name: "x" } }), 400, text);
        expectPlainTextError(await http.send({ method: "DELETE", path }), 400, text);
      });

      suite.testRequiring("deploy-version")(
        "DELETE while a deployment uses the license → 400 still in use",
        async () => {
          const { http, paths, objects, server } = t();
          const [v1] = versions();
          const { license } = await createLicense({ versions: versionRefs([v1!]) });
          server.markVersionDeployed(license.id, v1!.name, objects.uniqueName("edge"));
          const res = await http.send({ method: "DELETE", path: paths.applicationLicense(license.id) });
          expectPlainTextError(res, 400, texts.deleteInUse);
          expect((await objects.getApplicationLicense(license.id)).id).toBe(license.id);
        },
      );

      suite.testRequiring("second-organization")(
        "another organization's license → 403 with an empty body on GET, PUT and DELETE, and not in that organization's list",
        async () => {
          const { http, paths, server } = t();
          const { license } = await createLicense();
          const other = server.addOrganization();
          const path = paths.applicationLicense(license.id);
          expectEmpty(await http.send({ method: "GET", path, token: other.token }), 403);
          expectEmpty(await put(license.id, sameAs(license), other.token), 403);
          expectEmpty(await http.send({ method: "DELETE", path, token: other.token }), 403);
          const list = expectJson(
            await http.send({ method: "GET", path: paths.applicationLicenses(), token: other.token }),
            z.array(ApplicationLicenseSchema),
          );
          expect(list.map((l) => l.id)).not.toContain(license.id);
          expect(await t().objects.getApplicationLicense(license.id)).toEqual(license);
        },
      );
    });
  });
}
