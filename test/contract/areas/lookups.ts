import { randomUUID } from "node:crypto";
import { z } from "zod";
import { ApplicationSchema, ArtifactSchema, OrganizationSchema } from "../distrShapes";
import { SEED } from "../catalog";
import { DISTR_TIMESTAMP, expectEmpty, expectJson, expectPlainTextError, rawJson, rawJsonArray } from "../expectations";
import type { ContractSuite } from "../target";

/** Section 9 / B6: the applications and artifacts a license refers to. */
export function describeLookups(suite: ContractSuite): void {
  describe("lookups: applications and artifacts (sections 9, B6)", () => {
    const t = () => suite.target();

    describe("organization", () => {
      test("GET /organization answers the token's organization with its features (licensing on)", async () => {
        const { http, paths } = t();
        const organization = expectJson(
          await http.send({ method: "GET", path: paths.organization() }),
          OrganizationSchema,
        );
        expect(organization.features).toContain("licensing");
        expect(organization.id).not.toBe("");
      });

      suite.testRequiring("toggle-licensing")(
        "GET /organization no longer lists licensing once it is off",
        async () => {
          const { http, paths, server } = t();
          server.setLicensing(false);
          try {
            const organization = expectJson(
              await http.send({ method: "GET", path: paths.organization() }),
              OrganizationSchema,
            );
            expect(organization.features).not.toContain("licensing");
          } finally {
            server.setLicensing(true);
          }
        },
      );
    });

    describe("applications", () => {
      test("GET /applications is ordered by name", async () => {
        const { http, paths, catalog } = t();
        const list = expectJson(
          await http.send({ method: "GET", path: paths.applications() }),
          z.array(ApplicationSchema),
        );
        const names = list.map((a) => a.name);
        const [first, second] = [catalog.application.name, catalog.otherApplication.name].sort();
        expect(names.indexOf(first!)).toBeGreaterThanOrEqual(0);
        expect(names.indexOf(first!)).toBeLessThan(names.indexOf(second!));
      });

      suite.testRequiring("seed-catalog")(
        "GET /applications/{id} lists all versions by createdAt, archived ones included with archivedAt",
        async () => {
          const { http, paths, catalog } = t();
          const res = await http.send({ method: "GET", path: paths.application(catalog.application.id) });
          const app = expectJson(res, ApplicationSchema);
          expect(app).toMatchObject({ id: catalog.application.id, name: SEED.application, type: SEED.applicationType });
          const versions = app.versions ?? [];
          // Published during this run (publish-version tests) come after the seed's.
          expect(versions.slice(0, SEED.applicationVersions.length).map((v) => v.name)).toEqual([
            ...SEED.applicationVersions,
          ]);
          expect(versions.filter((v) => v.archivedAt !== undefined).map((v) => v.name)).toEqual([
            ...SEED.archivedVersions,
          ]);
          const createdAt = versions.map((v) => Date.parse(v.createdAt));
          expect(createdAt).toEqual([...createdAt].sort((a, b) => a - b));
          for (const version of versions) {
            expect(version.createdAt).toMatch(DISTR_TIMESTAMP);
            expect(version.applicationId).toBe(catalog.application.id);
          }
          if (suite.dialect === "2") expect(Object.keys(rawJson(res))).not.toContain("imageId");
        },
      );

      suite.testRequiring("publish-version")("a newly published version is listed last, unarchived", async () => {
        const { http, paths, catalog, server, objects } = t();
        const name = `8.${Date.now() % 100000}.0-contract-${objects.suffix}`;
        const published = await server.publishVersion(catalog.otherApplication, name);
        const app = expectJson(
          await http.send({ method: "GET", path: paths.application(catalog.otherApplication.id) }),
          ApplicationSchema,
        );
        const last = app.versions?.at(-1);
        expect(last).toMatchObject({ id: published.id, name });
        expect(last?.archivedAt).toBeUndefined();
      });

      test("a non-UUID application id → 404 404 page not found; an unknown one → 404 empty", async () => {
        const { http, paths } = t();
        expectPlainTextError(
          await http.send({ method: "GET", path: paths.application("not-a-uuid") }),
          404,
          "404 page not found",
        );
        expectEmpty(await http.send({ method: "GET", path: paths.application(randomUUID()) }), 404);
      });
    });

    describe("artifacts", () => {
      suite.testRequiring("artifacts")(
        `GET /artifacts elements carry the download metrics of dialect ${suite.dialect}`,
        async () => {
          const { http, paths, catalog } = t();
          const res = await http.send({ method: "GET", path: paths.artifacts() });
          expectJson(res, z.array(ArtifactSchema));
          const element = rawJsonArray(res).find((a) => a["id"] === catalog.artifacts?.[0].id);
          const metrics =
            suite.dialect === "3"
              ? ["downloadsTotal", "downloadedByUsersCount", "downloadedByCustomerOrganizationsCount"]
              : ["downloadsTotal", "downloadedByCount"];
          for (const metric of metrics) expect(typeof element?.[metric]).toBe("number");
          expect(Object.keys(element ?? {})).not.toContain("versions");
        },
      );

      suite.testRequiring("seed-catalog")(
        "GET /artifacts/{id} lists one entry per digest, newest first, tags sorted by name; tags of one digest share it",
        async () => {
          const { http, paths, catalog } = t();
          const backend = catalog.artifacts?.[0];
          const res = await http.send({ method: "GET", path: paths.artifact(backend?.id ?? "") });
          const artifact = expectJson(res, ArtifactSchema);
          expect(artifact.name).toBe(SEED.artifacts[0]);
          const versions = artifact.versions ?? [];
          for (const version of versions) {
            expect(version.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
            expect(version.tags.map((tag) => tag.name)).toEqual(version.tags.map((tag) => tag.name).sort());
          }
          expect(versions.flatMap((v) => v.tags.map((tag) => tag.name)).sort()).toEqual([...SEED.backendTags].sort());
          expect(SEED.backendSharedDigestTags.length).toBeGreaterThanOrEqual(2);
          const shared = versions.find((v) => v.tags.some((tag) => tag.name === SEED.backendSharedDigestTags[0]));
          expect(shared?.tags.map((tag) => tag.name)).toEqual([...SEED.backendSharedDigestTags].sort());
          expect(new Set(versions.map((v) => v.digest)).size).toBe(versions.length);
          const createdAt = versions.map((v) => Date.parse(v.createdAt));
          expect(createdAt).toEqual([...createdAt].sort((a, b) => b - a));
        },
      );

      suite.testRequiring("push-artifact-tag", "artifacts")(
        "a tag pushed with a new digest appears as the newest version, and its id is what licenses select",
        async () => {
          const { http, paths, catalog, server, objects } = t();
          const artifact = catalog.artifacts?.[1];
          const tag = `9.9.${Date.now() % 100000}`;
          const pushed = server.pushArtifactTag(artifact?.name ?? "", tag);
          const read = expectJson(
            await http.send({ method: "GET", path: paths.artifact(artifact?.id ?? "") }),
            ArtifactSchema,
          );
          expect(read.versions?.[0]).toMatchObject({
            id: pushed.versionId,
            tags: [expect.objectContaining({ name: tag })],
          });
          const license = await objects.createArtifactLicense({
            name: objects.uniqueName("pushed"),
            artifacts: [{ artifactId: artifact?.id, versionIds: [pushed.versionId] }],
          });
          const listed = (await objects.listArtifactLicenses()).find((l) => l.id === license.id);
          expect(listed?.artifacts).toEqual([{ artifactId: artifact?.id, versionIds: [pushed.versionId] }]);
        },
      );

      test("a non-UUID or unknown artifact id → 404 404 page not found", async () => {
        const { http, paths } = t();
        for (const id of ["not-a-uuid", randomUUID()]) {
          expectPlainTextError(await http.send({ method: "GET", path: paths.artifact(id) }), 404, "404 page not found");
        }
      });
    });
  });
}
