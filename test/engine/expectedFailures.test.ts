/**
 * Conditions we anticipate read cleanly through the real engine, on the path a new user takes (`pulumi up`, which
 * previews first): no token, a wrong token, an unreachable host, licensing off, the rate budget spent, an unknown
 * application or artifact. Each failing resource shows the plain, actionable message once in the engine's
 * diagnostics, and there is no stack trace anywhere (before provider/failureReporting.ts, the dynamic-provider host
 * added the message again under the stack, with its JavaScript stack trace).
 */
import { startLocalDistr, type LocalDistr } from "../../local-distr";
import { SuiteClock } from "./harness/measurements";
import { ProgramStack, type OpenStackOptions } from "./harness/programStack";
import { LICENSES_PROGRAM, type ProgramSpec } from "./harness/spec";

jest.setTimeout(10 * 60_000);
const clock = new SuiteClock();
clock.install("expectedFailures.test.ts");

const LICENSED: ProgramSpec = {
  customers: [{ resource: "acme", name: "ACME Corp" }],
  applicationLicenses: [{ resource: "acme-pro", customer: "acme", application: "hello-distr", versions: "all" }],
};

/** A frame of a JavaScript stack trace, as Node prints it. */
const STACK_FRAME = /^\s*(\+\s+\S+\s+\S+\s+\S+\s+)?at \S.*(\(.*:\d+:\d+\)|:\d+:\d+|<anonymous>\))$/m;

interface Scenario {
  readonly name: string;
  /** A distinctive part of the message the user must see. */
  readonly message: string | RegExp;
  readonly spec?: ProgramSpec;
  readonly distr?: (local: LocalDistr) => Promise<void> | void;
  readonly stack?: (local: LocalDistr) => Partial<OpenStackOptions>;
  readonly rateLimits?: { perHour: number };
  /** Resources whose diagnostics carry the message. */
  readonly failing: readonly string[];
}

const SCENARIOS: readonly Scenario[] = [
  {
    name: "no token",
    message: "no Distr access token: set it with `pulumi config set --secret distr:token <token>` or the DISTR_TOKEN",
    stack: () => ({ tokenVia: "none" }),
    failing: ["acme-pro"],
  },
  {
    name: "a token Distr does not know",
    message: "answered 401: Unauthorized (Distr rejected the token",
    stack: (local) => ({ distr: { host: local.host, token: `distr-${"ab".repeat(16)}` } }),
    failing: ["acme-pro"],
  },
  {
    name: "a malformed token",
    message:
      'distr:token is not a Distr personal access token (expected "distr-" followed by 32 hexadecimal characters)',
    stack: (local) => ({ distr: { host: local.host, token: "distr-abcd" } }),
    failing: ["acme-pro"],
  },
  {
    name: "an unreachable host",
    message: "(could not connect to http://127.0.0.1:9 (ECONNREFUSED); gave up after 5 attempts",
    stack: (local) => ({ distr: { host: "http://127.0.0.1:9", token: local.token } }),
    failing: ["acme-pro"],
  },
  {
    name: "licensing off",
    message: "licensing not enabled for organization",
    distr: (local) => local.control.setLicensing(false),
    // Lookups are not gated by licensing (section 1), so the preview passes and the license create is refused.
    failing: ["acme-pro"],
  },
  {
    name: "the rate budget spent",
    message: "hourly budget for this user (shared by all the user's tokens) is spent; it resets at",
    rateLimits: { perHour: 2 },
    // The preview's reads spend the budget; the first write's list read is refused.
    failing: ["acme"],
  },
  {
    name: "an unknown application",
    message: 'Distr has no application "hello-dister" (by name or id); use one of its applications: hello-distr',
    spec: {
      customers: [{ resource: "acme", name: "ACME Corp" }],
      applicationLicenses: [{ resource: "acme-pro", customer: "acme", application: "hello-dister", versions: "all" }],
    },
    failing: ["acme-pro"],
  },
  {
    name: "an unknown artifact",
    message:
      'Distr has no artifact "hello-distr/backnd" (by name or id); use one of its artifacts: hello-distr/backend',
    spec: {
      customers: [{ resource: "acme", name: "ACME Corp" }],
      artifactLicenses: [
        { resource: "acme-images", customer: "acme", artifacts: [{ artifact: "hello-distr/backnd", tags: "all" }] },
      ],
    },
    failing: ["acme-images"],
  },
];

/** The engine's "Diagnostics:" section, as blocks per resource ("  <type> (<name>):" and the lines below it). */
function diagnosticBlocks(output: string): Map<string, string> {
  const section = output.slice(output.indexOf("Diagnostics:"));
  const blocks = new Map<string, string>();
  let current: string | undefined;
  for (const line of section.split("\n").slice(1)) {
    const header = /^ {2}(\S+) \((.+)\):$/.exec(line);
    if (header) {
      current = `${header[1]} ${header[2]}`;
      blocks.set(current, "");
    } else if (/^\S/.test(line)) {
      current = undefined;
    } else if (current) {
      blocks.set(current, `${blocks.get(current)}${line}\n`);
    }
  }
  return blocks;
}

function occurrences(text: string, message: string | RegExp): number {
  const pattern =
    typeof message === "string"
      ? new RegExp(message.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "g")
      : new RegExp(message.source, `${message.flags.replace("g", "")}g`);
  return [...text.matchAll(pattern)].length;
}

describe("anticipated failures through `pulumi up`", () => {
  let distr: LocalDistr | undefined;
  let stack: ProgramStack | undefined;
  afterEach(async () => {
    await stack?.dispose();
    stack = undefined;
    await distr?.close();
    distr = undefined;
  });

  it.each(SCENARIOS.map((scenario) => [scenario.name, scenario] as const))(
    "%s: the message once per failing resource, no stack trace",
    async (_name, scenario) => {
      distr = await startLocalDistr({ dialect: "3", rateLimits: scenario.rateLimits ?? false });
      await scenario.distr?.(distr);
      stack = await ProgramStack.open({
        program: LICENSES_PROGRAM,
        distr,
        name: "expected",
        ...scenario.stack?.(distr),
      });
      await stack.setObject("spec", scenario.spec ?? LICENSED);

      const up = await stack.cli("up", "--yes");
      const output = `${up.stdout}\n${up.stderr}`;
      expect(up.code).not.toBe(0);
      expect(output).not.toMatch(STACK_FRAME);
      expect(output).not.toMatch(/DistrApiError|DistrResourceError/);

      const blocks = diagnosticBlocks(output);
      const withMessage = [...blocks].filter(([, text]) => occurrences(text, scenario.message) > 0);
      expect(withMessage.map(([resource]) => resource.slice(resource.lastIndexOf(" ") + 1)).sort()).toEqual(
        [...scenario.failing].sort(),
      );
      for (const [, text] of withMessage) expect(occurrences(text, scenario.message)).toBe(1);
      // No copy under the stack resource (where the host's old echo went); the engine's own summary may be there.
      for (const [resource, text] of blocks) {
        if (resource.startsWith("pulumi:pulumi:Stack")) expect(text.trim()).toBe("error: update failed");
      }
    },
  );
});
