/**
 * The applications and artifacts the contract tests license. On the local server they are the seed catalog (fixed
 * names, common.md); on a real hub the suite publishes its own through the API (distr-api.md §13.5/§B10.4) and
 * deletes them afterwards.
 */
import { FormData } from "undici";
import { z } from "zod";
import { ApplicationSchema, ApplicationVersionSchema, ArtifactSchema } from "./distrShapes";
import type { Dialect } from "./dialect";
import { SEED_APPLICATIONS, SEED_ARTIFACTS } from "../../local-distr";
import type { DistrHttp, DistrResponse } from "./distrHttp";
import type { DistrPaths } from "./distrPaths";

export interface VersionFixture {
  readonly id: string;
  readonly name: string;
  readonly archived: boolean;
}

export interface ApplicationFixture {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  /** In createdAt order, as Distr lists them. */
  readonly versions: readonly VersionFixture[];
}

export interface ArtifactFixture {
  readonly id: string;
  readonly name: string;
  /** Digest rows (what artifact licenses select), newest first; empty for artifacts created through the API. */
  readonly versions: ReadonlyArray<{ readonly id: string; readonly tags: readonly string[] }>;
}

export interface CatalogFixture {
  /** A docker application with at least four unarchived versions. */
  readonly application: ApplicationFixture;
  /** Another application of the same organization. */
  readonly otherApplication: ApplicationFixture;
  /** Two artifacts, or undefined where the target cannot provide any (2.x hub: no POST /artifacts). */
  readonly artifacts: readonly [ArtifactFixture, ArtifactFixture] | undefined;
}

function seedEntry<T extends { name: string }>(entries: ReadonlyArray<T>, index: number): T {
  const entry = entries[index];
  if (!entry) throw new Error(`the local server's seed has no entry ${index}`);
  return entry;
}
const seedApplication = seedEntry(SEED_APPLICATIONS, 0);
const seedBackend = seedEntry(SEED_ARTIFACTS, 0);

/** What the local server seeds (common.md, "Seed data"), from its own exported seed description. */
export const SEED = {
  /** hello-distr (docker): versions in createdAt order, one archived. */
  application: seedApplication.name,
  applicationType: seedApplication.type,
  applicationVersions: seedApplication.versions,
  archivedVersions: seedApplication.archived,
  /** hello-distr-helm. */
  otherApplication: seedEntry(SEED_APPLICATIONS, 1).name,
  /** hello-distr/backend and hello-distr/frontend. */
  artifacts: [seedBackend.name, seedEntry(SEED_ARTIFACTS, 1).name] as const,
  backendTags: seedBackend.tags.map((t) => (typeof t === "string" ? t : t.tag)),
  /** Tags of hello-distr/backend that share one digest (`latest` and 2.1.0). */
  backendSharedDigestTags: seedBackend.tags.flatMap((t) => (typeof t === "string" ? [] : [t.sameDigestAs, t.tag])),
};

function parseBody<T extends z.ZodType>(res: DistrResponse, schema: T, what: string): z.infer<T> {
  if (res.status < 200 || res.status > 299) {
    throw new Error(`${what}: ${res.method} ${res.path} answered ${res.status}: ${res.body}`);
  }
  return schema.parse(JSON.parse(res.body));
}

function toApplicationFixture(app: z.infer<typeof ApplicationSchema>): ApplicationFixture {
  return {
    id: app.id,
    name: app.name,
    type: app.type,
    versions: (app.versions ?? []).map((v) => ({ id: v.id, name: v.name, archived: v.archivedAt !== undefined })),
  };
}

async function readApplication(http: DistrHttp, paths: DistrPaths, id: string): Promise<ApplicationFixture> {
  const res = await http.send({ method: "GET", path: paths.application(id) });
  return toApplicationFixture(parseBody(res, ApplicationSchema, "reading an application"));
}

export async function readArtifact(http: DistrHttp, paths: DistrPaths, id: string): Promise<ArtifactFixture> {
  const res = await http.send({ method: "GET", path: paths.artifact(id) });
  const artifact = parseBody(res, ArtifactSchema, "reading an artifact");
  return {
    id: artifact.id,
    name: artifact.name,
    versions: (artifact.versions ?? []).map((v) => ({ id: v.id, tags: v.tags.map((t) => t.name) })),
  };
}

