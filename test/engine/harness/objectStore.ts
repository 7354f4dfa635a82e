/**
 * A real S3-compatible object store for the engine tests: SeaweedFS (`weed server` with its S3 gateway), built once by
 * scripts/seaweedfs.sh and cached outside the repo, started here on loopback on free ports with a fresh data
 * directory, and stopped by `stop()`. The gateway knows exactly one identity, with keys made up per start: a request
 * signed with other keys is refused, so the Pulumi CLI and pulumi-distr must really take the credentials from the
 * environment (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY), never from the URL.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { REPO_ROOT } from "./engine";

export interface ObjectStore {
  /** host:port of the S3 gateway (as Pulumi's `endpoint=` takes it). */
  readonly endpoint: string;
  /** The credentials the gateway accepts, for a process's environment. */
  readonly env: Readonly<Record<string, string>>;
  /** Seconds the binary took to be ready (0.x when cached; a cold build takes minutes) and the server to answer. */
  readonly figures: { readonly binarySeconds: number; readonly startSeconds: number };
  /** Makes a bucket; its `pulumi login` URL (no credentials in it). */
  createBucket(name: string): Promise<string>;
  /** An S3 client with the gateway's credentials (or others, to show they are checked). */
  client(credentials?: { accessKeyId: string; secretAccessKey: string }): S3Client;
  stop(): Promise<void>;
}

export function backendUrl(bucket: string, endpoint: string): string {
  return `s3://${bucket}?endpoint=${endpoint}&s3ForcePathStyle=true&disableSSL=true&region=us-east-1`;
}

/** scripts/seaweedfs.sh: the cached `weed`, built first if missing (its progress goes to this process's stderr). */
export function seaweedfsBinary(): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      "bash",
      [path.join(REPO_ROOT, "scripts", "seaweedfs.sh"), "--path"],
      {
        cwd: REPO_ROOT,
        maxBuffer: 1024 * 1024,
      },
      (error, stdout) => {
        if (error) reject(new Error(`scripts/seaweedfs.sh failed: ${error.message}`));
        else resolve(stdout.trim().split("\n").pop() ?? "");
      },
    );
    child.stderr?.pipe(process.stderr);
  });
}

const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

export async function startObjectStore(): Promise<ObjectStore> {
  const binaryStart = Date.now();
  const weed = await seaweedfsBinary();
  const binarySeconds = (Date.now() - binaryStart) / 1000;

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-distr-s3-"));
  const data = path.join(dir, "data");
  fs.mkdirSync(data);
  const accessKeyId = `PD${randomBytes(9).toString("hex").toUpperCase()}`;
  const secretAccessKey = randomBytes(30).toString("base64url");
  const config = path.join(dir, "s3.json");
  fs.writeFileSync(
    config,
    JSON.stringify({
      identities: [
        {
          name: "pulumi-distr-tests",
          credentials: [{ accessKey: accessKeyId, secretKey: secretAccessKey }],
          actions: ["Admin", "Read", "List", "Tagging", "Write"],
        },
      ],
    }),
    { mode: 0o600 },
  );
  const [master, masterGrpc, volume, volumeGrpc, filer, filerGrpc, s3, s3Grpc] = await freePorts(8);
  const args = [
    "server",
    `-dir=${data}`,
    "-ip=127.0.0.1",
    "-ip.bind=127.0.0.1",
    `-master.port=${master}`,
    `-master.port.grpc=${masterGrpc}`,
    "-master.volumeSizeLimitMB=64",
    `-volume.port=${volume}`,
    `-volume.port.grpc=${volumeGrpc}`,
    "-volume.max=4",
    "-filer",
    `-filer.port=${filer}`,
    `-filer.port.grpc=${filerGrpc}`,
    "-s3",
    `-s3.port=${s3}`,
    `-s3.port.grpc=${s3Grpc}`,
    // Extra listeners with fixed default ports: off, so that runs side by side do not collide.
    "-s3.port.iceberg=0",
    "-s3.port.lance=0",
    `-s3.config=${config}`,
  ];
  const log = path.join(dir, "weed.log");
  const out = fs.openSync(log, "w");
  const started = Date.now();
  const child = spawn(weed, args, { cwd: dir, stdio: ["ignore", out, out] });
  fs.closeSync(out);
  running.add(child);
  let exited: string | undefined;
  child.once("exit", (code, signal) => {
    exited = `exited (${signal ?? code})`;
    running.delete(child);
  });

  const endpoint = `127.0.0.1:${s3}`;
  const client = (credentials = { accessKeyId, secretAccessKey }) =>
    new S3Client({ region: "us-east-1", endpoint: `http://${endpoint}`, forcePathStyle: true, credentials });

  const stop = async () => {
    if (exited === undefined) {
      const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await gone;
      clearTimeout(timer);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };

  // Ready when the gateway makes a bucket: master, volume and filer all answer then (about 15 s on an idle machine).
  const probe = client();
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      await probe.send(new CreateBucketCommand({ Bucket: "pulumi-distr-ready" }));
      break;
    } catch (error) {
      if (exited !== undefined || Date.now() > deadline) {
        const tail = fs.existsSync(log) ? fs.readFileSync(log, "utf8").split("\n").slice(-20).join("\n") : "";
        await stop();
        throw new Error(
          `SeaweedFS did not answer S3 on ${endpoint} (${exited ?? "timeout"}): ${String(error)}\n${tail}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  probe.destroy();
  const startSeconds = (Date.now() - started) / 1000;

  return {
    endpoint,
    env: {
      AWS_ACCESS_KEY_ID: accessKeyId,
      AWS_SECRET_ACCESS_KEY: secretAccessKey,
      AWS_REGION: "us-east-1",
      // SeaweedFS sends no response checksums; the AWS SDK in the Pulumi CLI then prints "WARN Response has no
      // supported checksum" per object read unless it validates only where S3 requires it.
      AWS_RESPONSE_CHECKSUM_VALIDATION: "when_required",
    },
    figures: { binarySeconds, startSeconds },
    async createBucket(name) {
      const s3Client = client();
      try {
        await s3Client.send(new CreateBucketCommand({ Bucket: name }));
      } finally {
        s3Client.destroy();
      }
      return backendUrl(name, endpoint);
    },
    client,
    stop,
  };
}

/** Distinct free loopback ports (each bound once and released: the server binds them right after). */
async function freePorts(count: number): Promise<number[]> {
  const servers: net.Server[] = [];
  const ports: number[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = net.createServer();
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => resolve());
      });
      servers.push(server);
      ports.push((server.address() as net.AddressInfo).port);
    }
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  }
  return ports;
}
