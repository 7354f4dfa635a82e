/**
 * Reading the backend's files: the s3:// URL's settings (as Pulumi's URLs spell them), a file:// directory with
 * compressed records (PULUMI_DIY_BACKEND_GZIP), and clear refusals for what it cannot read.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { BackendBucketError, openBackendBucket, s3LocationOf } from "../../history/backendBucket";
import { deploymentResources, DeploymentDocumentError } from "../../review/deploymentDocument";
import { checkpoint, customerResource } from "./fixtures";

describe("the backend's storage", () => {
  it("reads an s3:// backend URL's bucket, prefix and settings, in both of Pulumi's spellings", () => {
    expect(
      s3LocationOf("s3://state?endpoint=127.0.0.1:8333&s3ForcePathStyle=true&disableSSL=true&region=us-east-1"),
    ).toEqual({
      bucket: "state",
      prefix: "",
      region: "us-east-1",
      endpoint: "http://127.0.0.1:8333",
      forcePathStyle: true,
    });
    expect(s3LocationOf("s3://state/teams/licenses?use_path_style=true&profile=ci")).toEqual({
      bucket: "state",
      prefix: "teams/licenses/",
      forcePathStyle: true,
      profile: "ci",
    });
    expect(s3LocationOf("s3://state?endpoint=minio.internal:9000")).toMatchObject({
      endpoint: "https://minio.internal:9000",
    });
  });

  it("refuses credentials in the URL and backends it cannot read, saying what to do", async () => {
    expect(() => s3LocationOf("s3://KEY:SECRET@state")).toThrow(
      "the s3:// backend URL carries credentials; remove them and set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY instead",
    );
    await expect(openBackendBucket("gs://state")).rejects.toThrow(BackendBucketError);
    await expect(openBackendBucket("gs://state")).rejects.toThrow(/copy the bucket's \.pulumi\/ to a directory/);
  });

  it("lists and reads a file:// backend's history, plain and gzip-compressed", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-distr-bucket-"));
    try {
      const dir = path.join(root, ".pulumi", "history", "licenses", "production");
      fs.mkdirSync(dir, { recursive: true });
      const state = JSON.stringify(checkpoint([customerResource("c1", "ACME Corp")]));
      fs.writeFileSync(path.join(dir, "production-1700000000000000000.checkpoint.json"), state);
      fs.writeFileSync(path.join(dir, "production-1700000000000000000.checkpoint.json.attrs"), "{}");
      fs.writeFileSync(path.join(dir, "production-1800000000000000000.checkpoint.json.gz"), zlib.gzipSync(state));
      const bucket = await openBackendBucket(`file://${root}`);
      const keys = await bucket.list(".pulumi/history/licenses/production/");
      expect(keys).toEqual([
        ".pulumi/history/licenses/production/production-1700000000000000000.checkpoint.json",
        ".pulumi/history/licenses/production/production-1800000000000000000.checkpoint.json.gz",
      ]);
      for (const key of keys) {
        const resources = deploymentResources(JSON.parse((await bucket.read(key)).toString("utf8")), key);
        expect(resources.map((r) => r.id)).toEqual(["c1"]);
      }
      expect(await bucket.list(".pulumi/history/licenses/staging/")).toEqual([]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it("reads `pulumi stack export` documents too, without resources pending deletion", () => {
    const resources = deploymentResources(
      {
        version: 3,
        deployment: {
          resources: [
            { urn: "a", type: "t", id: "1" },
            { urn: "a", type: "t", id: "0", delete: true },
          ],
        },
      },
      "export",
    );
    expect(resources.map((r) => r.id)).toEqual(["1"]);
    expect(() => deploymentResources({ hello: 1 }, "stdin")).toThrow(DeploymentDocumentError);
  });
});
