import { z } from "zod";
import { PROBE_PATH } from "../dialect";
import { expectJson, expectPlainTextError } from "../expectations";
import type { ContractSuite } from "../target";

/** Quirk 1 (first half): the entitlement route tells the dialects apart, with or without credentials. */
export function describeDialectProbe(suite: ContractSuite): void {
  describe("dialect probe (section A.1, quirk 1)", () => {
    const licenseRoute2x = "/api/v1/application-licenses";

    if (suite.dialect === "3") {
      test("the probe route without credentials → 401 Unauthorized (3.x: the entitlement route exists)", async () => {
        const res = await suite.target().http.send({ method: "GET", path: PROBE_PATH, authorization: null });
        expectPlainTextError(res, 401, "Unauthorized");
      });
      test("the probe route with the PAT → 200 JSON list", async () => {
        const res = await suite.target().http.send({ method: "GET", path: PROBE_PATH });
        expectJson(res, z.array(z.unknown()));
      });
      test("the 2.x license route → 404 404 page not found (mirror probe)", async () => {
        const res = await suite.target().http.send({ method: "GET", path: licenseRoute2x, authorization: null });
        expectPlainTextError(res, 404, "404 page not found");
      });
    } else {
      test("the probe route without credentials → 404 404 page not found (2.x: falls through to the agent router)", async () => {
        const res = await suite.target().http.send({ method: "GET", path: PROBE_PATH, authorization: null });
        expectPlainTextError(res, 404, "404 page not found");
      });
      test("the probe route with the PAT → 404 as well (no route, no authentication)", async () => {
        const res = await suite.target().http.send({ method: "GET", path: PROBE_PATH });
        expectPlainTextError(res, 404, "404 page not found");
      });
      test("the 2.x license route without credentials → 401 Unauthorized (mirror probe)", async () => {
        const res = await suite.target().http.send({ method: "GET", path: licenseRoute2x, authorization: null });
        expectPlainTextError(res, 401, "Unauthorized");
      });
    }

    test("an unknown /api/v1 route → 404 404 page not found", async () => {
      const res = await suite.target().http.send({ method: "GET", path: "/api/v1/no-such-route" });
      expectPlainTextError(res, 404, "404 page not found");
    });
  });
}
