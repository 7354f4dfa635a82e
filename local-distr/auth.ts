/**
 * Personal access token authentication as Distr does it (distr-api.md section 2.2 and B1): `Authorization:
 * AccessToken distr-<32 hex>`, scheme case-insensitive. 3.x answers 401 `Unauthorized` for anything malformed; 2.x
 * has no length check, so a short hex key panics into a 500 with an empty body (quirk 20) and a long one is cut to
 * its first 16 bytes.
 */
import { randomBytes } from "node:crypto";
import type { Dialect } from "../sdk/dialect";
import { COMMON_TEXTS } from "../sdk/errorTexts";
import { emptyResponse, goError, type DistrResponse } from "./responses";
import type { DistrState, OrganizationRow, Role } from "./store";

export const TOKEN_PREFIX = "distr-";

/** Who is calling: the token's user in the token's organization, with the membership's current role. */
export interface Principal {
  readonly userId: string;
  readonly organization: OrganizationRow;
  readonly role: Role;
}

export type AuthResult = { ok: true; principal: Principal } | { ok: false; response: DistrResponse };

const unauthorized = (): AuthResult => ({ ok: false, response: goError(401, COMMON_TEXTS.unauthorized) });

/** The 16 key bytes (as 32 lowercase hex) a token denotes in this dialect, or the failure Distr answers with. */
function parseKey(token: string, dialect: Dialect): { keyHex: string } | AuthResult {
  if (!token.startsWith(TOKEN_PREFIX)) return unauthorized();
  const hex = token.slice(TOKEN_PREFIX.length);
  if (!/^([0-9a-fA-F]{2})*$/.test(hex)) return unauthorized();
  if (dialect === "3") {
    // Since 2.24.1 the key must decode to exactly 16 bytes.
    if (hex.length !== 32) return unauthorized();
    return { keyHex: hex.toLowerCase() };
  }
  // 2.x copies the decoded bytes into a [16]byte without checking the length: short keys panic (chi Recoverer).
  if (hex.length < 32) return { ok: false, response: emptyResponse(500) };
  return { keyHex: hex.slice(0, 32).toLowerCase() };
}

export function authenticate(header: string | undefined, dialect: Dialect, state: DistrState): AuthResult {
  if (header === undefined) return unauthorized();
  const space = header.indexOf(" ");
  if (space < 0) return unauthorized();
  const scheme = header.slice(0, space).toLowerCase();
  const credentials = header.slice(space + 1);
  // Bearer means a session JWT; the local Distr issues none, so every Bearer token is invalid.
  if (scheme !== "accesstoken" || credentials === "") return unauthorized();
  const key = parseKey(credentials, dialect);
  if ("ok" in key) return key;
  const token = state.accessTokens.find((t) => t.keyHex === key.keyHex);
  if (!token) return unauthorized();
  const organization = state.organizations.find((o) => o.id === token.organizationId);
  const membership = state.memberships.find(
    (m) => m.userId === token.userId && m.organizationId === token.organizationId,
  );
  if (!organization || !membership) return unauthorized();
  return { ok: true, principal: { userId: token.userId, organization, role: membership.role } };
}

/** A new personal access token: `distr-` + 16 random bytes as lowercase hex. */
export function generateAccessToken(): string {
  return TOKEN_PREFIX + randomBytes(16).toString("hex");
}

export function tokenKeyHex(token: string): string {
  return token.slice(TOKEN_PREFIX.length).toLowerCase();
}
