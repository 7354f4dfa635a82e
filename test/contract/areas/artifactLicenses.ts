import { randomUUID } from "node:crypto";
import { ArtifactLicenseSchema, type ArtifactLicense } from "../distrShapes";
import type { ArtifactFixture } from "../catalog";
import type { RequestBody } from "../distrObjects";
import {
  DISTR_TIMESTAMP,
  expectEmpty,
  expectJson,
  expectMethodNotAllowed,
  expectNoContent,
  expectPlainTextError,
  expectStatus,
  rawJson,
} from "../expectations";
import type { ContractSuite } from "../target";

/** Sections 6 / B5: artifact entitlements (3.x) and artifact licenses (2.x). */
export function describeArtifactLicenses(suite: ContractSuite): void {
  // Written out as read from Distr's source (distr-api.md §6.5, B5, quirk 18), never from sdk/errorTexts.
  const texts =
    suite.dialect === "3"
      ? {
          route: "/artifact-entitlements",
          nameTaken: "An artifact entitlement with this name already exists",
          invalidId: "artifactEntitlementId is not a valid UUID",
        }
      : {
          route: "/artifact-licenses",
          nameTaken: "An artifact license with this name already exists",
          invalidId: "artifactLicenseId is not a valid UUID",
        };

  describe(`artifact licenses: ${texts.route} (sections 6, B5, quirks 4, 5, 11-14)`, () => {
    const t = () => suite.target();
    const artifacts = (): readonly [ArtifactFixture, ArtifactFixture] => {
      const pair = t().catalog.artifacts;
      if (!pair) throw new Error(`${suite.descriptor.label} has no artifacts`);
      return pair;
    };
    /** Two digest-row ids of the first artifact. */
    const twoVersionIds = (): [string, string] => {
      const [first, second] = artifacts()[0].versions;
      if (!first || !second) throw new Error(`${artifacts()[0].name} needs two versions`);
      return [first.id, second.id];
    };
    const post = (json: RequestBody) => t().http.send({ method: "POST", path: t().paths.artifactLicenses(), json });
    const put = (id: string, json: RequestBody, token?: string) =>
      t().http.send({ method: "PUT", path: t().paths.artifactLicense(id), json, ...(token ? { token } : {}) });
    const listed = async (id: string): Promise<Record<string, unknown> | undefined> => {
      const res = await t().http.send({ method: "GET", path: t().paths.artifactLicenses() });
      expectJson(res, ArtifactLicenseSchema.array());
      const list: unknown = JSON.parse(res.body);
      return (list as Array<Record<string, unknown>>).find((l) => l["id"] === id);
    };
    const createTracked = async (json: RequestBody) => {
      const res = await post(json);
      const license = expectJson(res, ArtifactLicenseSchema);
      t().objects.trackArtifactLicense(license.id);
      return { res, license };
    };

    describe("shape and echo (quirk 11)", () => {
      suite.testRequiring("artifacts")(
        "create echoes the request's artifacts verbatim: order kept, omitted versionIds as null; no nested objects",
        async () => {
          const { objects } = t();
          const [a, b] = artifacts();
          const customer = await objects.createCustomer();
          const name = objects.uniqueName("echo");
          const { res, license } = await createTracked({
            name,
            expiresAt: "2030-01-02T03:04:05Z",
            customerOrganizationId: customer.id,
            artifacts: [{ artifactId: b.id }, { artifactId: a.id, versionIds: [] }],
          });
          const raw = rawJson(res);
          expect(Object.keys(raw).sort()).toEqual(
            ["artifacts", "createdAt", "customerOrganizationId", "expiresAt", "id", "name"].sort(),
          );
          expect(raw["artifacts"]).toEqual([
            { artifactId: b.id, versionIds: null },
            { artifactId: a.id, versionIds: [] },
          ]);
          expect(license).toMatchObject({
            name,
            expiresAt: "2030-01-02T03:04:05Z",
            customerOrganizationId: customer.id,
          });
          expect(license.createdAt).toMatch(DISTR_TIMESTAMP);
        },
      );

      suite.testRequiring("artifacts")(
        "the list re-reads selections sorted by artifactId, all-versions selections as []",
        async () => {
          const { objects } = t();
          const [a, b] = artifacts();
          const { license } = await createTracked({
            name: objects.uniqueName("reread"),
            artifacts: [{ artifactId: b.id }, { artifactId: a.id, versionIds: [] }],
          });
          const element = await listed(license.id);
          const expected = [a.id, b.id].sort().map((artifactId) => ({ artifactId, versionIds: [] }));
          expect(element?.["artifacts"]).toEqual(expected);
        },
      );

      suite.testRequiring("artifact-versions")(
        "selected version ids read back as a set of digest-row ids",
        async () => {
          const { objects } = t();
          const [v1, v2] = twoVersionIds();
          const [a] = artifacts();
          const { license } = await createTracked({
            name: objects.uniqueName("version-set"),
            artifacts: [{ artifactId: a.id, versionIds: [v2, v1] }],
          });
          const element = ArtifactLicenseSchema.parse(await listed(license.id));
          expect(element.artifacts?.map((s) => ({ ...s, versionIds: [...(s.versionIds ?? [])].sort() }))).toEqual([
            { artifactId: a.id, versionIds: [v1, v2].sort() },
          ]);
        },
      );

      test("artifacts is omitted when a license selects nothing, in the response and in the list", async () => {
        const { objects } = t();
        const { res: empty, license: withEmpty } = await createTracked({
          name: objects.uniqueName("none"),
          artifacts: [],
        });
        expect(Object.keys(rawJson(empty))).not.toContain("artifacts");
        const { res: omitted, license: withOmitted } = await createTracked({ name: objects.uniqueName("omitted") });
        expect(Object.keys(rawJson(omitted))).not.toContain("artifacts");
        for (const license of [withEmpty, withOmitted]) {
          const element = await listed(license.id);
          expect(element).toBeDefined();
          expect(Object.keys(element ?? {})).not.toContain("artifacts");
        }
        expect(Object.keys(rawJson(empty)).sort()).toEqual(["createdAt", "id", "name"]);
      });

      test("the list is ordered by name", async () => {
        const { objects } = t();
        const { license: later } = await createTracked({ name: objects.uniqueName("zulu") });
        const { license: earlier } = await createTracked({ name: objects.uniqueName("alpha") });
        const ids = (await objects.listArtifactLicenses()).map((l) => l.id);
        expect(ids.indexOf(earlier.id)).toBeGreaterThanOrEqual(0);
        expect(ids.indexOf(earlier.id)).toBeLessThan(ids.indexOf(later.id));
      });
    });

    describe("update (quirks 5, 11)", () => {
      test("PUT is a full replacement: expiresAt cleared when omitted, the customer may change or be cleared (no owner rule)", async () => {
        const { objects } = t();
        const first = await objects.createCustomer();
        const second = await objects.createCustomer();
        const { license } = await createTracked({
          name: objects.uniqueName("replace"),
          expiresAt: "2030-01-02T03:04:05Z",
          customerOrganizationId: first.id,
        });
        const moved = await put(license.id, { id: license.id, name: license.name, customerOrganizationId: second.id });
        const echoed = expectJson(moved, ArtifactLicenseSchema);
        expect(Object.keys(rawJson(moved))).not.toContain("expiresAt");
        expect(echoed).toMatchObject({
          id: license.id,
          createdAt: license.createdAt,
          customerOrganizationId: second.id,
        });
        const cleared = expectJson(await put(license.id, { name: license.name }), ArtifactLicenseSchema);
        expect(cleared.customerOrganizationId).toBeUndefined();
        const element = ArtifactLicenseSchema.parse(await listed(license.id));
        expect(element).toEqual({ id: license.id, createdAt: license.createdAt, name: license.name });
      });

      suite.testRequiring("artifacts")(
        "PUT echoes the request and replaces all selections; omitted artifacts → no selections",
        async () => {
          const { objects } = t();
          const [a, b] = artifacts();
          const { license } = await createTracked({
            name: objects.uniqueName("reselect"),
            artifacts: [{ artifactId: a.id, versionIds: [] }],
          });
          const res = await put(license.id, { name: license.name, artifacts: [{ artifactId: b.id }] });
          expectJson(res, ArtifactLicenseSchema);
          expect(rawJson(res)["artifacts"]).toEqual([{ artifactId: b.id, versionIds: null }]);
          expect((await listed(license.id))?.["artifacts"]).toEqual([{ artifactId: b.id, versionIds: [] }]);
          const none = await put(license.id, { name: license.name });
          expect(Object.keys(rawJson(none))).not.toContain("artifacts");
          expect(Object.keys((await listed(license.id)) ?? {})).not.toContain("artifacts");
        },
      );

      test("an id in the body different from the path → 400 with an empty body", async () => {
        const { license } = await createTracked({ name: t().objects.uniqueName("id-mismatch") });
        expectEmpty(await put(license.id, { id: randomUUID(), name: license.name }), 400);
      });
    });

    describe("validation (quirks 12-14)", () => {
      suite.testRequiring("artifacts")(
        "the same artifactId twice → 400 cannot select same artifact multiple times (quirk 12)",
        async () => {
          const [a] = artifacts();
          const res = await post({
            name: t().objects.uniqueName("dup-artifact"),
            artifacts: [{ artifactId: a.id }, { artifactId: a.id, versionIds: [] }],
          });
          expectPlainTextError(res, 400, "cannot select same artifact multiple times");
        },
      );

      if (suite.dialect === "3") {
        suite.testRequiring("artifact-versions")(
          "the same version id twice → 400 cannot select same version of artifact multiple times (quirk 12)",
          async () => {
            const [a] = artifacts();
            const [v1] = twoVersionIds();
            const res = await post({
              name: t().objects.uniqueName("dup-version"),
              artifacts: [{ artifactId: a.id, versionIds: [v1, v1] }],
            });
            expectPlainTextError(res, 400, "cannot select same version of artifact multiple times");
          },
        );

        test("a blank name → 400 name is required, on create and on update (quirk 14)", async () => {
          expectPlainTextError(await post({ name: " " }), 400, "name is required");
          const { license } = await createTracked({ name: t().objects.uniqueName("blank-later") });
          expectPlainTextError(await put(license.id, { name: "" }), 400, "name is required");
        });

        test("names are unique per customer: two customers may share a name, one customer may not (quirk 13)", async () => {
          const { objects } = t();
          const name = objects.uniqueName("shared");
          const first = await objects.createCustomer();
          const second = await objects.createCustomer();
          await createTracked({ name, customerOrganizationId: first.id });
          await createTracked({ name, customerOrganizationId: second.id });
          expectPlainTextError(await post({ name, customerOrganizationId: first.id }), 400, texts.nameTaken);
        });
      } else {
        suite.testRequiring("artifact-versions")(
          "the same version id twice is echoed as sent and de-duplicated in the list (quirk 12)",
          async () => {
            const [a] = artifacts();
            const [v1] = twoVersionIds();
            const { res, license } = await createTracked({
              name: t().objects.uniqueName("dup-version"),
              artifacts: [{ artifactId: a.id, versionIds: [v1, v1] }],
            });
            expect(rawJson(res)["artifacts"]).toEqual([{ artifactId: a.id, versionIds: [v1, v1] }]);
            expect((await listed(license.id))?.["artifacts"]).toEqual([{ artifactId: a.id, versionIds: [v1] }]);
          },
        );

        test("a blank name is accepted (quirk 14)", async () => {
          const { license } = await createTracked({ name: "" });
          expect(license.name).toBe("");
          expectNoContent(await t().http.send({ method: "DELETE", path: t().paths.artifactLicense(license.id) }));
        });

        test("names are unique per organization: another customer may not reuse a name (quirk 13)", async () => {
          const { objects } = t();
          const name = objects.uniqueName("org-wide");
          const first = await objects.createCustomer();
          const second = await objects.createCustomer();
          await createTracked({ name, customerOrganizationId: first.id });
          expectPlainTextError(await post({ name, customerOrganizationId: second.id }), 400, texts.nameTaken);
        });
      }

      test("an unknown artifactId → 500 (foreign key) and nothing is created", async () => {
        const name = t().objects.uniqueName("unknown-artifact");
        expectStatus(await post({ name, artifacts: [{ artifactId: randomUUID() }] }), 500);
        expect((await t().objects.listArtifactLicenses()).map((l: ArtifactLicense) => l.name)).not.toContain(name);
      });
    });

    describe("ids and deletion (quirk 4)", () => {
      test("there is no GET by id: 405 with Allow: PUT, DELETE for an existing id, 404 empty for an unknown one", async () => {
        const { http, paths } = t();
        const { license } = await createTracked({ name: t().objects.uniqueName("no-get") });
        expectMethodNotAllowed(await http.send({ method: "GET", path: paths.artifactLicense(license.id) }), [
          "DELETE",
          "PUT",
        ]);
        expectEmpty(await http.send({ method: "GET", path: paths.artifactLicense(randomUUID()) }), 404);
      });

      test(`a non-UUID id → 400 ${texts.invalidId}`, async () => {
        const { http, paths } = t();
        const text = texts.invalidId;
        const path = paths.artifactLicense("not-a-uuid");
        expectPlainTextError(await http.send({ method: "GET", path }), 400, text);
        expectPlainTextError(await http.send({ method: "PUT", path, json: { name: "x" } }), 400, text);
        expectPlainTextError(await http.send({ method: "DELETE", path }), 400, text);
      });

      test("DELETE → 204, afterwards PUT and DELETE → 404 with an empty body", async () => {
        const { http, paths } = t();
        const { license } = await createTracked({ name: t().objects.uniqueName("delete") });
        expectNoContent(await http.send({ method: "DELETE", path: paths.artifactLicense(license.id) }));
        expectEmpty(await put(license.id, { name: license.name }), 404);
        expectEmpty(await http.send({ method: "DELETE", path: paths.artifactLicense(license.id) }), 404);
      });

      if (suite.dialect === "3") {
        suite.testRequiring("second-organization")(
          "another organization's artifact license → 404 with an empty body on PUT and DELETE",
          async () => {
            const { http, paths, server } = t();
            const { license } = await createTracked({ name: t().objects.uniqueName("foreign") });
            const other = server.addOrganization();
            expectEmpty(await put(license.id, { name: "stolen" }, other.token), 404);
            expectEmpty(
              await http.send({ method: "DELETE", path: paths.artifactLicense(license.id), token: other.token }),
              404,
            );
            expect((await listed(license.id))?.["name"]).toBe(license.name);
          },
        );
      } else {
        suite.testRequiring("second-organization")(
          "another organization can PUT an artifact license by id (no org check), but DELETE → 404 404 page not found",
          async () => {
            const { http, paths, server, objects } = t();
            const { license } = await createTracked({ name: objects.uniqueName("foreign") });
            const other = server.addOrganization();
            const renamed = objects.uniqueName("renamed-by-other");
            expectJson(await put(license.id, { name: renamed }, other.token), ArtifactLicenseSchema);
            expect((await listed(license.id))?.["name"]).toBe(renamed);
            expectPlainTextError(
              await http.send({ method: "DELETE", path: paths.artifactLicense(license.id), token: other.token }),
              404,
              "404 page not found",
            );
          },
        );
      }
    });
  });
}
