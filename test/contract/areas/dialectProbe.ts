import { z } from "zod";
import { API_PREFIX, DIALECT_PROBE_PATH, DIALECT_SPECS } from "../../../sdk/dialect";
import { COMMON_TEXTS } from "../../../sdk/errorTexts";
import { expectJson, expectPlainTextError } from "../expectations";
import type { ContractSuite } from "../target";

/** Quirk 1 (first half): the entitlement route tells the dialects apart, with or without credentials. */
export function describeDialectProbe(suite: ContractSuite): void {
  describe("dialect probe (section A.1, quirk 1)", () => {
    const licenseRoute2x = `${API_PREFIX}${DIALECT_SPECS["2"].routes.applicationLicenses}`;

    if (suite.dialect === "3") {
      test("the probe route without credentials → 401 Unauthorized (3.x: the entitlement route exists)", async () => {
        const res = await suite.target().http.send({ method: "GET", path: DIALECT_PROBE_PATH, authorization: null });
        expectPlainTextError(res, 401, COMMON_TEXTS.unauthorized);
      });
      test("the probe route with the PAT → 200 JSON list", async () => {
        const res = await suite.target().http.send({ method: "GET", path: DIALECT_PROBE_PATH });
        expectJson(res, z.array(z.unknown()));
      });
      test("the 2.x license route → 404 404 page not found (mirror probe)", async () => {
        const res = await suite.target().http.send({ method: "GET", path: licenseRoute2x, authorization: null });
        expectPlainTextError(res, 404, COMMON_TEXTS.pageNotFound);
      });
    } else {
      test("the probe route without credentials → 404 404 page not found (2.x: falls through to the agent router)", async () => {
        const res = await suite.target().http.send({ method: "GET", path: DIALECT_PROBE_PATH, authorization: null });
        expectPlainTextError(res, 404, COMMON_TEXTS.pageNotFound);
      });
      test("the probe route with the PAT → 404 as well (no route, no authentication)", async () => {
        const res = await suite.target().http.send({ method: "GET", path: DIALECT_PROBE_PATH });
        expectPlainTextError(res, 404, COMMON_TEXTS.pageNotFound);
      });
      test("the 2.x license route without credentials → 401 Unauthorized (mirror probe)", async () => {
        const res = await suite.target().http.send({ method: "GET", path: licenseRoute2x, authorization: null });
        expectPlainTextError(res, 401, COMMON_TEXTS.unauthorized);
      });
    }

    test("an unknown /api/v1 route → 404 404 page not found", async () => {
      const res = await suite.target().http.send({ method: "GET", path: `${API_PREFIX}/no-such-route` });
      expectPlainTextError(res, 404, COMMON_TEXTS.pageNotFound);
    });
  });
}
