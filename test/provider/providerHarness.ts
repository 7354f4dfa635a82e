/**
 * Drives the resource handlers the way the engine does (pulumi-notes §1), against the real local Distr server.
 *
 * - A "provider process" is the implementation module loaded in an isolated module registry and configured with
 *   `distr:host`/`distr:token`: like the engine's fresh Node process per operation, it has its own shared client,
 *   caches and rate limiter. Tests start a new one where the engine would (next preview, refresh, destroy).
 * - Every property bag carries `__provider`, as the engine passes it; outputs and inputs are stored with it.
 * - `SimulatedResource` keeps a resource's state (id, inputs, outputs) and applies check/diff/create/update/replace/
 *   read/delete results the way the engine's step generator does.
 */
import type { dynamic } from "@pulumi/pulumi";
import { isDialectProbe, type Dialect } from "../../sdk/dialect";
import { forgetDetectedDialects } from "../../sdk/dialectDetection";
import type { ClosableDistrClient } from "../../sdk/client";
import { createDistrClient } from "../../sdk/client";
import type { LocalDistr } from "../../local-distr";
import { startLocalDistr } from "../../local-distr";
import type { ResourceHandlers, ResourceKind } from "../../provider/resourceHandlers";

export type ProviderProcess = Readonly<Record<ResourceKind, ResourceHandlers>>;

/** What the engine would store as `__provider` (the real text is tested in serialization.test.ts). */
export const SERIALIZED_PROVIDER = "exports.handler = () => require('pulumi-distr/provider/implementation');";

export type Properties = Record<string, unknown>;

export function withProvider(properties: Properties): Properties {
  return { ...properties, __provider: SERIALIZED_PROVIDER };
}

export function configOf(values: Record<string, string | undefined>): dynamic.ConfigureRequest {
  return {
    config: {
      get: (key: string) => values[key],
      require: (key: string) => {
        const value = values[key];
        if (value === undefined) throw new Error(`Missing required configuration key: ${key}`);
        return value;
      },
    },
  };
}

/** A fresh provider process configured for this Distr (stack configuration as the engine hands it over). */
export async function startProviderProcess(
  distr: { host: string; token: string },
  extraConfig: Record<string, string> = {},
): Promise<ProviderProcess> {
  let implementation: typeof import("../../provider/implementation") | undefined;
  jest.isolateModules(() => {
    implementation = require("../../provider/implementation");
  });
  if (!implementation) throw new Error("the provider implementation did not load");
  const request = configOf({ "distr:host": distr.host, "distr:token": distr.token, ...extraConfig });
  // The engine configures each distinct serialized provider once; they share the module's configuration.
  for (const handlers of Object.values(implementation.resourceProviders)) await handlers.configure(request);
  return implementation.resourceProviders;
}

export interface ProviderTestbed {
  readonly distr: LocalDistr;
  /** "The portal": a new client (fresh caches) for changes made outside Pulumi and for looking at Distr's state. */
  readonly portal: ClosableDistrClient;
  /** A new provider process (the next engine operation). */
  process(): Promise<ProviderProcess>;
  /** Requests the server received since `since` (an index into its log). */
  requests(since?: number): Array<{ method: string; path: string; status: number | undefined }>;
  /** The same as `METHOD path` lines with ids as `{id}`, without dialect probes (which Distr does not count). */
  requestLines(since?: number): string[];
  close(): Promise<void>;
}

