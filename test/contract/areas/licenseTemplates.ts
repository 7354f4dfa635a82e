/**
 * Distr 3.1.0 license templates (distr-api.md section 8.7, `handlers/license_templates.go`,
 * `licensetemplate/render.go`): vendor only, feature vendor_billing. Texts and routes written out literally.
 */
import { z } from "zod";
import {
  expectEmpty,
  expectJson,
  expectMethodNotAllowed,
  expectNoContent,
  expectPlainTextError,
  rawJson,
} from "../expectations";
import type { ContractSuite } from "../target";

const TEMPLATES = "/api/v1/license-templates";

const TemplateSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  name: z.string(),
  payloadTemplate: z.string(),
  expirationGracePeriodDays: z.number(),
});

const VALID_TEMPLATE =
  '{"seats": {{ itemQuantity "seats" }}, "pro": {{ if hasItem "pro" "pro-yearly" }}true{{ else }}false{{ end }}}';

export function describeLicenseTemplates(suite: ContractSuite): void {
  if (suite.dialect === "2") return;
  describe("license templates: /api/v1/license-templates (section 8.7)", () => {
    const t = () => suite.target();
    const created = new Set<string>();
    const post = (json: Record<string, unknown>) => t().http.send({ method: "POST", path: TEMPLATES, json });
    const create = async (json: Record<string, unknown>) => {
      const res = await post(json);
      const template = expectJson(res, TemplateSchema);
      created.add(template.id);
      return { res, template };
    };
    const valid = () => ({
      name: t().objects.uniqueName("template"),
      payloadTemplate: VALID_TEMPLATE,
      expirationGracePeriodDays: 7,
    });

    afterAll(async () => {
      for (const id of created) await t().http.send({ method: "DELETE", path: `${TEMPLATES}/${id}` });
    });

    suite.testRequiring("license-templates")(
      "POST → 200 with exactly id, createdAt, name, payloadTemplate, expirationGracePeriodDays; GET lists by name",
      async () => {
        const base = t().objects.uniqueName("tpl");
        const { res, template } = await create({ ...valid(), name: `${base}-b` });
        expect(Object.keys(rawJson(res)).sort()).toEqual(
          ["createdAt", "expirationGracePeriodDays", "id", "name", "payloadTemplate"].sort(),
        );
        expect(template).toMatchObject({
          name: `${base}-b`,
          payloadTemplate: VALID_TEMPLATE,
          expirationGracePeriodDays: 7,
        });
        const first = await create({ ...valid(), name: `${base}-a` });
        const list = expectJson(await t().http.send({ method: "GET", path: TEMPLATES }), z.array(TemplateSchema));
        expect(list.filter((x) => x.name.startsWith(base)).map((x) => x.id)).toEqual([first.template.id, template.id]);
        expectMethodNotAllowed(await t().http.send({ method: "GET", path: `${TEMPLATES}/${template.id}` }), [
          "DELETE",
          "PUT",
        ]);
      },
    );

    const invalid: Array<[string, Record<string, unknown>, string]> = [
      ["an empty name", { name: "" }, "name is required"],
      ["an empty payloadTemplate", { payloadTemplate: "" }, "payloadTemplate is required"],
      ["a negative grace period", { expirationGracePeriodDays: -1 }, "expirationGracePeriodDays must be non-negative"],
      [
        "a template that does not render JSON",
        { payloadTemplate: 'seats: {{ itemQuantity "seats" }}' },
        "bad request: invalid payload template: rendered payload template is not valid JSON",
      ],
      [
        "an unknown function",
        { payloadTemplate: '{"a": {{ foo "x" }}}' },
        'bad request: invalid payload template: failed to parse payload template: template: payload:1: function "foo" not defined',
      ],
    ];
    for (const [what, change, text] of invalid) {
      suite.testRequiring("license-templates")(`${what} → 400 ${text}`, async () => {
        expectPlainTextError(await post({ ...valid(), ...change }), 400, text);
      });
    }

    suite.testRequiring("license-templates")(
      "names are unique per organization (400); PUT replaces all three fields; unknown id 404, non-UUID 400",
      async () => {
        const { template } = await create(valid());
        expectPlainTextError(
          await post({ ...valid(), name: template.name }),
          400,
          "a license template with this name already exists",
        );
        const res = await t().http.send({
          method: "PUT",
          path: `${TEMPLATES}/${template.id}`,
          json: { name: `${template.name}-renamed`, payloadTemplate: '{"seats": 5}', expirationGracePeriodDays: 0 },
        });
        expect(expectJson(res, TemplateSchema)).toMatchObject({
          id: template.id,
          name: `${template.name}-renamed`,
          payloadTemplate: '{"seats": 5}',
          expirationGracePeriodDays: 0,
        });
        expectEmpty(
          await t().http.send({
            method: "PUT",
            path: `${TEMPLATES}/7d7c3a3e-0000-4000-8000-000000000000`,
            json: valid(),
          }),
          404,
        );
        expectPlainTextError(
          await t().http.send({ method: "PUT", path: `${TEMPLATES}/nope`, json: valid() }),
          400,
          "licenseTemplateId is not a valid UUID",
        );
        expectNoContent(await t().http.send({ method: "DELETE", path: `${TEMPLATES}/${template.id}` }));
        expectEmpty(await t().http.send({ method: "DELETE", path: `${TEMPLATES}/${template.id}` }), 404);
      },
    );

    suite.testRequiring("second-organization")(
      "an organization without vendor_billing gets 403 vendor_billing not enabled for organization",
      async () => {
        const other = t().server.addOrganization();
        expectPlainTextError(
          await t().http.send({ method: "GET", path: TEMPLATES, token: other.token }),
          403,
          "vendor_billing not enabled for organization",
        );
      },
    );
  });
}
