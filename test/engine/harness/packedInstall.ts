/**
 * pulumi-distr as users have it: `npm pack` of this repository extracted into `<project>/node_modules/pulumi-distr`,
 * beside links to the repository's other dependencies (no registry here). Used by the consumer-path engine test and
 * the scale benchmark, so both see what an installed package stores as `__provider`.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { ensureBuilt, REPO_ROOT } from "./engine";

/** Installs the packed package into `project` (created if missing); the tarball is written to `packDirectory`. */
export function installPackedPackage(project: string, packDirectory: string): void {
  ensureBuilt();
  const modules = path.join(project, "node_modules");
  fs.mkdirSync(modules, { recursive: true });
  for (const entry of fs.readdirSync(path.join(REPO_ROOT, "node_modules"))) {
    // The repository links itself as a dev dependency (for `npx pulumi-distr` in a checkout); the consumer gets the
    // packed copy instead.
    if (entry === ".bin" || entry.startsWith(".") || entry === "pulumi-distr") continue;
    fs.symlinkSync(path.join(REPO_ROOT, "node_modules", entry), path.join(modules, entry));
  }
  const tarball = execFileSync("npm", ["pack", "--silent", "--pack-destination", packDirectory], {
    cwd: REPO_ROOT,
    encoding: "utf8",
  })
    .trim()
    .split("\n")
    .pop();
  if (!tarball) throw new Error("npm pack printed no file name");
  const installed = path.join(modules, "pulumi-distr");
  fs.mkdirSync(installed);
  execFileSync("tar", ["-xzf", path.join(packDirectory, tarball), "-C", installed, "--strip-components=1"]);
}
