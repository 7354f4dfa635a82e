/**
 * Drift on both dialects, without the engine: objects made by the real provider handlers against the local Distr,
 * their state as `pulumi stack export` shows it, then portal edits (a version added, an expiry moved, a license
 * deleted) and objects no stack manages (a customer and its license made in the portal). Every read goes to the
 * real local Distr over HTTP; the request count is printed and compared for 10 and 200 licenses.
 */
import {
  buildDriftReport,
  readDistrInventory,
  renderDriftMarkdown,
  renderDriftText,
  type DriftReport,
} from "../../drift";
import { parseStackExport } from "../../drift/stackState";
import { createDistrClient } from "../../sdk/client";
import { isDialectProbe, type Dialect } from "../../sdk/dialect";
import { startTestbed, type ProviderTestbed } from "../provider/providerHarness";
import { createManagedFixture, typeToken, type Face, type ManagedFixture } from "./driftFixture";

const NOW = new Date("2027-01-01T00:00:00Z");
// Real HTTP to local Distr servers; 200 licenses are created one by one on a shared, loaded machine.
jest.setTimeout(120_000);

async function driftOf(testbed: ProviderTestbed, fixture: ManagedFixture) {
  const since = testbed.distr.control.requests.length;
  let requests = 0;
  const client = createDistrClient({
    host: testbed.distr.host,
    token: testbed.distr.token,
    rateLimits: false,
    onRequest: () => requests++,
  });
  try {
    const inventory = await readDistrInventory(client);
    const report = buildDriftReport(fixture.state("production"), inventory, { now: NOW, requests });
    const seen = testbed.distr.control.requests.slice(since);
    // A stack of the plugin face (YAML, Go, Python) manages the same objects under other type tokens: same report.
    const pluginReport = buildDriftReport(fixture.state("production", "plugin"), inventory, { now: NOW, requests });
    return { report, pluginReport, requests, seen };
  } finally {
    await client.close();
  }
}

function sentences(report: DriftReport): string[] {
  return report.sections.flatMap((section) =>
    section.items.map(
      (item) => `${section.customer ?? "-"} | ${item.drift} ${item.object} ${item.name}: ${item.sentences.join(" / ")}`,
    ),
  );
}

