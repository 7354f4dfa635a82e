/**
 * The vendor's catalog writes that a client sets test data up with (distr-api.md §13.5, §B10.4): `POST
 * /applications`, `POST /applications/{id}/versions` (multipart, as the portal uploads), `DELETE /applications/{id}`,
 * and on 3.x `POST /artifacts` (2.x has none: artifacts come from registry pushes), `DELETE /artifacts/{id}`.
 * Behaviour as Distr's handlers (3.1.0 and 2.7.1 `handlers/applications.go`, `handlers/artifacts.go`, `handlers/util.go`
 * `readMultipartFile`, `types/application_version.go` `Validate`): status codes, texts and the order of the checks.
 * Not modelled: Helm chart lookups, pull-through caches (`upstreamUrl`), version `resources`.
 */
import { parse as parseYaml } from "yaml";
import { addApplicationVersion, createApplication } from "../catalog";
import { nowDistrTime } from "../distrTime";
import { encodeGoJson, type GoStruct } from "../goJson";
import { invalidEnumValue } from "../postgresErrors";
import { emptyResponse, goError, jsonResponse, pageNotFound, type DistrResponse } from "../responses";
import type { ApplicationRow, ApplicationVersionRow, ArtifactRow, DistrState } from "../store";
import { newUuid } from "../uuid";
import { decodeBody, firstFailure, requireRole, type RouteContext } from "./routeContext";

/** Distr's texts for these routes (plain text bodies; http.Error adds "\n"). */
export const CATALOG_TEXTS = {
  versionNameTaken: {
    "3": "Application version cannot be created because a version with this name already exists.",
    "2": "application version can not be created. Does a version with the same name already exist?",
  },
  applicationInUse: "could not delete Application because it is still in use",
  artifactInUse: {
    "3": "bad request: Cannot delete artifact: it is referenced in one or more entitlements.",
    "2": "bad request: Cannot delete artifact: it is referenced in one or more licenses.",
  },
  artifactNameTaken: "artifact name already exists",
  upstreamUrlEmpty: "upstreamUrl must not be empty",
  upstreamAuthWithoutUrl: "upstream auth can only be set if upstream URL is set",
  fileTooLarge: "file too large (max 100 KiB)",
  missingComposeFile: "missing compose file",
  kubernetesInDocker: "unexpected kubernetes specifics in docker application",
  incompleteChart: "not all of chart type, url and version are given",
  missingChartName: "missing chart name",
} as const;

/** `readMultipartFile`: uploads above 100 KiB are refused. */
const MAX_UPLOAD_BYTES = 102_400;
/** `contenttype.IsYaml`: the media types an uploaded compose, values or template file may have. */
const YAML_MEDIA_TYPES = ["application/json", "application/yaml", "text/yaml", "text/x-yaml", "application/x-yaml"];

const APPLICATION_STRUCT: GoStruct = {
  goType: "types.Application",
  fields: {
    name: { kind: "string" },
    type: {
      kind: "enum",
      goType: "types.DeploymentType",
      parse: (value) =>
        value === "docker" || value === "kubernetes" ? value : { error: `invalid deployment type: ${value}` },
    },
  },
};

/** `POST /applications` (vendor, read_write or admin): 200 with the application, `versions: null`. */
export function createApplicationHandler(context: RouteContext): DistrResponse {
  const denied = requireRole(context, "read_write");
  if (denied) return denied;
  const decoded = decodeBody(context, APPLICATION_STRUCT);
  if (!decoded.ok) return decoded.response;
  const name = typeof decoded.value["name"] === "string" ? decoded.value["name"] : "";
  const type = typeof decoded.value["type"] === "string" ? decoded.value["type"] : "";
  if (name === "") return emptyResponse(400);
  if (type !== "docker" && type !== "kubernetes") {
    // An absent type reaches the database enum; the handler prints the error after a 500 (no nosniff, sniffed type).
    return sniffedText(500, `could not save application: ${invalidEnumValue("deployment_type", type)}\n`);
  }
  const application = context.store.transaction((state) =>
    createApplication(state, context.principal.organization.id, name, type, { allowDuplicateName: true }),
  );
  // `json.NewEncoder(w).Encode(application)` without RespondJSON: no JSON content type, versions not loaded.
  return sniffedText(
    200,
    encodeGoJson({
      id: application.id,
      createdAt: application.createdAt,
      name: application.name,
      type: application.type,
      versions: null,
    }),
  );
}

