/**
 * Which processes start the engine watchdog: Pulumi's dynamic provider host, the policy pack's analyzer and a program
 * run by the language host, whatever the install layout (npm, pnpm, Windows paths); never a test runner, a CLI or an
 * inline program.
 */
import { pulumiProcessRole } from "../../provider/pluginHost";

describe("pulumiProcessRole", () => {
  it.each([
    ["/app/node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js", "dynamic-provider"],
    ["/app/node_modules/@pulumi/pulumi/cmd/dynamic-provider", "dynamic-provider"],
    [
      "/app/node_modules/.pnpm/@pulumi+pulumi@3.276.0/node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js",
      "dynamic-provider",
    ],
    ["C:\\app\\node_modules\\@pulumi\\pulumi\\cmd\\dynamic-provider\\index.js", "dynamic-provider"],
    ["/app/node_modules/@pulumi/pulumi/cmd/run/index.js", "program"],
    ["/app/node_modules/@pulumi/pulumi/cmd/run-policy-pack/index.js", "policy-pack"],
    ["/app/node_modules/@pulumi/pulumi/cmd/run-plugin/index.js", "other"],
    ["/app/node_modules/jest/bin/jest.js", "other"],
    ["/app/dist/cli/main.js", "other"],
  ] as const)("%s → %s", (script, role) => {
    expect(pulumiProcessRole(["/usr/bin/node", script, "127.0.0.1:40000"])).toBe(role);
  });

  it("a process without a script (node -e, the REPL) is none of Pulumi's", () => {
    expect(pulumiProcessRole(["/usr/bin/node"])).toBe("other");
  });
});
