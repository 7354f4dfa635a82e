/**
 * Resource registration runs without stack traces (provider/promiseStacks.ts) and gives the limit back, also when the
 * registration throws; with PULUMI_DEBUG_PROMISE_LEAKS set, Pulumi's leak report keeps its traces.
 */
import { suspendPromiseStacks } from "../../provider/promiseStacks";

describe("suspendPromiseStacks", () => {
  const saved = { limit: Error.stackTraceLimit, debug: process.env["PULUMI_DEBUG_PROMISE_LEAKS"] };
  afterEach(() => {
    Error.stackTraceLimit = saved.limit;
    if (saved.debug === undefined) delete process.env["PULUMI_DEBUG_PROMISE_LEAKS"];
    else process.env["PULUMI_DEBUG_PROMISE_LEAKS"] = saved.debug;
  });

  it("records no frames until restored, then the previous limit again", () => {
    delete process.env["PULUMI_DEBUG_PROMISE_LEAKS"];
    Error.stackTraceLimit = 12;
    const restore = suspendPromiseStacks();
    expect(new Error("inside").stack).toBe("Error: inside");
    restore();
    expect(Error.stackTraceLimit).toBe(12);
    expect(new Error("after").stack?.split("\n").length).toBeGreaterThan(1);
  });

  it("restores the limit when what runs in between throws", () => {
    delete process.env["PULUMI_DEBUG_PROMISE_LEAKS"];
    Error.stackTraceLimit = 10;
    const register = () => {
      const restore = suspendPromiseStacks();
      try {
        throw new Error("registration failed");
      } finally {
        restore();
      }
    };
    expect(register).toThrow("registration failed");
    expect(Error.stackTraceLimit).toBe(10);
  });

  it("keeps stack traces when PULUMI_DEBUG_PROMISE_LEAKS asks for the leak report's details", () => {
    process.env["PULUMI_DEBUG_PROMISE_LEAKS"] = "1";
    Error.stackTraceLimit = 10;
    const restore = suspendPromiseStacks();
    expect(Error.stackTraceLimit).toBe(10);
    restore();
  });
});
