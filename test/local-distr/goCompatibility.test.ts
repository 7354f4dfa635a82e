import { parseDistrTime, compareDistrTimes, fromEpochMicros, nowDistrTime } from "../../local-distr/distrTime";
import { decodeGoStruct, encodeGoJson, readJsonValue, type GoStruct } from "../../local-distr/goJson";
import { parseUuid } from "../../local-distr/uuid";

const body = (text: string) => Buffer.from(text, "utf8");

describe("Go json.Decoder syntax errors (the 400 bodies of distr-api.md section 10)", () => {
  it.each([
    ["", "EOF"],
    ["   \n", "EOF"],
    ['{"name":', "unexpected EOF"],
    ['{"name":"x"', "unexpected EOF"],
    ["nope", "invalid character 'o' in literal null (expecting 'u')"],
    ["x", "invalid character 'x' looking for beginning of value"],
    ["{name: 1}", "invalid character 'n' looking for beginning of object key string"],
    ['{"a" 1}', "invalid character '1' after object key"],
    ['{"a":1 "b":2}', "invalid character '\"' after object key:value pair"],
    ["[1 2]", "invalid character '2' after array element"],
    ['{"a":1.}', "invalid character '}' after decimal point in numeric literal"],
    ['{"a":-x}', "invalid character 'x' in numeric literal"],
    ['{"a":1e}', "invalid character '}' in exponent of numeric literal"],
    ['{"a":"\\q"}', "invalid character 'q' in string escape code"],
    ['{"a":"\\u12G4"}', "invalid character 'G' in \\u hexadecimal character escape"],
    ['{"a":"x\ny"}', "invalid character '\\n' in string literal"],
    ["{'a':1}", "invalid character '\\'' looking for beginning of object key string"],
    ["é", "invalid character 'Ã' looking for beginning of value"],
  ])("%j → %s", (text, message) => {
    expect(readJsonValue(body(text))).toEqual({ ok: false, error: message });
  });

  it("reads only the first value: trailing data is never looked at", () => {
    expect(readJsonValue(body('{"a":1} trailing garbage {'))).toEqual({ ok: true, value: { a: 1 } });
  });

  it("a __proto__ key is data, not a prototype", () => {
    const read = readJsonValue(body('{"__proto__": {"polluted": true}}'));
    if (!read.ok) throw new Error(read.error);
    expect(Object.keys(read.value as object)).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("decoding into a Go struct", () => {
  const struct: GoStruct = {
    goType: "types.Thing",
    fields: {
      name: { kind: "string" },
      id: { kind: "uuid" },
      expiresAt: { kind: "time" },
      parts: {
        kind: "list",
        goType: "[]types.Part",
        of: { kind: "struct", struct: { goType: "types.Part", fields: { id: { kind: "uuid" } } } },
      },
    },
  };
  const decode = (text: string) => decodeGoStruct(body(text), struct);

  it("type errors name the innermost struct and the full field path", () => {
    expect(decode('{"name": 1}')).toEqual({
      ok: false,
      error: "json: cannot unmarshal number into Go struct field Thing.name of type string",
    });
    expect(decode('{"parts": "x"}')).toEqual({
      ok: false,
      error: "json: cannot unmarshal string into Go struct field Thing.parts of type []types.Part",
    });
    expect(decode('{"parts": [{"id": true}]}')).toEqual({
      ok: false,
      error: "json: cannot unmarshal bool into Go struct field Part.parts.id of type uuid.UUID",
    });
    expect(decode("[]")).toEqual({
      ok: false,
      error: "json: cannot unmarshal array into Go value of type types.Thing",
    });
  });

  it("UnmarshalText/UnmarshalJSON errors come through verbatim and win over earlier type errors", () => {
    expect(decode('{"id": "abc"}')).toEqual({ ok: false, error: "invalid UUID length: 3" });
    expect(decode('{"name": 1, "expiresAt": 5}')).toEqual({
      ok: false,
      error: "Time.UnmarshalJSON: input is not a JSON string",
    });
  });

  it("keys match case-insensitively, exact matches first; null leaves a field unset; unknown keys are ignored", () => {
    expect(
      decode('{"NAME": "a", "Id": "0B6E0000-0000-4000-8000-000000000001", "extra": 1, "expiresAt": null}'),
    ).toEqual({
      ok: true,
      value: { name: "a", id: "0b6e0000-0000-4000-8000-000000000001", expiresAt: undefined },
    });
    expect(decode("null")).toEqual({ ok: true, value: {} });
  });
});

describe("UUIDs as google/uuid parses them", () => {
  it("accepts the hyphenated, braced, urn and bare forms, canonicalised to lower case", () => {
    const canonical = "0b6e1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d";
    for (const form of [
      canonical.toUpperCase(),
      `{${canonical}}`,
      `urn:uuid:${canonical}`,
      canonical.replace(/-/g, ""),
    ]) {
      expect(parseUuid(form)).toEqual({ ok: true, uuid: canonical });
    }
  });

  it("rejects with google/uuid's messages", () => {
    expect(parseUuid("abc")).toEqual({ ok: false, error: "invalid UUID length: 3" });
    expect(parseUuid("0b6e1c2d-3e4f-4a5b-8c6d_7e8f9a0b1c2d")).toEqual({ ok: false, error: "invalid UUID format" });
    expect(parseUuid("0b6e1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2z")).toEqual({ ok: false, error: "invalid UUID format" });
  });
});

describe("Distr timestamps", () => {
  it("keeps the wall clock and drops the offset, as pgx writing a TIMESTAMP column does", () => {
    expect(parseDistrTime("2026-12-31T00:00:00+02:00")).toEqual({ ok: true, time: "2026-12-31T00:00:00Z" });
    expect(parseDistrTime("2026-12-31T23:30:00-05:00")).toEqual({ ok: true, time: "2026-12-31T23:30:00Z" });
  });

  it("truncates to microseconds and drops trailing zeros", () => {
    expect(parseDistrTime("2026-01-02T03:04:05.1234567Z")).toEqual({ ok: true, time: "2026-01-02T03:04:05.123456Z" });
    expect(parseDistrTime("2026-01-02T03:04:05.100Z")).toEqual({ ok: true, time: "2026-01-02T03:04:05.1Z" });
    expect(parseDistrTime("2026-01-02T03:04:05.000Z")).toEqual({ ok: true, time: "2026-01-02T03:04:05Z" });
  });

  it.each([
    ["2026-12-31", 'parsing time "2026-12-31" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "T"'],
    [
      "2026-12-31 00:00:00Z",
      'parsing time "2026-12-31 00:00:00Z" as "2006-01-02T15:04:05Z07:00": cannot parse " 00:00:00Z" as "T"',
    ],
    [
      "2026-12-31T00:00:00",
      'parsing time "2026-12-31T00:00:00" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "Z07:00"',
    ],
    ["2026-13-01T00:00:00Z", 'parsing time "2026-13-01T00:00:00Z": month out of range'],
    ["2026-02-30T00:00:00Z", 'parsing time "2026-02-30T00:00:00Z": day out of range'],
    ["2026-01-01T00:00:00Zjunk", 'parsing time "2026-01-01T00:00:00Zjunk": extra text: "junk"'],
    ["tomorrow", 'parsing time "tomorrow" as "2006-01-02T15:04:05Z07:00": cannot parse "tomorrow" as "2006"'],
  ])("%s → Go's parse error", (value, error) => {
    expect(parseDistrTime(value)).toEqual({ ok: false, error });
  });

  it("compares stored times by instant although trailing zeros are dropped", () => {
    expect(compareDistrTimes("2026-01-01T00:00:00.5Z", "2026-01-01T00:00:00.51Z")).toBeLessThan(0);
    expect(compareDistrTimes("2026-01-01T00:00:01Z", "2026-01-01T00:00:00.999999Z")).toBeGreaterThan(0);
    expect(compareDistrTimes("2026-01-01T00:00:00.1Z", "2026-01-01T00:00:00.100000Z")).toBe(0);
  });

  it("now() is UTC with microseconds and strictly increasing", () => {
    const times = Array.from({ length: 50 }, () => nowDistrTime());
    for (let i = 1; i < times.length; i++) expect(compareDistrTimes(times[i - 1]!, times[i]!)).toBeLessThan(0);
    expect(fromEpochMicros(Date.UTC(2026, 0, 2, 3, 4, 5) * 1000 + 120)).toBe("2026-01-02T03:04:05.00012Z");
  });
});

describe("Go json.Encoder output", () => {
  it("escapes <, >, & and line separators, and ends with a newline", () => {
    expect(encodeGoJson({ name: "<a & b>\u2028" })).toBe('{"name":"\\u003ca \\u0026 b\\u003e\\u2028"}\n');
  });
});