/** The local server's seed catalog, read through the API like any client would. */
export async function readSeedCatalog(http: DistrHttp, paths: DistrPaths): Promise<CatalogFixture> {
  const apps = parseBody(
    await http.send({ method: "GET", path: paths.applications() }),
    z.array(ApplicationSchema),
    "listing applications",
  );
  const idOf = (name: string): string => {
    const app = apps.find((a) => a.name === name);
    if (!app) throw new Error(`the local server has no seed application "${name}"`);
    return app.id;
  };
  const artifactList = parseBody(
    await http.send({ method: "GET", path: paths.artifacts() }),
    z.array(ArtifactSchema),
    "listing artifacts",
  );
  const artifactIdOf = (name: string): string => {
    const artifact = artifactList.find((a) => a.name === name);
    if (!artifact) throw new Error(`the local server has no seed artifact "${name}"`);
    return artifact.id;
  };
  const [first, second] = SEED.artifacts;
  return {
    application: await readApplication(http, paths, idOf(SEED.application)),
    otherApplication: await readApplication(http, paths, idOf(SEED.otherApplication)),
    artifacts: [
      await readArtifact(http, paths, artifactIdOf(first)),
      await readArtifact(http, paths, artifactIdOf(second)),
    ],
  };
}

const COMPOSE_FILE = "services:\n  hello:\n    image: nginx:alpine\n";

/** Publishes a docker application version the way the Distr UI does (multipart, compose file as YAML). */
export async function publishApplicationVersion(
  http: DistrHttp,
  paths: DistrPaths,
  applicationId: string,
  name: string,
): Promise<VersionFixture> {
  const form = new FormData();
  form.append("applicationversion", JSON.stringify({ name }));
  form.append("composefile", new Blob([COMPOSE_FILE], { type: "application/yaml" }), "compose.yaml");
  const res = await http.send({ method: "POST", path: paths.applicationVersions(applicationId), form });
  const version = parseBody(res, ApplicationVersionSchema, `publishing version ${name}`);
  return { id: version.id, name: version.name, archived: false };
}

export interface RemoteCatalog {
  readonly catalog: CatalogFixture;
  remove(): Promise<void>;
}

/**
 * Creates two docker applications (four versions, one version) and, on 3.x, two artifacts without versions (a
 * registry push is needed for versions). About nine requests; `remove` deletes them again.
 */
export async function createRemoteCatalog(
  http: DistrHttp,
  paths: DistrPaths,
  dialect: Dialect,
  suffix: string,
): Promise<RemoteCatalog> {
  const created: { applications: string[]; artifacts: string[] } = { applications: [], artifacts: [] };
  const remove = async (): Promise<void> => {
    for (const id of created.artifacts) await http.send({ method: "DELETE", path: paths.artifact(id) });
    for (const id of created.applications) await http.send({ method: "DELETE", path: paths.application(id) });
  };
  try {
    const createApplication = async (name: string, versions: string[]): Promise<ApplicationFixture> => {
      const res = await http.send({ method: "POST", path: paths.applications(), json: { name, type: "docker" } });
      // POST /applications loses its JSON content type (section 10): parse the body regardless.
      const app = parseBody(res, ApplicationSchema, `creating application ${name}`);
      created.applications.push(app.id);
      const published: VersionFixture[] = [];
      for (const version of versions) published.push(await publishApplicationVersion(http, paths, app.id, version));
      return { id: app.id, name: app.name, type: app.type, versions: published };
    };
    const application = await createApplication(`contract-app-${suffix}`, ["1.0.0", "1.1.0", "1.2.0", "2.0.0"]);
    const otherApplication = await createApplication(`contract-other-${suffix}`, ["1.0.0"]);
    let artifacts: readonly [ArtifactFixture, ArtifactFixture] | undefined;
    if (dialect === "3") {
      const createArtifact = async (name: string): Promise<ArtifactFixture> => {
        const res = await http.send({ method: "POST", path: paths.artifacts(), json: { name } });
        const artifact = parseBody(res, ArtifactSchema, `creating artifact ${name}`);
        created.artifacts.push(artifact.id);
        return { id: artifact.id, name: artifact.name, versions: [] };
      };
      artifacts = [await createArtifact(`contract/${suffix}-a`), await createArtifact(`contract/${suffix}-b`)];
    }
    return { catalog: { application, otherApplication, artifacts }, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}

/** The first `count` unarchived versions of an application, oldest first. */
export function pickVersions(application: ApplicationFixture, count: number): VersionFixture[] {
  const usable = application.versions.filter((v) => !v.archived);
  if (usable.length < count) {
    throw new Error(`${application.name} has ${usable.length} unarchived versions, the test needs ${count}`);
  }
  return usable.slice(0, count);
}
