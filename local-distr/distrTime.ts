/**
 * Timestamps the way Distr stores and prints them (distr-api.md section 10, B8, quirk 17): input must be full
 * RFC 3339 (Go's `time.Time.UnmarshalJSON`, whose errors become the 400 body); the zone offset is discarded on write
 * (pgx writes the wall clock into a TIMESTAMP column) and reads come back as UTC `Z` with microsecond precision and
 * trailing fraction zeros dropped.
 */

/** A stored timestamp: the wall clock as written, microseconds since the epoch when read as UTC. */
export type StoredTime = string;

export type TimeParseResult = { ok: true; time: StoredTime } | { ok: false; error: string };

const RFC3339_LAYOUT = "2006-01-02T15:04:05Z07:00";

function goQuote(s: string): string {
  return JSON.stringify(s);
}

function layoutError(value: string, valueElem: string, layoutElem: string): string {
  return `parsing time ${goQuote(value)} as ${goQuote(RFC3339_LAYOUT)}: cannot parse ${goQuote(valueElem)} as ${goQuote(layoutElem)}`;
}

function isDigit(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= 48 && c <= 57;
}

function daysIn(month: number, year: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * Parses like Go's `time.Parse(time.RFC3339, s)` and normalises like pgx writing a TIMESTAMP: the wall clock is
 * kept and the offset dropped, sub-microsecond digits truncated. Errors use Go's wording.
 */
export function parseDistrTime(value: string): TimeParseResult {
  let rest = value;
  const fail = (layoutElem: string): TimeParseResult => ({ ok: false, error: layoutError(value, rest, layoutElem) });
  const range = (what: string): TimeParseResult => ({
    ok: false,
    error: `parsing time ${goQuote(value)}: ${what} out of range`,
  });
  const literal = (lit: string): boolean => {
    if (!rest.startsWith(lit)) return false;
    rest = rest.slice(lit.length);
    return true;
  };
  const fixed = (digits: number): number | undefined => {
    for (let i = 0; i < digits; i++) if (!isDigit(rest, i)) return undefined;
    const n = Number(rest.slice(0, digits));
    rest = rest.slice(digits);
    return n;
  };

  if (rest.length < 4) return fail("2006");
  const year = fixed(4);
  if (year === undefined) return fail("2006");
  if (!literal("-")) return fail("-");
  const month = fixed(2);
  if (month === undefined) return fail("01");
  if (month < 1 || month > 12) return range("month");
  if (!literal("-")) return fail("-");
  const day = fixed(2);
  if (day === undefined) return fail("02");
  if (!literal("T")) return fail("T");
  const hour = fixed(2);
  if (hour === undefined) return fail("15");
  if (hour >= 24) return range("hour");
  if (!literal(":")) return fail(":");
  const minute = fixed(2);
  if (minute === undefined) return fail("04");
  if (minute >= 60) return range("minute");
  if (!literal(":")) return fail(":");
  const second = fixed(2);
  if (second === undefined) return fail("05");
  if (second >= 60) return range("second");
  let fraction = "";
  if (rest.length >= 2 && (rest[0] === "." || rest[0] === ",") && isDigit(rest, 1)) {
    let i = 1;
    while (isDigit(rest, i)) i++;
    fraction = rest.slice(1, i);
    rest = rest.slice(i);
  }
  if (rest.startsWith("Z")) {
    rest = rest.slice(1);
  } else {
    const zone = /^[+-]\d\d:\d\d/.exec(rest);
    if (!zone) return fail("Z07:00");
    const zoneHours = Number(rest.slice(1, 3));
    const zoneMinutes = Number(rest.slice(4, 6));
    if (zoneHours > 24 || zoneMinutes >= 60) {
      return { ok: false, error: `parsing time ${goQuote(value)}: time zone offset out of range` };
    }
    rest = rest.slice(6);
  }
  if (rest.length > 0) return { ok: false, error: `parsing time ${goQuote(value)}: extra text: ${goQuote(rest)}` };
  if (day < 1 || day > daysIn(month, year)) {
    return { ok: false, error: `parsing time ${goQuote(value)}: day out of range` };
  }
  const micros = (fraction + "000000").slice(0, 6);
  return { ok: true, time: formatParts(year, month, day, hour, minute, second, micros) };
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

function formatParts(year: number, month: number, day: number, h: number, m: number, s: number, micros: string) {
  const fraction = micros.replace(/0+$/, "");
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}${fraction ? "." + fraction : ""}Z`;
}

let lastNowMicros = 0;

/**
 * The current time as PostgreSQL's `now()` would give it (UTC, microseconds). Strictly increasing within the
 * process, so rows created in one millisecond still order by `createdAt`.
 */
export function nowDistrTime(): StoredTime {
  let micros = Date.now() * 1000;
  if (micros <= lastNowMicros) micros = lastNowMicros + 1;
  lastNowMicros = micros;
  return fromEpochMicros(micros);
}

export function fromEpochMicros(micros: number): StoredTime {
  const date = new Date(Math.floor(micros / 1000));
  const sub = micros % 1000;
  return formatParts(
    date.getUTCFullYear(),
    date.getUTCMonth() + 1,
    date.getUTCDate(),
    date.getUTCHours(),
    date.getUTCMinutes(),
    date.getUTCSeconds(),
    pad(date.getUTCMilliseconds(), 3) + pad(sub, 3),
  );
}

/** Stored times drop trailing fraction zeros, so compare them with the fraction padded back to microseconds. */
function sortable(time: StoredTime): string {
  const match = /^(.{19})(?:\.(\d{1,6}))?Z$/.exec(time);
  if (!match) return time;
  return `${match[1]}.${(match[2] ?? "").padEnd(6, "0")}`;
}

export function compareDistrTimes(a: StoredTime, b: StoredTime): number {
  const x = sortable(a);
  const y = sortable(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
