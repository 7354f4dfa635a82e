/**
 * The plugin as the engine drives it: a real `pulumi-resource-distr` process (the compiled bin), its port
 * read from stdout, and gRPC calls over loopback with the SDK's generated client. `pluginHandlers` presents it with
 * the handlers' own interface (provider/resourceHandlers.ts), so one case table runs through both faces: the
 * dynamic handlers called directly, and the same calls through the plugin.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import type { Struct } from "google-protobuf/google/protobuf/struct_pb";
import type { dynamic } from "@pulumi/pulumi";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as proto from "@pulumi/pulumi/proto/provider_pb";
import { fromStruct, toStruct, type PropertyBag } from "../../plugin/propertyValues";
import { RESOURCE_TYPES } from "../../plugin/resourceTypes";
import { PROVIDER_KEY } from "../../provider/properties";
import type { ResourceHandlers, ResourceKind } from "../../provider/resourceHandlers";
import { ensureBuilt } from "../engine/harness/engine";

const REPO_ROOT = path.resolve(__dirname, "../..");

export interface PluginProcess {
  readonly client: ResourceProviderClient;
  /** Everything the process wrote to stderr so far. */
  stderr(): string;
  close(): Promise<void>;
}

/** Starts `pulumi-resource-distr` (the bin of a fresh build); resolves once it printed its port. */
export async function startPluginProcess(env: Readonly<Record<string, string>> = {}): Promise<PluginProcess> {
  ensureBuilt();
  const child = spawn(process.execPath, [path.join(REPO_ROOT, "dist/plugin/main.js")], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    let stdout = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split("\n")[0];
      if (stdout.includes("\n") && line !== undefined) resolve(Number(line));
    });
    child.once("exit", (code) =>
      reject(new Error(`the plugin exited with ${code} before printing its port: ${stderr}`)),
    );
  });
  const client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  return {
    client,
    stderr: () => stderr,
    close: async () => {
      client.close();
      await stopProcess(child);
    },
  };
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  await exited;
}

/** One gRPC call as a promise: `rpc<Res>((done) => client.method(request, done))`. */
export function rpc<Res>(
  invoke: (done: (error: grpc.ServiceError | null, response: Res) => void) => unknown,
): Promise<Res> {
  return new Promise((resolve, reject) =>
    invoke((error, response) => (error ? reject(new Error(error.details)) : resolve(response))),
  );
}

/** Configure as the engine sends it: the provider's inputs, the token marked secret. */
export async function configurePlugin(plugin: PluginProcess, settings: Record<string, string>): Promise<void> {
  const secrets = Object.hasOwn(settings, "token") ? [["token"]] : [];
  const request = new proto.ConfigureRequest().setArgs(toStruct(settings, secrets)).setAcceptsecrets(true);
  await rpc<proto.ConfigureResponse>((done) => plugin.client.configure(request, done));
}

function bag(values: unknown): Struct {
  const plain = { ...(values as Record<string, unknown>) };
  // The plugin's property bags have no serialized provider; the dynamic face's tests add one.
  delete plain[PROVIDER_KEY];
  return toStruct(plain, []);
}

const plain = (struct: Struct | undefined): Record<string, unknown> => fromStruct(struct).values;

/** The plugin's resource methods with the handlers' interface, per kind. */
export function pluginHandlers(plugin: PluginProcess): Readonly<Record<ResourceKind, ResourceHandlers>> {
  const { client } = plugin;
  const handlers = (kind: ResourceKind): ResourceHandlers => {
    const type = Object.entries(RESOURCE_TYPES).find(([, k]) => k === kind)?.[0] ?? "";
    const urn = `urn:pulumi:test::test::${type}::resource`;
    return {
      configure: async () => undefined,
      check: async (olds, news) => {
        const response = await rpc<proto.CheckResponse>((done) =>
          client.check(new proto.CheckRequest().setUrn(urn).setType(type).setOlds(bag(olds)).setNews(bag(news)), done),
        );
        const failures = response.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() }));
        const inputs = plain(response.getInputs());
        return failures.length > 0 ? { inputs, failures } : { inputs };
      },
      diff: async (id, olds, news) => {
        const response = await rpc<proto.DiffResponse>((done) =>
          client.diff(
            new proto.DiffRequest().setId(id).setUrn(urn).setType(type).setOlds(bag(olds)).setNews(bag(news)),
            done,
          ),
        );
        const changes = response.getChanges();
        const result: dynamic.DiffResult = {
          changes:
            changes === proto.DiffResponse.DiffChanges.DIFF_SOME
              ? true
              : changes === proto.DiffResponse.DiffChanges.DIFF_NONE
                ? false
                : undefined,
        };
        if (response.getReplacesList().length > 0) Object.assign(result, { replaces: response.getReplacesList() });
        if (response.getDeletebeforereplace()) Object.assign(result, { deleteBeforeReplace: true });
        return result;
      },
      create: async (inputs) => {
        const response = await rpc<proto.CreateResponse>((done) =>
          client.create(new proto.CreateRequest().setUrn(urn).setType(type).setProperties(bag(inputs)), done),
        );
        return { id: response.getId(), outs: plain(response.getProperties()) };
      },
      read: async (id, props) => {
        const response = await rpc<proto.ReadResponse>((done) =>
          client.read(new proto.ReadRequest().setId(id).setUrn(urn).setType(type).setProperties(bag(props)), done),
        );
        if (response.getId() === "") return {};
        const inputs = response.getInputs();
        return {
          id: response.getId(),
          props: plain(response.getProperties()),
          ...(inputs !== undefined ? { inputs: plain(inputs) } : {}),
        };
      },
      update: async (id, olds, news) => {
        const response = await rpc<proto.UpdateResponse>((done) =>
          client.update(
            new proto.UpdateRequest().setId(id).setUrn(urn).setType(type).setOlds(bag(olds)).setNews(bag(news)),
            done,
          ),
        );
        return { outs: plain(response.getProperties()) };
      },
      delete: async (id, props) => {
        await rpc<Empty>((done) =>
          client.delete(new proto.DeleteRequest().setId(id).setUrn(urn).setType(type).setProperties(bag(props)), done),
        );
      },
    };
  };
  return {
    customer: handlers("customer"),
    applicationLicense: handlers("applicationLicense"),
    artifactLicense: handlers("artifactLicense"),
    licenseKey: handlers("licenseKey"),
    licenseTemplate: handlers("licenseTemplate"),
  };
}

export { Empty, type PropertyBag };
