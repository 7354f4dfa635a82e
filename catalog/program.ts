/**
 * The root Pulumi program (Pulumi.yaml `main`): applies the license catalog to Distr.
 *
 * Stack config:
 * - `distr:host`, `distr:token` (secret): the Distr to manage; fallback DISTR_HOST / DISTR_TOKEN (read by the resources).
 * - `catalogFile`: the catalog to apply, relative to the project directory; default catalog/licenses.yaml.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { declareCatalog } from "./declare";
import { isCatalogError } from "./errors";
import { expandCatalog } from "./expand";
import { loadCatalog } from "./load";

const config = new pulumi.Config();
const catalogFile = config.get("catalogFile") ?? path.join("catalog", "licenses.yaml");

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
