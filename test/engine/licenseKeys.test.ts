/**
 * License keys and templates through the real engine against the local Distr 3.x: create, no-change preview,
 * payload change = new revision in place, the affected-deployments refusal and its confirmation, delete, drift from
 * a portal change, secrets in state, and the token verified like a customer would.
 */
import { CommandError } from "@pulumi/pulumi/automation";
import { startLocalDistr, type LocalDistr } from "../../local-distr";
import { verifyLicenseKeyToken } from "../../sdk/licenseKeyToken";
import { SuiteClock } from "./harness/measurements";
import { changesBesidesSame, ProgramStack, stepsByOp } from "./harness/programStack";
import type { LicenseKeysSpec } from "./programs/licenseKeys/index";

jest.setTimeout(10 * 60_000);
const clock = new SuiteClock();
clock.install("licenseKeys.test.ts");

const PROGRAM = "test/engine/programs/licenseKeys";
const ACME = { resource: "acme", name: "ACME Corp" };
const SECRET = "s3cr3t-activation-value";

type KeySpec = NonNullable<LicenseKeysSpec["keys"]>[number];
const keySpec = (payload: Record<string, unknown>, extra: Partial<KeySpec> = {}): KeySpec => ({
  resource: "acme-key",
  customer: "acme",
  name: "acme-prod",
  payload,
  notBefore: "2026-01-01T00:00:00Z",
  expiresAt: "2036-01-01T00:00:00Z",
  ...extra,
});

interface KeyOutput {
  id: string;
  revision: { count: number; lastRevisedAt?: string };
  affectedDeployments: Array<{ deploymentTarget: string; application: string }>;
}

async function failureOf(operation: Promise<unknown>): Promise<string> {
  const failure = await operation.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(failure).toBeInstanceOf(CommandError);
  return String((failure as Error).message);
}

