/**
 * The gRPC face of the resources: Pulumi's ResourceProvider service served with the SDK's generated stubs.
 * `@pulumi/pulumi`'s own `provider.main` cannot serve this provider: it drops Configure's variables and leaves
 * CheckConfig/DiffConfig unimplemented (pulumi-notes §11). Every resource method delegates to the same handlers the
 * dynamic resources run (provider/implementation.ts, wrapped with failure reporting), so the two faces cannot
 * drift; this file only translates between protobuf messages and the handlers' plain values.
 */
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { PluginInfo } from "@pulumi/pulumi/proto/plugin_pb";
import { ResourceProviderService, type IResourceProviderServer } from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as proto from "@pulumi/pulumi/proto/provider_pb";
import { defaultedName } from "../provider/defaultNames";
import { isAnticipated } from "../provider/failureReporting";
import { resourceProviders } from "../provider/implementation";
import type { ResourceHandlers, ResourceKind } from "../provider/resourceHandlers";
import { SECRET_PROPERTIES } from "../provider/secretProperties";
import { redactTokens } from "../sdk/errors";
import { engineDiff, type PropertyDiffKind } from "./detailedDiff";
import { importedInputs } from "./importedInputs";
import { fromStruct, resultSecretPaths, toStruct, type PropertyBag } from "./propertyValues";
import {
  applyProviderInputs,
  changedProviderInputs,
  checkProviderInputs,
  rawSettings,
  SECRET_CONFIG_PATHS,
} from "./providerConfiguration";
import { resourceKindOf, typeOfUrn } from "./resourceTypes";
import { distrPackageSchema } from "./schema";
import { pluginVersion } from "./version";

const DIFF_KINDS: Record<PropertyDiffKind, proto.PropertyDiff.Kind> = {
  add: proto.PropertyDiff.Kind.ADD,
  "add-replace": proto.PropertyDiff.Kind.ADD_REPLACE,
  delete: proto.PropertyDiff.Kind.DELETE,
  "delete-replace": proto.PropertyDiff.Kind.DELETE_REPLACE,
  update: proto.PropertyDiff.Kind.UPDATE,
  "update-replace": proto.PropertyDiff.Kind.UPDATE_REPLACE,
};

/** A gRPC error the engine prints as the resource's error; the message never carries a token. */
function grpcError(error: unknown): grpc.ServiceError {
  const message = redactTokens(error instanceof Error ? error.message : String(error));
  // An error we did not anticipate is a bug: its stack goes to stderr (the CLI shows plugin stderr), redacted too.
  if (!isAnticipated(error) && error instanceof Error && error.stack) {
    process.stderr.write(`pulumi-resource-distr: ${redactTokens(error.stack)}\n`);
  }
  return Object.assign(new Error(message), {
    code: grpc.status.UNKNOWN,
    details: message,
    metadata: new grpc.Metadata(),
  });
}

function unimplemented(method: string): grpc.ServiceError {
  const details = `${method} is not implemented by pulumi-resource-distr`;
  return Object.assign(new Error(details), { code: grpc.status.UNIMPLEMENTED, details, metadata: new grpc.Metadata() });
}

/** One unary method: the promise's value or error becomes the gRPC answer. */
function unary<Req, Res>(run: (request: Req) => Promise<Res> | Res): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    Promise.resolve()
      .then(() => run(call.request))
      .then(
        (response) => callback(null, response),
        (error: unknown) => callback(grpcError(error)),
      );
  };
}

function refuse<Req, Res>(method: string): grpc.handleUnaryCall<Req, Res> {
  return (_call, callback) => callback(unimplemented(method));
}

interface ResourceRequest {
  getType(): string;
  getUrn(): string;
}

function kindOf(request: ResourceRequest): ResourceKind {
  return resourceKindOf(request.getType() || typeOfUrn(request.getUrn()));
}

function handlersOf(kind: ResourceKind): ResourceHandlers {
  return resourceProviders[kind];
}

