/**
 * Fuzzed `check` of every resource (the first thing the engine calls with a program's values, also at preview):
 * random and hostile inputs (wrong types, huge strings, unicode, prototype keys, invalid ranges, timestamps with
 * offsets and leap seconds, duplicate artifacts) against a real local Distr. Whatever comes in: `check` resolves
 * (no crash, no unhandled rejection), every failure names its property and says what is expected, checked inputs
 * are plain JSON, and the token never appears in anything it returns.
 */
import { isDeepStrictEqual } from "node:util";
import fc from "fast-check";
import type { dynamic } from "@pulumi/pulumi";
import { startTestbed, withProvider, type ProviderProcess, type ProviderTestbed } from "../provider/providerHarness";
import type { ResourceKind } from "../../provider/resourceHandlers";
import { fuzzParameters, hostileRecord, hostileString, hostileValue } from "./fuzzSettings";

jest.setTimeout(5 * 60_000);

/** A failure reason says what is expected or what to do, not only that something is wrong. */
const ACTIONABLE =
  /\b(expected|use|write|remove|add|like|one of|must|choose|set|give|list|needs?|drop|keep|either|allowed|merge)\b/i;

let bed: ProviderTestbed;
let provider: ProviderProcess;
let customerId: string;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  process.on("unhandledRejection", onUnhandled);
  bed = await startTestbed("3");
  provider = await bed.process();
  customerId = (await bed.portal.customers.create({ name: "Fuzz Customer" })).id;
});
afterAll(async () => {
  process.off("unhandledRejection", onUnhandled);
  await bed.close();
});

/** Valid-looking values mixed with hostile ones, per property. */
const selection = fc.oneof(
  fc.constant("all"),
  fc.array(fc.oneof(fc.constantFrom("2.1.0", "2.2.0", "1.0.0", "latest"), hostileString), { maxLength: 4 }),
  fc.record(
    {
      range: fc.oneof(fc.constantFrom(">=2.0.0 <3.0.0", "^2", "~1", "*", ">=3 <2", "not a range"), hostileString),
      includePrerelease: hostileValue,
    },
    { requiredKeys: ["range"] },
  ),
  hostileValue,
);
const customerRef = () =>
  fc.oneof(fc.constant(customerId), fc.constant(customerId.toUpperCase()), hostileString, hostileValue);
const expiresAt = fc.oneof(
  fc
    .date({ min: new Date("1969-01-01"), max: new Date("2200-01-01"), noInvalidDate: true })
    .map((d) => d.toISOString()),
  fc
    .tuple(
      fc.integer({ min: 0, max: 9999 }),
      fc.integer({ min: 0, max: 13 }),
      fc.integer({ min: 0, max: 32 }),
      fc.integer({ min: 0, max: 25 }),
      fc.integer({ min: 0, max: 61 }),
      fc.constantFrom("Z", "+02:00", "-12:59", "+14:00", "+99:99", "z", ""),
    )
    .map(
      ([y, mo, d, h, s, zone]) =>
        `${String(y).padStart(4, "0")}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}T${String(h).padStart(2, "0")}:59:${String(s).padStart(2, "0")}${zone}`,
    ),
  hostileString,
  hostileValue,
);
const adopt = fc.oneof(fc.boolean(), fc.record({ id: fc.oneof(hostileString, hostileValue) }), hostileValue);

