/**
 * fast-check settings of the fuzz suites: a fixed seed so `npm test` is deterministic and a failure reproduces;
 * FUZZ_SEED / FUZZ_RUNS explore further (`FUZZ_SEED=$RANDOM FUZZ_RUNS=2000 npx jest test/fuzz`).
 */
import fc from "fast-check";

export const FUZZ_SEED = Number(process.env["FUZZ_SEED"] ?? 20261130);
export const FUZZ_RUNS = Number(process.env["FUZZ_RUNS"] ?? 150);

/** Counterexamples hold 100 kB strings: report them shortened, with the seed and path that reproduce them. */
function shortened(text: string, limit = 1500): string {
  return text.length > limit ? `${text.slice(0, limit)}… (${text.length} characters)` : text;
}

export const fuzzParameters: fc.Parameters<unknown> = {
  seed: FUZZ_SEED,
  numRuns: FUZZ_RUNS,
  endOnFailure: true,
  reporter: (details) => {
    if (!details.failed) return;
    throw new Error(
      `fuzz counterexample (FUZZ_SEED=${details.seed}, path ${details.counterexamplePath ?? "?"}): ` +
        `${shortened(fc.stringify(details.counterexample))}\n${shortened(String(details.errorInstance), 4000)}`,
    );
  },
};

/** The engine's unknown-value sentinel (pulumi-notes §5): check must accept it anywhere. */
const ENGINE_UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Strings nobody anticipated: huge, unicode, control characters, prototype keys, near-misses of valid input. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.string(),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.constantFrom(
    "",
    " ",
    "\u0000",
    "\u202e\u0041",
    "💥".repeat(50),
    "__proto__",
    "constructor",
    "prototype",
    "toString",
    "hasOwnProperty",
    "all",
    "ALL",
    ENGINE_UNKNOWN,
    "distr-0123456789abcdef0123456789abcdef",
    "2027-06-30T00:00:00Z",
    "2027-06-30T00:00:00+14:00",
    "2027-06-30T00:00:00-12:59",
    "2016-12-31T23:59:60Z",
    "2027-02-29T00:00:00Z",
    "2027-04-31T00:00:00Z",
    "2027-06-30T24:00:00Z",
    "2027-06-30",
    "0000-00-00T00:00:00Z",
    "9999-12-31T23:59:59.9999999999Z",
    ">=2.0.0 <3.0.0",
    ">=3.0.0 <2.0.0",
    "^",
    "||",
    "2.1.0",
    "hello-distr",
    "hello-distr/backend",
    "sha256:" + "0".repeat(64),
  ),
  fc.integer({ min: 10_000, max: 200_000 }).map((length) => "x".repeat(length)),
);

/** Any JSON value the engine can hand over (a protobuf Struct carries nothing else), biased to hostile strings. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    hostileString,
    fc.constantFrom(null, true, false, 0, -1, 1e308, 0.5, Number.MAX_SAFE_INTEGER),
    fc.array(tie("value"), { maxLength: 5 }),
    fc.dictionary(hostileString, tie("value"), { maxKeys: 5 }),
  ),
})).value;

/** An object of the given keys with hostile values, plus hostile extra keys (prototype keys included). */
export function hostileRecord(keys: readonly string[], valueOf: (key: string) => fc.Arbitrary<unknown>) {
  const known = fc.record(Object.fromEntries(keys.map((key) => [key, valueOf(key)])), { requiredKeys: [] });
  const extra = fc.dictionary(
    fc.oneof(fc.constantFrom("__proto__", "constructor", "prototype", "tokn", "token"), fc.string({ maxLength: 8 })),
    hostileValue,
    { maxKeys: 2 },
  );
  return fc.tuple(known, extra, fc.boolean()).map(([base, more, withExtra]) => {
    const record: Record<string, unknown> = {};
    // defineProperty, so a "__proto__" key is an own key as it is in a parsed Struct, not a prototype change.
    for (const [key, value] of Object.entries(base))
      Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
    if (withExtra)
      for (const [key, value] of Object.entries(more))
        Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
    return record;
  });
}