describe.each(["3", "2"] as const)("drift on Distr %s.x", (dialect: Dialect) => {
  let testbed: ProviderTestbed;
  let fixture: ManagedFixture;

  beforeAll(async () => {
    testbed = await startTestbed(dialect);
    fixture = await createManagedFixture(testbed);
  });
  afterAll(async () => {
    await testbed.close();
  });

  it("finds no drift right after the provider wrote everything (ranges and tags read as the code wrote them)", async () => {
    const { report, pluginReport } = await driftOf(testbed, fixture);
    expect(pluginReport).toEqual(report);
    expect(sentences(report)).toEqual([]);
    expect(report.summary).toMatchObject({ drift: false, managed: 6 });
    expect(report.summary.text).toBe("No drift: Distr matches the 6 objects the stacks manage.");
  });

  it("reports portal edits by customer in the review's words, and objects no stack manages; reads only", async () => {
    const portal = testbed.portal;
    const licenses = await portal.applicationLicenses.list();
    const pro = licenses.find((license) => license.name === "acme-pro");
    const legacy = licenses.find((license) => license.name === "acme-legacy");
    const helloDistr = await portal.lookups.application("hello-distr");
    const version = (name: string) => helloDistr?.versions?.find((v) => v.name === name)?.id ?? "";
    if (!pro || !legacy || !helloDistr) throw new Error("the fixture's licenses are missing");
    // A colleague in the portal: adds 2.3.0 to acme-pro and moves its expiry, deletes acme-legacy, and makes a new
    // customer with a trial license.
    await portal.applicationLicenses.update(pro.id, {
      id: pro.id,
      name: pro.name,
      applicationId: pro.applicationId,
      customerOrganizationId: fixture.acmeId,
      expiresAt: "2027-12-31T00:00:00Z",
      versions: [...pro.versions.map((v) => ({ id: v.id })), { id: version("2.3.0") }],
    });
    await portal.applicationLicenses.delete(legacy.id);
    const umbrella = await portal.customers.create({ name: "Umbrella" });
    await portal.applicationLicenses.create({
      name: "umbrella-trial",
      applicationId: helloDistr.id,
      customerOrganizationId: umbrella.id,
      expiresAt: "2027-02-01T00:00:00Z",
      versions: [{ id: version("2.2.0") }],
    });

    const { report, pluginReport, requests, seen } = await driftOf(testbed, fixture);
    expect(sentences(pluginReport)).toEqual(sentences(report));
    console.log(
      `drift on Distr ${dialect}.x: ${requests} requests, ${seen.filter((r) => r.method !== "GET").length} writes`,
    );
    expect(seen.filter((request) => request.method !== "GET")).toEqual([]);
    expect(sentences(report)).toEqual([
      "ACME Corp | deleted applicationLicense acme-legacy: acme-legacy was deleted in Distr: ACME Corp no longer has 1.2.0 of hello-distr, which the code grants",
      "ACME Corp | changed applicationLicense acme-pro: ACME Corp now also has 2.3.0 of hello-distr, which the code does not grant / " +
        "the expiry of acme-pro was moved from 2027-06-30 to 2027-12-31 (+184 days); the code says 2027-06-30",
      "Umbrella | unmanaged customer Umbrella: customer Umbrella is in Distr, but no stack manages it",
      "Umbrella | unmanaged applicationLicense umbrella-trial: umbrella-trial (application license for hello-distr of Umbrella) is in Distr, but no stack manages it",
    ]);
    // Keyed by id: the sections carry the customers' ids.
    expect(report.sections.map((section) => section.id)).toEqual([fixture.acmeId, umbrella.id]);
    const pro2 = report.sections[0]?.items.find((item) => item.name === "acme-pro");
    // The review's own lines for the change.
    expect(pro2?.lines.map((line) => line.text)).toEqual([
      "versions of hello-distr: range >=2.0.0 <2.2.0 → [2.0.0, 2.1.0, 2.3.0]",
      "gains version 2.3.0",
      "expiry 2027-06-30 → 2027-12-31 (in 364 days), +184 days",
    ]);
    expect(report.summary).toMatchObject({ drift: true, changed: 1, deleted: 1, unmanaged: 2 });
    expect(report.summary.text).toBe(
      "Drift: 1 object changed in Distr; 1 deleted in Distr; 2 objects no stack manages (1 customer, 1 application license).",
    );
    const markdown = renderDriftMarkdown(report);
    expect(markdown.split("\n")[0]).toBe("<!-- pulumi-distr-drift:production -->");
    expect(markdown).toContain("- **umbrella-trial** (application license): no stack manages it");
    expect(markdown).toContain("  - ➕ grants 2.2.0");
    expect(renderDriftText(report)).toContain(
      "  acme-pro (application license, acme-pro in stack production): changed in Distr",
    );
  });

  it("names a customer renamed in the portal once, a license key nobody manages (3.x), and an interrupted create", async () => {
    const portal = testbed.portal;
    const globex = (await portal.customers.list()).find((customer) => customer.id === fixture.globexId);
    if (!globex) throw new Error("Globex is missing");
    await portal.customers.update(globex.id, { name: "Globex Inc", features: globex.features });
    if (dialect === "3") {
      await portal.licenseKeys.create({
        name: "umbrella-key",
        customerOrganizationId: (await portal.customers.list()).find((c) => c.name === "Umbrella")?.id ?? "",
        notBefore: "2026-01-01T00:00:00Z",
        expiresAt: "2027-01-01T00:00:00Z",
        payload: { seats: 5 },
      });
    }
    // A second "ACME Corp", made in the portal: customers are told apart by id.
    const twin = await portal.customers.create({ name: "ACME Corp" });
    // A run that was killed while creating umbrella-trial: the state has the pending create, not the object.
    const interrupted = (face: Face) => {
      const exported = JSON.parse(fixture.exportText("production", face)) as { deployment: Record<string, unknown> };
      const type = typeToken(face, "ApplicationLicense");
      exported.deployment["pending_operations"] = [
        {
          type: "creating",
          resource: {
            urn: `urn:pulumi:production::licenses::${type}::umbrella-trial`,
            type,
            inputs: { name: "umbrella-trial" },
          },
        },
      ];
      return parseStackExport("production", JSON.stringify(exported));
    };
    const client = createDistrClient({ host: testbed.distr.host, token: testbed.distr.token, rateLimits: false });
    const inventory = await readDistrInventory(client);
    await client.close();
    const report = buildDriftReport(interrupted("dynamic"), inventory, { now: NOW });
    const pluginReport = buildDriftReport(interrupted("plugin"), inventory, { now: NOW });
    expect(sentences(pluginReport)).toEqual(sentences(report));
    expect(renderDriftMarkdown(pluginReport)).toBe(renderDriftMarkdown(report));
    const lines = sentences(report);
    expect(lines).toContain(
      "Globex Inc | changed customer Globex Inc: customer Globex was renamed to Globex Inc in Distr; the code still calls it Globex",
    );
    // The rename is said once, on the customer: Globex's license is not reported for it.
    expect(lines.filter((line) => line.includes("globex-helm"))).toEqual([]);
    if (dialect === "3") {
      expect(lines).toContain(
        "Umbrella | unmanaged licenseKey umbrella-key: license key umbrella-key of Umbrella is in Distr, but no stack manages it",
      );
    } else {
      expect(report.notes).toEqual(["Distr 2.x has no license keys: none were compared"]);
    }
    const acmes = report.sections.filter((section) => section.customer === "ACME Corp");
    expect(acmes.map((section) => section.id).sort()).toEqual([fixture.acmeId, twin.id].sort());
    expect(acmes.map((section) => section.label).sort()).toEqual(
      [`ACME Corp (id ${fixture.acmeId.slice(0, 8)})`, `ACME Corp (id ${twin.id.slice(0, 8)})`].sort(),
    );
    expect(renderDriftMarkdown(report)).toContain(`### ACME Corp (id ${twin.id.slice(0, 8)})`);
    const trial = report.sections.flatMap((s) => s.items).find((item) => item.name === "umbrella-trial");
    expect(trial?.interruptedCreate).toEqual({ stack: "production", resource: "umbrella-trial" });
    expect(renderDriftMarkdown(report)).toContain(
      "  - probably left by an interrupted run: stack production was creating umbrella-trial (pending operation)",
    );
  });
});

