import { randomUUID } from "node:crypto";
import { FormData } from "undici";
import { z } from "zod";
import { CustomerSchema } from "../distrShapes";
import {
  DISTR_TIMESTAMP,
  expectEmpty,
  expectJson,
  expectMethodNotAllowed,
  expectNoContent,
  expectPlainTextError,
  expectStatus,
  rawJson,
} from "../expectations";
import type { ContractSuite } from "../target";

const sorted = (values: readonly string[]): string[] => [...values].sort();

/** Section 4 / B3: customer organizations (not gated by licensing). */
export function describeCustomers(suite: ContractSuite): void {
  describe("customers (section 4, B3, quirks 4, 5, 6, 18)", () => {
    const t = () => suite.target();
    const put = (id: string, json: unknown, token?: string) =>
      t().http.send({ method: "PUT", path: t().paths.customer(id), json, ...(token ? { token } : {}) });

    test("the list is ordered by name and its elements add userCount and deploymentTargetCount", async () => {
      const { objects } = t();
      const later = await objects.createCustomer(objects.uniqueName("zulu"));
      const earlier = await objects.createCustomer(objects.uniqueName("alpha"));
      const res = await t().http.send({ method: "GET", path: t().paths.customers() });
      const list = expectJson(res, z.array(CustomerSchema));
      const ids = list.map((c) => c.id);
      expect(ids.indexOf(earlier.id)).toBeGreaterThanOrEqual(0);
      expect(ids.indexOf(earlier.id)).toBeLessThan(ids.indexOf(later.id));
      const element = list.find((c) => c.id === later.id);
      expect(element).toMatchObject({ userCount: 0, deploymentTargetCount: 0 });
    });

    test("create answers 200 with id, createdAt, name, features only: null fields and usage counts are omitted", async () => {
      const { http, paths, objects } = t();
      const name = objects.uniqueName("shape");
      const res = await http.send({ method: "POST", path: paths.customers(), json: { name } });
      const customer = expectJson(res, CustomerSchema);
      objects.trackCustomer(customer.id);
      expect(Object.keys(rawJson(res)).sort()).toEqual(["createdAt", "features", "id", "name"]);
      expect(customer.name).toBe(name);
      expect(customer.createdAt).toMatch(DISTR_TIMESTAMP);
    });

    test("create ignores features and stores deployment_targets, artifacts (quirk 6)", async () => {
      const { http, paths, objects } = t();
      const res = await http.send({
        method: "POST",
        path: paths.customers(),
        json: { name: objects.uniqueName("features-on-create"), features: ["artifacts"] },
      });
      const customer = expectJson(res, CustomerSchema);
      objects.trackCustomer(customer.id);
      expect(sorted(customer.features)).toEqual(sorted(["deployment_targets", "artifacts"]));
      const listed = (await objects.listCustomers()).find((c) => c.id === customer.id);
      expect(sorted(listed?.features ?? [])).toEqual(sorted(["deployment_targets", "artifacts"]));
    });

    if (suite.dialect === "3") {
      test("create still validates features: an unknown one → 400 invalid customer organization feature (quirk 6)", async () => {
        const { http, paths, objects } = t();
        const res = await http.send({
          method: "POST",
          path: paths.customers(),
          json: { name: objects.uniqueName("bad-feature"), features: ["teleport"] },
        });
        expectPlainTextError(res, 400, "invalid customer organization feature: teleport");
      });

      test("alerts without deployment_targets → 400 validation failed, on create and on update", async () => {
        const { http, paths, objects } = t();
        const features = ["artifacts", "alerts"];
        const created = await http.send({
          method: "POST",
          path: paths.customers(),
          json: { name: objects.uniqueName("alerts"), features },
        });
        expectPlainTextError(created, 400, "validation failed: feature alerts requires feature deployment_targets");
        const customer = await objects.createCustomer();
        const updated = await put(customer.id, { name: customer.name, features });
        expectPlainTextError(updated, 400, "validation failed: feature alerts requires feature deployment_targets");
      });

      test("PUT with an unknown feature → 400 invalid customer organization feature", async () => {
        const customer = await t().objects.createCustomer();
        const res = await put(customer.id, { name: customer.name, features: ["teleport"] });
        expectPlainTextError(res, 400, "invalid customer organization feature: teleport");
      });
    } else {
      test("create does not validate features (2.x decodes them as plain strings and ignores them)", async () => {
        const { http, paths, objects } = t();
        const res = await http.send({
          method: "POST",
          path: paths.customers(),
          json: { name: objects.uniqueName("unvalidated"), features: ["teleport"] },
        });
        const customer = expectJson(res, CustomerSchema);
        objects.trackCustomer(customer.id);
        expect(sorted(customer.features)).toEqual(sorted(["deployment_targets", "artifacts"]));
      });

      test("PUT with an unknown feature → 500 (the database enum rejects it)", async () => {
        const customer = await t().objects.createCustomer();
        expectStatus(await put(customer.id, { name: customer.name, features: ["teleport"] }), 500);
      });
    }

    test("PUT is a full replacement: name and features as sent, omitted features reset to the defaults, [] clears them (quirk 5)", async () => {
      const { objects } = t();
      const customer = await objects.createCustomer();
      const chosen = suite.dialect === "3" ? ["deployment_targets", "alerts", "support_bundles"] : ["artifacts"];
      const renamed = objects.uniqueName("renamed");

      const withChosen = expectJson(await put(customer.id, { name: renamed, features: chosen }), CustomerSchema);
      expect({ id: withChosen.id, name: withChosen.name, features: sorted(withChosen.features) }).toEqual({
        id: customer.id,
        name: renamed,
        features: sorted(chosen),
      });
      expect(withChosen.createdAt).toBe(customer.createdAt);

      const reset = expectJson(await put(customer.id, { name: renamed }), CustomerSchema);
      expect(sorted(reset.features)).toEqual(sorted(["deployment_targets", "artifacts"]));

      const explicitNull = expectJson(await put(customer.id, { name: renamed, features: null }), CustomerSchema);
      expect(sorted(explicitNull.features)).toEqual(sorted(["deployment_targets", "artifacts"]));

      const none = expectJson(await put(customer.id, { name: renamed, features: [] }), CustomerSchema);
      expect(none.features).toEqual([]);
      const listed = (await objects.listCustomers()).find((c) => c.id === customer.id);
      expect(listed).toMatchObject({ name: renamed, features: [] });
    });

    suite.testRequiring("upload-file")("PUT without imageId clears the customer's image (quirk 5)", async () => {
      const { http, paths, objects } = t();
      const form = new FormData();
      form.append("file", new Blob([Buffer.from("GIF89a")], { type: "image/gif" }), "logo.gif");
      const upload = await http.send({ method: "POST", path: paths.files(), form });
      const imageId = expectJson(upload, z.string());
      const customer = await objects.createCustomer();
      const withImage = await put(customer.id, { name: customer.name, imageId });
      expect(rawJson(withImage)).toMatchObject({ imageId, imageUrl: `/api/v1/files/${imageId}` });
      const cleared = await put(customer.id, { name: customer.name });
      expectJson(cleared, CustomerSchema);
      expect(Object.keys(rawJson(cleared))).not.toContain("imageId");
      expect(Object.keys(rawJson(cleared))).not.toContain("imageUrl");
    });

    test("PUT with an imageId of no file → 500 (foreign key)", async () => {
      const customer = await t().objects.createCustomer();
      expectStatus(await put(customer.id, { name: customer.name, imageId: randomUUID() }), 500);
    });

    test("PUT of an unknown id → 500 not found (quirk 18)", async () => {
      expectPlainTextError(await put(randomUUID(), { name: "nobody" }), 500, "not found");
    });

    test("PUT and DELETE with a non-UUID id → 404 404 page not found", async () => {
      expectPlainTextError(await put("not-a-uuid", { name: "x" }), 404, "404 page not found");
      const res = await t().http.send({ method: "DELETE", path: t().paths.customer("not-a-uuid") });
      expectPlainTextError(res, 404, "404 page not found");
    });

    test("DELETE of an unknown id → 404 404 page not found", async () => {
      const res = await t().http.send({ method: "DELETE", path: t().paths.customer(randomUUID()) });
      expectPlainTextError(res, 404, "404 page not found");
    });

    test("DELETE → 204 without body, and the customer is gone from the list", async () => {
      const customer = await t().objects.createCustomer();
      expectNoContent(await t().http.send({ method: "DELETE", path: t().paths.customer(customer.id) }));
      expect((await t().objects.listCustomers()).map((c) => c.id)).not.toContain(customer.id);
    });

    test("there is no GET by id: 405 with Allow: PUT, DELETE and an empty body (quirk 4)", async () => {
      const customer = await t().objects.createCustomer();
      const res = await t().http.send({ method: "GET", path: t().paths.customer(customer.id) });
      expectMethodNotAllowed(res, ["DELETE", "PUT"]);
    });

    test("an unsupported method on the collection → 405 with Allow: GET, POST", async () => {
      const res = await t().http.send({ method: "DELETE", path: t().paths.customers() });
      expectMethodNotAllowed(res, ["GET", "POST"]);
    });

    suite.testRequiring("second-organization")(
      "customers belong to their organization: another organization does not list them, PUT → 500 not found, DELETE → 404",
      async () => {
        const { http, paths, objects, server } = t();
        const customer = await objects.createCustomer();
        const other = server.addOrganization();
        const list = expectJson(
          await http.send({ method: "GET", path: paths.customers(), token: other.token }),
          z.array(CustomerSchema),
        );
        expect(list.map((c) => c.id)).not.toContain(customer.id);
        expectPlainTextError(await put(customer.id, { name: "stolen" }, other.token), 500, "not found");
        const deleted = await http.send({ method: "DELETE", path: paths.customer(customer.id), token: other.token });
        expectPlainTextError(deleted, 404, "404 page not found");
      },
    );

    suite.testRequiring("second-organization")(
      "a read_only token may not create customers: 403 insufficient permissions",
      async () => {
        const { http, paths, objects, server } = t();
        const readOnly = server.addOrganization({ role: "read_only" });
        const res = await http.send({
          method: "POST",
          path: paths.customers(),
          json: { name: objects.uniqueName("read-only") },
          token: readOnly.token,
        });
        expectPlainTextError(res, 403, "insufficient permissions");
      },
    );

    if (suite.dialect === "3") {
      suite.testRequiring("second-organization")(
        "DELETE needs role admin: a read_write token → 403 insufficient permissions (quirk 16)",
        async () => {
          const { http, paths, server } = t();
          const readWrite = server.addOrganization({ role: "read_write" });
          const created = await http.send({
            method: "POST",
            path: paths.customers(),
            json: { name: "contract-rw-customer" },
            token: readWrite.token,
          });
          const customer = expectJson(created, CustomerSchema);
          const res = await http.send({ method: "DELETE", path: paths.customer(customer.id), token: readWrite.token });
          expectPlainTextError(res, 403, "insufficient permissions");
        },
      );
    } else {
      suite.testRequiring("second-organization")("DELETE is allowed to a read_write token (2.x)", async () => {
        const { http, paths, server } = t();
        const readWrite = server.addOrganization({ role: "read_write" });
        const created = await http.send({
          method: "POST",
          path: paths.customers(),
          json: { name: "contract-rw-customer" },
          token: readWrite.token,
        });
        const customer = expectJson(created, CustomerSchema);
        const res = await http.send({ method: "DELETE", path: paths.customer(customer.id), token: readWrite.token });
        expectEmpty(res, 204);
      });
    }
  });
}