/** The struct to return for a result of `kind` computed from `source`: fixed secrets plus the source's secrets. */
function resultStruct(kind: ResourceKind, result: Record<string, unknown>, ...sources: PropertyBag[]): Struct {
  const inputSecrets = sources.flatMap((source) => source.secretPaths);
  return toStruct(result, resultSecretPaths(result, inputSecrets, SECRET_PROPERTIES[kind]));
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function resourceProviderServer(): IResourceProviderServer {
  return {
    handshake: unary(() => {
      const response = new proto.ProviderHandshakeResponse();
      response.setAcceptSecrets(true);
      response.setAcceptResources(false);
      response.setAcceptOutputs(false);
      return response;
    }),

    getPluginInfo: unary(() => new PluginInfo().setVersion(pluginVersion())),

    getSchema: unary((request: proto.GetSchemaRequest) => {
      if (request.getSubpackageName() !== "") throw new Error("pulumi-resource-distr has no sub-packages");
      return new proto.GetSchemaResponse().setSchema(JSON.stringify(distrPackageSchema(pluginVersion())));
    }),

    checkConfig: unary((request: proto.CheckRequest) => {
      const news = fromStruct(request.getNews());
      const response = new proto.CheckResponse();
      response.setInputs(toStruct(news.values, [...news.secretPaths, ...SECRET_CONFIG_PATHS]));
      response.setFailuresList(
        checkProviderInputs(news.values).map((failure) =>
          new proto.CheckFailure().setProperty(failure.property).setReason(failure.reason),
        ),
      );
      return response;
    }),

    diffConfig: unary((request: proto.DiffRequest) => {
      const olds = fromStruct(request.getOldInputs() ?? request.getOlds());
      const news = fromStruct(request.getNews());
      const changed = changedProviderInputs(olds.values, news.values);
      const response = new proto.DiffResponse();
      response.setChanges(
        changed.length > 0 ? proto.DiffResponse.DiffChanges.DIFF_SOME : proto.DiffResponse.DiffChanges.DIFF_NONE,
      );
      response.setDiffsList(changed);
      response.setHasdetaileddiff(true);
      const detailed = response.getDetaileddiffMap();
      for (const name of changed) {
        detailed.set(name, new proto.PropertyDiff().setKind(proto.PropertyDiff.Kind.UPDATE).setInputdiff(true));
      }
      return response;
    }),

    configure: unary((request: proto.ConfigureRequest) => {
      const variables = new Map(request.getVariablesMap().toArray());
      applyProviderInputs(rawSettings(fromStruct(request.getArgs()).values, variables));
      const response = new proto.ConfigureResponse();
      response.setAcceptsecrets(true);
      response.setAcceptresources(false);
      response.setAcceptoutputs(false);
      // Like the dynamic provider: during a preview the engine shows inputs as provisional outputs.
      response.setSupportspreview(false);
      return response;
    }),

    check: unary(async (request: proto.CheckRequest) => {
      const kind = kindOf(request);
      const olds = fromStruct(request.getOlds());
      const news = fromStruct(request.getNews());
      const resourceName = request.getName() || request.getUrn().slice(request.getUrn().lastIndexOf("::") + 2);
      const name = defaultedName(kind, news.values["name"], resourceName);
      const programInputs = name === undefined ? news.values : { ...news.values, name };
      const result = await handlersOf(kind).check(olds.values, programInputs);
      const response = new proto.CheckResponse();
      response.setInputs(resultStruct(kind, asRecord(result.inputs ?? news.values), news));
      response.setFailuresList(
        (result.failures ?? []).map((failure) =>
          new proto.CheckFailure().setProperty(failure.property).setReason(failure.reason),
        ),
      );
      return response;
    }),

    diff: unary(async (request: proto.DiffRequest) => {
      const kind = kindOf(request);
      const olds = fromStruct(request.getOlds());
      const oldInputs = request.hasOldInputs() ? fromStruct(request.getOldInputs()) : olds;
      const news = fromStruct(request.getNews());
      const result = await handlersOf(kind).diff(request.getId(), olds.values, news.values);
      const diff = engineDiff(result, oldInputs.values, olds.values, news.values);
      const response = new proto.DiffResponse();
      response.setChanges(
        diff.changes === "none"
          ? proto.DiffResponse.DiffChanges.DIFF_NONE
          : diff.changes === "some"
            ? proto.DiffResponse.DiffChanges.DIFF_SOME
            : proto.DiffResponse.DiffChanges.DIFF_UNKNOWN,
      );
      response.setReplacesList([...diff.replaces]);
      response.setDeletebeforereplace(diff.deleteBeforeReplace);
      const entries = Object.entries(diff.detailedDiff);
      response.setDiffsList(entries.map(([name]) => name));
      if (entries.length > 0) {
        response.setHasdetaileddiff(true);
        const detailed = response.getDetaileddiffMap();
        for (const [name, kindOfChange] of entries) {
          detailed.set(name, new proto.PropertyDiff().setKind(DIFF_KINDS[kindOfChange]).setInputdiff(true));
        }
      }
      return response;
    }),

    create: unary(async (request: proto.CreateRequest) => {
      const kind = kindOf(request);
      const inputs = fromStruct(request.getProperties());
      // The engine calls Create during a preview too (it does not rely on supportsPreview being false): the inputs
      // are the provisional outputs, and nothing reaches Distr, as with the dynamic provider.
      if (request.getPreview())
        return new proto.CreateResponse().setProperties(resultStruct(kind, inputs.values, inputs));
      const result = await handlersOf(kind).create(inputs.values);
      const response = new proto.CreateResponse();
      response.setId(result.id);
      response.setProperties(resultStruct(kind, asRecord(result.outs), inputs));
      return response;
    }),

    read: unary(async (request: proto.ReadRequest) => {
      const kind = kindOf(request);
      const props = fromStruct(request.getProperties());
      const inputs = fromStruct(request.getInputs());
      const result = await handlersOf(kind).read(request.getId(), props.values);
      const response = new proto.ReadResponse();
      // No id: gone from Distr; the engine drops the resource from state.
      if (result.id === undefined || result.id === "") return response;
      response.setId(result.id);
      response.setProperties(resultStruct(kind, asRecord(result.props), props, inputs));
      if (result.inputs !== undefined) {
        // No prior state: `pulumi import`, which wants the inputs as a program writes them.
        const imported = Object.keys(props.values).length === 0 && Object.keys(inputs.values).length === 0;
        const readInputs = asRecord(result.inputs);
        response.setInputs(resultStruct(kind, imported ? importedInputs(kind, readInputs) : readInputs, inputs, props));
      }
      return response;
    }),

    update: unary(async (request: proto.UpdateRequest) => {
      const kind = kindOf(request);
      const olds = fromStruct(request.getOlds());
      const news = fromStruct(request.getNews());
      if (request.getPreview()) return new proto.UpdateResponse().setProperties(resultStruct(kind, news.values, news));
      const result = await handlersOf(kind).update(request.getId(), olds.values, news.values);
      const response = new proto.UpdateResponse();
      response.setProperties(resultStruct(kind, asRecord(result.outs), news));
      return response;
    }),

    delete: unary(async (request: proto.DeleteRequest) => {
      const kind = kindOf(request);
      await handlersOf(kind).delete(request.getId(), fromStruct(request.getProperties()).values);
      return new Empty();
    }),

    // Requests in flight finish on their own (each is a few HTTP calls); the engine stops the process afterwards.
    cancel: unary(() => new Empty()),

    parameterize: refuse("Parameterize"),
    invoke: refuse("Invoke"),
    call: refuse("Call"),
    construct: refuse("Construct"),
    attach: refuse("Attach"),
    getMapping: refuse("GetMapping"),
    getMappings: refuse("GetMappings"),
    list: (call) => call.emit("error", unimplemented("List")),
  };
}

/** Serves the provider on a loopback port; resolves with the port. */
export async function startResourceProviderServer(): Promise<{ port: number; server: grpc.Server }> {
  const server = new grpc.Server({
    // As the engine's own plugins: property bags of a large license may exceed gRPC's 4 MB default.
    "grpc.max_receive_message_length": 400 * 1024 * 1024,
    "grpc.max_send_message_length": 400 * 1024 * 1024,
  });
  server.addService(ResourceProviderService, resourceProviderServer());
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    );
  });
  return { port, server };
}
