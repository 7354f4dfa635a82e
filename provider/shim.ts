/**
 * The provider object handed to `dynamic.Resource`, i.e. what Pulumi serializes into `__provider` and stores in
 * state (pulumi-notes §2). It is deliberately tiny: each method `require`s the installed implementation when it is
 * called and delegates to it. So the code that runs is the installed package version, fixes reach existing stacks
 * (delete and refresh run the `__provider` stored in state, not the program's), and nothing heavy is captured: no
 * token, no client, no zod schema, no @pulumi/pulumi (which would be serialized by value). The only captured values
 * are the resource kind and the absolute path of the implementation module.
 *
 * Each kind's shim is the exports object of a module of its own (shims/<kind>.ts). In an installed package the
 * serializer then captures it by reference, `require("pulumi-distr/dist/provider/shims/<kind>.js")` (≈ 280 bytes; the
 * package exports that path under its file name so that the reference resolves whether or not the serializer maps it
 * through `exports`). Inside a checkout of this repository the module is not under node_modules, so the serializer
 * copies the shim by value (≈ 3.6 KB) and the fallbacks below find the implementation.
 *
 * Why the fallbacks: the engine evaluates `__provider` with require-from-string, in a module without a file name,
 * so a `require` resolves from the provider process's working directory (the program directory). A program that has
 * pulumi-distr in its node_modules finds it by name. Programs inside a checkout of this repository (examples/, the
 * root catalog program, tests) do not: Node's self-reference needs a requiring file inside the package. For those the
 * shim walks up from the working directory to the checkout's package.json, so stacks survive moving the checkout;
 * only when that fails too does it use the path captured at serialization time. Only a missing "pulumi-distr" falls
 * through; any other error (a broken install, a missing dependency of the implementation) is reported as it is.
 */
import type { dynamic } from "@pulumi/pulumi";
import type { ResourceHandlers, ResourceKind } from "./resourceHandlers";

export function createProviderShim(kind: ResourceKind, implementationPath: string): dynamic.ResourceProvider {
  const implementation = (): ResourceHandlers => {
    let loaded: { resourceProviders: Record<ResourceKind, ResourceHandlers> };
    try {
      loaded = require("pulumi-distr/provider/implementation");
    } catch (error) {
      const failure = error as { code?: unknown; message?: unknown } | null;
      const missingPackage =
        failure?.code === "MODULE_NOT_FOUND" &&
        String(failure.message).includes("'pulumi-distr/provider/implementation'");
      if (!missingPackage) throw error;
      const { existsSync, readFileSync } = require("node:fs") as typeof import("node:fs");
      const { dirname, join } = require("node:path") as typeof import("node:path");
      let checkout: string | undefined;
      for (let dir = process.cwd(); checkout === undefined; dir = dirname(dir)) {
        const manifest = join(dir, "package.json");
        if (
          existsSync(manifest) &&
          (JSON.parse(readFileSync(manifest, "utf8")) as { name?: unknown }).name === "pulumi-distr"
        ) {
          checkout = join(dir, "dist", "provider", "implementation.js");
        } else if (dirname(dir) === dir) {
          break;
        }
      }
      loaded = require(checkout !== undefined && existsSync(checkout) ? checkout : implementationPath);
    }
    return loaded.resourceProviders[kind];
  };
  return {
    configure: (request) => implementation().configure(request),
    check: (olds, news) => implementation().check(olds, news),
    diff: (id, olds, news) => implementation().diff(id, olds, news),
    create: (inputs) => implementation().create(inputs),
    read: (id, props) => implementation().read(id, props),
    update: (id, olds, news) => implementation().update(id, olds, news),
    delete: (id, props) => implementation().delete(id, props),
  };
}
