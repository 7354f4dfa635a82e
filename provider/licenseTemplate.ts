/**
 * The LicenseTemplate resource: a Distr 3.x license template (section 8.7), a Go `text/template` that Distr's billing
 * renders into license key payloads (`hasItem`, `itemQuantity` over the customer's subscription). Everything updates
 * in place; names are unique per organization. Needs the organization feature `vendor_billing` (checked at plan time).
 */
import { z } from "zod";
import type { dynamic } from "@pulumi/pulumi";
import type { LicenseTemplate } from "../sdk/schemas";
import { describeValue, failuresFromZod } from "./checkFailures";
import { configure, distrClient } from "./config";
import { deleteFromDistr, updateInDistr } from "./distrWrites";
import { nonBlankString, orUnknown } from "./inputSchemas";
import { requireLicenseKeyFeature } from "./licenseKeyAvailability";
import { jsonClean, parseProperties, withoutProvider } from "./properties";
import type { ResourceHandlers } from "./resourceHandlers";
import { DistrResourceError } from "./resourceError";
import { containsUnknown, isUnknown, UNKNOWN } from "./unknowns";

export const licenseTemplateInputSchema = z.strictObject({
  name: orUnknown(nonBlankString('the template name, like "pro"')),
  payloadTemplate: orUnknown(nonBlankString("a Go template that renders a JSON object, like '{\"seats\": 10}'")),
  expirationGracePeriodDays: orUnknown(
    z
      .number({ error: (issue) => `expected a whole number of days (0 or more), got ${describeValue(issue.input)}` })
      .int({ error: (issue) => `expected a whole number of days, got ${describeValue(issue.input)}` })
      .min(0, { error: (issue) => `must not be negative, got ${describeValue(issue.input)}` }),
  ).optional(),
});

const checkedTemplateSchema = z.object({
  name: z.string(),
  payloadTemplate: z.string(),
  expirationGracePeriodDays: z.union([z.number(), z.literal(UNKNOWN)]),
});
type CheckedTemplate = z.infer<typeof checkedTemplateSchema>;

export const licenseTemplateOutputsSchema = z.object({
  name: z.string(),
  payloadTemplate: z.string(),
  expirationGracePeriodDays: z.number(),
  createdAt: z.string().optional(),
});
export type LicenseTemplateOutputs = z.infer<typeof licenseTemplateOutputsSchema>;

async function check(_olds: unknown, news: unknown): Promise<dynamic.CheckResult> {
  const parsed = licenseTemplateInputSchema.safeParse(withoutProvider(news));
  if (!parsed.success) return { inputs: withoutProvider(news), failures: failuresFromZod(parsed.error) };
  await requireLicenseKeyFeature("license templates");
  const { name, payloadTemplate, expirationGracePeriodDays } = parsed.data;
  const inputs: CheckedTemplate = {
    name: isUnknown(name) ? UNKNOWN : name.trim(),
    payloadTemplate,
    expirationGracePeriodDays: expirationGracePeriodDays ?? 0,
  };
  return { inputs: jsonClean(inputs) };
}

async function diff(_id: string, olds: unknown, news: unknown): Promise<dynamic.DiffResult> {
  const current = parseProperties(licenseTemplateOutputsSchema, olds, "license template's outputs");
  const desired = parseProperties(checkedTemplateSchema, news, "license template's checked inputs");
  return {
    changes:
      containsUnknown(desired) ||
      desired.name !== current.name ||
      desired.payloadTemplate !== current.payloadTemplate ||
      desired.expirationGracePeriodDays !== current.expirationGracePeriodDays,
  };
}

function knownInputs(
  properties: unknown,
): Omit<CheckedTemplate, "expirationGracePeriodDays"> & { expirationGracePeriodDays: number } {
  const inputs = parseProperties(checkedTemplateSchema, properties, "license template's checked inputs");
  if (containsUnknown(inputs) || isUnknown(inputs.expirationGracePeriodDays)) {
    throw new DistrResourceError(
      "invalid-state",
      "the license template's inputs still hold unknown values after preview",
    );
  }
  return { ...inputs, expirationGracePeriodDays: inputs.expirationGracePeriodDays };
}

function outputsOf(template: LicenseTemplate): LicenseTemplateOutputs {
  return {
    name: template.name,
    payloadTemplate: template.payloadTemplate,
    expirationGracePeriodDays: template.expirationGracePeriodDays,
    createdAt: template.createdAt,
  };
}

async function create(inputs: unknown): Promise<dynamic.CreateResult> {
  const desired = knownInputs(inputs);
  const client = distrClient();
  const existing = await client.licenseTemplates.findByName(desired.name);
  if (existing) {
    throw new DistrResourceError(
      "already-exists",
      `a license template named ${JSON.stringify(desired.name)} already exists in Distr (id ${existing.id}); ` +
        "template names are unique per organization: choose another name, or delete the existing template",
    );
  }
  const template = await client.licenseTemplates.create(desired);
  return { id: template.id, outs: outputsOf(template) };
}

async function read(id: string, _props: unknown): Promise<dynamic.ReadResult> {
  const template = await distrClient().licenseTemplates.get(id);
  if (!template) return {};
  const outs = outputsOf(template);
  return {
    id,
    props: outs,
    inputs: {
      name: outs.name,
      payloadTemplate: outs.payloadTemplate,
      expirationGracePeriodDays: outs.expirationGracePeriodDays,
    },
  };
}

async function update(id: string, _olds: unknown, news: unknown): Promise<dynamic.UpdateResult> {
  const desired = knownInputs(news);
  const template = await updateInDistr(`license template ${JSON.stringify(desired.name)} (id ${id})`, () =>
    distrClient().licenseTemplates.update(id, desired),
  );
  return { outs: outputsOf(template) };
}

async function deleteTemplate(id: string, props: unknown): Promise<void> {
  const name = parseProperties(licenseTemplateOutputsSchema.partial(), props, "license template's outputs").name ?? id;
  // Keys made from the template keep working: Distr sets their template to none (ON DELETE SET NULL).
  await deleteFromDistr(
    `license template ${JSON.stringify(name)} (id ${id})`,
    () => distrClient().licenseTemplates.delete(id),
    {
      inUse: "Distr does not refuse template deletes; report this.",
    },
  );
}

export const licenseTemplateHandlers: ResourceHandlers = {
  configure,
  check,
  diff,
  create,
  read,
  update,
  delete: deleteTemplate,
};
