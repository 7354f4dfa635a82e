import { compareLicenses, type LicenseChange } from "../../review/licenseChange";
import { applicationLicenseSnapshotOf, artifactLicenseSnapshotOf } from "../../review/licenseSnapshot";
import { replacementOf } from "../../review/replacement";
import { evaluateRules, isRuleName, RULE_NAMES, RULES, type RuleContext } from "../../review/rules";

const NOW = new Date("2027-01-01T00:00:00Z");
const context: RuleContext = { now: NOW, organization: { applicationLicenses: 3, artifactLicenses: 2 } };

const license = (overrides: Record<string, unknown> = {}) =>
  applicationLicenseSnapshotOf({
    name: "acme-pro",
    customer: "c-1",
    customerName: "ACME Corp",
    application: "hello-distr",
    versions: ["2.0.0", "2.1.0"],
    expiresAt: "2027-06-30T00:00:00Z",
    ...overrides,
  });

const update = (before: Record<string, unknown>, after: Record<string, unknown>): LicenseChange =>
  compareLicenses(license(before), license(after), { resource: "acme-pro", action: "update" });
const create = (after: Record<string, unknown>): LicenseChange =>
  compareLicenses(undefined, license(after), { resource: "acme-pro", action: "create" });

const fired = (change: LicenseChange, ctx: RuleContext = context) =>
  evaluateRules([change], ctx).findings.map((finding) => `${finding.rule}: ${finding.message}`);

