/**
 * UUID parsing as github.com/google/uuid does it (`uuid.Parse`), which Distr uses for path ids and for every UUID
 * field of a JSON body: the accepted spellings and the error texts Distr then prints (distr-api.md section 10).
 */
import { randomUUID } from "node:crypto";

export const NIL_UUID = "00000000-0000-0000-0000-000000000000";

export type UuidParseResult = { ok: true; uuid: string } | { ok: false; error: string };

const HEX = /^[0-9a-fA-F]$/;

/** Parses the 36/38/45/32-character forms google/uuid accepts; returns the canonical lowercase form. */
export function parseUuid(text: string): UuidParseResult {
  let s = text;
  switch (s.length) {
    case 36:
      break;
    case 36 + 9:
      if (s.slice(0, 9).toLowerCase() !== "urn:uuid:") {
        return { ok: false, error: `invalid urn prefix: ${JSON.stringify(s.slice(0, 9))}` };
      }
      s = s.slice(9);
      break;
    case 36 + 2:
      s = s.slice(1, 37);
      break;
    case 32: {
      if (![...s].every((c) => HEX.test(c))) return { ok: false, error: "invalid UUID format" };
      const h = s.toLowerCase();
      return {
        ok: true,
        uuid: `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`,
      };
    }
    default:
      return { ok: false, error: `invalid UUID length: ${Buffer.byteLength(text)}` };
  }
  if (s[8] !== "-" || s[13] !== "-" || s[18] !== "-" || s[23] !== "-")
    return { ok: false, error: "invalid UUID format" };
  const hex = s.slice(0, 8) + s.slice(9, 13) + s.slice(14, 18) + s.slice(19, 23) + s.slice(24);
  if (hex.length !== 32 || ![...hex].every((c) => HEX.test(c))) return { ok: false, error: "invalid UUID format" };
  return { ok: true, uuid: s.toLowerCase() };
}

export function isUuid(text: string): boolean {
  return parseUuid(text).ok;
}

export function newUuid(): string {
  return randomUUID();
}
