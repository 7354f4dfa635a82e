/**
 * JSON in and out the way Distr's Go handlers do it (distr-api.md section 10): `json.NewDecoder(body).Decode(&t)`
 * reads only the first value, ignores unknown fields, matches keys case-insensitively, treats `null` as "leave
 * unset", and its error text becomes the 400 body; `json.NewEncoder(w).Encode(v)` escapes `<>&` and appends "\n".
 */
import { parseDistrTime } from "./distrTime";
import { parseUuid } from "./uuid";

/** A parsed JSON value with object keys in document order (duplicates: last wins, as in Go). */
export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export type JsonObject = { [key: string]: JsonValue };

export type DecodeResult<T> = { ok: true; value: T } | { ok: false; error: string };

class SyntaxFailure extends Error {}

function quoteChar(byte: number): string {
  if (byte === 0x27) return "'\\''";
  if (byte === 0x22) return "'\"'";
  // Go quotes the byte as the rune of the same value (Latin-1); non-printable ones as \u00XX.
  if (byte >= 0x80 && byte <= 0xa0) return `'\\u00${byte.toString(16)}'`;
  if (byte === 0xad) return "'\\u00ad'";
  if (byte > 0xa0) return `'${String.fromCharCode(byte)}'`;
  if (byte === 0x7f) return "'\\x7f'";
  const quoted = JSON.stringify(String.fromCharCode(byte)).slice(1, -1);
  if (quoted.startsWith("\\u00")) return `'\\x${quoted.slice(4)}'`;
  return `'${quoted}'`;
}

/** A byte-level scanner with encoding/json's scanner error messages. */
class GoJsonScanner {
  private pos = 0;
  constructor(private readonly data: Buffer) {}

  private fail(context: string): never {
    if (this.pos >= this.data.length) throw new SyntaxFailure("unexpected EOF");
    throw new SyntaxFailure(`invalid character ${quoteChar(this.data[this.pos] ?? 0)} ${context}`);
  }

