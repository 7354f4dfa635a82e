#!/usr/bin/env node
// What a vendor's application does at its customer's site: verify a Distr license key and read its entitlements.
// Node's own crypto only: a Distr token is a JWT signed with EdDSA (Ed25519); the public key comes from the vendor's
// Distr (/api/public/v1/license-keys/public-key), fetched once and shipped with the application or read at start.
//
//   node verify.mjs <token> <public key URL or PEM file>
import { createPublicKey, verify } from "node:crypto";
import { readFileSync } from "node:fs";

const [token, keySource] = process.argv.slice(2);
if (!token || !keySource) {
  console.error("usage: node verify.mjs <token> <public key URL or PEM file>");
  process.exit(2);
}
const pem = /^https?:\/\//.test(keySource) ? await (await fetch(keySource)).text() : readFileSync(keySource, "utf8");

function fail(reason) {
  console.error(`license key rejected: ${reason}`);
  process.exit(1);
}

const [header, body, signature] = token.trim().split(".");
if (!signature) fail("not a JWT");
const decode = (part) => JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
if (decode(header).alg !== "EdDSA") fail("not signed with EdDSA");
if (!verify(null, Buffer.from(`${header}.${body}`), createPublicKey(pem), Buffer.from(signature, "base64url"))) {
  fail("the signature does not match this Distr's public key");
}
const claims = decode(body);
const now = Math.floor(Date.now() / 1000);
if (![].concat(claims.aud).includes("license-key")) fail("not a license key (audience)");
if (now < claims.nbf) fail(`not valid before ${new Date(claims.nbf * 1000).toISOString()}`);
if (now >= claims.exp) fail(`expired at ${new Date(claims.exp * 1000).toISOString()}`);

// Everything but the claims Distr sets itself is the payload the vendor declared.
const { iss, sub, aud, iat, nbf, exp, org, ...payload } = claims;
console.log(
  JSON.stringify(
    {
      valid: true,
      licenseKeyId: sub,
      issuer: iss,
      validFrom: new Date(nbf * 1000).toISOString(),
      validUntil: new Date(exp * 1000).toISOString(),
      payload,
    },
    null,
    2,
  ),
);