/** A body written without a Content-Type: Go sniffs it (JSON and plain text alike become text/plain). */
function sniffedText(status: number, body: string): DistrResponse {
  return { status, headers: { "Content-Type": "text/plain; charset=utf-8" }, body };
}

/** The application of `rawId` in the caller's organization, or the answer of `applicationMiddleware`. */
export function applicationOf(
  context: RouteContext,
  rawId: string,
  parseUuid: (raw: string) => { ok: true; uuid: string } | { ok: false },
): { ok: true; application: ApplicationRow } | { ok: false; response: DistrResponse } {
  const id = parseUuid(rawId);
  if (!id.ok) return { ok: false, response: pageNotFound() };
  const application = context.store.state.applications.find(
    (a) => a.id === id.uuid && a.organizationId === context.principal.organization.id,
  );
  return application ? { ok: true, application } : { ok: false, response: emptyResponse(404) };
}

/** `DELETE /applications/{id}`: 204; 400 while a license (or a deployment) uses it. */
export function deleteApplicationHandler(context: RouteContext, application: ApplicationRow): DistrResponse {
  const denied = requireRole(context, "read_write");
  if (denied) return denied;
  const { state } = context.store;
  const versionIds = new Set(
    state.applicationVersions.filter((v) => v.applicationId === application.id).map((v) => v.id),
  );
  const inUse =
    state.applicationLicenses.some((l) => l.applicationId === application.id) ||
    state.deployments.some((d) => versionIds.has(d.applicationVersionId));
  if (inUse) return goError(400, CATALOG_TEXTS.applicationInUse);
  context.store.transaction((s) => {
    s.applications = s.applications.filter((a) => a.id !== application.id);
    s.applicationVersions = s.applicationVersions.filter((v) => v.applicationId !== application.id);
  });
  return emptyResponse(204);
}

/** The `applicationversion` field: `json.NewDecoder(strings.NewReader(value)).Decode(&types.ApplicationVersion)`. */
const APPLICATION_VERSION_STRUCT: GoStruct = {
  goType: "types.ApplicationVersion",
  fields: {
    name: { kind: "string" },
    linkTemplate: { kind: "string" },
    chartType: { kind: "string" },
    chartName: { kind: "string" },
    chartUrl: { kind: "string" },
    chartVersion: { kind: "string" },
  },
};

interface UploadedForm {
  readonly fields: ReadonlyMap<string, string>;
  readonly files: ReadonlyMap<string, File>;
  /** The body was not multipart: Go's `FormFile` fails with ErrNotMultipart (a 500). */
  readonly multipart: boolean;
}

/** Parses the form as Go's `ParseMultipartForm` would (undici's multipart parser), keeping the first value of each. */
async function readForm(context: RouteContext): Promise<UploadedForm> {
  const contentType = context.contentType ?? "";
  const multipart = /^multipart\/form-data\b/i.test(contentType);
  const fields = new Map<string, string>();
  const files = new Map<string, File>();
  if (multipart || /^application\/x-www-form-urlencoded\b/i.test(contentType)) {
    try {
      const form = await new Response(new Uint8Array(context.body.bytes), {
        headers: { "content-type": contentType },
      }).formData();
      for (const [key, value] of form.entries()) {
        if (typeof value === "string") {
          if (!fields.has(key)) fields.set(key, value);
        } else if (!files.has(key)) {
          files.set(key, value);
        }
      }
    } catch {
      // A malformed form reads as empty, as FormValue does.
    }
  }
  // FormValue also sees the query string (after the body's values).
  for (const [key, value] of context.query) if (!fields.has(key)) fields.set(key, value);
  return { fields, files, multipart };
}

type FileRead = { ok: true; data: Buffer | undefined } | { ok: false; response: DistrResponse };

