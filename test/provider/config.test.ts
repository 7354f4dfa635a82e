import { DIALECT_PROBE_PATH } from "../../sdk/dialect";
import type { LocalDistr } from "../../local-distr";
import { startLocalDistr } from "../../local-distr";
import { startProviderProcess, withProvider } from "./providerHarness";

describe("provider configuration", () => {
  let local: LocalDistr;
  beforeEach(async () => {
    local = await startLocalDistr({ dialect: "2", rateLimits: false });
  });
  afterEach(() => local.close());

  const check = (p: Awaited<ReturnType<typeof startProviderProcess>>) =>
    p.applicationLicense.check({}, withProvider({ name: "l", application: "hello-distr" }));

  it("skips dialect detection when distr:dialect is set", async () => {
    const p = await startProviderProcess(local, { "distr:dialect": "2" });
    await check(p);
    expect(local.control.requests.map((r) => r.path)).not.toContain(DIALECT_PROBE_PATH);
  });

  it("detects the dialect when distr:dialect is not set", async () => {
    const p = await startProviderProcess(local);
    await p.customer.diff(
      "id",
      withProvider({ name: "a", features: [] }),
      withProvider({ name: "a", features: ["alerts"] }),
    );
    await p.customer.check({}, withProvider({ name: "a", features: ["alerts", "deployment_targets"] }));
    expect(local.control.requests.map((r) => r.path)).toContain(DIALECT_PROBE_PATH);
  });

  it("names the configuration key and the accepted values for a wrong dialect or insecure flag", async () => {
    await expect(check(await startProviderProcess(local, { "distr:dialect": "3.1" }))).rejects.toThrow(
      'distr:dialect is "3.1"; use "3" (Distr 3.x) or "2" (Distr 2.x), or unset it to detect',
    );
    await expect(check(await startProviderProcess(local, { "distr:allowInsecureHttp": "yes" }))).rejects.toThrow(
      'distr:allowInsecureHttp is "yes"; use true or false',
    );
  });

  it("prefers stack configuration over DISTR_HOST", async () => {
    process.env.DISTR_HOST = "http://127.0.0.1:9";
    try {
      const checked = await check(await startProviderProcess(local));
      expect(checked.failures).toBeUndefined();
    } finally {
      delete process.env.DISTR_HOST;
    }
  });
});
