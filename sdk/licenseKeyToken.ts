/**
 * Verifying a Distr license key token (section 8.5) the way a vendor's application does at its customer's site:
 * an EdDSA (Ed25519) compact JWS, checked against the PEM public key Distr serves at
 * `/api/public/v1/license-keys/public-key`, with audience `license-key` and the validity window `nbf`..`exp`.
 * node:crypto only, so an application can copy this approach without a JWT library.
 */
import { createPublicKey, verify } from "node:crypto";
import { z } from "zod";

/** Claims Distr sets itself; every other top-level member is the key's payload. */
export const REGISTERED_LICENSE_KEY_CLAIMS = ["exp", "nbf", "iss", "sub", "aud", "iat", "org"] as const;

const HeaderSchema = z.object({ alg: z.string(), typ: z.string().optional() });
const ClaimsSchema = z
  .object({
    iss: z.string(),
    sub: z.string(),
    aud: z.union([z.string(), z.array(z.string())]),
    iat: z.number(),
    nbf: z.number(),
    exp: z.number(),
    org: z.string().optional(),
  })
  .catchall(z.unknown());

export interface VerifiedLicenseKey {
  /** The host of the Distr hub that issued it. */
  readonly issuer: string;
  /** The license key's id. */
  readonly licenseKeyId: string;
  /** The vendor organization's id. */
  readonly organizationId: string | undefined;
  readonly issuedAt: Date;
  readonly notBefore: Date;
  readonly expiresAt: Date;
  /** What the vendor put into the key: seats, features, edition… */
  readonly payload: Record<string, unknown>;
}

export class LicenseKeyTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LicenseKeyTokenError";
  }
}

function decodePart<T extends z.ZodType>(part: string | undefined, schema: T, what: string): z.output<T> {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(part ?? "", "base64url").toString("utf8"));
  } catch {
    throw new LicenseKeyTokenError(`the token's ${what} is not base64url-encoded JSON`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new LicenseKeyTokenError(`the token's ${what} is not a Distr license key's`);
  return parsed.data;
}

/**
 * Checks signature, audience and (unless `at: null`) the validity window at `at` (default: now); returns what the
 * token says. Throws LicenseKeyTokenError naming the first check that failed.
 */
export function verifyLicenseKeyToken(
  token: string,
  publicKeyPem: string,
  options: { at?: Date | null } = {},
): VerifiedLicenseKey {
  const parts = token.trim().split(".");
  if (parts.length !== 3) throw new LicenseKeyTokenError("not a compact JWS (expected three dot-separated parts)");
  const [header, body, signature] = parts as [string, string, string];
  const { alg } = decodePart(header, HeaderSchema, "header");
  if (alg !== "EdDSA") throw new LicenseKeyTokenError(`signed with ${alg}, Distr signs license keys with EdDSA`);
  const valid = verify(
    null,
    Buffer.from(`${header}.${body}`),
    createPublicKey(publicKeyPem),
    Buffer.from(signature, "base64url"),
  );
  if (!valid) throw new LicenseKeyTokenError("the signature does not verify with this public key");
  const claims = decodePart(body, ClaimsSchema, "claims");
  const audience = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audience.includes("license-key")) throw new LicenseKeyTokenError("the token is not for audience license-key");
  const at = options.at === undefined ? new Date() : options.at;
  if (at !== null) {
    const seconds = Math.floor(at.getTime() / 1000);
    if (seconds < claims.nbf)
      throw new LicenseKeyTokenError(`not valid before ${new Date(claims.nbf * 1000).toISOString()}`);
    if (seconds >= claims.exp)
      throw new LicenseKeyTokenError(`expired at ${new Date(claims.exp * 1000).toISOString()}`);
  }
  const registered: readonly string[] = REGISTERED_LICENSE_KEY_CLAIMS;
  const payload = Object.fromEntries(Object.entries(claims).filter(([key]) => !registered.includes(key)));
  return {
    issuer: claims.iss,
    licenseKeyId: claims.sub,
    organizationId: claims.org,
    issuedAt: new Date(claims.iat * 1000),
    notBefore: new Date(claims.nbf * 1000),
    expiresAt: new Date(claims.exp * 1000),
    payload,
  };
}
