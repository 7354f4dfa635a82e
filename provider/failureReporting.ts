/**
 * How failures reach the user. Conditions we anticipate (no or a bad token, an unreachable host, licensing off, the
 * rate budget spent, an object Distr lacks, a refusal) are reported once per resource as the plain, actionable
 * message of their error; a stack trace is for bugs only. And no message ever carries a token.
 *
 * Why this is needed: the dynamic-provider host (@pulumi/pulumi cmd/dynamic-provider/index.js) answers a throwing
 * `check`, `diff`, `read` or `delete` by logging `${error}: ${error.stack}` to stderr, which the CLI shows under the
 * resource, before it returns the error to the engine, which prints the message again. So for an anticipated error
 * that one log line is dropped (matched exactly, the host writes it synchronously in its `catch`); everything else
 * the host logs, including any error we did not anticipate, passes through untouched. `create` and `update` errors
 * are never logged by the host, only returned.
 */
import { isDistrApiError, redactTokens } from "../sdk/errors";
import type { ResourceHandlers } from "./resourceHandlers";
import { DistrResourceError } from "./resourceError";

/** Distr answered, or could not be reached, in a way the message explains; only a malformed answer is a bug. */
export function isAnticipated(error: unknown): error is Error {
  if (error instanceof DistrResourceError) return error.kind !== "invalid-state";
  return isDistrApiError(error) && error.kind !== "invalid-response";
}

/** The host lines still to drop, shared by every copy of this module in the process. */
const PENDING_ECHOES = Symbol.for("pulumi-distr.pendingHostEchoes");
type EchoRegistry = { lines: Set<string> };

function echoRegistry(): EchoRegistry {
  const holder = globalThis as typeof globalThis & { [PENDING_ECHOES]?: EchoRegistry };
  let registry = holder[PENDING_ECHOES];
  if (registry) return registry;
  const created: EchoRegistry = { lines: new Set() };
  registry = created;
  holder[PENDING_ECHOES] = created;
  const log = console.error.bind(console);
  console.error = (...args: unknown[]): void => {
    if (args.length === 1 && typeof args[0] === "string" && created.lines.delete(args[0])) return;
    log(...args);
  };
  return registry;
}

function expectHostEcho(error: Error): void {
  const line = `${String(error)}: ${error.stack}`;
  const { lines } = echoRegistry();
  lines.add(line);
  // create/update errors are never echoed: forget the line once the host had its chance.
  setTimeout(() => lines.delete(line), 5_000).unref();
}

function withoutTokens(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const message = redactTokens(error.message);
  if (message !== error.message) {
    error.message = message;
    if (error.stack) error.stack = redactTokens(error.stack);
  }
  return error;
}

async function reported<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const safe = withoutTokens(error);
    if (isAnticipated(safe)) expectHostEcho(safe);
    throw safe;
  }
}

/** The handlers of a resource kind with anticipated failures reported once and tokens redacted everywhere. */
export function withFailureReporting(handlers: ResourceHandlers): ResourceHandlers {
  return {
    configure: (request) => handlers.configure(request),
    check: async (olds, news) => {
      const result = await reported(() => handlers.check(olds, news));
      if (!result.failures || result.failures.length === 0) return result;
      return {
        ...result,
        failures: result.failures.map((failure) => ({
          property: redactTokens(failure.property),
          reason: redactTokens(failure.reason),
        })),
      };
    },
    diff: (id, olds, news) => reported(() => handlers.diff(id, olds, news)),
    create: (inputs) => reported(() => handlers.create(inputs)),
    read: (id, props) => reported(() => handlers.read(id, props)),
    update: (id, olds, news) => reported(() => handlers.update(id, olds, news)),
    delete: (id, props) => reported(() => handlers.delete(id, props)),
  };
}
