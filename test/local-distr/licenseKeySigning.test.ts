import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { z } from "zod";
import { startLocalDistr, type LocalDistr } from "../../local-distr";
import { verifyLicenseKeyToken } from "../../sdk/licenseKeyToken";
import { renderPayloadTemplate } from "../../local-distr/payloadTemplate";
import { call, created, json } from "./localDistrHttp";

const publicKey = async (distr: LocalDistr) =>
  (await fetch(`${distr.host}/api/public/v1/license-keys/public-key`)).text();

describe("local Distr license key signing", () => {
  let directory: string;
  let dataFile: string;
  const running: LocalDistr[] = [];
  const start = async () => {
    const distr = await startLocalDistr({ dataFile, rateLimits: false });
    running.push(distr);
    return distr;
  };

  beforeEach(() => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), "local-distr-keys-"));
    dataFile = path.join(directory, "distr.json");
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((d) => d.close()));
    fs.rmSync(directory, { recursive: true, force: true });
  });

  it("keeps its signing key in the data file: after a restart the same public key verifies earlier tokens", async () => {
    const first = await start();
    const customer = created(await call(first, "POST", "/customer-organizations", { body: { name: "Acme" } }));
    const key = created(
      await call(first, "POST", "/license-keys", {
        body: {
          name: "acme",
          customerOrganizationId: customer.id,
          notBefore: "2026-01-01T00:00:00Z",
          expiresAt: "2030-01-01T00:00:00Z",
          payload: { seats: 3 },
        },
      }),
    );
    const token = json(
      await call(first, "GET", `/license-keys/${key.id}/token`),
      z.object({ token: z.string() }),
    ).token;
    const pem = await publicKey(first);
    await first.close();
    const second = await start();
    expect(await publicKey(second)).toBe(pem);
    expect(verifyLicenseKeyToken(token, await publicKey(second), { at: null }).payload).toEqual({ seats: 3 });
  });

  it("a data file written before license keys existed loads, and gets a signing key", async () => {
    const first = await start();
    await first.close();
    const state = JSON.parse(fs.readFileSync(dataFile, "utf8")) as Record<string, unknown>;
    for (const table of [
      "licenseKeys",
      "licenseKeyRevisions",
      "licenseTemplates",
      "keyDeployments",
      "licenseKeySigningKey",
    ]) {
      delete state[table];
    }
    fs.writeFileSync(dataFile, JSON.stringify(state));
    const second = await start();
    expect(json(await call(second, "GET", "/license-keys"))).toEqual([]);
    expect(await publicKey(second)).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
  });

  it("2.x serves no public key", async () => {
    const distr = await startLocalDistr({ dialect: "2", rateLimits: false });
    running.push(distr);
    expect((await fetch(`${distr.host}/api/public/v1/license-keys/public-key`)).status).toBe(404);
  });
});

describe("license template rendering with an empty subscription", () => {
  it.each([
    ['{"seats": {{ itemQuantity "seats" }}}', '{"seats": 0}'],
    ['{"pro": {{ if hasItem "pro" }}true{{ else }}false{{ end }}}', '{"pro": false}'],
    ['{"tier": {{ if hasItem "a" }}"a"{{ else if not (hasItem "b") }}"none"{{ end }}}', '{"tier": "none"}'],
    ['{ {{- /* comment */ -}} "x": {{ gt (itemQuantity "s") 0 }} }', '{"x": false }'],
  ])("%s renders %s", (template, rendered) => {
    expect(renderPayloadTemplate(template)).toEqual({ ok: true, rendered });
  });

  it("refuses what it does not model instead of accepting it", () => {
    expect(renderPayloadTemplate("{{ .Items }}")).toEqual({
      ok: false,
      error:
        "failed to parse payload template: template: payload:1: local Distr does not model fields, variables or pipes",
    });
  });
});
