import { z } from "zod";
import { CustomerSchema } from "../distrShapes";
import { expectJson, expectPlainTextError, expectPlainTextErrorStartingWith } from "../expectations";
import type { ContractSuite } from "../target";

/** Section 10 / B7: Go's json.Decoder on the first value of the body, behind chi's 1 MiB RequestSize. */
export function describeRequestDecoding(suite: ContractSuite): void {
  describe("request decoding (sections 10, B7)", () => {
    const t = () => suite.target();
    const postCustomer = (rawBody: string) => t().http.send({ method: "POST", path: t().paths.customers(), rawBody });
    const postLicense = (rawBody: string) =>
      t().http.send({ method: "POST", path: t().paths.applicationLicenses(), rawBody });

    test.each([
      ["an empty body", "", "EOF"],
      ["a truncated object", '{"name":', "unexpected EOF"],
      ["not JSON at all", "name=acme", "invalid character 'a' in literal null (expecting 'u')"],
      ["a stray character", "x", "invalid character 'x' looking for beginning of value"],
    ])("%s → 400 with the decoder's message", async (_case, body, message) => {
      expectPlainTextError(await postCustomer(body), 400, message);
      expectPlainTextError(await postLicense(body), 400, message);
    });

    test("a value of the wrong type → 400 json: cannot unmarshal …", async () => {
      expectPlainTextErrorStartingWith(await postCustomer('{"name": 5}'), 400, "json: cannot unmarshal number");
      expectPlainTextErrorStartingWith(await postLicense('{"name": ["x"]}'), 400, "json: cannot unmarshal array");
    });

    test("a malformed UUID field → 400 invalid UUID length", async () => {
      const res = await postLicense(JSON.stringify({ name: t().objects.uniqueName("uuid"), applicationId: "abc" }));
      expectPlainTextError(res, 400, "invalid UUID length: 3");
    });

    test("a body over 1 MiB → 400 http: request body too large", async () => {
      const body = JSON.stringify({ name: "a".repeat(1024 * 1024 + 16) });
      expectPlainTextError(await postCustomer(body), 400, "http: request body too large");
    });

    test("unknown fields are ignored, keys match case-insensitively, data after the first value is ignored", async () => {
      const name = t().objects.uniqueName("decoding");
      const res = await postCustomer(`{"NAME": ${JSON.stringify(name)}, "noSuchField": true} trailing garbage`);
      const customer = expectJson(res, CustomerSchema);
      t().objects.trackCustomer(customer.id);
      expect(customer.name).toBe(name);
    });

    test("the request Content-Type is not checked", async () => {
      const { http, paths, objects } = t();
      const name = objects.uniqueName("text-plain");
      const res = await http.send({
        method: "POST",
        path: paths.customers(),
        json: { name },
        contentType: "text/plain",
      });
      const customer = expectJson(res, CustomerSchema);
      objects.trackCustomer(customer.id);
      expect(customer.name).toBe(name);
    });

    test("a trailing slash on a collection route is accepted", async () => {
      const { http, paths } = t();
      expectJson(await http.send({ method: "GET", path: `${paths.customers()}/` }), z.array(CustomerSchema));
    });

    test("JSON responses escape <, > and & the way Go's encoder does", async () => {
      const { objects } = t();
      const name = `${objects.uniqueName("html")}-<b>&`;
      const res = await postCustomer(JSON.stringify({ name }));
      const customer = expectJson(res, CustomerSchema);
      objects.trackCustomer(customer.id);
      expect(customer.name).toBe(name);
      expect(res.body).toContain(String.raw`-\u003cb\u003e\u0026`);
    });

    test("a JSON null body decodes as an empty object", async () => {
      const customer = expectJson(await postCustomer("null"), CustomerSchema);
      t().objects.trackCustomer(customer.id);
      expect(customer.name).toBe("");
    });
  });
}