  private skipSpace(): void {
    while (this.pos < this.data.length) {
      const c = this.data[this.pos];
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) this.pos++;
      else break;
    }
  }

  /** The first JSON value of the body; trailing data is never looked at (as json.Decoder). */
  readFirstValue(): JsonValue {
    this.skipSpace();
    if (this.pos >= this.data.length) throw new SyntaxFailure("EOF");
    return this.value();
  }

  private value(): JsonValue {
    this.skipSpace();
    const c = this.data[this.pos];
    if (c === undefined) throw new SyntaxFailure("unexpected EOF");
    if (c === 0x7b) return this.object();
    if (c === 0x5b) return this.array();
    if (c === 0x22) return this.string();
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number();
    if (c === 0x74) return this.literal("true", true);
    if (c === 0x66) return this.literal("false", false);
    if (c === 0x6e) return this.literal("null", null);
    this.fail("looking for beginning of value");
  }

  private literal<T extends JsonValue>(word: string, result: T): T {
    this.pos++;
    for (let i = 1; i < word.length; i++) {
      if (this.pos >= this.data.length) throw new SyntaxFailure("unexpected EOF");
      if (this.data[this.pos] !== word.charCodeAt(i)) this.fail(`in literal ${word} (expecting '${word[i]}')`);
      this.pos++;
    }
    return result;
  }

  private object(): JsonObject {
    this.pos++;
    // No prototype: a "__proto__" key is a key like any other.
    const result = Object.create(null) as JsonObject;
    this.skipSpace();
    if (this.data[this.pos] === 0x7d) {
      this.pos++;
      return result;
    }
    for (;;) {
      this.skipSpace();
      if (this.data[this.pos] !== 0x22) this.fail("looking for beginning of object key string");
      const key = this.string();
      this.skipSpace();
      if (this.data[this.pos] !== 0x3a) this.fail("after object key");
      this.pos++;
      result[key] = this.value();
      this.skipSpace();
      const c = this.data[this.pos];
      if (c === 0x2c) {
        this.pos++;
        continue;
      }
      if (c === 0x7d) {
        this.pos++;
        return result;
      }
      this.fail("after object key:value pair");
    }
  }

  private array(): JsonValue[] {
    this.pos++;
    const result: JsonValue[] = [];
    this.skipSpace();
    if (this.data[this.pos] === 0x5d) {
      this.pos++;
      return result;
    }
    for (;;) {
      result.push(this.value());
      this.skipSpace();
      const c = this.data[this.pos];
      if (c === 0x2c) {
        this.pos++;
        continue;
      }
      if (c === 0x5d) {
        this.pos++;
        return result;
      }
      this.fail("after array element");
    }
  }

  private string(): string {
    const start = this.pos;
    this.pos++;
    for (;;) {
      const c = this.data[this.pos];
      if (c === undefined) throw new SyntaxFailure("unexpected EOF");
      if (c === 0x22) {
        this.pos++;
        break;
      }
      if (c < 0x20) this.fail("in string literal");
      if (c === 0x5c) {
        this.pos++;
        const e = this.data[this.pos];
        if (e === undefined) throw new SyntaxFailure("unexpected EOF");
        if (e === 0x75) {
          this.pos++;
          for (let i = 0; i < 4; i++) {
            const h = this.data[this.pos];
            if (h === undefined) throw new SyntaxFailure("unexpected EOF");
            if (!/[0-9a-fA-F]/.test(String.fromCharCode(h))) this.fail("in \\u hexadecimal character escape");
            this.pos++;
          }
          continue;
        }
        if (!'"\\/bfnrt'.includes(String.fromCharCode(e))) this.fail("in string escape code");
      }
      this.pos++;
    }
    // The slice is now a syntactically valid JSON string; invalid UTF-8 becomes U+FFFD as in Go.
    return JSON.parse(this.data.subarray(start, this.pos).toString("utf8")) as string;
  }

  private digits(): number {
    let n = 0;
    while (this.pos < this.data.length && this.data[this.pos]! >= 0x30 && this.data[this.pos]! <= 0x39) {
      this.pos++;
      n++;
    }
    return n;
  }

  private number(): number {
    const start = this.pos;
    if (this.data[this.pos] === 0x2d) {
      this.pos++;
      const c = this.data[this.pos];
      if (c === undefined) throw new SyntaxFailure("unexpected EOF");
      if (c < 0x30 || c > 0x39) this.fail("in numeric literal");
    }
    if (this.data[this.pos] === 0x30) this.pos++;
    else this.digits();
    if (this.data[this.pos] === 0x2e) {
      this.pos++;
      if (this.pos >= this.data.length) throw new SyntaxFailure("unexpected EOF");
      if (this.digits() === 0) this.fail("after decimal point in numeric literal");
    }
    const e = this.data[this.pos];
    if (e === 0x65 || e === 0x45) {
      this.pos++;
      const sign = this.data[this.pos];
      if (sign === 0x2b || sign === 0x2d) this.pos++;
      if (this.pos >= this.data.length) throw new SyntaxFailure("unexpected EOF");
      if (this.digits() === 0) this.fail("in exponent of numeric literal");
    }
    return Number(this.data.subarray(start, this.pos).toString("latin1"));
  }
}

/** Reads the first JSON value of a request body, or Go's decoder error text. */
export function readJsonValue(body: Buffer): DecodeResult<JsonValue> {
  try {
    return { ok: true, value: new GoJsonScanner(body).readFirstValue() };
  } catch (error) {
    if (error instanceof SyntaxFailure) return { ok: false, error: error.message };
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Decoding into a Go struct: the field kinds Distr's request types use, with Go's type names for error messages.

export type GoFieldKind =
  | { kind: "string" }
  | { kind: "uuid" }
  | { kind: "time" }
  | { kind: "enum"; goType: string; parse: (value: string) => string | { error: string } }
  | { kind: "list"; goType: string; of: GoFieldKind }
  | { kind: "struct"; struct: GoStruct };

export interface GoStruct {
  /** Package-qualified type name, e.g. `api.CreateUpdateCustomerOrganizationRequest`. */
  readonly goType: string;
  readonly fields: Readonly<Record<string, GoFieldKind>>;
}

/** A decoded value: strings for string/uuid/time/enum, arrays, nested records; absent/`null` → undefined. */
export type GoDecoded = string | GoDecoded[] | { [field: string]: GoDecoded | undefined } | null;

class HardDecodeError extends Error {}

interface DecodeState {
  savedError: string | undefined;
}

function jsonKind(value: JsonValue): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "object") return "object";
  if (typeof value === "boolean") return "bool";
  return typeof value === "number" ? "number" : "string";
}

function goTypeName(kind: GoFieldKind): string {
  switch (kind.kind) {
    case "string":
      return "string";
    case "uuid":
      return "uuid.UUID";
    case "time":
      return "time.Time";
    case "enum":
    case "list":
      return kind.goType;
    case "struct":
      return kind.struct.goType;
  }
}

function shortName(goType: string): string {
  return goType.slice(goType.lastIndexOf(".") + 1);
}