/** `readMultipartFile`: absent → nothing; > 100 KiB → 413; not a YAML (or JSON) media type → 415. */
async function readUpload(form: UploadedForm, key: string): Promise<FileRead> {
  if (!form.multipart) return { ok: false, response: emptyResponse(500) };
  const file = form.files.get(key);
  if (file === undefined) return { ok: true, data: undefined };
  if (file.size > MAX_UPLOAD_BYTES) return { ok: false, response: sniffedText(413, `${CATALOG_TEXTS.fileTooLarge}\n`) };
  const mediaType = file.type.split(";")[0]!.trim().toLowerCase();
  if (mediaType !== "" && !YAML_MEDIA_TYPES.includes(mediaType)) {
    return {
      ok: false,
      response: sniffedText(
        415,
        `unacceptable media type: ${mediaType} (acceptable media types are ${YAML_MEDIA_TYPES.join(", ")})`,
      ),
    };
  }
  return { ok: true, data: Buffer.from(await file.arrayBuffer()) };
}

/** `yaml.Unmarshal` into a map: anything but a mapping (or nothing) fails. The library's message follows Distr's prefix. */
function yamlMappingError(data: Buffer | undefined): string | undefined {
  if (data === undefined) return undefined;
  try {
    const parsed: unknown = parseYaml(data.toString("utf8"));
    if (parsed === null || parsed === undefined || (typeof parsed === "object" && !Array.isArray(parsed))) {
      return undefined;
    }
    return "yaml: unmarshal errors: the document is not a mapping";
  } catch (error) {
    return `yaml: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`;
  }
}

/** `POST /applications/{id}/versions`: 200 with the version; the checks in Distr's order. */
export async function createApplicationVersionHandler(
  context: RouteContext,
  application: ApplicationRow,
): Promise<DistrResponse> {
  const denied = requireRole(context, "read_write");
  if (denied) return denied;
  const form = await readForm(context);
  const decoded = decodeBody(
    { ...context, body: { bytes: Buffer.from(form.fields.get("applicationversion") ?? ""), tooLarge: false } },
    APPLICATION_VERSION_STRUCT,
  );
  // The handler answers a bad `applicationversion` with an empty 400 (it only logs the decoder's error).
  if (!decoded.ok) return emptyResponse(400);
  const field = (name: string) => {
    const value = decoded.value[name];
    return typeof value === "string" ? value : undefined;
  };
  let compose: Buffer | undefined;
  let values: Buffer | undefined;
  if (application.type === "docker") {
    const read = await readUpload(form, "composefile");
    if (!read.ok) return read.response;
    compose = read.data;
    const invalid = yamlMappingError(compose);
    if (invalid) return goError(400, `cannot parse ApplicationVersion compose file: ${invalid}`);
  } else {
    const read = await readUpload(form, "valuesfile");
    if (!read.ok) return read.response;
    values = read.data;
    const invalid = yamlMappingError(values);
    if (invalid) return goError(400, `cannot parse ApplicationVersion values file: ${invalid}`);
  }
  const template = await readUpload(form, "templatefile");
  if (!template.ok) return template.response;

  const chart = {
    chartType: field("chartType"),
    chartName: field("chartName"),
    chartUrl: field("chartUrl"),
    chartVersion: field("chartVersion"),
  };
  const invalid = firstFailure(() => {
    if (application.type === "docker") {
      if (compose === undefined) return goError(400, CATALOG_TEXTS.missingComposeFile);
      if (Object.values(chart).some((v) => v !== undefined) || values !== undefined) {
        return goError(400, CATALOG_TEXTS.kubernetesInDocker);
      }
      return undefined;
    }
    if (!chart.chartType || !chart.chartUrl || !chart.chartVersion) return goError(400, CATALOG_TEXTS.incompleteChart);
    if (chart.chartType === "repository" && !chart.chartName) return goError(400, CATALOG_TEXTS.missingChartName);
    return undefined;
  });
  if (invalid) return invalid;

  const name = field("name") ?? "";
  const { state } = context.store;
  if (state.applicationVersions.some((v) => v.applicationId === application.id && v.name === name)) {
    return goError(400, CATALOG_TEXTS.versionNameTaken[context.dialect]);
  }
  const version = context.store.transaction((s): ApplicationVersionRow => {
    const { id } = addApplicationVersion(s, application, name, {
      linkTemplate: field("linkTemplate") ?? "",
      chart: application.type === "kubernetes" ? chart : undefined,
    });
    return s.applicationVersions.find((v) => v.id === id)!;
  });
  return jsonResponse(applicationVersionBody(version));
}

