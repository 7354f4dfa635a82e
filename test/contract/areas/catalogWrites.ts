/**
 * The catalog writes a client sets test data up with (distr-api.md §9, §13.5, §B10.4), as Distr 3.1.0 and 2.7.1
 * answer them, read from Distr's source: `handlers/applications.go` (`createApplication`,
 * `createApplicationVersion`, `deleteApplication`, `applicationMiddleware`), `handlers/util.go` (`JsonBody`,
 * `readMultipartFile`: at most 100 KiB, media types from `contenttype.IsYaml`), `types/application_version.go`
 * (`Validate`), `types/types.go` (`DeploymentType.UnmarshalJSON`), `handlers/artifacts.go` (3.x
 * `createArtifactHandler`, `deleteArtifactHandler`). The remote mode of this suite sends exactly these to set up
 * its catalog, so they must hold on the local server too.
 */
import { FormData } from "undici";
import { z } from "zod";
import type { DistrHttp, DistrResponse } from "../distrHttp";
import type { DistrPaths } from "../distrPaths";
import { ApplicationSchema, ApplicationVersionSchema, ArtifactSchema } from "../distrShapes";
import {
  DISTR_TIMESTAMP,
  expectEmpty,
  expectJson,
  expectMethodNotAllowed,
  expectNoContent,
  expectPlainTextError,
  expectPlainTextErrorStartingWith,
  PLAIN_TEXT,
  rawJson,
} from "../expectations";
import type { ContractSuite } from "../target";

const COMPOSE = "services:\n  web:\n    image: nginx:alpine\n";
/** `contenttype.IsYaml`, in Distr's order, as its 415 lists them. */
const YAML_MEDIA_TYPES = "application/json, application/yaml, text/yaml, text/x-yaml, application/x-yaml";

/** A body Go wrote without a Content-Type of its own: sniffed (`text/plain; charset=utf-8`), no nosniff header. */
function expectSniffed(res: DistrResponse, status: number): string {
  expect({ request: `${res.method} ${res.path}`, status: res.status, contentType: res.header("content-type") }).toEqual(
    {
      request: `${res.method} ${res.path}`,
      status,
      contentType: PLAIN_TEXT,
    },
  );
  return res.body;
}

/** The portal's upload: `applicationversion` (JSON) and files with the given media types. */
function versionForm(
  version: Record<string, unknown> | string,
  files: Record<string, { content: string; type: string }> = {},
): FormData {
  const form = new FormData();
  form.append("applicationversion", typeof version === "string" ? version : JSON.stringify(version));
  for (const [field, file] of Object.entries(files)) {
    form.append(field, new Blob([file.content], { type: file.type }), `${field}.yaml`);
  }
  return form;
}