function typeError(value: JsonValue, kind: GoFieldKind, context: { struct: string; path: string[] } | undefined) {
  const type = goTypeName(kind);
  if (!context || context.path.length === 0)
    return `json: cannot unmarshal ${jsonKind(value)} into Go value of type ${type}`;
  return `json: cannot unmarshal ${jsonKind(value)} into Go struct field ${context.struct}.${context.path.join(".")} of type ${type}`;
}

function decodeField(
  value: JsonValue,
  kind: GoFieldKind,
  state: DecodeState,
  context: { struct: string; path: string[] } | undefined,
): GoDecoded | undefined {
  if (value === null) return undefined;
  const save = () => {
    state.savedError ??= typeError(value, kind, context);
    return undefined;
  };
  switch (kind.kind) {
    case "string":
      return typeof value === "string" ? value : save();
    case "uuid": {
      if (typeof value !== "string") return save();
      const parsed = parseUuid(value);
      if (!parsed.ok) throw new HardDecodeError(parsed.error);
      return parsed.uuid;
    }
    case "time": {
      if (typeof value !== "string") throw new HardDecodeError("Time.UnmarshalJSON: input is not a JSON string");
      const parsed = parseDistrTime(value);
      if (!parsed.ok) throw new HardDecodeError(parsed.error);
      return parsed.time;
    }
    case "enum": {
      if (typeof value !== "string") return save();
      const parsed = kind.parse(value);
      if (typeof parsed !== "string") throw new HardDecodeError(parsed.error);
      return parsed;
    }
    case "list": {
      if (!Array.isArray(value)) return save();
      const items: GoDecoded[] = [];
      for (const item of value) {
        const decoded = decodeField(item, kind.of, state, context);
        // Go keeps a zero value in the slice when an element fails or is null.
        items.push(decoded === undefined ? zeroValue(kind.of) : decoded);
      }
      return items;
    }
    case "struct": {
      if (value === null || typeof value !== "object" || Array.isArray(value)) return save();
      return decodeStruct(value, kind.struct, state, context?.path ?? []);
    }
  }
}

function zeroValue(kind: GoFieldKind): GoDecoded {
  if (kind.kind === "list") return null;
  if (kind.kind === "struct") return {};
  return kind.kind === "uuid" ? "00000000-0000-0000-0000-000000000000" : "";
}

function decodeStruct(
  object: JsonObject,
  struct: GoStruct,
  state: DecodeState,
  path: string[],
): { [field: string]: GoDecoded | undefined } {
  const result: { [field: string]: GoDecoded | undefined } = {};
  const names = Object.keys(struct.fields);
  for (const [key, value] of Object.entries(object)) {
    // encoding/json prefers an exact match, else the first case-insensitive one.
    const name = names.find((n) => n === key) ?? names.find((n) => n.toLowerCase() === key.toLowerCase());
    if (name === undefined) continue;
    const kind = struct.fields[name]!;
    const decoded = decodeField(value, kind, state, { struct: shortName(struct.goType), path: [...path, name] });
    if (value === null) result[name] = undefined;
    else if (decoded !== undefined) result[name] = decoded;
  }
  return result;
}

/**
 * Decodes a request body into a Go struct: Go's syntax errors, type errors (`json: cannot unmarshal …`), and the
 * errors of `UnmarshalText`/`UnmarshalJSON` (UUIDs, times, enums) verbatim. A `null` body is an empty struct.
 */
export function decodeGoStruct(
  body: Buffer,
  struct: GoStruct,
): DecodeResult<{ [field: string]: GoDecoded | undefined }> {
  const read = readJsonValue(body);
  if (!read.ok) return read;
  const value = read.value;
  const state: DecodeState = { savedError: undefined };
  try {
    if (value === null) return { ok: true, value: {} };
    if (typeof value !== "object" || Array.isArray(value)) {
      return { ok: false, error: typeError(value, { kind: "struct", struct }, undefined) };
    }
    const decoded = decodeStruct(value, struct, state, []);
    if (state.savedError !== undefined) return { ok: false, error: state.savedError };
    return { ok: true, value: decoded };
  } catch (error) {
    if (error instanceof HardDecodeError) return { ok: false, error: error.message };
    throw error;
  }
}

/** Go's `json.Encoder.Encode`: HTML-safe escaping and a trailing newline. */
export function encodeGoJson(value: unknown): string {
  return (
    JSON.stringify(value)
      .replace(/</g, "\\u003c")
      .replace(/>/g, "\\u003e")
      .replace(/&/g, "\\u0026")
      .replace(/\u2028/g, "\\u2028")
      .replace(/\u2029/g, "\\u2029") + "\n"
  );
}