describe("the license rules", () => {
  it("are data: every rule has a name and a one-line explanation, in RULE_NAMES order", () => {
    expect(RULES.map((rule) => rule.name)).toEqual([...RULE_NAMES]);
    for (const rule of RULES) expect(rule.summary).toMatch(/^[a-z].{10,}[^.]$/);
    expect(isRuleName("loses-access")).toBe(true);
    expect(isRuleName("loses_access")).toBe(false);
  });

  it("fire nothing for a harmless change", () => {
    expect(fired(update({}, { expiresAt: "2027-12-31T00:00:00Z" }))).toEqual([]);
  });

  it("loses-access: narrowed versions, a deletion, a license moved away", () => {
    expect(fired(update({}, { versions: ["2.1.0"] }))).toEqual(["loses-access: loses version 2.0.0 of hello-distr"]);
    const deleted = compareLicenses(license(), undefined, { resource: "acme-pro", action: "delete" });
    expect(evaluateRules([deleted], context).findings).toEqual([
      {
        rule: "loses-access",
        resource: "acme-pro",
        license: "acme-pro",
        customer: "ACME Corp",
        message: "the license is deleted",
      },
    ]);
    const moved = update({}, { customer: "c-2", customerName: "Globex" });
    expect(evaluateRules([moved], context).findings).toEqual([
      expect.objectContaining({
        rule: "loses-access",
        customer: "ACME Corp",
        message: "moves to Globex: ACME Corp loses it",
      }),
    ]);
    expect(fired(update({ versions: "all" }, { versions: ["2.1.0"] }))).toEqual([
      "loses-access: no longer all versions of hello-distr: only the ones listed",
    ]);
  });

  it("loses-access: a removed artifact and a moved tag", () => {
    const artifacts = (entries: unknown[]) =>
      artifactLicenseSnapshotOf({ name: "imgs", expiresAt: "2027-06-30T00:00:00Z", artifacts: entries });
    const change = compareLicenses(
      artifacts([
        { artifact: "a", tags: ["latest"], digests: ["sha256:1"] },
        { artifact: "b", tags: "all" },
      ]),
      artifacts([{ artifact: "a", tags: ["latest"], digests: ["sha256:2"] }]),
      { resource: "imgs", action: "update" },
    );
    expect(fired(change)).toEqual([
      "loses-access: tag latest of a moves: the content it pointed at (sha256:1) is no longer granted",
      "loses-access: loses artifact b",
    ]);
  });

  it("widens-to-all: a list becomes all, and a new license grants all", () => {
    expect(fired(update({}, { versions: "all" }))).toEqual([
      "widens-to-all: grants all versions of hello-distr, including future releases",
    ]);
    expect(fired(create({ versions: "all" }))).toContain(
      "widens-to-all: grants all versions of hello-distr, including future releases",
    );
  });

  it("prerelease: only prereleases newly granted", () => {
    expect(fired(update({}, { versions: ["2.0.0", "2.1.0", "2.4.0-rc.1"] }))).toEqual([
      "prerelease: grants prerelease 2.4.0-rc.1 of hello-distr",
    ]);
    expect(
      fired(update({ versions: ["2.4.0-rc.1"] }, { versions: ["2.4.0-rc.1"], expiresAt: "2027-12-01T00:00:00Z" })),
    ).toEqual([]);
  });

  it("no-expiry: created without, expiry removed; not other changes to a license that never had one", () => {
    expect(fired(create({ expiresAt: undefined }))).toEqual(["no-expiry: no expiry"]);
    expect(fired(update({}, { expiresAt: undefined }))).toEqual([
      "no-expiry: expiry removed (was 2027-06-30T00:00:00Z): no expiry",
    ]);
    expect(
      fired(update({ expiresAt: undefined }, { expiresAt: undefined, versions: ["2.0.0", "2.1.0", "2.2.0"] })),
    ).toEqual([]);
  });

  it("expires-soon: within the window (default 30 days, configurable), not beyond it", () => {
    const soon = update({}, { expiresAt: "2027-01-21T00:00:00Z" });
    expect(fired(soon)).toEqual(["expires-soon: expires in 20 days (2027-01-21T00:00:00Z), within 30 days"]);
    expect(fired(soon, { ...context, expiryWindowDays: 10 })).toEqual([]);
    expect(fired(update({}, { expiresAt: "2027-02-15T00:00:00Z" }))).toEqual([]);
  });

  it("already-expired: an expiry in the past", () => {
    expect(fired(update({}, { expiresAt: "2026-12-01T00:00:00Z" }))).toEqual([
      "already-expired: expired 31 days ago (2026-12-01T00:00:00Z)",
    ]);
  });

  it("first-entitlement: the organization's first license of a kind, once per batch; skipped without Distr", () => {
    const first = { now: NOW, organization: { applicationLicenses: 0, artifactLicenses: 4 } };
    const two = [create({}), compareLicenses(undefined, license({ name: "b" }), { resource: "b", action: "create" })];
    const findings = evaluateRules(two, first, ["first-entitlement"]).findings;
    expect(findings.map((f) => f.resource)).toEqual(["acme-pro"]);
    expect(findings[0]?.message).toMatch(/^first application license of the organization/);
    const artifact = compareLicenses(undefined, artifactLicenseSnapshotOf({ name: "i", artifacts: [] }), {
      resource: "i",
      action: "create",
    });
    expect(evaluateRules([artifact], first, ["first-entitlement"]).findings).toEqual([]);

    const offline = evaluateRules(two, { now: NOW, unavailable: "Distr at http://x is not reachable" });
    expect(offline.findings.filter((f) => f.rule === "first-entitlement")).toEqual([]);
    expect(offline.skipped).toEqual([{ rule: "first-entitlement", reason: "Distr at http://x is not reachable" }]);
  });

  it("replacement-gap: delete-before-replace, and 'may' when the order is not known", () => {
    const replace = (deleteFirst: boolean | undefined) =>
      compareLicenses(license(), license({ application: "hello-distr-helm" }), {
        resource: "acme-pro",
        action: "replace",
        replacement: replacementOf(["application"], {
          ...(deleteFirst === undefined ? {} : { reportedDeleteFirst: deleteFirst }),
          current: { name: "acme-pro", customer: "c-1" },
          desired: { name: "acme-pro", customer: "c-1" },
        }),
      });
    expect(fired(replace(true))).toContain(
      "replacement-gap: deleted before it is re-created (the engine deletes the old license first: the new one takes its name)",
    );
    expect(fired(replace(false)).filter((f) => f.startsWith("replacement-gap"))).toEqual([]);
    expect(fired(replace(undefined)).filter((f) => f.startsWith("replacement-gap"))).toEqual([
      expect.stringMatching(/^replacement-gap: may be deleted before it is re-created/),
    ]);
  });

  it("evaluates only the rules asked for", () => {
    const change = update({}, { versions: "all", expiresAt: undefined });
    expect(evaluateRules([change], context, ["no-expiry"]).findings.map((f) => f.rule)).toEqual(["no-expiry"]);
  });
});
