import { ApplicationLicenseSchema, ArtifactLicenseSchema } from "../distrShapes";
import { DISTR_TIMESTAMP, expectJson, expectPlainTextErrorStartingWith } from "../expectations";
import type { ContractSuite } from "../target";

/** Section 10 / B8, quirk 17: TIMESTAMP columns without zone, pgx discarding the offset on write. */
export function describeTimestamps(suite: ContractSuite): void {
  describe("timestamps (section 10, B8, quirk 17)", () => {
    const t = () => suite.target();
    const createApplicationLicense = (expiresAt: string) =>
      t().http.send({
        method: "POST",
        path: t().paths.applicationLicenses(),
        json: { name: t().objects.uniqueName("time"), applicationId: t().catalog.application.id, expiresAt },
      });

    test("a zone offset is discarded: +02:00 is stored and returned as the same wall clock in UTC (Z)", async () => {
      const res = await createApplicationLicense("2026-12-31T00:00:00+02:00");
      const license = expectJson(res, ApplicationLicenseSchema);
      t().objects.trackApplicationLicense(license.id);
      expect(license.expiresAt).toBe("2026-12-31T00:00:00Z");
      expect((await t().objects.getApplicationLicense(license.id)).expiresAt).toBe("2026-12-31T00:00:00Z");
    });

    test("the artifact license response and list show the offset discarded too (expiresAt comes from RETURNING)", async () => {
      const { http, paths, objects } = t();
      const res = await http.send({
        method: "POST",
        path: paths.artifactLicenses(),
        json: { name: objects.uniqueName("time"), expiresAt: "2027-06-30T23:30:00-05:00" },
      });
      const license = expectJson(res, ArtifactLicenseSchema);
      objects.trackArtifactLicense(license.id);
      expect(license.expiresAt).toBe("2027-06-30T23:30:00Z");
      expect((await objects.listArtifactLicenses()).find((l) => l.id === license.id)?.expiresAt).toBe(
        "2027-06-30T23:30:00Z",
      );
    });

    test("fractions are truncated to microseconds and trailing zeros dropped", async () => {
      const nanos = expectJson(
        await createApplicationLicense("2026-12-31T10:20:30.123456789Z"),
        ApplicationLicenseSchema,
      );
      t().objects.trackApplicationLicense(nanos.id);
      expect(nanos.expiresAt).toBe("2026-12-31T10:20:30.123456Z");
      const zeros = expectJson(await createApplicationLicense("2026-12-31T10:20:30.100000Z"), ApplicationLicenseSchema);
      t().objects.trackApplicationLicense(zeros.id);
      expect(zeros.expiresAt).toBe("2026-12-31T10:20:30.1Z");
    });

    test("a past expiry is accepted", async () => {
      const past = expectJson(await createApplicationLicense("2001-02-03T04:05:06Z"), ApplicationLicenseSchema);
      t().objects.trackApplicationLicense(past.id);
      expect(past.expiresAt).toBe("2001-02-03T04:05:06Z");
    });

    test("a date without time → 400 with Go's time parse error", async () => {
      expectPlainTextErrorStartingWith(await createApplicationLicense("2026-12-31"), 400, "parsing time ");
    });

    test("createdAt is RFC 3339 in UTC with at most microseconds", async () => {
      const customer = await t().objects.createCustomer();
      expect(customer.createdAt).toMatch(DISTR_TIMESTAMP);
      const license = expectJson(await createApplicationLicense("2030-01-01T00:00:00Z"), ApplicationLicenseSchema);
      t().objects.trackApplicationLicense(license.id);
      expect(license.createdAt).toMatch(DISTR_TIMESTAMP);
      expect(Math.abs(Date.parse(license.createdAt) - Date.now())).toBeLessThan(10 * 60_000);
    });
  });
}