export function describeCatalogWrites(suite: ContractSuite): void {
  describe("catalog writes: applications, versions, artifacts (sections 9, 13.5, B10.4)", () => {
    const t = () => suite.target();

    /** Creates an application through the API and deletes it after `use`, whatever happens. */
    async function withApplication(
      type: "docker" | "kubernetes",
      use: (application: { id: string; name: string }, http: DistrHttp, paths: DistrPaths) => Promise<void>,
    ): Promise<void> {
      const { http, paths, objects } = t();
      const name = objects.uniqueName(`app-${type}`);
      const res = await http.send({ method: "POST", path: paths.applications(), json: { name, type } });
      const application = ApplicationSchema.parse(JSON.parse(expectSniffed(res, 200)));
      try {
        await use(application, http, paths);
      } finally {
        await http.send({ method: "DELETE", path: paths.application(application.id) });
      }
    }

    describe("POST /applications", () => {
      test("→ 200 with the application (versions null), written without the JSON content type; listed, then DELETE → 204", async () => {
        const { http, paths, objects } = t();
        const name = objects.uniqueName("app");
        const res = await http.send({ method: "POST", path: paths.applications(), json: { name, type: "docker" } });
        const body = expectSniffed(res, 200);
        expect(body.endsWith("}\n")).toBe(true);
        const created = rawJson(res);
        expect(Object.keys(created)).toEqual(["id", "createdAt", "name", "type", "versions"]);
        expect(created).toMatchObject({ name, type: "docker", versions: null });
        expect(created["createdAt"]).toMatch(DISTR_TIMESTAMP);
        const id = String(created["id"]);
        const read = expectJson(await http.send({ method: "GET", path: paths.application(id) }), ApplicationSchema);
        expect(read).toMatchObject({ id, name, type: "docker", versions: [] });
        expectNoContent(await http.send({ method: "DELETE", path: paths.application(id) }));
        expectEmpty(await http.send({ method: "GET", path: paths.application(id) }), 404);
      });

      test("a name that is taken is accepted (no unique constraint on application names)", async () => {
        await withApplication("docker", async (first, http, paths) => {
          const res = await http.send({
            method: "POST",
            path: paths.applications(),
            json: { name: first.name, type: "docker" },
          });
          const second = ApplicationSchema.parse(JSON.parse(expectSniffed(res, 200)));
          expect(second.id).not.toBe(first.id);
          expectNoContent(await http.send({ method: "DELETE", path: paths.application(second.id) }));
        });
      });

      test("without a name → 400 with an empty body", async () => {
        const { http, paths } = t();
        expectEmpty(await http.send({ method: "POST", path: paths.applications(), json: { type: "docker" } }), 400);
        expectEmpty(
          await http.send({ method: "POST", path: paths.applications(), json: { name: "", type: "docker" } }),
          400,
        );
      });

      test("an unknown type → 400 invalid deployment type (the decoder's error)", async () => {
        const { http, paths, objects } = t();
        const res = await http.send({
          method: "POST",
          path: paths.applications(),
          json: { name: objects.uniqueName("app"), type: "helm" },
        });
        expectPlainTextError(res, 400, "invalid deployment type: helm");
      });

      test("without a type → 500 from the database enum, written after the status", async () => {
        const { http, paths, objects } = t();
        const res = await http.send({
          method: "POST",
          path: paths.applications(),
          json: { name: objects.uniqueName("app") },
        });
        expectSniffed(res, 500);
        expect(res.body).toBe(
          'could not save application: ERROR: invalid input value for enum deployment_type: "" (SQLSTATE 22P02)\n',
        );
      });

      test("malformed JSON → 400 with the decoder's error", async () => {
        const { http, paths } = t();
        expectPlainTextError(
          await http.send({ method: "POST", path: paths.applications(), rawBody: "{" }),
          400,
          "unexpected EOF",
        );
      });

      suite.testRequiring("second-organization")("a read_only token → 403 insufficient permissions", async () => {
        const { http, paths, server, objects } = t();
        const reader = server.addOrganization({ role: "read_only" });
        const res = await http.send({
          method: "POST",
          path: paths.applications(),
          json: { name: objects.uniqueName("app"), type: "docker" },
          token: reader.token,
        });
        expectPlainTextError(res, 403, "insufficient permissions");
      });

      test("PATCH on the collection → 405 with Allow: GET, POST", async () => {
        const { http, paths } = t();
        expectMethodNotAllowed(await http.send({ method: "PATCH", path: paths.applications(), json: {} }), [
          "GET",
          "POST",
        ]);
      });
    });

    describe("POST /applications/{id}/versions (multipart)", () => {
      test("a docker version with its compose file (YAML) → 200 JSON with the version; listed on the application", async () => {
        await withApplication("docker", async (application, http, paths) => {
          const res = await http.send({
            method: "POST",
            path: paths.applicationVersions(application.id),
            form: versionForm({ name: "1.0.0" }, { composefile: { content: COMPOSE, type: "application/yaml" } }),
          });
          const version = expectJson(res, ApplicationVersionSchema);
          expect(Object.keys(rawJson(res))).toEqual(["id", "createdAt", "name", "linkTemplate", "applicationId"]);
          expect(version).toMatchObject({ name: "1.0.0", linkTemplate: "", applicationId: application.id });
          const read = expectJson(
            await http.send({ method: "GET", path: paths.application(application.id) }),
            ApplicationSchema,
          );
          expect(read.versions?.map((v) => v.id)).toEqual([version.id]);
        });
      });

      test("the same name again → 400 (dialect's text)", async () => {
        await withApplication("docker", async (application, http, paths) => {
          const send = () =>
            http.send({
              method: "POST",
              path: paths.applicationVersions(application.id),
              form: versionForm({ name: "1.0.0" }, { composefile: { content: COMPOSE, type: "text/yaml" } }),
            });
          expectJson(await send(), ApplicationVersionSchema);
          expectPlainTextError(
            await send(),
            400,
            suite.dialect === "3"
              ? "Application version cannot be created because a version with this name already exists."
              : "application version can not be created. Does a version with the same name already exist?",
          );
        });
      });

      test("without a compose file → 400 missing compose file; a chart field on docker → 400", async () => {
        await withApplication("docker", async (application, http, paths) => {
          const path = paths.applicationVersions(application.id);
          expectPlainTextError(
            await http.send({ method: "POST", path, form: versionForm({ name: "1.0.0" }) }),
            400,
            "missing compose file",
          );
          expectPlainTextError(
            await http.send({
              method: "POST",
              path,
              form: versionForm(
                { name: "1.0.0", chartUrl: "oci://example.com/chart" },
                { composefile: { content: COMPOSE, type: "application/yaml" } },
              ),
            }),
            400,
            "unexpected kubernetes specifics in docker application",
          );
        });
      });

      test("a compose file as application/octet-stream → 415 naming the YAML media types (no newline)", async () => {
        await withApplication("docker", async (application, http, paths) => {
          const res = await http.send({
            method: "POST",
            path: paths.applicationVersions(application.id),
            form: versionForm(
              { name: "1.0.0" },
              { composefile: { content: COMPOSE, type: "application/octet-stream" } },
            ),
          });
          expect(expectSniffed(res, 415)).toBe(
            `unacceptable media type: application/octet-stream (acceptable media types are ${YAML_MEDIA_TYPES})`,
          );
        });
      });

      test("a compose file over 100 KiB → 413 file too large", async () => {
        await withApplication("docker", async (application, http, paths) => {
          const res = await http.send({
            method: "POST",
            path: paths.applicationVersions(application.id),
            form: versionForm(
              { name: "1.0.0" },
              { composefile: { content: `# ${"x".repeat(102_400)}\n${COMPOSE}`, type: "application/yaml" } },
            ),
          });
          expect(expectSniffed(res, 413)).toBe("file too large (max 100 KiB)\n");
        });
      });

      test("a compose file that is not a YAML mapping → 400 cannot parse (yaml.v3's message follows)", async () => {
        await withApplication("docker", async (application, http, paths) => {
          const res = await http.send({
            method: "POST",
            path: paths.applicationVersions(application.id),
            form: versionForm({ name: "1.0.0" }, { composefile: { content: "- a\n- b\n", type: "application/yaml" } }),
          });
          expectPlainTextErrorStartingWith(res, 400, "cannot parse ApplicationVersion compose file: yaml: ");
        });
      });

      test("a JSON body instead of a form → 400 empty (applicationversion reads as nothing)", async () => {
        await withApplication("docker", async (application, http, paths) => {
          expectEmpty(
            await http.send({
              method: "POST",
              path: paths.applicationVersions(application.id),
              json: { name: "1.0.0" },
            }),
            400,
          );
        });
      });

      test("kubernetes: chart type, url and version required, a repository chart needs its name; an OCI chart → 200", async () => {
        await withApplication("kubernetes", async (application, http, paths) => {
          const path = paths.applicationVersions(application.id);
          expectPlainTextError(
            await http.send({ method: "POST", path, form: versionForm({ name: "1.0.0", chartType: "oci" }) }),
            400,
            "not all of chart type, url and version are given",
          );
          expectPlainTextError(
            await http.send({
              method: "POST",
              path,
              form: versionForm({
                name: "1.0.0",
                chartType: "repository",
                chartUrl: "https://charts.example.com",
                chartVersion: "1.0.0",
              }),
            }),
            400,
            "missing chart name",
          );
          const res = await http.send({
            method: "POST",
            path,
            form: versionForm({
              name: "1.0.0",
              chartType: "oci",
              chartUrl: "oci://example.com/chart",
              chartVersion: "1.0.0",
            }),
          });
          expect(expectJson(res, ApplicationVersionSchema)).toMatchObject({
            name: "1.0.0",
            chartType: "oci",
            chartUrl: "oci://example.com/chart",
            chartVersion: "1.0.0",
          });
        });
      });

      test("a non-UUID application → 404 404 page not found; an unknown one → 404 empty", async () => {
        const { http, paths } = t();
        const form = () =>
          versionForm({ name: "1.0.0" }, { composefile: { content: COMPOSE, type: "application/yaml" } });
        expectPlainTextError(
          await http.send({ method: "POST", path: paths.applicationVersions("not-a-uuid"), form: form() }),
          404,
          "404 page not found",
        );
        expectEmpty(
          await http.send({
            method: "POST",
            path: paths.applicationVersions("00000000-0000-4000-8000-000000000000"),
            form: form(),
          }),
          404,
        );
      });
    });

    describe("DELETE /applications/{id}", () => {
      test("while a license grants it → 400 still in use; once the license is gone → 204", async () => {
        await withApplication("docker", async (application, http, paths) => {
          const { objects } = t();
          const license = await objects.createApplicationLicense({
            name: objects.uniqueName("app-in-use"),
            applicationId: application.id,
          });
          expectPlainTextError(
            await http.send({ method: "DELETE", path: paths.application(application.id) }),
            400,
            "could not delete Application because it is still in use",
          );
          expectNoContent(await http.send({ method: "DELETE", path: paths.applicationLicense(license.id) }));
          expectNoContent(await http.send({ method: "DELETE", path: paths.application(application.id) }));
        });
      });

      test("a non-UUID id → 404 404 page not found; an unknown one → 404 empty", async () => {
        const { http, paths } = t();
        expectPlainTextError(
          await http.send({ method: "DELETE", path: paths.application("not-a-uuid") }),
          404,
          "404 page not found",
        );
        expectEmpty(
          await http.send({ method: "DELETE", path: paths.application("00000000-0000-4000-8000-000000000000") }),
          404,
        );
      });
    });

    describe("POST /artifacts", () => {
      if (suite.dialect === "2") {
        test("2.x has no POST /artifacts → 405 with Allow: GET", async () => {
          const { http, paths } = t();
          expectMethodNotAllowed(await http.send({ method: "POST", path: paths.artifacts(), json: { name: "x/y" } }), [
            "GET",
          ]);
        });
        return;
      }

      test("→ 201 with the artifact and versions [], written after the status (no JSON content type); 409 when taken; DELETE → 204", async () => {
        const { http, paths, objects } = t();
        const name = `contract/${objects.uniqueName("artifact")}`;
        const res = await http.send({ method: "POST", path: paths.artifacts(), json: { name } });
        expectSniffed(res, 201);
        expect(res.body.endsWith("}\n")).toBe(true);
        const artifact = ArtifactSchema.parse(JSON.parse(res.body));
        expect(rawJson(res)).toMatchObject({ name, versions: [] });
        expect(artifact.createdAt).toMatch(DISTR_TIMESTAMP);
        try {
          expectPlainTextError(
            await http.send({ method: "POST", path: paths.artifacts(), json: { name } }),
            409,
            "artifact name already exists",
          );
          const listed = expectJson(
            await http.send({ method: "GET", path: paths.artifacts() }),
            z.array(ArtifactSchema),
          );
          expect(listed.map((a) => a.id)).toContain(artifact.id);
        } finally {
          expectNoContent(await http.send({ method: "DELETE", path: paths.artifact(artifact.id) }));
        }
        expectPlainTextError(
          await http.send({ method: "GET", path: paths.artifact(artifact.id) }),
          404,
          "404 page not found",
        );
      });

      test("validation: name required, a blank upstreamUrl, upstreamAuth without upstreamUrl → 400", async () => {
        const { http, paths, objects } = t();
        const post = (json: unknown) => http.send({ method: "POST", path: paths.artifacts(), json });
        expectPlainTextError(await post({}), 400, "name is required");
        expectPlainTextError(
          await post({ name: `contract/${objects.uniqueName("artifact")}`, upstreamUrl: "  " }),
          400,
          "upstreamUrl must not be empty",
        );
        expectPlainTextError(
          await post({ name: `contract/${objects.uniqueName("artifact")}`, upstreamAuth: { type: "basic" } }),
          400,
          "upstream auth can only be set if upstream URL is set",
        );
      });
    });

    describe("DELETE /artifacts/{id}", () => {
      suite.testRequiring("artifacts")(
        "while a license selects it → 400 (dialect's text); a non-UUID id → 404 404 page not found",
        async () => {
          const { http, paths, objects, catalog } = t();
          const artifact = catalog.artifacts?.[0];
          if (!artifact) throw new Error("the target has no artifacts");
          const license = await objects.createArtifactLicense({
            name: objects.uniqueName("artifact-in-use"),
            artifacts: [{ artifactId: artifact.id }],
          });
          expectPlainTextError(
            await http.send({ method: "DELETE", path: paths.artifact(artifact.id) }),
            400,
            suite.dialect === "3"
              ? "bad request: Cannot delete artifact: it is referenced in one or more entitlements."
              : "bad request: Cannot delete artifact: it is referenced in one or more licenses.",
          );
          expectNoContent(await http.send({ method: "DELETE", path: paths.artifactLicense(license.id) }));
          expectPlainTextError(
            await http.send({ method: "DELETE", path: paths.artifact("not-a-uuid") }),
            404,
            "404 page not found",
          );
        },
      );
    });
  });
}
