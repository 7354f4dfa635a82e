/**
 * Read access to the storage of Pulumi's file and object-store ("DIY") backends, where `pulumi login file://DIR` or
 * `s3://BUCKET[/PREFIX]?...` keeps `.pulumi/`: the history record and the state of every update
 * (`.pulumi/history/<project>/<stack>/<stack>-<nanoseconds>.{history,checkpoint}.json[.gz|.zst]`, backend/diy/state.go
 * addToHistory). The Pulumi CLI reads the records (`pulumi stack history`) but exports only the current state of these
 * backends (`stack export --version` is Pulumi Cloud's), so the states are read here, the way the CLI's gocloud
 * bucket does: a directory, or S3 with the URL's own settings and the AWS SDK's credentials (AWS_ACCESS_KEY_ID /
 * AWS_SECRET_ACCESS_KEY, a profile, a role), never credentials in the URL.
 */
import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import * as zlib from "node:zlib";
import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";

export interface BackendBucket {
  /** Where it is, for messages: the backend URL without its query. */
  readonly description: string;
  /** The keys (paths relative to the bucket root, `/`-separated) directly under a prefix ending in `/`, sorted. */
  list(prefix: string): Promise<string[]>;
  /** An object's bytes, decompressed by its extension (.gz, .zst) as the backend wrote it. */
  read(key: string): Promise<Buffer>;
}

/** The backend is not one whose files can be read here. */
export class BackendBucketError extends Error {
  readonly kind = "backend-bucket";
  constructor(message: string) {
    super(message);
    this.name = "BackendBucketError";
  }
}

export async function openBackendBucket(url: string, env: NodeJS.ProcessEnv = process.env): Promise<BackendBucket> {
  if (url.startsWith("file://")) return fileBucket(filePathOf(url));
  if (url.startsWith("s3://")) return s3Bucket(url, env);
  throw new BackendBucketError(
    `cannot read the update history of the backend ${withoutQuery(url)}: pulumi-distr history reads file:// and s3:// ` +
      "backends (and Pulumi Cloud through `pulumi stack export --version`); for gs:// or azblob://, copy the bucket's " +
      ".pulumi/ to a directory and run it against file://DIR",
  );
}

function withoutQuery(url: string): string {
  return url.replace(/\?.*$/, "");
}

/** `file://~/x` is the home directory's x (as the CLI reads it); `file:///abs` and `file://rel` as written. */
function filePathOf(url: string): string {
  const bare = withoutQuery(url);
  if (bare === "file://~" || bare.startsWith("file://~/"))
    return path.join(os.homedir(), bare.slice("file://~".length));
  if (bare.startsWith("file:///")) return fileURLToPath(bare);
  return path.resolve(bare.slice("file://".length));
}

function decompress(key: string, bytes: Buffer): Buffer {
  if (key.endsWith(".gz")) return zlib.gunzipSync(bytes);
  if (key.endsWith(".zst")) return zlib.zstdDecompressSync(bytes);
  return bytes;
}

function fileBucket(root: string): BackendBucket {
  return {
    description: `file://${root}`,
    async list(prefix) {
      try {
        const entries = await fs.readdir(path.join(root, prefix), { withFileTypes: true });
        return entries
          .filter((entry) => entry.isFile() && !entry.name.endsWith(".attrs"))
          .map((entry) => `${prefix}${entry.name}`)
          .sort();
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
        throw error;
      }
    },
    async read(key) {
      return decompress(key, await fs.readFile(path.join(root, key)));
    },
  };
}

/**
 * The query parameters of Pulumi's s3:// URLs (gocloud's s3blob opener, both spellings it accepts): `region`,
 * `endpoint` (host[:port] or a URL), `s3ForcePathStyle`/`use_path_style`, `disableSSL`/`disable_https`, `profile`.
 */
export interface S3Location {
  readonly bucket: string;
  /** Key prefix inside the bucket ("" or ending in `/`). */
  readonly prefix: string;
  readonly region?: string;
  readonly endpoint?: string;
  readonly forcePathStyle: boolean;
  readonly profile?: string;
}

