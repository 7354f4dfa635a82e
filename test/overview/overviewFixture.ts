/**
 * The overview's scenario, shared by the overview tests and the page's browser test: the drift fixture (managed
 * objects made by the real provider handlers), plus portal-made licenses: Umbrella's trial expiring 2027-01-15,
 * Globex's evaluation that expired 2026-12-15, and Initech without licenses. Judged at 2027-01-01.
 */
import { readDistrInventory } from "../../drift";
import { buildLicenseOverview, type OverviewReport } from "../../overview";
import { createDistrClient } from "../../sdk/client";
import { createManagedFixture, type ManagedFixture } from "../drift/driftFixture";
import type { ProviderTestbed } from "../provider/providerHarness";
import { stableOutput } from "../review/golden";

export const OVERVIEW_NOW = new Date("2027-01-01T00:00:00Z");

/** The overview fixture: the drift fixture, plus Umbrella's trial (2027-01-15), Globex's expired evaluation, Initech. */
export async function createOverviewFixture(testbed: ProviderTestbed): Promise<ManagedFixture> {
  const fixture = await createManagedFixture(testbed);
  const portal = testbed.portal;
  const helloDistr = await portal.lookups.application("hello-distr");
  const version = (name: string) => ({ id: helloDistr?.versions?.find((v) => v.name === name)?.id ?? "" });
  const umbrella = await portal.customers.create({ name: "Umbrella" });
  await portal.applicationLicenses.create({
    name: "umbrella-trial",
    applicationId: helloDistr?.id ?? "",
    customerOrganizationId: umbrella.id,
    expiresAt: "2027-01-15T00:00:00Z",
    versions: [version("2.2.0")],
  });
  await portal.applicationLicenses.create({
    name: "globex-eval",
    applicationId: helloDistr?.id ?? "",
    customerOrganizationId: fixture.globexId,
    expiresAt: "2026-12-15T00:00:00Z",
    versions: [version("2.0.0")],
  });
  await portal.customers.create({ name: "Initech" });
  return fixture;
}

export async function overviewOf(
  testbed: ProviderTestbed,
  fixture: ManagedFixture,
  now = OVERVIEW_NOW,
): Promise<OverviewReport> {
  const client = createDistrClient({ host: testbed.distr.host, token: testbed.distr.token, rateLimits: false });
  try {
    return buildLicenseOverview(await readDistrInventory(client), { now, state: fixture.state("production") });
  } finally {
    await client.close();
  }
}

/** Ids and the hub's port replaced, so that a golden file is the same on every run. */
export function stableReport(text: string, host: string): string {
  return stableOutput(text.split(host).join("http://127.0.0.1:<port>"), "<no stack>");
}
