/**
 * What the engine tells a policy pack that @pulumi/policy does not pass on to policies. The engine decrypts the
 * stack's configuration and sends it, secrets included, to every analyzer in `ConfigureStack`
 * (pkg/engine/update.go: `target.Config.Decrypt` into `PolicyAnalyzerOptions.Config`;
 * pkg/resource/plugin/analyzer_plugin.go `NewPolicyAnalyzer`), and the pack's policy configuration (enforcement
 * levels from `--policy-pack-config`) in `Configure`. @pulumi/policy 1.21.0 (the newest release) keeps only the
 * stack's tags from the first and hides the levels of the second, so a pack could neither find `distr:token` where
 * the program has it nor know whether a rule that cannot judge is allowed to stay silent.
 *
 * This module wraps the two handlers where @pulumi/policy registers them with its gRPC server (the `@grpc/grpc-js`
 * instance @pulumi/policy itself loads): each request is read here, then handed to @pulumi/policy's own handler
 * unchanged. It must run before `new PolicyPack` (which starts the server); licensePolicyPack.ts does that.
 */
import { createRequire } from "node:module";
import type { EnforcementLevel } from "@pulumi/policy";

/** The stack an analyzer runs for, and its configuration (secrets decrypted; keys like `distr:token`). */
export interface AnalyzedStack {
  readonly organization: string;
  readonly project: string;
  readonly stack: string;
  readonly config: ReadonlyMap<string, string>;
  readonly dryRun: boolean;
}

interface JspbMap {
  forEach(callback: (value: unknown, key: string) => void): void;
}
interface StackConfigureRequest {
  getOrganization(): string;
  getProject(): string;
  getStack(): string;
  getDryRun(): boolean;
  getConfigMap(): JspbMap;
}
interface PolicyConfig {
  getEnforcementlevel(): number;
  setEnforcementlevel(level: number): unknown;
}
interface ConfigureRequest {
  getPolicyconfigMap(): JspbMap;
}
type Handler = (call: { request: unknown }, callback: (...args: unknown[]) => void) => unknown;
interface GrpcServerPrototype {
  addService(service: unknown, implementation: Record<string, unknown>): void;
}

/** analyzer.proto's EnforcementLevel values. */
const ENFORCEMENT_LEVELS: Readonly<Record<number, EnforcementLevel>> = {
  0: "advisory",
  1: "mandatory",
  2: "disabled",
  3: "remediate",
};

let analyzedStack: AnalyzedStack | undefined;
let configuredLevels: ReadonlyMap<string, EnforcementLevel> = new Map();
let installed = false;

/** The stack this pack runs for; undefined outside an engine run (or before `ConfigureStack`). */
export function stackOfRun(): AnalyzedStack | undefined {
  return analyzedStack;
}

/** The enforcement level `--policy-pack-config` gives a policy; undefined when it gives none. */
export function configuredEnforcement(policy: string): EnforcementLevel | undefined {
  return configuredLevels.get(policy);
}

/** Policies whose enforcement level follows another's (follower → leader), unless the follower's is mandatory. */
const followers = new Map<string, string>();

/**
 * Starts reading the two requests (idempotent). `follow` ties a policy's level to another's: the engine fills in
 * every policy's default before `Configure` (pkg/resource/analyzer/config.go `ReconcilePolicyPackConfig`), so a
 * stack policy that completes a resource policy (deleted licenses for `loses-access`) would otherwise stay advisory
 * when the user makes the rule mandatory.
 */
export function observeAnalyzerRequests(follow: Readonly<Record<string, string>> = {}): void {
  for (const [follower, leader] of Object.entries(follow)) followers.set(follower, leader);
  if (installed) return;
  installed = true;
  const fromPolicy = createRequire(require.resolve("@pulumi/policy"));
  const grpc = fromPolicy("@grpc/grpc-js") as { Server: { prototype: GrpcServerPrototype } };
  const prototype = grpc.Server.prototype;
  const addService = prototype.addService;
  prototype.addService = function (this: unknown, service: unknown, implementation: Record<string, unknown>) {
    const configureStack = implementation["configureStack"];
    const configure = implementation["configure"];
    if (typeof configureStack === "function" && typeof configure === "function") {
      implementation = {
        ...implementation,
        configureStack: observing(configureStack as Handler, (request) =>
          rememberStack(request as StackConfigureRequest),
        ),
        configure: observing(configure as Handler, (request) => rememberLevels(request as ConfigureRequest)),
      };
    }
    return addService.call(this, service, implementation);
  } as GrpcServerPrototype["addService"];
}

function observing(handler: Handler, read: (request: unknown) => void): Handler {
  return function (this: unknown, call, callback) {
    try {
      read(call.request);
    } catch {
      // A request this module cannot read is still @pulumi/policy's to answer; the policies then see no config.
    }
    return handler.call(this, call, callback);
  };
}

function rememberStack(request: StackConfigureRequest): void {
  const config = new Map<string, string>();
  request.getConfigMap().forEach((value, key) => {
    if (typeof value === "string") config.set(key, value);
  });
  analyzedStack = {
    organization: request.getOrganization(),
    project: request.getProject(),
    stack: request.getStack(),
    config,
    dryRun: request.getDryRun(),
  };
}

function rememberLevels(request: ConfigureRequest): void {
  const levels = new Map<string, EnforcementLevel>();
  const configs = new Map<string, PolicyConfig>();
  request.getPolicyconfigMap().forEach((value, key) => {
    const config = value as PolicyConfig;
    configs.set(key, config);
    const level = ENFORCEMENT_LEVELS[config.getEnforcementlevel()];
    if (level !== undefined) levels.set(key, level);
  });
  for (const [follower, leader] of followers) {
    const leaderLevel = levels.get(leader);
    const config = configs.get(follower);
    if (leaderLevel === undefined || config === undefined || levels.get(follower) === "mandatory") continue;
    // Rewritten before @pulumi/policy reads the request: its violations then carry the leader's level.
    config.setEnforcementlevel(LEVEL_NUMBERS[leaderLevel]);
    levels.set(follower, leaderLevel);
  }
  configuredLevels = levels;
}

const LEVEL_NUMBERS: Readonly<Record<EnforcementLevel, number>> = {
  advisory: 0,
  mandatory: 1,
  disabled: 2,
  remediate: 3,
};

/** For tests of the policies without an engine: as if the engine had sent these requests. */
export function simulateAnalyzerRequests(requests: {
  stack?: AnalyzedStack;
  levels?: Readonly<Record<string, EnforcementLevel>>;
}): void {
  analyzedStack = requests.stack;
  configuredLevels = new Map(Object.entries(requests.levels ?? {}));
}
