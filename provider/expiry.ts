/**
 * License expiry (`expiresAt`). Distr wants a full RFC 3339 timestamp (`2026-12-31` alone is a 400) and stores it
 * in a column without zone: the offset is discarded on write, so `…T00:00:00+02:00` would be stored as
 * `…T00:00:00Z`, two hours later (quirk 17). We therefore convert every offset to UTC ourselves, and format the
 * result the way Distr reads it back (microsecond precision, trailing fraction zeros dropped, `Z`), so that the
 * value in state equals what a refresh reads and never shows as a diff.
 */
import { z } from "zod";
import { describeValue, type CheckFailure } from "./checkFailures";
import { orUnknown } from "./inputSchemas";
import { isUnknown, type Unknown } from "./unknowns";

/** A license's `expiresAt` as a program writes it (checked by `checkExpiresAt`). */
export const expiresAtInputSchema = orUnknown(
  z.string({ error: (issue) => `expected an RFC 3339 timestamp string, got ${describeValue(issue.input)}` }),
);

/** A license's `expiresAt` for checked inputs: in UTC as Distr reads it back; unknown or absent ones as they are. */
export function checkExpiresAt(expiresAt: string | Unknown | undefined): {
  expiresAt: string | Unknown | undefined;
  failures: CheckFailure[];
} {
  if (expiresAt === undefined || isUnknown(expiresAt)) return { expiresAt, failures: [] };
  const expiry = normalizeExpiry(expiresAt);
  if (expiry.ok) return { expiresAt: expiry.utc, failures: [] };
  return { expiresAt, failures: [{ property: "expiresAt", reason: expiry.reason }] };
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/i;

export type ExpiryParseResult =
  { readonly ok: true; readonly utc: string } | { readonly ok: false; readonly reason: string };

const EXAMPLE = '"2027-06-30T00:00:00Z"';

export function normalizeExpiry(input: string): ExpiryParseResult {
  const match = RFC3339.exec(input.trim());
  if (!match) {
    return {
      ok: false,
      reason: `${JSON.stringify(input)} is not a full RFC 3339 timestamp; use a date, a time and a zone, like ${EXAMPLE}`,
    };
  }
  const [, year, month, day, hour, minute, second, fraction = "", zone = "Z"] = match;
  const numbers = [year, month, day, hour, minute, second].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const [y, mo, d, h, mi, s] = numbers;
  const daysInMonth = new Date(Date.UTC(2000, mo, 0)).getUTCDate() + (mo === 2 && !isLeapYear(y) ? -1 : 0);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth || h > 23 || mi > 59 || s > 59) {
    return { ok: false, reason: `${JSON.stringify(input)} is not a valid date and time; use a value like ${EXAMPLE}` };
  }
  const offsetMinutes = zone.toUpperCase() === "Z" ? 0 : zoneMinutes(zone);
  const instant = new Date(0);
  instant.setUTCFullYear(y, mo - 1, d);
  instant.setUTCHours(h, mi - offsetMinutes, s, 0);
  // Distr keeps microseconds and drops trailing zeros of the fraction (section 10).
  const micros = fraction.slice(0, 6).replace(/0+$/, "");
  return { ok: true, utc: `${formatUtcSeconds(instant)}${micros ? `.${micros}` : ""}Z` };
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function zoneMinutes(zone: string): number {
  const sign = zone.startsWith("-") ? -1 : 1;
  const [hours = 0, minutes = 0] = zone.slice(1).split(":").map(Number);
  return sign * (hours * 60 + minutes);
}

function formatUtcSeconds(instant: Date): string {
  const pad = (value: number, width = 2) => String(value).padStart(width, "0");
  return (
    `${pad(instant.getUTCFullYear(), 4)}-${pad(instant.getUTCMonth() + 1)}-${pad(instant.getUTCDate())}` +
    `T${pad(instant.getUTCHours())}:${pad(instant.getUTCMinutes())}:${pad(instant.getUTCSeconds())}`
  );
}