export function s3LocationOf(url: string): S3Location {
  const parsed = new URL(url);
  if (parsed.protocol !== "s3:" || parsed.hostname === "") {
    throw new BackendBucketError(`${withoutQuery(url)} is not an s3://BUCKET[/PREFIX] URL`);
  }
  if (parsed.username !== "" || parsed.password !== "") {
    throw new BackendBucketError(
      "the s3:// backend URL carries credentials; remove them and set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY instead",
    );
  }
  const query = parsed.searchParams;
  const flag = (...names: string[]) => names.some((name) => query.get(name) === "true");
  const insecure = flag("disableSSL", "disable_https");
  const rawEndpoint = query.get("endpoint") ?? undefined;
  const endpoint =
    rawEndpoint === undefined || /^https?:\/\//.test(rawEndpoint)
      ? rawEndpoint
      : `${insecure ? "http" : "https"}://${rawEndpoint}`;
  const prefix = decodeURIComponent(parsed.pathname).replace(/^\/+/, "").replace(/\/*$/, "");
  const region = query.get("region") ?? undefined;
  const profile = query.get("profile") ?? undefined;
  return {
    bucket: parsed.hostname,
    prefix: prefix === "" ? "" : `${prefix}/`,
    ...(region !== undefined ? { region } : {}),
    ...(endpoint !== undefined ? { endpoint } : {}),
    forcePathStyle: flag("s3ForcePathStyle", "use_path_style"),
    ...(profile !== undefined ? { profile } : {}),
  };
}

function s3Bucket(url: string, env: NodeJS.ProcessEnv): BackendBucket {
  const location = s3LocationOf(url);
  const accessKeyId = env["AWS_ACCESS_KEY_ID"] || undefined;
  const secretAccessKey = env["AWS_SECRET_ACCESS_KEY"] || undefined;
  const sessionToken = env["AWS_SESSION_TOKEN"] || undefined;
  const client = new S3Client({
    region: location.region ?? env["AWS_REGION"] ?? env["AWS_DEFAULT_REGION"] ?? "us-east-1",
    ...(location.endpoint !== undefined ? { endpoint: location.endpoint } : {}),
    forcePathStyle: location.forcePathStyle,
    // Keys in the given environment (the CLI's own, or a job's); else the SDK's default chain finds them (shared
    // files with this profile, roles).
    ...(accessKeyId !== undefined && secretAccessKey !== undefined
      ? { credentials: { accessKeyId, secretAccessKey, ...(sessionToken !== undefined ? { sessionToken } : {}) } }
      : {}),
    ...(location.profile !== undefined ? { profile: location.profile } : {}),
  });
  const description = `s3://${location.bucket}${location.prefix === "" ? "" : `/${location.prefix.replace(/\/$/, "")}`}`;
  const failure = (what: string, error: unknown) =>
    new BackendBucketError(
      `${what} in ${description} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  return {
    description,
    async list(prefix) {
      const keys: string[] = [];
      let token: string | undefined;
      try {
        do {
          const page = await client.send(
            new ListObjectsV2Command({
              Bucket: location.bucket,
              Prefix: `${location.prefix}${prefix}`,
              Delimiter: "/",
              ...(token !== undefined ? { ContinuationToken: token } : {}),
            }),
          );
          for (const object of page.Contents ?? []) {
            if (object.Key !== undefined) keys.push(object.Key.slice(location.prefix.length));
          }
          token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
        } while (token !== undefined);
      } catch (error) {
        throw failure(`listing ${prefix}`, error);
      }
      return keys.sort();
    },
    async read(key) {
      try {
        const object = await client.send(
          new GetObjectCommand({ Bucket: location.bucket, Key: `${location.prefix}${key}` }),
        );
        if (object.Body === undefined) throw new Error("empty answer");
        return decompress(key, Buffer.from(await object.Body.transformToByteArray()));
      } catch (error) {
        throw failure(`reading ${key}`, error);
      }
    },
  };
}
