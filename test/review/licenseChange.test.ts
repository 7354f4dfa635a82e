import { compareLicenses, compareSelections } from "../../review/licenseChange";
import {
  applicationLicenseSnapshotOf,
  artifactLicenseSnapshotOf,
  type ApplicationLicenseSnapshot,
} from "../../review/licenseSnapshot";
import { UNKNOWN } from "../../provider/unknowns";

const app = (overrides: Record<string, unknown> = {}): ApplicationLicenseSnapshot =>
  applicationLicenseSnapshotOf({
    name: "acme-pro",
    customer: "c-1",
    customerName: "ACME Corp",
    application: "hello-distr",
    versions: { range: ">=2.0.0 <3.0.0", includePrerelease: false, matches: ["2.0.0", "2.1.0"] },
    expiresAt: "2027-06-30T00:00:00Z",
    ...overrides,
  });

describe("compareSelections", () => {
  it("names the versions an unchanged range gains when a release appears", () => {
    const change = compareSelections(
      { kind: "range", range: "^2", includePrerelease: false, matches: ["2.0.0", "2.1.0"] },
      { kind: "range", range: "^2", includePrerelease: false, matches: ["2.0.0", "2.1.0", "2.5.0"] },
    );
    expect(change).toMatchObject({ definitionChanged: false, gained: ["2.5.0"], lost: [], toAll: false });
  });

  it("marks the transitions to and from all without inventing names", () => {
    expect(compareSelections({ kind: "list", names: ["2.1.0"] }, { kind: "all" })).toMatchObject({
      toAll: true,
      fromAll: false,
      gained: [],
      lost: [],
    });
    expect(compareSelections({ kind: "all" }, { kind: "list", names: ["2.1.0"] })).toMatchObject({
      toAll: false,
      fromAll: true,
    });
  });

  it("sorts gained and lost names in semver order", () => {
    const change = compareSelections(
      { kind: "list", names: ["10.0.0", "2.0.0", "9.0.0"] },
      { kind: "list", names: ["1.0.0", "1.10.0", "1.9.0"] },
    );
    expect(change.gained).toEqual(["1.0.0", "1.9.0", "1.10.0"]);
    expect(change.lost).toEqual(["2.0.0", "9.0.0", "10.0.0"]);
  });
});

describe("compareLicenses", () => {
  it("reports expiry moves in days and a removed expiry", () => {
    const moved = compareLicenses(app(), app({ expiresAt: "2027-09-28T00:00:00Z" }), {
      resource: "acme-pro",
      action: "update",
    });
    expect(moved.expiry).toEqual({ before: "2027-06-30T00:00:00Z", after: "2027-09-28T00:00:00Z", days: 90 });
    const removed = compareLicenses(app(), app({ expiresAt: undefined }), { resource: "acme-pro", action: "update" });
    expect(removed.expiry).toEqual({ before: "2027-06-30T00:00:00Z" });
  });

  it("treats another application as losing the old versions and gaining the new", () => {
    const change = compareLicenses(
      app(),
      app({ application: "hello-distr-helm", versions: { range: "^2", includePrerelease: false, matches: ["2.0.0"] } }),
      { resource: "acme-pro", action: "replace" },
    );
    expect(change.application).toEqual({ before: "hello-distr", after: "hello-distr-helm" });
    expect(change.versions).toMatchObject({ gained: ["2.0.0"], lost: ["2.0.0", "2.1.0"] });
  });

  it("sees a license move between customers by id, and a new customer by its pending id", () => {
    const moved = compareLicenses(app(), app({ customer: UNKNOWN, customerName: undefined }), {
      resource: "acme-pro",
      action: "replace",
    });
    expect(moved.customerMoved).toEqual({ from: { id: "c-1", name: "ACME Corp" }, to: {} });
    expect(moved.after?.pending).toContain("customer");
  });

  it("finds a tag that moved to another digest", () => {
    const license = (digest: string) =>
      artifactLicenseSnapshotOf({
        name: "acme-images",
        artifacts: [{ artifact: "hello-distr/backend", tags: ["latest"], digests: [digest] }],
      });
    const change = compareLicenses(license("sha256:aaa"), license("sha256:bbb"), {
      resource: "acme-images",
      action: "update",
    });
    expect(change.artifacts).toEqual([
      expect.objectContaining({
        artifact: "hello-distr/backend",
        change: "changed",
        digestsGained: ["sha256:bbb"],
        digestsLost: ["sha256:aaa"],
        movedTags: [{ tag: "latest", from: "sha256:aaa", to: "sha256:bbb" }],
      }),
    ]);
  });

  it("lists added and removed artifacts and leaves unchanged ones out", () => {
    const before = artifactLicenseSnapshotOf({
      name: "x",
      artifacts: [
        { artifact: "a", tags: "all" },
        { artifact: "b", tags: ["1.0.0"], digests: ["sha256:1"] },
      ],
    });
    const after = artifactLicenseSnapshotOf({
      name: "x",
      artifacts: [
        { artifact: "b", tags: ["1.0.0"], digests: ["sha256:1"] },
        { artifact: "c", tags: "all" },
      ],
    });
    const change = compareLicenses(before, after, { resource: "x", action: "update" });
    expect(change.artifacts.map((a) => `${a.change} ${a.artifact}`)).toEqual(["removed a", "added c"]);
  });

  it("keeps registry passwords out and marks a password change only when told", () => {
    const withRegistry = (url: string) => app({ registry: { url, username: "acme", password: "[secret]" } });
    const same = compareLicenses(withRegistry("r.example.com"), withRegistry("r.example.com"), {
      resource: "acme-pro",
      action: "update",
      registryPasswordChanged: true,
    });
    expect(same.registry).toEqual({
      before: { url: "r.example.com", username: "acme" },
      after: { url: "r.example.com", username: "acme" },
      passwordChanged: true,
    });
    expect(JSON.stringify(same)).not.toContain("[secret]");
    const moved = compareLicenses(withRegistry("r.example.com"), withRegistry("r2.example.com"), {
      resource: "acme-pro",
      action: "update",
    });
    expect(moved.registry?.passwordChanged).toBeNull();
  });
});
