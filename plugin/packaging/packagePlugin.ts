/**
 * `npm run package:plugin`: a self-contained `pulumi-resource-distr` for programs in any language, as a tarball
 * that `pulumi plugin install resource distr <version> --file <tarball>` accepts. It carries its own Node.js: the
 * binary of the npm `node` devDependency (the Node.js the project is tested on), the plugin bundled into one
 * script with esbuild (so no node_modules travel along), and a POSIX shell launcher named as the engine expects.
 * A launcher beside a stock node binary was chosen over a single executable application: Node 24's SEA needs an
 * extra injection tool (postject) and is still experimental, while this layout runs the exact binary the tests use.
 *
 * Prints what it built, the sizes and the time it took.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { build } from "esbuild";

const REPO_ROOT = path.resolve(__dirname, "../..");
const OUT_DIR = path.join(REPO_ROOT, "dist-plugin");

/** Pulumi's names for the platforms the npm `node` package can install. */
const PULUMI_PLATFORMS: Record<string, string> = {
  "linux-x64": "linux-amd64",
  "linux-arm64": "linux-arm64",
  "darwin-x64": "darwin-amd64",
  "darwin-arm64": "darwin-arm64",
};

const LAUNCHER = `#!/bin/sh
# pulumi-resource-distr: the Distr provider plugin with its own Node.js (see pulumi-distr's plugin/packaging).
# Shell built-ins only: the engine runs this by its path in the plugin cache, on a PATH that may lack coreutils.
here=\${0%/*}
exec "$here/node" "$here/pulumi-resource-distr.js" "$@"
`;

export interface PluginPackage {
  readonly tarball: string;
  readonly version: string;
  readonly bytes: number;
}

export async function packagePlugin(): Promise<PluginPackage> {
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string };
  const version = manifest.version;
  const nodeBinary = fs.realpathSync(path.join(REPO_ROOT, "node_modules/node/bin/node"));
  const nodePlatform = execFileSync(nodeBinary, ["-p", "`${process.platform}-${process.arch}`"], {
    encoding: "utf8",
  }).trim();
  const platform = PULUMI_PLATFORMS[nodePlatform];
  if (platform === undefined) {
    throw new Error(
      `package:plugin: the npm node package installed a ${nodePlatform} binary, which has no Pulumi name here`,
    );
  }
  const staging = path.join(OUT_DIR, `pulumi-resource-distr-v${version}-${platform}`);
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });

  await build({
    entryPoints: [path.join(REPO_ROOT, "plugin/main.ts")],
    outfile: path.join(staging, "pulumi-resource-distr.js"),
    bundle: true,
    platform: "node",
    target: "node22",
    format: "cjs",
    // The bundle has no package.json beside it: the version is written in (plugin/version.ts).
    define: { PULUMI_DISTR_PLUGIN_VERSION: JSON.stringify(version) },
    legalComments: "eof",
    logLevel: "warning",
  });
  fs.copyFileSync(nodeBinary, path.join(staging, "node"));
  fs.chmodSync(path.join(staging, "node"), 0o755);
  fs.writeFileSync(path.join(staging, "pulumi-resource-distr"), LAUNCHER, { mode: 0o755 });

  const tarball = `${staging}.tar.gz`;
  execFileSync("tar", ["-czf", tarball, "-C", staging, "."]);
  return { tarball, version, bytes: fs.statSync(tarball).size };
}

if (require.main === module) {
  const started = performance.now();
  packagePlugin().then(
    ({ tarball, version, bytes }) => {
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      console.log(
        `${path.relative(process.cwd(), tarball)} (${(bytes / 1024 / 1024).toFixed(1)} MiB) in ${seconds}s\n` +
          `install: pulumi plugin install resource distr ${version} --file ${tarball}`,
      );
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