/** Built per test: the valid customer id exists only once the server runs. */
const inputsOf = (): Record<ResourceKind, fc.Arbitrary<Record<string, unknown>>> => ({
  customer: hostileRecord(["name", "features", "adopt"], (key) =>
    key === "features"
      ? fc.oneof(
          fc.array(
            fc.oneof(
              fc.constantFrom("deployment_targets", "artifacts", "alerts", "support_bundles", "oidc_providers"),
              hostileString,
            ),
          ),
          hostileValue,
        )
      : key === "adopt"
        ? adopt
        : fc.oneof(hostileString, hostileValue),
  ),
  applicationLicense: hostileRecord(
    ["name", "customer", "application", "versions", "expiresAt", "registry", "adopt"],
    (key) =>
      ({
        name: fc.oneof(hostileString, hostileValue),
        customer: customerRef(),
        application: fc.oneof(
          fc.constantFrom("hello-distr", "hello-distr-helm", "HELLO-DISTR"),
          hostileString,
          hostileValue,
        ),
        versions: selection,
        expiresAt,
        registry: fc.oneof(
          hostileRecord(["url", "username", "password"], () => fc.oneof(hostileString, hostileValue)),
          hostileValue,
        ),
        adopt,
      })[key] ?? hostileValue,
  ),
  artifactLicense: hostileRecord(["name", "customer", "expiresAt", "artifacts", "adopt"], (key) => {
    const entry = hostileRecord(["artifact", "tags"], (k) =>
      k === "artifact"
        ? fc.oneof(
            fc.constantFrom("hello-distr/backend", "hello-distr/frontend", "hello-distr/chart"),
            hostileString,
            hostileValue,
          )
        : selection,
    );
    return (
      {
        name: fc.oneof(hostileString, hostileValue),
        customer: customerRef(),
        expiresAt,
        // Duplicates on purpose: the same artifact twice must be a failure, not a crash or a silent merge.
        artifacts: fc.oneof(
          fc.array(entry, { maxLength: 4 }),
          entry.map((e) => [e, e]),
          hostileValue,
        ),
        adopt,
      }[key] ?? hostileValue
    );
  }),
  licenseKey: hostileRecord(
    ["name", "customer", "description", "payload", "notBefore", "expiresAt", "template", "redeploy"],
    (key) =>
      ({
        name: fc.oneof(hostileString, hostileValue),
        customer: customerRef(),
        description: fc.oneof(hostileString, hostileValue),
        payload: fc.oneof(
          fc.dictionary(
            fc.oneof(fc.constantFrom("seats", "edition", "__proto__", "constructor"), hostileString),
            hostileValue,
          ),
          fc.constantFrom('{"seats": 10}', "{not json", "[1,2]", "null"),
          hostileString,
          hostileValue,
        ),
        notBefore: expiresAt,
        expiresAt,
        template: fc.oneof(hostileString, hostileValue),
        redeploy: fc.oneof(fc.boolean(), hostileValue),
      })[key] ?? hostileValue,
  ),
  licenseTemplate: hostileRecord(["name", "payloadTemplate", "expirationGracePeriodDays"], (key) =>
    key === "expirationGracePeriodDays"
      ? fc.oneof(fc.integer({ min: -5, max: 400 }), fc.double(), hostileValue)
      : fc.oneof(fc.constantFrom('{"seats": {{ .Seats }}}', "{{ broken"), hostileString, hostileValue),
  ),
});

/** Returns what is wrong with a check result (empty: nothing), as short text rather than a 100 kB diff. */
function problemsOf(result: dynamic.CheckResult, token: string): string[] {
  const problems: string[] = [];
  for (const failure of result.failures ?? []) {
    const where = `failure ${JSON.stringify(failure.property)}: ${failure.reason.slice(0, 300)}`;
    if (typeof failure.property !== "string" || failure.property === "") problems.push(`no property named; ${where}`);
    if (!ACTIONABLE.test(failure.reason)) problems.push(`does not say what is expected; ${where}`);
    // The reasons are what the engine prints; the checked inputs only echo what the program wrote.
    if (failure.reason.includes(token.slice("distr-".length))) problems.push(`reason shows the token; ${where}`);
  }
  if ((result.failures ?? []).length === 0) {
    // What diff/create receive and the engine stores: plain JSON, nothing lost in a round trip.
    if (!isDeepStrictEqual(JSON.parse(JSON.stringify(result.inputs)), result.inputs))
      problems.push("checked inputs are not plain JSON");
  }
  return problems;
}

describe.each<ResourceKind>(["customer", "applicationLicense", "artifactLicense", "licenseKey", "licenseTemplate"])(
  "fuzzed check of %s",
  (kind) => {
    it("resolves for any input, with failures that name the property and what is expected, never the token", async () => {
      const token = bed.distr.token;
      await fc.assert(
        fc.asyncProperty(
          inputsOf()[kind],
          fc.constantFrom(undefined, "token-as-value"),
          async (inputs, tokenAsValue) => {
            // The token itself as a value (a user pasting it into the wrong field) must not be echoed back either.
            const news = withProvider(tokenAsValue ? { ...inputs, name: token, application: token } : inputs);
            let result: dynamic.CheckResult;
            try {
              result = await provider[kind].check({}, news);
            } catch (error) {
              throw new Error(`check threw: ${String(error).slice(0, 1000)}`);
            }
            const problems = problemsOf(result, token);
            if (problems.length > 0) throw new Error(problems.join("\n"));
          },
        ),
        fuzzParameters,
      );
      expect(unhandled).toEqual([]);
    });
  },
);