export async function startTestbed(dialect: Dialect): Promise<ProviderTestbed> {
  const distr = await startLocalDistr({ dialect, rateLimits: false });
  // A new hub may get the port of a closed hub of the other dialect: the process must not trust its old probe.
  forgetDetectedDialects();
  const portals: ClosableDistrClient[] = [];
  return {
    distr,
    // A new client per use: its caches never hide a change the provider made since.
    get portal() {
      const portal = createDistrClient({ host: distr.host, token: distr.token, rateLimits: false });
      portals.push(portal);
      return portal;
    },
    process: () => startProviderProcess(distr),
    requests: (since = 0) =>
      distr.control.requests.slice(since).map(({ method, path, status }) => ({ method, path, status })),
    requestLines: (since = 0) =>
      distr.control.requests
        .slice(since)
        .filter((request) => !isDialectProbe(request))
        .map(
          ({ method, path }) =>
            `${method} ${path.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "{id}")}`,
        ),
    async close() {
      await Promise.all(portals.map((portal) => portal.close()));
      await distr.close();
    },
  };
}

export interface ResourceState {
  readonly id: string;
  readonly inputs: Properties;
  readonly outputs: Properties;
}

export type Operation = "create" | "update" | "replace" | "same";

/** One resource and its state, as the engine keeps it. */
export class SimulatedResource {
  state: ResourceState | undefined;

  constructor(readonly kind: ResourceKind) {}

  /** `check` with the old inputs from state, as the engine calls it. */
  async check(process: ProviderProcess, programInputs: Properties): Promise<dynamic.CheckResult> {
    return process[this.kind].check(this.state?.inputs ?? {}, withProvider(programInputs));
  }

  /** check → diff → create/update/replace, applying results to the state like the engine; throws on failures. */
  async up(process: ProviderProcess, programInputs: Properties): Promise<{ op: Operation; diff?: dynamic.DiffResult }> {
    const handlers = process[this.kind];
    const checked = await this.check(process, programInputs);
    if (checked.failures && checked.failures.length > 0) {
      throw new Error(`check failed: ${checked.failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`);
    }
    const inputs = withProvider(checked.inputs as Properties);
    if (!this.state) {
      const created = await handlers.create(inputs);
      this.state = { id: created.id, inputs, outputs: withProvider(created.outs as Properties) };
      return { op: "create" };
    }
    const diff = await handlers.diff(this.state.id, this.state.outputs, inputs);
    if (diff.changes !== true) return { op: "same", diff };
    if (diff.replaces && diff.replaces.length > 0) {
      const old = this.state;
      if (diff.deleteBeforeReplace) await handlers.delete(old.id, old.outputs);
      const created = await handlers.create(inputs);
      this.state = { id: created.id, inputs, outputs: withProvider(created.outs as Properties) };
      if (!diff.deleteBeforeReplace) await handlers.delete(old.id, old.outputs);
      return { op: "replace", diff };
    }
    const updated = await handlers.update(this.state.id, this.state.outputs, inputs);
    this.state = { id: this.state.id, inputs, outputs: withProvider(updated.outs as Properties) };
    return { op: "update", diff };
  }

  /** `pulumi refresh`: read replaces outputs (and inputs when returned); a blank id drops the resource. */
  async refresh(process: ProviderProcess): Promise<dynamic.ReadResult> {
    const state = this.requireState();
    const result = await process[this.kind].read(state.id, state.outputs);
    if (!result.id) this.state = undefined;
    else {
      this.state = {
        id: result.id,
        inputs: result.inputs ? withProvider(result.inputs as Properties) : state.inputs,
        outputs: withProvider(result.props as Properties),
      };
    }
    return result;
  }

  async destroy(process: ProviderProcess): Promise<void> {
    const state = this.requireState();
    await process[this.kind].delete(state.id, state.outputs);
    this.state = undefined;
  }

  get id(): string {
    return this.requireState().id;
  }

  get outputs(): Properties {
    return this.requireState().outputs;
  }

  get inputs(): Properties {
    return this.requireState().inputs;
  }

  private requireState(): ResourceState {
    if (!this.state) throw new Error(`the ${this.kind} has no state`);
    return this.state;
  }
}

/** Creates a customer through the provider and returns its id. */
export async function createCustomer(process: ProviderProcess, name: string): Promise<string> {
  const customer = new SimulatedResource("customer");
  await customer.up(process, { name });
  return customer.id;
}