describe("drift reads Distr with a number of requests independent of the number of licenses", () => {
  it.each(["3", "2"] as const)("Distr %s.x: 10 and 200 licenses cost the same requests", async (dialect) => {
    const counts: number[] = [];
    for (const size of [10, 200]) {
      const testbed = await startTestbed(dialect);
      try {
        const portal = testbed.portal;
        const application = await portal.lookups.application("hello-distr");
        const artifact = await portal.lookups.artifact("hello-distr/backend");
        const customers = await Promise.all(
          [0, 1, 2, 3].map((i) => portal.customers.create({ name: `Customer ${i}` })),
        );
        for (let i = 0; i < size; i += 1) {
          const customer = customers[i % customers.length]?.id ?? "";
          if (i % 2 === 0) {
            await portal.applicationLicenses.create({
              name: `app-${i}`,
              applicationId: application?.id ?? "",
              customerOrganizationId: customer,
              versions: [{ id: application?.versions?.[i % 5]?.id ?? "" }],
            });
          } else {
            await portal.artifactLicenses.create({
              name: `artifact-${i}`,
              customerOrganizationId: customer,
              artifacts: [{ artifactId: artifact?.id ?? "", versionIds: [artifact?.versions?.[i % 3]?.id ?? ""] }],
            });
          }
        }
        const since = testbed.distr.control.requests.length;
        const client = createDistrClient({ host: testbed.distr.host, token: testbed.distr.token, rateLimits: false });
        const inventory = await readDistrInventory(client);
        await client.close();
        const report = buildDriftReport(
          parseStackExport("empty", JSON.stringify({ deployment: { resources: [] } })),
          inventory,
          {
            now: NOW,
          },
        );
        expect(report.summary.unmanaged).toBe(size + customers.length);
        const seen = testbed.distr.control.requests.slice(since).filter((request) => !isDialectProbe(request));
        expect(seen.filter((request) => request.method !== "GET")).toEqual([]);
        counts.push(seen.length);
        console.log(
          `Distr ${dialect}.x, ${size} licenses: ${seen.length} requests (${seen.map((r) => `${r.method} ${r.path.replace(/[0-9a-f-]{36}/g, "{id}")}`).join(", ")})`,
        );
      } finally {
        await testbed.close();
      }
    }
    expect(counts[1]).toBe(counts[0]);
  });
});
