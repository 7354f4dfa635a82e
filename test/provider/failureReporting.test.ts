/**
 * provider/failureReporting.ts: anticipated failures reach the user once, bugs keep their stack trace, and no token
 * survives in a message. The dynamic-provider host's echo is reproduced exactly as the host writes it
 * (`console.error(`${e}: ${e.stack}`)` in its catch, @pulumi/pulumi cmd/dynamic-provider/index.js).
 */
import type { dynamic } from "@pulumi/pulumi";
import { DistrApiError } from "../../sdk/errors";
import { withFailureReporting } from "../../provider/failureReporting";
import { DistrResourceError } from "../../provider/resourceError";
import type { ResourceHandlers } from "../../provider/resourceHandlers";

const TOKEN = "distr-0123456789abcdef0123456789abcdef";

function throwing(error: Error, failures?: dynamic.CheckFailure[]): ResourceHandlers {
  const fail = () => Promise.reject(error);
  return {
    configure: () => Promise.resolve(),
    check: () => (failures ? Promise.resolve({ inputs: {}, failures }) : fail()),
    diff: fail,
    create: fail,
    read: fail,
    update: fail,
    delete: fail,
  };
}

/** What the host does with a rejected check: log the error with its stack, then hand it to the engine. */
async function hostCheck(handlers: ResourceHandlers): Promise<Error> {
  try {
    await handlers.check({}, {});
  } catch (e) {
    const error = e as Error;
    console.error(`${error}: ${error.stack}`);
    return error;
  }
  throw new Error("check did not fail");
}

describe("failure reporting", () => {
  let logged: string[];
  const original = console.error;
  beforeEach(() => {
    logged = [];
    // The console.error the module finds when it installs its filter: records what would reach stderr.
    delete (globalThis as Record<symbol, unknown>)[Symbol.for("pulumi-distr.pendingHostEchoes")];
    console.error = (...args: unknown[]) => void logged.push(args.map(String).join(" "));
  });
  afterEach(() => {
    console.error = original;
  });

  it.each([
    ["no token", new DistrResourceError("configuration", "no Distr access token: set it with …")],
    [
      "a wrong token",
      new DistrApiError({ kind: "unauthorized", method: "GET", path: "/api/v1/applications", status: 401 }),
    ],
    ["an unreachable host", new DistrApiError({ kind: "connection", hint: "is the host right?" })],
    ["licensing off", new DistrApiError({ kind: "licensing-not-enabled", status: 403 })],
    ["the rate budget spent", new DistrApiError({ kind: "rate-limited", hint: "the hourly budget is spent" })],
  ])("drops the host's echo of an anticipated failure (%s) and passes the error on unchanged", async (_name, error) => {
    const reported = await hostCheck(withFailureReporting(throwing(error)));
    expect(reported).toBe(error);
    expect(logged).toEqual([]);
  });

  it("keeps the host's echo, stack trace included, for an error nobody anticipated (a bug)", async () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'id')");
    await hostCheck(withFailureReporting(throwing(bug)));
    expect(logged.join("")).toContain("TypeError: Cannot read properties of undefined (reading 'id'): TypeError");
    expect(logged.join("")).toMatch(/\n\s+at /);
  });

  it("leaves unrelated console.error calls alone", async () => {
    await hostCheck(withFailureReporting(throwing(new DistrApiError({ kind: "connection" }))));
    console.error("something else");
    expect(logged).toEqual(["something else"]);
  });

  it("removes tokens from error messages, stacks and check failures", async () => {
    const leaky = new DistrResourceError("configuration", `the token ${TOKEN} is wrong`);
    const error = await hostCheck(withFailureReporting(throwing(leaky)));
    expect(error.message).toBe("the token distr-*** is wrong");
    expect(error.stack).not.toContain(TOKEN);
    const result = await withFailureReporting(
      throwing(new Error("unused"), [{ property: `tags.${TOKEN}`, reason: `no application ${JSON.stringify(TOKEN)}` }]),
    ).check({}, {});
    expect(JSON.stringify(result.failures)).not.toContain("0123456789abcdef");
  });
});
