/**
 * One place decides which resources are ours: the dynamic face's tokens and the plugin's are the same kinds, so the
 * review reads a plugin program's preview (no `__provider`, provider `pulumi:providers:distr`) exactly as it reads
 * a dynamic one's. The engine-level comparison (a YAML program against a TypeScript one) is in
 * test/engine/yamlProgram.test.ts; here the same preview document is written in both faces' words.
 */
import { PLUGIN_RESOURCE_TYPES, RESOURCE_TYPES, resourceKindOf } from "../../review";
import { readPreviewChanges } from "../../review/previewChanges";
import type { PreviewDocument } from "../../review/previewDocument";
import { buildReviewReport } from "../../review/report";
import { renderText } from "../../review/renderText";

describe("resourceKindOf", () => {
  it.each([
    ["pulumi-nodejs:dynamic/distr:Customer", "customer"],
    ["pulumi-nodejs:dynamic/distr:ApplicationLicense", "applicationLicense"],
    ["pulumi-nodejs:dynamic/distr:ArtifactLicense", "artifactLicense"],
    ["distr:index:Customer", "customer"],
    ["distr:index:ApplicationLicense", "applicationLicense"],
    ["distr:index:ArtifactLicense", "artifactLicense"],
  ])("%s is a %s", (type, kind) => {
    expect(resourceKindOf(type)).toBe(kind);
  });

  it.each([
    "pulumi:providers:distr",
    "pulumi:providers:pulumi-nodejs",
    "pulumi-nodejs:dynamic:Resource",
    "distr:index:customer",
    "distr:other:Customer",
    "pulumi:pulumi:Stack",
  ])("%s is not one of ours", (type) => {
    expect(resourceKindOf(type)).toBeUndefined();
  });

  it("gives both faces the same kinds", () => {
    expect(Object.keys(PLUGIN_RESOURCE_TYPES).sort()).toEqual(Object.keys(RESOURCE_TYPES).sort());
  });
});

type Face = "dynamic" | "plugin";

/** A preview of: a new customer with a new license, and an existing license narrowed; in one face's words. */
function previewDocument(face: Face): PreviewDocument {
  const types = face === "dynamic" ? RESOURCE_TYPES : PLUGIN_RESOURCE_TYPES;
  const urn = (type: string, name: string) => `urn:pulumi:dev::licenses::${type}::${name}`;
  // The dynamic face stores its serialized provider in every bag; the plugin has none.
  const bag = (properties: Record<string, unknown>) =>
    face === "dynamic" ? { ...properties, __provider: "exports.handler = …" } : properties;
  const providerType = face === "dynamic" ? "pulumi:providers:pulumi-nodejs" : "pulumi:providers:distr";
  const globex = urn(types.customer, "globex");
  return {
    steps: [
      {
        op: "same",
        urn: urn(providerType, "default"),
        newState: { urn: urn(providerType, "default"), type: providerType, id: "p-1" },
      },
      {
        op: "create",
        urn: globex,
        newState: { urn: globex, type: types.customer, inputs: bag({ name: "Globex Corporation" }) },
      },
      {
        op: "create",
        urn: urn(types.applicationLicense, "globex-enterprise"),
        newState: {
          urn: urn(types.applicationLicense, "globex-enterprise"),
          type: types.applicationLicense,
          inputs: bag({
            name: "globex-enterprise",
            customer: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
            application: "hello-distr",
            versions: ["2.1.0"],
            expiresAt: "2027-06-30T00:00:00Z",
          }),
          propertyDependencies: { customer: [globex] },
        },
      },
      {
        op: "update",
        urn: urn(types.applicationLicense, "acme-pro"),
        oldState: {
          urn: urn(types.applicationLicense, "acme-pro"),
          type: types.applicationLicense,
          id: "5c1e0000-0000-4000-8000-000000000001",
          outputs: bag({
            name: "acme-pro",
            customer: "0b6e0000-0000-4000-8000-000000000002",
            customerName: "ACME Corp",
            application: "hello-distr",
            versions: ["2.0.0", "2.1.0"],
            expiresAt: "2027-06-30T00:00:00Z",
          }),
        },
        newState: {
          urn: urn(types.applicationLicense, "acme-pro"),
          type: types.applicationLicense,
          inputs: bag({
            name: "acme-pro",
            customer: "0b6e0000-0000-4000-8000-000000000002",
            application: "hello-distr",
            versions: ["2.1.0"],
            expiresAt: "2027-06-30T00:00:00Z",
          }),
        },
      },
    ],
    diagnostics: [],
    changeSummary: { create: 2, update: 1, same: 2 },
  };
}

describe("the review of a plugin program's preview", () => {
  it("reads the same changes as from the dynamic resources' preview", () => {
    const dynamic = readPreviewChanges(previewDocument("dynamic"));
    const plugin = readPreviewChanges(previewDocument("plugin"));
    const withoutUrns = (changes: typeof dynamic) =>
      JSON.parse(JSON.stringify(changes).replace(/pulumi-nodejs:dynamic\/distr:|distr:index:/g, "<type>:"));
    expect(plugin.customers).toHaveLength(1);
    expect(plugin.licenses).toHaveLength(2);
    expect(withoutUrns(plugin)).toEqual(withoutUrns(dynamic));
  });

  it("renders a report that reads exactly the same", () => {
    const report = (face: Face) =>
      renderText(
        buildReviewReport(readPreviewChanges(previewDocument(face)), {
          now: new Date("2027-01-01T00:00:00Z"),
          distr: { unavailable: "not asked in this test" },
        }),
      );
    const text = report("plugin");
    expect(text).toContain("globex-enterprise");
    expect(text).toContain("2.0.0");
    expect(text).toBe(report("dynamic"));
  });
});
