/**
 * License key tokens as Distr 3.1.0 signs them (`internal/licensekey/jwt.go`, distr-api.md section 8.5): a compact
 * JWS with header `{"alg":"EdDSA","typ":"JWT"}` over the claims `iss` (the hub's host), `sub` (key id), `aud`
 * (`["license-key"]`), `iat` (revision time), `nbf`, `exp` (whole seconds), `org` (vendor organization id) and the
 * payload's top-level members; signed with an Ed25519 key. The public key is served as SPKI PEM, like jwx's
 * `EncodePEM`. node:crypto does all of it: a JWT library would add nothing but a dependency.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from "node:crypto";

/** A new Ed25519 private key, PKCS#8 PEM (what `LICENSE_KEY_PRIVATE_KEY` holds). */
export function generateSigningKey(): string {
  const { privateKey } = generateKeyPairSync("ed25519");
  return privateKey.export({ type: "pkcs8", format: "pem" }).toString();
}

/** The public half as `-----BEGIN PUBLIC KEY-----` PEM. */
export function publicKeyPem(signingKeyPem: string): string {
  return createPublicKey(createPrivateKey(signingKeyPem)).export({ type: "spki", format: "pem" }).toString();
}

export interface TokenContent {
  readonly issuer: string;
  readonly licenseKeyId: string;
  readonly organizationId: string;
  /** Stored times (`2026-01-02T03:04:05.123456Z`). */
  readonly issuedAt: string;
  readonly notBefore: string;
  readonly expiresAt: string;
  readonly payload: Readonly<Record<string, unknown>>;
}

const REGISTERED_CLAIMS = new Set(["exp", "nbf", "iss", "sub", "aud", "iat", "org"]);

/** jwx's NumericDate with precision 0: whole seconds, truncated. */
function numericDate(time: string): number {
  return Math.floor(Date.parse(time) / 1000);
}

/** Go marshals maps with sorted keys; jwx sorts the claims of a token the same way. */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value !== null && typeof value === "object") {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) sorted[key] = sortedKeys((value as Record<string, unknown>)[key]);
    return sorted;
  }
  return value;
}

function base64url(text: string | Buffer): string {
  return Buffer.from(text).toString("base64url");
}

export function signLicenseKeyToken(signingKeyPem: string, content: TokenContent): string {
  const claims: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(content.payload)) {
    if (!REGISTERED_CLAIMS.has(key)) claims[key] = value;
  }
  Object.assign(claims, {
    iss: content.issuer,
    sub: content.licenseKeyId,
    aud: ["license-key"],
    iat: numericDate(content.issuedAt),
    nbf: numericDate(content.notBefore),
    exp: numericDate(content.expiresAt),
    org: content.organizationId,
  });
  const signingInput = `${base64url(JSON.stringify({ alg: "EdDSA", typ: "JWT" }))}.${base64url(JSON.stringify(sortedKeys(claims)))}`;
  const key: KeyObject = createPrivateKey(signingKeyPem);
  return `${signingInput}.${base64url(sign(null, Buffer.from(signingInput), key))}`;
}
