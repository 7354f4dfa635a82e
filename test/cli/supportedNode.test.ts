/**
 * The Node.js version guard: on a Node.js older than the package needs, the package (imported by a user's program)
 * and the CLI fail at load time with a message naming the version found and the one needed, instead of undici's
 * "Cannot read properties of undefined (reading 'bind')". Run in a child process on an older Node.js of this
 * machine (`which -a node`, /usr/bin/node; the project's own Node.js is node_modules/.bin/node).
 */
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { MINIMUM_NODE_MAJOR, unsupportedNodeMessage } from "../../sdk/supportedNode";
import { ensureBuilt, REPO_ROOT } from "../engine/harness/engine";

/** A Node.js executable of this machine older than the package needs, with its version. */
function olderNode(): { executable: string; version: string } | undefined {
  const candidates = new Set<string>(["/usr/bin/node", "/usr/local/bin/node"]);
  try {
    for (const line of execFileSync("which", ["-a", "node"], { encoding: "utf8" }).split("\n")) {
      if (line.trim() !== "") candidates.add(line.trim());
    }
  } catch {
    // `which` finds none: the fixed places are still looked at.
  }
  for (const executable of candidates) {
    if (!fs.existsSync(executable)) continue;
    const version = spawnSync(executable, ["--version"], { encoding: "utf8" }).stdout.trim().replace(/^v/, "");
    if (Number(version.split(".")[0]) < MINIMUM_NODE_MAJOR) return { executable, version };
  }
  return undefined;
}

describe("the Node.js version guard", () => {
  it("names the version found and the one needed, and passes a supported Node.js", () => {
    expect(unsupportedNodeMessage("20.20.2", "/usr/bin/node")).toBe(
      `pulumi-distr needs Node.js ${MINIMUM_NODE_MAJOR} or newer, but this is Node.js 20.20.2 (/usr/bin/node). ` +
        `Install Node.js ${MINIMUM_NODE_MAJOR} or newer and put it first on PATH (Pulumi runs programs with the ` +
        "`node` found there), then run again.",
    );
    expect(unsupportedNodeMessage("22.0.0")).toBeUndefined();
    expect(unsupportedNodeMessage(process.versions.node)).toBeUndefined();
  });

  const old = olderNode();
  (old ? it : it.skip)(
    `on this machine's older Node.js (${old ? `${old.version}, ${old.executable}` : "none found"}): the package and the CLI say so at load time`,
    () => {
      ensureBuilt();
      const node = old as { executable: string; version: string };
      const expected = `pulumi-distr needs Node.js ${MINIMUM_NODE_MAJOR} or newer, but this is Node.js ${node.version} (${node.executable})`;
      // A user's program: `require("pulumi-distr")` (the package's main, as a program resolves it).
      const program = spawnSync(node.executable, ["-e", `require(${JSON.stringify(REPO_ROOT)})`], {
        encoding: "utf8",
        cwd: REPO_ROOT,
      });
      expect(program.status).toBe(1);
      expect(program.stderr).toContain(`UnsupportedNodeError: ${expected}`);
      expect(program.stderr).not.toContain("reading 'bind'");
      for (const entry of ["sdk", "review", "policy", "local-distr"]) {
        const sub = spawnSync(node.executable, ["-e", `require("./dist/${entry}")`], {
          encoding: "utf8",
          cwd: REPO_ROOT,
        });
        expect(sub.stderr).toContain(expected);
      }
      // The CLI: one line, exit 1.
      const cli = spawnSync(node.executable, [path.join(REPO_ROOT, "dist", "cli", "main.js"), "review", "--help"], {
        encoding: "utf8",
      });
      expect(cli.status).toBe(1);
      expect(cli.stdout).toBe("");
      expect(cli.stderr).toBe(
        `pulumi-distr: ${expected}. Install Node.js ${MINIMUM_NODE_MAJOR} or newer and put it first on PATH (Pulumi runs programs with the \`node\` found there), then run again.\n`,
      );
    },
    180_000,
  );
});