/** `RespondJSON(w, applicationVersion)`: what `GET /applications/{id}` lists per version. */
function applicationVersionBody(v: ApplicationVersionRow) {
  return {
    id: v.id,
    createdAt: v.createdAt,
    name: v.name,
    linkTemplate: v.linkTemplate,
    applicationId: v.applicationId,
    ...(v.chartType !== undefined ? { chartType: v.chartType } : {}),
    ...(v.chartName !== undefined ? { chartName: v.chartName } : {}),
    ...(v.chartUrl !== undefined ? { chartUrl: v.chartUrl } : {}),
    ...(v.chartVersion !== undefined ? { chartVersion: v.chartVersion } : {}),
  };
}

const CREATE_ARTIFACT_STRUCT: GoStruct = {
  goType: "api.CreateArtifactRequest",
  fields: {
    name: { kind: "string" },
    upstreamUrl: { kind: "string" },
    upstreamAuth: {
      kind: "struct",
      struct: { goType: "api.ArtifactUpstreamAuth", fields: { type: { kind: "string" } } },
    },
  },
};

/**
 * `POST /artifacts` (3.x, vendor, read_write or admin): 201 with the artifact and `versions: []`, written after the
 * status, so without the JSON content type. Names are unique per organization (409).
 */
export function createArtifactHandler(
  context: RouteContext,
  view: (artifact: ArtifactRow, state: DistrState, dialect: string) => unknown,
): DistrResponse {
  const denied = requireRole(context, "read_write");
  if (denied) return denied;
  const decoded = decodeBody(context, CREATE_ARTIFACT_STRUCT);
  if (!decoded.ok) return decoded.response;
  const name = typeof decoded.value["name"] === "string" ? decoded.value["name"] : "";
  const upstreamUrl = decoded.value["upstreamUrl"];
  if (name === "") return goError(400, "name is required");
  if (typeof upstreamUrl === "string" && upstreamUrl.trim() === "") return goError(400, CATALOG_TEXTS.upstreamUrlEmpty);
  if (decoded.value["upstreamAuth"] !== undefined && upstreamUrl === undefined) {
    return goError(400, CATALOG_TEXTS.upstreamAuthWithoutUrl);
  }
  if (upstreamUrl !== undefined) {
    // Distr would contact the upstream registry to check the credentials; the local Distr has no registry.
    return goError(400, "the local Distr has no registry: pull-through caches (upstreamUrl) are not implemented");
  }
  const organizationId = context.principal.organization.id;
  if (context.store.state.artifacts.some((a) => a.organizationId === organizationId && a.name === name)) {
    return goError(409, CATALOG_TEXTS.artifactNameTaken);
  }
  const artifact: ArtifactRow = { id: newUuid(), createdAt: nowDistrTime(), organizationId, name };
  context.store.transaction((state) => state.artifacts.push(artifact));
  const created = jsonResponse(view(artifact, context.store.state, context.dialect), 201);
  return { ...created, headers: { "Content-Type": "text/plain; charset=utf-8" } };
}

/** `DELETE /artifacts/{id}`: 204; 400 while a license selects it. */
export function deleteArtifactHandler(context: RouteContext, artifact: ArtifactRow): DistrResponse {
  const denied = requireRole(context, "read_write");
  if (denied) return denied;
  const referenced = context.store.state.artifactLicenses.some((l) =>
    l.selections.some((s) => s.artifactId === artifact.id),
  );
  if (referenced) return goError(400, CATALOG_TEXTS.artifactInUse[context.dialect]);
  context.store.transaction((state) => {
    state.artifacts = state.artifacts.filter((a) => a.id !== artifact.id);
    state.artifactVersions = state.artifactVersions.filter((v) => v.artifactId !== artifact.id);
  });
  return emptyResponse(204);
}
