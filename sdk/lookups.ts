/**
 * Applications with their versions and artifacts with their versions and tags (section 9): what license inputs
 * name by name, tag or version. Cached for the life of the process (versions rarely appear during one deployment;
 * `invalidate()` when they do).
 */
import { z } from "zod";
import type { ContextProvider } from "./clientContext";
import type { LookupsApi } from "./distrClient";
import { isDistrApiError } from "./errors";
import type { DistrSubject } from "./errorClassification";
import type { Application, Artifact } from "./schemas";
import { ApplicationSchema, ArtifactSchema } from "./schemas";

const ApplicationListSchema = z.array(ApplicationSchema);
const ArtifactListSchema = z.array(ArtifactSchema);

/** One memoized read that forgets failures (the next caller tries again). */
class Memo<T> {
  private readonly entries = new Map<string, Promise<T>>();

  async get(key: string, load: () => Promise<T>): Promise<T> {
    let entry = this.entries.get(key);
    if (entry === undefined) {
      const created = load().catch((error: unknown) => {
        if (this.entries.get(key) === created) {
          this.entries.delete(key);
        }
        throw error;
      });
      entry = created;
      this.entries.set(key, created);
    }
    return structuredClone(await entry);
  }

  clear(): void {
    this.entries.clear();
  }
}

interface LookupRoute<T> {
  readonly route: "applications" | "artifacts";
  readonly subject: DistrSubject;
  readonly list: z.ZodType<T[]>;
  readonly detail: z.ZodType<T>;
}

const APPLICATIONS: LookupRoute<Application> = {
  route: "applications",
  subject: "application",
  list: ApplicationListSchema,
  detail: ApplicationSchema,
};
const ARTIFACTS: LookupRoute<Artifact> = {
  route: "artifacts",
  subject: "artifact",
  list: ArtifactListSchema,
  detail: ArtifactSchema,
};

export class Lookups implements LookupsApi {
  private readonly lists = new Memo<unknown[]>();
  private readonly details = new Memo<unknown>();

  constructor(private readonly context: ContextProvider) {}

  applications(): Promise<Application[]> {
    return this.list(APPLICATIONS);
  }

  application(nameOrId: string): Promise<Application | undefined> {
    return this.detail(APPLICATIONS, nameOrId);
  }

  artifacts(): Promise<Artifact[]> {
    return this.list(ARTIFACTS);
  }

  artifact(nameOrId: string): Promise<Artifact | undefined> {
    return this.detail(ARTIFACTS, nameOrId);
  }

  applicationById(id: string): Promise<Application | undefined> {
    return this.fetchDetail(APPLICATIONS, id);
  }

  artifactById(id: string): Promise<Artifact | undefined> {
    return this.fetchDetail(ARTIFACTS, id);
  }

  invalidate(): void {
    this.lists.clear();
    this.details.clear();
  }

  private async list<T>(lookup: LookupRoute<T>): Promise<T[]> {
    const items = await this.lists.get(lookup.route, async () => {
      const context = await this.context();
      return context.sender.send({
        method: "GET",
        path: context.spec.routes[lookup.route],
        subject: lookup.subject,
        schema: lookup.list,
      });
    });
    return items as T[];
  }

  /** By id or name from the list, then `GET /{id}` for the versions (the list carries none for artifacts). */
  private async detail<T extends { id: string; name: string }>(
    lookup: LookupRoute<T>,
    nameOrId: string,
  ): Promise<T | undefined> {
    const items = await this.list(lookup);
    const item = items.find((candidate) => candidate.id === nameOrId) ?? items.find((c) => c.name === nameOrId);
    if (item === undefined) {
      return undefined;
    }
    return this.fetchDetail(lookup, item.id);
  }

  /** `GET /{id}`, shared by the look-ups by name and by id; a 404 is undefined. */
  private async fetchDetail<T>(lookup: LookupRoute<T>, id: string): Promise<T | undefined> {
    const detail = await this.details.get(`${lookup.route}/${id}`, async () => {
      const context = await this.context();
      try {
        return await context.sender.send({
          method: "GET",
          path: `${context.spec.routes[lookup.route]}/${encodeURIComponent(id)}`,
          subject: lookup.subject,
          schema: lookup.detail,
        });
      } catch (error) {
        if (isDistrApiError(error, "not-found")) {
          return undefined;
        }
        throw error;
      }
    });
    return detail as T | undefined;
  }
}
