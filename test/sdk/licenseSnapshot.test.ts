import { isDistrApiError } from "../../sdk/errors";
import type { Harness } from "./harness";
import { startHarness } from "./harness";

describe("the grouped license snapshot (GET /licenses)", () => {
  let h: Harness;
  afterEach(() => h.close());

  it("on 3.x reads every customer with its application and artifact licenses in one request", async () => {
    h = await startHarness("3");
    const acme = await h.client.customers.create({ name: "ACME Corp" });
    const empty = await h.client.customers.create({ name: "Nothing Yet" });
    const application = await h.client.lookups.application("hello-distr");
    const chart = await h.client.lookups.artifact("hello-distr/chart");
    const app = await h.client.applicationLicenses.create({
      name: "acme-app",
      applicationId: application?.id ?? "",
      customerOrganizationId: acme.id,
      versions: [],
    });
    const images = await h.client.artifactLicenses.create({
      name: "acme-images",
      customerOrganizationId: acme.id,
      artifacts: [{ artifactId: chart?.id ?? "", versionIds: [] }],
    });
    await h.client.applicationLicenses.create({
      name: "vendor-only",
      applicationId: application?.id ?? "",
      versions: [],
    });

    const before = h.serverRequests().length;
    const snapshot = await h.client.licenseSnapshot();
    expect(h.serverRequests(before)).toEqual([{ method: "GET", path: "/api/v1/licenses", status: 200 }]);
    expect(snapshot.map((entry) => entry.customerOrganization.id)).toEqual([acme.id, empty.id]);
    expect(snapshot[0]?.applicationEntitlements.map((l) => l.id)).toEqual([app.id]);
    expect(snapshot[0]?.artifactEntitlements.map((l) => l.id)).toEqual([images.id]);
    expect(snapshot[1]).toMatchObject({ applicationEntitlements: [], artifactEntitlements: [] });
  });

  it("on 2.x fails without a request, saying to list instead", async () => {
    h = await startHarness("2");
    await h.client.dialect();
    const before = h.serverRequests().length;
    const failure = await h.client.licenseSnapshot().catch((error: unknown) => error);
    expect(isDistrApiError(failure, "configuration")).toBe(true);
    expect(String(failure)).toContain("Distr 2.x has no grouped GET /licenses");
    expect(h.serverRequests(before)).toEqual([]);
  });
});
