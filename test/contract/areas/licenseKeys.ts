/**
 * Distr 3.1.0 license keys (distr-api.md section 8, `handlers/license_keys.go`, `handlers/affected_deployments.go`,
 * `api/license_key.go`, `licensekey/jwt.go`). Routes, status codes and texts are written out here as read in Distr's
 * source, never taken from the client's constants, so a wrong shared constant fails these tests.
 */
import { createPublicKey, verify } from "node:crypto";
import { z } from "zod";
import type { DistrResponse } from "../distrHttp";
import {
  DISTR_TIMESTAMP,
  expectEmpty,
  expectJson,
  expectMethodNotAllowed,
  expectNoContent,
  expectPlainTextError,
  expectPlainTextErrorStartingWith,
  rawJson,
} from "../expectations";
import type { ContractSuite } from "../target";

const KEYS = "/api/v1/license-keys";
const TEMPLATES = "/api/v1/license-templates";
const PUBLIC_KEY = "/api/public/v1/license-keys/public-key";

const KeySchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  name: z.string(),
  description: z.string().optional(),
  payload: z.record(z.string(), z.unknown()).optional(),
  notBefore: z.string().optional(),
  expiresAt: z.string().optional(),
  lastRevisedAt: z.string().optional(),
  customerOrganizationId: z.string().optional(),
  licenseTemplateId: z.string().optional(),
});
type Key = z.infer<typeof KeySchema>;
const AffectedSchema = z.object({
  deploymentTargetId: z.string(),
  deploymentTargetName: z.string(),
  deploymentId: z.string(),
  applicationName: z.string(),
});
const UpdateSchema = KeySchema.extend({ affectedDeployments: z.array(AffectedSchema) });
const RevisionSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  notBefore: z.string(),
  expiresAt: z.string(),
  payload: z.record(z.string(), z.unknown()),
  token: z.string(),
});

const NOT_BEFORE = "2026-01-01T00:00:00Z";
const EXPIRES_AT = "2027-01-01T00:00:00Z";

/** Splits and verifies a compact JWS with the PEM key using node:crypto only (EdDSA = Ed25519). */
function verifyToken(token: string, pem: string): { header: unknown; claims: Record<string, unknown> } {
  const [header, body, signature] = token.split(".");
  const ok = verify(
    null,
    Buffer.from(`${header}.${body}`),
    createPublicKey(pem),
    Buffer.from(signature ?? "", "base64url"),
  );
  expect(ok).toBe(true);
  return {
    header: JSON.parse(Buffer.from(header ?? "", "base64url").toString("utf8")),
    claims: JSON.parse(Buffer.from(body ?? "", "base64url").toString("utf8")) as Record<string, unknown>,
  };
}

const seconds = (time: string) => Math.floor(Date.parse(time) / 1000);

