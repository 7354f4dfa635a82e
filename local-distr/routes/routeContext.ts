/**
 * What every route handler gets, and the checks Distr's middlewares make before a handler runs (role, licensing
 * feature, body decoding). Handlers return a DistrResponse; they never write to the socket.
 */
import type { Dialect, DialectSpec } from "../../sdk/dialect";
import { DIALECT_SPECS } from "../../sdk/dialect";
import { COMMON_TEXTS, DIALECT_TEXTS, type DialectTexts } from "../../sdk/errorTexts";
import type { Principal } from "../auth";
import { decodeGoStruct, type GoDecoded, type GoStruct } from "../goJson";
import { goError, type DistrResponse } from "../responses";
import { LICENSING_FEATURE } from "../seed";
import type { DistrStore, Role } from "../store";

/** The request body as read by the server: at most the 1 MiB cap plus one byte. */
export interface RequestBody {
  readonly bytes: Buffer;
  /** More than 1 MiB arrived (chi `RequestSize`, distr-api.md section 10). */
  readonly tooLarge: boolean;
}

export const MAX_BODY_BYTES = 1 << 20;

export interface RouteContext {
  readonly method: string;
  /** Path segments below the collection: [] for the collection, [id] for an item, more for sub-resources. */
  readonly segments: readonly string[];
  readonly query: URLSearchParams;
  /** The request's Content-Type header (multipart uploads need its boundary). */
  readonly contentType: string | undefined;
  readonly body: RequestBody;
  readonly principal: Principal;
  readonly dialect: Dialect;
  readonly spec: DialectSpec;
  readonly texts: DialectTexts;
  readonly store: DistrStore;
  /** The hub's own base URL (Distr's `DISTR_HOST`): the issuer of license key tokens. */
  readonly host: string;
}

export function routeContextTexts(dialect: Dialect): { spec: DialectSpec; texts: DialectTexts } {
  return { spec: DIALECT_SPECS[dialect], texts: DIALECT_TEXTS[dialect] };
}

/** Synchronous, except where the body needs parsing that only has an async library API (multipart uploads). */
export type RouteHandler = (context: RouteContext) => DistrResponse | Promise<DistrResponse>;

const ROLE_RANK: Record<Role, number> = { read_only: 0, read_write: 1, admin: 2 };

/** `RequireReadWriteOrAdmin` / admin-only checks: 403 `insufficient permissions`. */
export function requireRole(context: RouteContext, minimum: Role): DistrResponse | undefined {
  if (ROLE_RANK[context.principal.role] < ROLE_RANK[minimum]) return goError(403, COMMON_TEXTS.insufficientPermissions);
  return undefined;
}

/** `LicensingFeatureFlagEnabledMiddleware`: license routes only. */
export function requireLicensing(context: RouteContext): DistrResponse | undefined {
  if (!context.principal.organization.features.includes(LICENSING_FEATURE)) {
    return goError(403, COMMON_TEXTS.licensingNotEnabled);
  }
  return undefined;
}

export type DecodedBody = { [field: string]: GoDecoded | undefined };

/** `JsonBody[T]`: Go's decoder error text as a 400, the 1 MiB cap as `http: request body too large`. */
export function decodeBody(
  context: RouteContext,
  struct: GoStruct,
): { ok: true; value: DecodedBody } | { ok: false; response: DistrResponse } {
  if (context.body.tooLarge) return { ok: false, response: goError(400, "http: request body too large") };
  const decoded = decodeGoStruct(context.body.bytes, struct);
  if (!decoded.ok) return { ok: false, response: goError(400, decoded.error) };
  return decoded;
}

/** First response among checks that fail, in order. */
export function firstFailure(...checks: Array<() => DistrResponse | undefined>): DistrResponse | undefined {
  for (const check of checks) {
    const failure = check();
    if (failure) return failure;
  }
  return undefined;
}