describe("LicenseKey and LicenseTemplate through the engine (Distr 3.x)", () => {
  let distr: LocalDistr;
  let stack: ProgramStack | undefined;

  beforeEach(async () => {
    distr = await startLocalDistr({ dialect: "3" });
  });
  afterEach(async () => {
    await stack?.dispose();
    stack = undefined;
    await distr.close();
  });

  const publicKey = async () => (await fetch(`${distr.host}/api/public/v1/license-keys/public-key`)).text();
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${distr.host}/api/v1${path}`, {
      method,
      headers: { Authorization: `AccessToken ${distr.token}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    distr.control.resetRateLimits();
    return { status: res.status, json: (await res.json().catch(() => undefined)) as unknown };
  };
  const keyOutput = async (s: ProgramStack, resource = "acme-key") =>
    ((await s.outputs())["keys"] as Record<string, KeyOutput>)[resource]!;
  const tokenOutput = async (s: ProgramStack, resource = "acme-key") =>
    ((await s.outputs())["tokens"] as Record<string, string>)[resource]!;

  it("creates a key, previews no change, revises it in place, refuses then confirms affected deployments, deletes", async () => {
    stack = await ProgramStack.open({ program: PROGRAM, distr, name: "keys" });
    const s = stack;
    await s.stack.setConfig("payloadSecret", { value: SECRET, secret: true });
    await s.setObject("spec", {
      customers: [ACME],
      templates: [{ resource: "pro", payloadTemplate: '{"seats": {{ itemQuantity "seats" }}}' }],
      keys: [
        keySpec({ seats: 10, edition: "pro", activation: "$payloadSecret" }),
        { ...keySpec({ seats: 1 }), resource: "spare", name: "spare" },
      ],
    } satisfies LicenseKeysSpec);
    const created = await s.up();
    expect(changesBesidesSame(created)).toEqual({ create: 5 });
    const first = await keyOutput(s);
    expect(first.revision.count).toBe(1);

    // The token verifies with the served public key and carries exactly the declared payload and validity.
    const firstToken = await tokenOutput(s);
    const verified = verifyLicenseKeyToken(firstToken, await publicKey(), { at: new Date("2030-01-01T00:00:00Z") });
    expect(verified).toMatchObject({
      licenseKeyId: first.id,
      payload: { seats: 10, edition: "pro", activation: SECRET },
      notBefore: new Date("2026-01-01T00:00:00Z"),
      expiresAt: new Date("2036-01-01T00:00:00Z"),
    });

    // Neither the token nor the secret payload member is in the state in plain text.
    const state = s
      .stateFiles()
      .map((f) => f.text)
      .join("\n");
    expect(state).not.toContain(firstToken);
    expect(state).not.toContain(firstToken.split(".")[1]);
    expect(state).not.toContain(SECRET);

    // Same payload in another key order (and as JSON text with other whitespace): no change.
    await s.setObject("spec", {
      customers: [ACME],
      templates: [{ resource: "pro", payloadTemplate: '{"seats": {{ itemQuantity "seats" }}}' }],
      keys: [
        keySpec({ activation: "$payloadSecret", edition: "pro", seats: 10 }),
        { ...keySpec({ seats: 1 }), resource: "spare", name: "spare", payload: '{ "seats" :1 }' },
      ],
    } satisfies LicenseKeysSpec);
    expect(changesBesidesSame(await s.preview())).toEqual({});

    // A payload change is a new revision of the same key: update in place, new token, same id.
    const revised = (seats: number, redeploy?: boolean): LicenseKeysSpec => ({
      customers: [ACME],
      templates: [{ resource: "pro", payloadTemplate: '{"seats": {{ itemQuantity "seats" }}}' }],
      keys: [
        keySpec({ seats, edition: "pro", activation: "$payloadSecret" }, redeploy === undefined ? {} : { redeploy }),
        { ...keySpec({ seats: 1 }), resource: "spare", name: "spare" },
      ],
    });
    await s.setObject("spec", revised(20));
    expect(stepsByOp(await s.preview(), "update", "replace", "create", "delete")).toEqual(["update acme-key"]);
    expect(stepsByOp(await s.up(), "update", "replace", "create", "delete")).toEqual(["update acme-key"]);
    const second = await keyOutput(s);
    expect(second.id).toBe(first.id);
    expect(second.revision.count).toBe(2);
    const secondToken = await tokenOutput(s);
    expect(secondToken).not.toBe(firstToken);
    expect(verifyLicenseKeyToken(secondToken, await publicKey(), { at: null }).payload["seats"]).toBe(20);

    // A deployment of ACME renders the key: the next revision is refused, naming the deployment and the way out.
    const { deploymentId } = distr.control.useLicenseKey(first.id, "edge-berlin");
    await s.setObject("spec", revised(30));
    const refused = await failureOf(s.up());
    expect(refused).toContain('deployment target "edge-berlin" (application "hello-distr"');
    expect(refused).toContain('customer "ACME Corp"');
    expect(refused).toContain("redeploy: true");
    expect((await api("GET", `/license-keys/${first.id}/revisions`)).json).toHaveLength(2);

    await s.setObject("spec", revised(30, true));
    const confirmed = await s.up();
    expect(stepsByOp(confirmed, "update", "replace", "create", "delete")).toEqual(["update acme-key"]);
    const third = await keyOutput(s);
    expect(third.revision.count).toBe(3);
    expect(third.affectedDeployments).toEqual([
      expect.objectContaining({ deploymentTarget: "edge-berlin", application: "hello-distr" }),
    ]);
    expect(distr.control.licenseKeyDeployments().find((d) => d.deploymentId === deploymentId)?.redeploys).toBe(1);
    expect(changesBesidesSame(await s.preview())).toEqual({});

    // Deleting a key that a deployment references fails the same way; an unreferenced one is deleted.
    await s.setObject("spec", { customers: [ACME], templates: [], keys: [] } satisfies LicenseKeysSpec);
    const deleteRefused = await failureOf(s.up());
    expect(deleteRefused).toContain('deployment target "edge-berlin"');
    expect(deleteRefused).toContain("{{ .LicenseKeys.acme-prod }}");
    const remaining = (await api("GET", "/license-keys")).json as Array<{ name: string }>;
    expect(remaining.map((k) => k.name)).toEqual(["acme-prod"]);
    expect(((await api("GET", "/license-templates")).json as unknown[]).length).toBe(0);
  });

  it("repairs a payload changed in the portal: refresh sees it, up writes a new revision back", async () => {
    stack = await ProgramStack.open({ program: PROGRAM, distr, name: "drift" });
    const s = stack;
    const spec: LicenseKeysSpec = { customers: [ACME], keys: [keySpec({ seats: 10 })] };
    await s.setObject("spec", spec);
    await s.up();
    const { id } = await keyOutput(s);
    // A colleague raises the seats in the vendor portal.
    expect((await api("PUT", `/license-keys/${id}`, { payload: { seats: 99 } })).status).toBe(200);
    expect(changesBesidesSame(await s.refresh())).toEqual({ update: 1 });
    expect(stepsByOp(await s.preview(), "update", "replace", "create", "delete")).toEqual(["update acme-key"]);
    await s.up();
    const listed = (await api("GET", "/license-keys")).json as Array<{ id: string; payload: unknown }>;
    expect(listed).toEqual([expect.objectContaining({ id, payload: { seats: 10 } })]);
    expect((await keyOutput(s)).revision.count).toBe(3);
    expect(changesBesidesSame(await s.preview())).toEqual({});

    // Renaming replaces the key (Distr cannot rename one: deployments reference it by name).
    await s.setObject("spec", {
      customers: [ACME],
      keys: [keySpec({ seats: 10 }, { name: "acme-renamed" })],
    });
    expect(stepsByOp(await s.up(), "update", "replace", "create", "delete")).toEqual(["replace acme-key"]);
    expect(((await api("GET", "/license-keys")).json as Array<{ name: string }>).map((k) => k.name)).toEqual([
      "acme-renamed",
    ]);
  });

  it("adopts a key made in the portal without a write; the next preview is empty", async () => {
    const made = await api("POST", "/license-keys", {
      name: "vendor-key",
      payload: { seats: 3, edition: "pro" },
      notBefore: "2026-01-01T00:00:00Z",
      expiresAt: "2036-01-01T00:00:00Z",
    });
    expect(made.status).toBe(200);
    const id = (made.json as { id: string }).id;
    stack = await ProgramStack.open({ program: PROGRAM, distr, name: "adopt" });
    const s = stack;
    const vendorKey = { resource: "vendor-key", name: "vendor-key", payload: { edition: "pro", seats: 3 } };
    const validity = { notBefore: "2026-01-01T00:00:00Z", expiresAt: "2036-01-01T00:00:00Z" };
    await s.setObject("spec", { customers: [], keys: [{ ...vendorKey, ...validity }] });
    expect(await failureOf(s.up())).toContain(`set adopt: true (or adopt: { id: "${id}" })`);

    await s.setObject("spec", { customers: [], keys: [{ ...vendorKey, ...validity, adopt: true }] });
    const writesBefore = distr.control.requests.filter((r) => r.method !== "GET").length;
    expect(stepsByOp(await s.up(), "create", "update", "replace", "delete")).toEqual(["create vendor-key"]);
    expect(distr.control.requests.filter((r) => r.method !== "GET").length).toBe(writesBefore);
    expect(await keyOutput(s, "vendor-key")).toMatchObject({ id, revision: { count: 1 } });
    expect(changesBesidesSame(await s.preview())).toEqual({});
  });

  it("fails the preview with what is missing: templates without vendor_billing, keys on Distr 2.x", async () => {
    distr.control.setFeature("vendor_billing", false);
    stack = await ProgramStack.open({ program: PROGRAM, distr, name: "no-billing" });
    await stack.setObject("spec", {
      customers: [ACME],
      templates: [{ resource: "pro", payloadTemplate: "{}" }],
    } satisfies LicenseKeysSpec);
    expect(await failureOf(stack.preview())).toContain(
      "license templates need the organization feature `vendor_billing`",
    );
    await stack.dispose();
    stack = undefined;

    const legacy = await startLocalDistr({ dialect: "2" });
    try {
      stack = await ProgramStack.open({ program: PROGRAM, distr: legacy, name: "legacy" });
      await stack.setObject("spec", {
        customers: [ACME],
        keys: [keySpec({ seats: 1 })],
      } satisfies LicenseKeysSpec);
      expect(await failureOf(stack.preview())).toContain("license keys need Distr 3.x");
      expect(legacy.control.requests.filter((r) => r.method !== "GET")).toEqual([]);
    } finally {
      await stack?.dispose();
      stack = undefined;
      await legacy.close();
    }
  });
});