export function describeLicenseKeys(suite: ContractSuite): void {
  if (suite.dialect === "2") {
    describe("license keys: Distr 2.7.1 has none (section A.2: since 2.12.0 / 2.15.0 / 2.18.0)", () => {
      const t = () => suite.target();
      test("GET /api/v1/license-keys and /license-templates fall through to the agent router: 404 page not found", async () => {
        for (const path of [KEYS, TEMPLATES]) {
          expectPlainTextError(await t().http.send({ method: "GET", path }), 404, "404 page not found");
        }
      });
      test("GET /api/public/v1/license-keys/public-key is 404", async () => {
        const res = await t().http.send({ method: "GET", path: PUBLIC_KEY, authorization: null });
        expect(res.status).toBe(404);
      });
    });
    return;
  }

  describe("license keys: /api/v1/license-keys (section 8, quirk 23)", () => {
    const t = () => suite.target();
    const vendorLevelKeys = new Set<string>();
    const post = (json: Record<string, unknown>) => t().http.send({ method: "POST", path: KEYS, json });
    const put = (id: string, json: Record<string, unknown>, query = "") =>
      t().http.send({ method: "PUT", path: `${KEYS}/${id}${query}`, json });
    const create = async (json: Record<string, unknown>): Promise<{ res: DistrResponse; key: Key }> => {
      const res = await post(json);
      const key = expectJson(res, KeySchema);
      if (key.customerOrganizationId === undefined) vendorLevelKeys.add(key.id);
      return { res, key };
    };
    const payloadKey = async (extra: Record<string, unknown> = {}) => {
      const customer = await t().objects.createCustomer();
      const { key, res } = await create({
        name: t().objects.uniqueName("key"),
        customerOrganizationId: customer.id,
        notBefore: NOT_BEFORE,
        expiresAt: EXPIRES_AT,
        payload: { seats: 10, edition: "pro" },
        ...extra,
      });
      return { key, res, customer };
    };
    const revisionsOf = async (id: string) =>
      expectJson(await t().http.send({ method: "GET", path: `${KEYS}/${id}/revisions` }), z.array(RevisionSchema));

    afterAll(async () => {
      // Customer keys go with their customers (objects.cleanUp); vendor-level ones are deleted here.
      for (const id of vendorLevelKeys) await t().http.send({ method: "DELETE", path: `${KEYS}/${id}` });
    });

    describe("create and read", () => {
      test("POST answers 200 with the key and its first revision; payload keys come back in jsonb order", async () => {
        const customer = await t().objects.createCustomer();
        const name = t().objects.uniqueName("key");
        const { res, key } = await create({
          name,
          description: "ACME production",
          customerOrganizationId: customer.id,
          notBefore: NOT_BEFORE,
          expiresAt: EXPIRES_AT,
          payload: { edition: "pro", seats: 10, features: { sso: true, audit: false } },
        });
        expect(Object.keys(rawJson(res)).sort()).toEqual(
          [
            "createdAt",
            "customerOrganizationId",
            "description",
            "expiresAt",
            "id",
            "lastRevisedAt",
            "name",
            "notBefore",
            "payload",
          ].sort(),
        );
        expect(key).toMatchObject({
          name,
          description: "ACME production",
          customerOrganizationId: customer.id,
          notBefore: "2026-01-01T00:00:00Z",
          expiresAt: "2027-01-01T00:00:00Z",
          payload: { edition: "pro", seats: 10, features: { sso: true, audit: false } },
        });
        // jsonb orders object keys by length, then bytewise: compare payloads semantically, never textually.
        expect(res.body).toContain('"payload":{"seats":10,"edition":"pro","features":{"sso":true,"audit":false}}');
        expect(key.createdAt).toMatch(DISTR_TIMESTAMP);
        expect(key.lastRevisedAt).toMatch(DISTR_TIMESTAMP);
      });

      test("GET lists the keys of the organization ordered by name; no GET by id (405)", async () => {
        const customer = await t().objects.createCustomer();
        const base = t().objects.uniqueName("order");
        const second = await create({
          name: `${base}-b`,
          customerOrganizationId: customer.id,
          notBefore: NOT_BEFORE,
          expiresAt: EXPIRES_AT,
          payload: {},
        });
        const first = await create({
          name: `${base}-a`,
          customerOrganizationId: customer.id,
          notBefore: NOT_BEFORE,
          expiresAt: EXPIRES_AT,
          payload: {},
        });
        const list = expectJson(await t().http.send({ method: "GET", path: KEYS }), z.array(KeySchema));
        const ours = list.filter((k) => k.name.startsWith(base)).map((k) => k.id);
        expect(ours).toEqual([first.key.id, second.key.id]);
        expectMethodNotAllowed(await t().http.send({ method: "GET", path: `${KEYS}/${first.key.id}` }), [
          "DELETE",
          "PUT",
        ]);
      });

      test("path ids: not a UUID → 400 licenseKeyId is not a valid UUID; unknown → 404 empty", async () => {
        expectPlainTextError(
          await t().http.send({ method: "GET", path: `${KEYS}/nope/token` }),
          400,
          "licenseKeyId is not a valid UUID",
        );
        for (const method of ["PUT", "DELETE"] as const) {
          expectEmpty(
            await t().http.send({ method, path: `${KEYS}/7d7c3a3e-0000-4000-8000-000000000000`, json: {} }),
            404,
          );
        }
        expectEmpty(
          await t().http.send({ method: "GET", path: `${KEYS}/7d7c3a3e-0000-4000-8000-000000000000/token` }),
          404,
        );
      });
    });

    describe("validation of create", () => {
      const valid = () => ({
        name: t().objects.uniqueName("invalid"),
        notBefore: NOT_BEFORE,
        expiresAt: EXPIRES_AT,
        payload: { seats: 1 },
      });
      test.each([
        ["a blank name", { name: "  " }, "name is required"],
        ["no notBefore", { notBefore: undefined }, "notBefore is required"],
        ["no expiresAt", { expiresAt: undefined }, "expiresAt is required"],
        ["expiresAt equal to notBefore", { expiresAt: NOT_BEFORE }, "expiresAt must be after notBefore"],
        ["no payload", { payload: undefined }, "invalid JSON payload: unexpected end of JSON input"],
        [
          "an array payload",
          { payload: [1] },
          "invalid JSON payload: json: cannot unmarshal array into Go value of type map[string]interface {}",
        ],
        [
          "a registered claim in the payload",
          { payload: { exp: 1 } },
          'payload must not contain registered JWT claim "exp"',
        ],
        [
          "an unknown template",
          { licenseTemplateId: "7d7c3a3e-0000-4000-8000-000000000000" },
          "license template not found",
        ],
      ])("%s → 400", async (_what, change, text) => {
        expectPlainTextError(await post({ ...valid(), ...change }), 400, text);
      });

      test("names are unique per customer (400), vendor-level keys form one more scope; unknown customer → 500", async () => {
        const { key, customer } = await payloadKey();
        expectPlainTextError(
          await post({ ...valid(), name: key.name, customerOrganizationId: customer.id }),
          400,
          "A license key with this name already exists",
        );
        const other = await t().objects.createCustomer();
        await create({ ...valid(), name: key.name, customerOrganizationId: other.id });
        const vendorLevel = await create({ ...valid(), name: key.name });
        expect(vendorLevel.key.customerOrganizationId).toBeUndefined();
        expectPlainTextError(
          await post({ ...valid(), name: key.name }),
          400,
          "A license key with this name already exists",
        );
        expectPlainTextErrorStartingWith(
          await post({ ...valid(), customerOrganizationId: "7d7c3a3e-0000-4000-8000-000000000000" }),
          500,
          'ERROR: insert or update on table "licensekey" violates foreign key constraint',
        );
      });
    });

    describe("token and public key (section 8.5)", () => {
      test("the token is an EdDSA JWT with Distr's claims and the payload, verifiable with the public key", async () => {
        const { key } = await payloadKey();
        const res = await t().http.send({ method: "GET", path: `${KEYS}/${key.id}/token` });
        const { token } = expectJson(res, z.object({ token: z.string() }));
        const publicKey = await t().http.send({ method: "GET", path: PUBLIC_KEY, authorization: null });
        expect({ status: publicKey.status, contentType: publicKey.header("content-type") }).toEqual({
          status: 200,
          contentType: "text/plain; charset=utf-8",
        });
        expect(publicKey.body.startsWith("-----BEGIN PUBLIC KEY-----\n")).toBe(true);
        const organization = rawJson(await t().http.send({ method: "GET", path: "/api/v1/organization" }));
        const { header, claims } = verifyToken(token, publicKey.body);
        expect(header).toEqual({ alg: "EdDSA", typ: "JWT" });
        expect(claims).toEqual({
          iss: expect.any(String),
          sub: key.id,
          aud: ["license-key"],
          iat: seconds(key.lastRevisedAt!),
          nbf: seconds("2026-01-01T00:00:00Z"),
          exp: seconds("2027-01-01T00:00:00Z"),
          org: organization["id"],
          seats: 10,
          edition: "pro",
        });
        if (suite.descriptor.kind === "local") expect(claims["iss"]).toBe(t().http.host);
      });

      test("revisions: newest first, each with its own token", async () => {
        const { key } = await payloadKey();
        expectJson(await put(key.id, { payload: { seats: 20, edition: "pro" } }), UpdateSchema);
        const revisions = await revisionsOf(key.id);
        expect(revisions.map((r) => r.payload)).toEqual([
          { seats: 20, edition: "pro" },
          { seats: 10, edition: "pro" },
        ]);
        expect(revisions[0]!.token).not.toBe(revisions[1]!.token);
        const publicKey = (await t().http.send({ method: "GET", path: PUBLIC_KEY, authorization: null })).body;
        expect(verifyToken(revisions[1]!.token, publicKey).claims["seats"]).toBe(10);
      });
    });

    describe("update (section 8.4)", () => {
      test("identical values, or the payload in another key order, create no revision; the answer lists no deployments", async () => {
        const { key } = await payloadKey({ description: "kept" });
        const res = await put(key.id, {
          description: "kept",
          notBefore: NOT_BEFORE,
          expiresAt: EXPIRES_AT,
          payload: { edition: "pro", seats: 10 },
        });
        const updated = expectJson(res, UpdateSchema);
        expect(rawJson(res)["affectedDeployments"]).toEqual([]);
        expect(updated.lastRevisedAt).toBe(key.lastRevisedAt);
        expect((await revisionsOf(key.id)).length).toBe(1);
      });

      test("description and licenseTemplateId are replaced (omitted = cleared); dates and payload are kept when omitted", async () => {
        const { key } = await payloadKey({ description: "to be cleared" });
        const res = await put(key.id, { expiresAt: "2028-01-01T00:00:00Z" });
        const updated = expectJson(res, UpdateSchema);
        expect(rawJson(res)["description"]).toBeUndefined();
        expect(updated).toMatchObject({
          notBefore: "2026-01-01T00:00:00Z",
          expiresAt: "2028-01-01T00:00:00Z",
          payload: { seats: 10, edition: "pro" },
        });
        expect((await revisionsOf(key.id)).length).toBe(2);
      });

      test("name and customerOrganizationId are not part of the request: silently ignored", async () => {
        const { key, customer } = await payloadKey();
        const other = await t().objects.createCustomer();
        const updated = expectJson(
          await put(key.id, {
            name: "renamed",
            customerOrganizationId: other.id,
            payload: { seats: 10, edition: "pro" },
          }),
          UpdateSchema,
        );
        expect({ name: updated.name, customer: updated.customerOrganizationId }).toEqual({
          name: key.name,
          customer: customer.id,
        });
      });

      test("expiresAt not after the effective notBefore → 400; nothing changes", async () => {
        const { key } = await payloadKey();
        expectPlainTextError(
          await put(key.id, { expiresAt: "2025-06-01T00:00:00Z" }),
          400,
          "expiresAt must be after notBefore",
        );
        expect((await revisionsOf(key.id)).length).toBe(1);
      });

      test("a non-UTC offset is stored as wall clock, so the same PUT creates a revision every time (quirk 17)", async () => {
        const { key } = await payloadKey();
        const first = expectJson(await put(key.id, { notBefore: "2026-01-01T00:00:00+02:00" }), UpdateSchema);
        expect(first.notBefore).toBe("2026-01-01T00:00:00Z");
        expectJson(await put(key.id, { notBefore: "2026-01-01T00:00:00+02:00" }), UpdateSchema);
        expect((await revisionsOf(key.id)).length).toBe(3);
      });

      test("a payload with a registered claim → 400", async () => {
        const { key } = await payloadKey();
        expectPlainTextError(
          await put(key.id, { payload: { sub: "x" } }),
          400,
          'payload must not contain registered JWT claim "sub"',
        );
      });
    });

    describe("affected deployments (sections 8.4, 8.6)", () => {
      suite.testRequiring("use-license-key")(
        "a revision that changes what a deployment renders is 409 JSON until confirm=true, which re-deploys it",
        async () => {
          const { key } = await payloadKey();
          const { deploymentId, deploymentTargetId } = t().server.useLicenseKey(key.id, "contract-edge");
          const refused = await put(key.id, { payload: { seats: 11, edition: "pro" } });
          expect({ status: refused.status, contentType: refused.header("content-type") }).toEqual({
            status: 409,
            contentType: "application/json",
          });
          expect(JSON.parse(refused.body)).toEqual({
            affectedDeployments: [
              {
                deploymentTargetId,
                deploymentTargetName: "contract-edge",
                deploymentId,
                applicationName: "hello-distr",
              },
            ],
          });
          expect((await revisionsOf(key.id)).length).toBe(1);
          // Only the exact string "true" confirms.
          expect((await put(key.id, { payload: { seats: 11, edition: "pro" } }, "?confirm=1")).status).toBe(409);
          const confirmed = expectJson(
            await put(key.id, { payload: { seats: 11, edition: "pro" } }, "?confirm=true"),
            UpdateSchema,
          );
          expect(confirmed.affectedDeployments).toEqual([
            { deploymentTargetId, deploymentTargetName: "contract-edge", deploymentId, applicationName: "hello-distr" },
          ]);
          expect(confirmed.payload).toEqual({ seats: 11, edition: "pro" });
          expect(t().server.redeploysOf(deploymentId)).toBe(1);
          // Metadata alone creates no revision and affects nothing.
          const metadata = expectJson(await put(key.id, { description: "only metadata" }), UpdateSchema);
          expect(metadata.affectedDeployments).toEqual([]);
        },
      );

      suite.testRequiring("use-license-key")(
        "deleting a key that a deployment references is 409 JSON with the deployment; the key stays",
        async () => {
          const { key } = await payloadKey();
          const { deploymentId, deploymentTargetId } = t().server.useLicenseKey(key.id, "contract-delete");
          const refused = await t().http.send({ method: "DELETE", path: `${KEYS}/${key.id}` });
          expect({ status: refused.status, body: JSON.parse(refused.body) as unknown }).toEqual({
            status: 409,
            body: {
              affectedDeployments: [
                {
                  deploymentTargetId,
                  deploymentTargetName: "contract-delete",
                  deploymentId,
                  applicationName: "hello-distr",
                },
              ],
            },
          });
          const list = expectJson(await t().http.send({ method: "GET", path: KEYS }), z.array(KeySchema));
          expect(list.some((k) => k.id === key.id)).toBe(true);
        },
      );
    });

    describe("delete", () => {
      test("DELETE → 204, then gone from the list; again → 404 empty", async () => {
        const { key } = await payloadKey();
        expectNoContent(await t().http.send({ method: "DELETE", path: `${KEYS}/${key.id}` }));
        const list = expectJson(await t().http.send({ method: "GET", path: KEYS }), z.array(KeySchema));
        expect(list.some((k) => k.id === key.id)).toBe(false);
        expectEmpty(await t().http.send({ method: "DELETE", path: `${KEYS}/${key.id}` }), 404);
      });

      test("deleting the customer deletes its keys (cascade, quirk 16)", async () => {
        const { key, customer } = await payloadKey();
        expectNoContent(
          await t().http.send({ method: "DELETE", path: `/api/v1/customer-organizations/${customer.id}` }),
        );
        expectEmpty(await t().http.send({ method: "GET", path: `${KEYS}/${key.id}/token` }), 404);
      });
    });

    describe("access", () => {
      suite.testRequiring("toggle-licensing")("without the licensing feature → 403", async () => {
        t().server.setLicensing(false);
        try {
          expectPlainTextError(
            await t().http.send({ method: "GET", path: KEYS }),
            403,
            "licensing not enabled for organization",
          );
        } finally {
          t().server.setLicensing(true);
        }
      });

      suite.testRequiring("second-organization")(
        "read_only cannot create (403 insufficient permissions); another organization's key is 404",
        async () => {
          const { key } = await payloadKey();
          const reader = t().server.addOrganization({ role: "read_only" });
          const res = await t().http.send({
            method: "POST",
            path: KEYS,
            token: reader.token,
            json: { name: "x", notBefore: NOT_BEFORE, expiresAt: EXPIRES_AT, payload: {} },
          });
          expectPlainTextError(res, 403, "insufficient permissions");
          const other = t().server.addOrganization();
          expectEmpty(await t().http.send({ method: "GET", path: `${KEYS}/${key.id}/token`, token: other.token }), 404);
        },
      );
    });

    describe("template keys", () => {
      suite.testRequiring("license-templates")(
        "a key created from a template has no revision: no dates or payload, token 422, no revisions; a revision needs all three",
        async () => {
          const template = expectJson(
            await t().http.send({
              method: "POST",
              path: TEMPLATES,
              json: {
                name: t().objects.uniqueName("template"),
                payloadTemplate: '{"seats": {{ itemQuantity "seats" }}}',
                expirationGracePeriodDays: 3,
              },
            }),
            z.object({ id: z.string() }),
          );
          try {
            const customer = await t().objects.createCustomer();
            const { res, key } = await create({
              name: t().objects.uniqueName("templated"),
              customerOrganizationId: customer.id,
              licenseTemplateId: template.id,
            });
            expect(Object.keys(rawJson(res)).sort()).toEqual(
              ["createdAt", "customerOrganizationId", "id", "licenseTemplateId", "name"].sort(),
            );
            expectPlainTextError(
              await t().http.send({ method: "GET", path: `${KEYS}/${key.id}/token` }),
              422,
              "license key has no revision yet",
            );
            expect(await revisionsOf(key.id)).toEqual([]);
            expectPlainTextError(
              await put(key.id, { licenseTemplateId: template.id, payload: { seats: 1 } }),
              400,
              "notBefore, expiresAt and payload are required to create a revision",
            );
            const revised = expectJson(
              await put(key.id, {
                licenseTemplateId: template.id,
                notBefore: NOT_BEFORE,
                expiresAt: EXPIRES_AT,
                payload: { seats: 1 },
              }),
              UpdateSchema,
            );
            expect(revised).toMatchObject({ licenseTemplateId: template.id, payload: { seats: 1 } });
            // Deleting the template keeps the key (ON DELETE SET NULL).
            expectNoContent(await t().http.send({ method: "DELETE", path: `${TEMPLATES}/${template.id}` }));
            const list = expectJson(await t().http.send({ method: "GET", path: KEYS }), z.array(KeySchema));
            expect(list.find((k) => k.id === key.id)?.licenseTemplateId).toBeUndefined();
          } finally {
            await t().http.send({ method: "DELETE", path: `${TEMPLATES}/${template.id}` });
          }
        },
      );
    });
  });
}
