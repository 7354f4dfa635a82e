import { randomBytes } from "node:crypto";
import { expectEmpty, expectJson, expectPlainTextError } from "../expectations";
import type { ContractSuite } from "../target";
import { z } from "zod";

/** Section 2.2 / B1: every authentication failure is the same plain 401, before any rate limiter runs. */
export function describeAuthentication(suite: ContractSuite): void {
  describe("authentication (section 2.2, B1, quirk 20)", () => {
    const send = (authorization: string | null) => {
      const { http, paths } = suite.target();
      return http.send({ method: "GET", path: paths.customers(), authorization });
    };
    const token = () => suite.target().http.token;
    const hex = () => token().slice("distr-".length);

    const rejected: Array<[string, () => string | null]> = [
      ["no Authorization header", () => null],
      ["the PAT sent with the Bearer scheme", () => `Bearer ${token()}`],
      ["an unknown scheme", () => `Token ${token()}`],
      ["AccessToken with nothing after it", () => "AccessToken "],
      ["two spaces after the scheme (the rest is taken verbatim)", () => `AccessToken  ${token()}`],
      ["a token without the distr- prefix", () => `AccessToken ${hex()}`],
      ["a token with non-hex characters", () => `AccessToken distr-${"z".repeat(32)}`],
      ["a well-formed token nobody issued", () => `AccessToken distr-${randomBytes(16).toString("hex")}`],
    ];
    test.each(rejected)("%s → 401 Unauthorized", async (_case, authorization) => {
      const res = await send(authorization());
      expectPlainTextError(res, 401, "Unauthorized");
    });

    test("401 responses carry no rate-limit headers (the limiters run after authentication)", async () => {
      const res = await send(null);
      expect(res.status).toBe(401);
      expect(res.header("x-ratelimit-limit")).toBeUndefined();
      expect(res.header("retry-after")).toBeUndefined();
    });

    test("license routes answer 401 like every other route", async () => {
      const { http, paths } = suite.target();
      const res = await http.send({ method: "GET", path: paths.applicationLicenses(), authorization: null });
      expectPlainTextError(res, 401, "Unauthorized");
    });

    test("the scheme word is case-insensitive", async () => {
      expectJson(await send(`accesstoken ${token()}`), z.array(z.unknown()));
      expectJson(await send(`ACCESSTOKEN ${token()}`), z.array(z.unknown()));
    });

    test("the token's hex digits may be upper case (they decode to the same 16 bytes)", async () => {
      expectJson(await send(`AccessToken distr-${hex().toUpperCase()}`), z.array(z.unknown()));
    });

    if (suite.dialect === "3") {
      test("a short hex token → 401 Unauthorized (the key must be exactly 16 bytes since 2.24.1, quirk 20)", async () => {
        expectPlainTextError(await send("AccessToken distr-abcd"), 401, "Unauthorized");
        expectPlainTextError(await send("AccessToken distr-"), 401, "Unauthorized");
      });
      test("a longer hex token starting with a valid key → 401 (no truncation since 2.24.1)", async () => {
        expectPlainTextError(await send(`AccessToken ${token()}00`), 401, "Unauthorized");
      });
    } else {
      test("a short hex token → 500 with an empty body (the 16-byte conversion panics, quirk 20)", async () => {
        expectEmpty(await send("AccessToken distr-abcd"), 500);
        expectEmpty(await send("AccessToken distr-"), 500);
      });
      test("a longer even-length hex token is truncated to its first 16 bytes and accepted (section B1)", async () => {
        expectJson(await send(`AccessToken ${token()}00`), z.array(z.unknown()));
      });
    }
  });
}
