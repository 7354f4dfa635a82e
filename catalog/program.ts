/**
 * The root Pulumi program (Pulumi.yaml `main`): applies the license catalog to Distr.
 *
 * Stack config:
 * - `distr:host`, `distr:token` (secret): the Distr to manage; fallback DISTR_HOST / DISTR_TOKEN (read by the resources).
 * - `catalogFile`: the catalog to apply (relative paths from the project directory); default catalog/licenses.yaml.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { declareCatalog } from "./declare";
import { isCatalogError } from "./errors";
import { expandCatalog } from "./expand";
import { loadCatalog } from "./load";

const config = new pulumi.Config();
const catalogFile = path.resolve(
  projectDirectory(),
  config.get("catalogFile") ?? path.join("catalog", "licenses.yaml"),
);

/**
 * Relative catalog paths mean "from the project" (where Pulumi.yaml is), whatever directory the language host
 * starts the program in (with `main` pointing at a file, that is the file's directory, not the project's).
 */
function projectDirectory(): string {
  for (let dir = process.cwd(); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "Pulumi.yaml")) || fs.existsSync(path.join(dir, "Pulumi.yml"))) return dir;
    if (path.dirname(dir) === dir) return process.cwd();
  }
}

function load() {
  try {
    return loadCatalog(catalogFile);
  } catch (error) {
    // A RunError is shown without a stack trace: the message already says where and what to fix.
    if (isCatalogError(error)) throw new pulumi.RunError(error.message);
    throw error;
  }
}

const declared = declareCatalog(expandCatalog(load()), { config });

/** Resource name → Distr id, for scripts and for `pulumi stack output`. */
export const customers = Object.fromEntries([...declared.customers].map(([name, resource]) => [name, resource.id]));
export const applicationLicenses = Object.fromEntries(
  [...declared.applicationLicenses].map(([name, resource]) => [name, resource.id]),
);
export const artifactLicenses = Object.fromEntries(
  [...declared.artifactLicenses].map(([name, resource]) => [name, resource.id]),
);
/** License key resource name → Distr id (the keys' tokens are secret outputs of the LicenseKey resources). */
export const licenseKeys = Object.fromEntries([...declared.licenseKeys].map(([name, resource]) => [name, resource.id]));
