import { DIALECTS } from "../../sdk/dialect";
import { withoutProvider } from "../../provider/properties";
import { UNKNOWN } from "../../provider/unknowns";
import {
  createCustomer,
  SimulatedResource,
  startTestbed,
  withProvider,
  type ProviderProcess,
  type ProviderTestbed,
} from "./providerHarness";

describe.each(DIALECTS)("ArtifactLicense on Distr %s.x", (dialect) => {
  let bed: ProviderTestbed;
  let p: ProviderProcess;
  let acme: string;
  beforeEach(async () => {
    bed = await startTestbed(dialect);
    p = await bed.process();
    acme = await createCustomer(p, "ACME Corp");
  });
  afterEach(() => bed.close());

  async function digestOf(artifact: string, tag: string): Promise<{ id: string; digest: string }> {
    const found = (await bed.portal.lookups.artifact(artifact))?.versions?.find((v) =>
      v.tags.some((t) => t.name === tag),
    );
    if (!found) throw new Error(`no tag ${tag} of ${artifact}`);
    return { id: found.id, digest: found.digest };
  }

  /** What Distr grants, per artifact name: "all" or the sorted digest-row ids. */
  async function grants(licenseId: string): Promise<Record<string, string[] | "all">> {
    const portal = bed.portal;
    const license = await portal.artifactLicenses.get(licenseId);
    const result: Record<string, string[] | "all"> = {};
    for (const selection of license?.artifacts ?? []) {
      const name = (await portal.lookups.artifact(selection.artifactId))?.name ?? selection.artifactId;
      const ids = [...(selection.versionIds ?? [])].sort();
      result[name] = ids.length === 0 ? "all" : ids;
    }
    return result;
  }

  const program = (artifacts: unknown, extra: Record<string, unknown> = {}) => ({
    name: "acme-images",
    customer: acme,
    expiresAt: "2027-06-30T00:00:00Z",
    artifacts,
    ...extra,
  });

  describe("check", () => {
    it("resolves tags to digests (several tags on one digest count once) and sorts selections by artifact", async () => {
      const backend = await bed.portal.lookups.artifact("hello-distr/backend");
      const latest = await digestOf("hello-distr/backend", "latest");
      const v210 = await digestOf("hello-distr/backend", "2.1.0");
      expect(latest.digest).toBe(v210.digest);
      const chart12 = await digestOf("hello-distr/chart", "1.2.0");
      const chart13 = await digestOf("hello-distr/chart", "1.3.0");
      const frontend = await Promise.all(["2.0.0", "2.1.0", "2.2.0"].map((t) => digestOf("hello-distr/frontend", t)));

      const checked = await p.artifactLicense.check(
        {},
        withProvider(
          program([
            { artifact: "hello-distr/frontend", tags: { range: "^2" } },
            { artifact: "hello-distr/chart", tags: ["1.3.0", "1.2.0"] },
            { artifact: "hello-distr/backend", tags: ["latest", "2.1.0"] },
          ]),
        ),
      );
      expect(checked.failures).toBeUndefined();
      expect(checked.inputs).toEqual({
        name: "acme-images",
        customer: acme,
        expiresAt: "2027-06-30T00:00:00Z",
        artifacts: [
          {
            artifact: "hello-distr/backend",
            artifactId: backend?.id,
            tags: ["2.1.0", "latest"],
            digests: [latest.digest],
          },
          {
            artifact: "hello-distr/chart",
            artifactId: expect.any(String),
            tags: ["1.2.0", "1.3.0"],
            digests: [chart12.digest, chart13.digest].sort(),
          },
          {
            artifact: "hello-distr/frontend",
            artifactId: expect.any(String),
            tags: { range: "^2", includePrerelease: false, matches: ["2.0.0", "2.1.0", "2.2.0"] },
            digests: frontend.map((f) => f.digest).sort(),
          },
        ],
      });
      const all = await p.artifactLicense.check({}, withProvider(program([{ artifact: "hello-distr/backend" }])));
      expect(all.inputs?.artifacts).toEqual([
        { artifact: "hello-distr/backend", artifactId: backend?.id, tags: "all" },
      ]);
    });

    it("lists what exists when an artifact, a tag or a range does not match, and refuses duplicates and empty grants", async () => {
      const result = await p.artifactLicense.check(
        {},
        withProvider(
          program([
            { artifact: "hello-distr/backnd", tags: "all" },
            { artifact: "hello-distr/chart", tags: ["1.2.0", "9.9.9"] },
            { artifact: "hello-distr/frontend", tags: { range: ">=5" } },
            { artifact: "hello-distr/chart", tags: "all" },
          ]),
        ),
      );
      expect(result.failures).toEqual([
        {
          property: "artifacts[0].artifact",
          reason:
            'Distr has no artifact "hello-distr/backnd" (by name or id); use one of its artifacts: hello-distr/backend, ' +
            "hello-distr/chart, hello-distr/frontend",
        },
        {
          property: "artifacts[1].tags[1]",
          reason: '"9.9.9" is not a tag of artifact "hello-distr/chart"; use one of its tags: 1.2.0, 1.3.0, 1.4.0',
        },
        {
          property: "artifacts[2].tags.range",
          reason:
            '">=5" matches no tag of artifact "hello-distr/frontend" (prereleases only with includePrerelease: true); ' +
            "use one of its tags: 1.0.0, 2.0.0, 2.1.0, 2.2.0",
        },
        {
          property: "artifacts[3].artifact",
          reason:
            'artifact "hello-distr/chart" is already selected by artifacts[1]; Distr allows one selection per ' +
            "artifact: merge the tags into one entry",
        },
      ]);
      const empty = await p.artifactLicense.check({}, withProvider(program([])));
      expect(empty.failures).toEqual([
        { property: "artifacts", reason: expect.stringContaining("an empty list grants nothing") },
      ]);
      const shapes = await p.artifactLicense.check(
        {},
        withProvider(
          program([{ artifact: "hello-distr/chart", tags: "latest-only" }, "hello-distr/backend"], {
            expiresAt: "tomorrow",
          }),
        ),
      );
      expect(shapes.failures).toEqual([
        {
          property: "artifacts[0].tags",
          reason:
            '"latest-only" is not a tags selection; use "all", a list of tags like ["2.1.0"], or a range like ' +
            '{ range: ">=2.0.0 <3.0.0" }',
        },
        { property: "artifacts[1]", reason: 'expected { artifact, tags }, got "hello-distr/backend"' },
      ]);
    });

    it("passes unknown values through with placeholders and never sends them to Distr", async () => {
      const before = bed.requests().length;
      const checked = await p.artifactLicense.check(
        {},
        withProvider(program([{ artifact: UNKNOWN, tags: ["1.0.0"] }, UNKNOWN], { customer: UNKNOWN })),
      );
      expect(checked).toEqual({
        inputs: {
          name: "acme-images",
          customer: UNKNOWN,
          expiresAt: "2027-06-30T00:00:00Z",
          artifacts: [{ artifact: UNKNOWN, artifactId: UNKNOWN, tags: ["1.0.0"], digests: UNKNOWN }, UNKNOWN],
        },
      });
      expect(bed.requests(before)).toEqual([]);
    });
  });

  it("creates the license with digest-row ids and all-versions selections, then reports no change", async () => {
    const license = new SimulatedResource("artifactLicense");
    const artifacts = [
      { artifact: "hello-distr/backend", tags: "all" },
      { artifact: "hello-distr/chart", tags: ["1.2.0", "1.3.0"] },
      { artifact: "hello-distr/frontend", tags: { range: "^2" } },
    ];
    await license.up(p, program(artifacts));
    const chart = await Promise.all(["1.2.0", "1.3.0"].map((t) => digestOf("hello-distr/chart", t)));
    const frontend = await Promise.all(["2.0.0", "2.1.0", "2.2.0"].map((t) => digestOf("hello-distr/frontend", t)));
    expect(await grants(license.id)).toEqual({
      "hello-distr/backend": "all",
      "hello-distr/chart": chart.map((c) => c.id).sort(),
      "hello-distr/frontend": frontend.map((f) => f.id).sort(),
    });
    expect(license.outputs).toMatchObject({
      name: "acme-images",
      customer: acme,
      customerName: "ACME Corp",
      expiresAt: "2027-06-30T00:00:00Z",
      createdAt: expect.any(String),
    });
    expect(license.outputs.artifacts).toEqual([
      { artifact: "hello-distr/backend", artifactId: expect.any(String), tags: "all", versionIds: [] },
      {
        artifact: "hello-distr/chart",
        artifactId: expect.any(String),
        tags: ["1.2.0", "1.3.0"],
        digests: chart.map((c) => c.digest).sort(),
        versionIds: chart.map((c) => c.id).sort(),
      },
      expect.objectContaining({ artifact: "hello-distr/frontend", versionIds: frontend.map((f) => f.id).sort() }),
    ]);
    const again = await license.up(await bed.process(), program([...artifacts].reverse()));
    expect(again).toEqual({ op: "same", diff: { changes: false } });
  });

  it("follows a moved tag: the new digest is a change the next up grants", async () => {
    const license = new SimulatedResource("artifactLicense");
    const artifacts = [{ artifact: "hello-distr/backend", tags: ["latest"] }];
    await license.up(p, program(artifacts));
    const before = await digestOf("hello-distr/backend", "latest");
    const pushed = bed.distr.control.addArtifactTag("hello-distr/backend", "latest");

    const result = await license.up(await bed.process(), program(artifacts));
    expect(result).toEqual({ op: "update", diff: { changes: true } });
    expect(await grants(license.id)).toEqual({ "hello-distr/backend": [pushed.versionId] });
    expect(pushed.versionId).not.toBe(before.id);
  });

  it("updates everything in place, moving the license to another customer", async () => {
    const license = new SimulatedResource("artifactLicense");
    await license.up(p, program([{ artifact: "hello-distr/backend", tags: "all" }]));
    const id = license.id;
    const globex = await createCustomer(p, "Globex");
    const result = await license.up(
      await bed.process(),
      program([{ artifact: "hello-distr/chart", tags: ["1.4.0"] }], {
        name: "globex-images",
        customer: globex,
        expiresAt: undefined,
      }),
    );
    expect(result).toEqual({ op: "update", diff: { changes: true } });
    expect(license.id).toBe(id);
    const stored = await bed.portal.artifactLicenses.get(id);
    expect(stored).toMatchObject({ name: "globex-images", customerOrganizationId: globex });
    expect(stored?.expiresAt).toBeUndefined();
    expect(await grants(id)).toEqual({ "hello-distr/chart": [(await digestOf("hello-distr/chart", "1.4.0")).id] });
    expect(license.outputs).toMatchObject({ customerName: "Globex" });
  });

  it("shows a change made in the portal as drift on refresh, and the next up repairs it", async () => {
    const license = new SimulatedResource("artifactLicense");
    const artifacts = [{ artifact: "hello-distr/chart", tags: { range: "~1.2" } }];
    await license.up(p, program(artifacts));
    const chart = await bed.portal.lookups.artifact("hello-distr/chart");
    const v13 = await digestOf("hello-distr/chart", "1.3.0");
    const v12 = await digestOf("hello-distr/chart", "1.2.0");
    await bed.portal.artifactLicenses.update(license.id, {
      name: "acme-images",
      customerOrganizationId: acme,
      artifacts: [{ artifactId: chart?.id ?? "", versionIds: [v12.id, v13.id] }],
    });

    const read = await license.refresh(await bed.process());
    expect(read.inputs).toEqual({
      name: "acme-images",
      customer: acme,
      artifacts: [
        {
          artifact: "hello-distr/chart",
          artifactId: chart?.id,
          tags: ["1.2.0", "1.3.0"],
          digests: [v12.digest, v13.digest].sort(),
        },
      ],
    });
    expect((read.props as { expiresAt?: string }).expiresAt).toBeUndefined();

    const repaired = await license.up(await bed.process(), program(artifacts));
    expect(repaired.op).toBe("update");
    expect(await grants(license.id)).toEqual({ "hello-distr/chart": [v12.id] });
    expect((await bed.portal.artifactLicenses.get(license.id))?.expiresAt).toBe("2027-06-30T00:00:00Z");
  });

  it("keeps the program's tag words on refresh while Distr grants the same digests", async () => {
    const license = new SimulatedResource("artifactLicense");
    const artifacts = [{ artifact: "hello-distr/backend", tags: ["latest"] }];
    await license.up(p, program(artifacts));
    const read = await license.refresh(await bed.process());
    expect(read.inputs).toMatchObject({ artifacts: [expect.objectContaining({ tags: ["latest"] })] });
    expect((await license.up(await bed.process(), program(artifacts))).op).toBe("same");
  });

  it("drops a license deleted outside Pulumi on refresh, so the next up creates it again", async () => {
    const license = new SimulatedResource("artifactLicense");
    await license.up(p, program([{ artifact: "hello-distr/backend" }]));
    await bed.portal.artifactLicenses.delete(license.id);
    expect(await license.refresh(await bed.process())).toEqual({});
    expect((await license.up(await bed.process(), program([{ artifact: "hello-distr/backend" }]))).op).toBe("create");
  });

  it("keeps an unchanged artifact granted with all tags without a read; a tag list is resolved every run", async () => {
    const license = new SimulatedResource("artifactLicense");
    const all = program([{ artifact: "hello-distr/backend" }]);
    await license.up(p, all);
    let before = bed.requests().length;
    expect(await license.check(await bed.process(), all)).toEqual({ inputs: withoutProvider(license.inputs) });
    expect(bed.requests(before)).toEqual([]);

    // A tag may have moved to another digest since: the artifact's tags are read again, by id (no list).
    const tagged = program([{ artifact: "hello-distr/backend", tags: ["1.0.0"] }]);
    await license.up(await bed.process(), tagged);
    before = bed.requests().length;
    await license.check(await bed.process(), tagged);
    expect(bed.requestLines(before)).toEqual(["GET /api/v1/artifacts/{id}"]);
  });

  describe("adoption", () => {
    it("refuses a taken name with the existing id, adopts by name, and adopts by id", async () => {
      const backend = await bed.portal.lookups.artifact("hello-distr/backend");
      const existing = await bed.portal.artifactLicenses.create({
        name: "acme-images",
        customerOrganizationId: acme,
        artifacts: [{ artifactId: backend?.id ?? "", versionIds: [] }],
      });
      const refused = new SimulatedResource("artifactLicense");
      await expect(refused.up(p, program([{ artifact: "hello-distr/chart" }]))).rejects.toThrow(
        `an artifact license named "acme-images" already exists ${dialect === "3" ? "for this customer" : "in this Distr organization"} ` +
          `(id ${existing.id}); to manage it with this resource, set adopt: true (or adopt: { id: "${existing.id}" })`,
      );

      const byName = new SimulatedResource("artifactLicense");
      await byName.up(await bed.process(), program([{ artifact: "hello-distr/chart" }], { adopt: true }));
      expect(byName.id).toBe(existing.id);
      expect(Object.keys(await grants(existing.id))).toEqual(["hello-distr/chart"]);

      const byId = new SimulatedResource("artifactLicense");
      await byId.up(
        await bed.process(),
        program([{ artifact: "hello-distr/frontend" }], { name: "renamed", adopt: { id: existing.id } }),
      );
      expect(byId.id).toBe(existing.id);
      expect((await bed.portal.artifactLicenses.get(existing.id))?.name).toBe("renamed");
      expect(await bed.portal.artifactLicenses.list()).toHaveLength(1);
    });

    it("adopts a license that already matches without sending a single write", async () => {
      const backend = await bed.portal.lookups.artifact("hello-distr/backend");
      const tagged = backend?.versions?.find((v) => v.tags.some((t) => t.name === "1.0.0"));
      const existing = await bed.portal.artifactLicenses.create({
        name: "acme-images",
        customerOrganizationId: acme,
        expiresAt: "2027-01-01T00:00:00Z",
        artifacts: [{ artifactId: backend?.id ?? "", versionIds: [tagged?.id ?? ""] }],
      });
      const before = bed.requests().length;
      const license = new SimulatedResource("artifactLicense");
      await license.up(
        await bed.process(),
        program([{ artifact: "hello-distr/backend", tags: ["1.0.0"] }], {
          expiresAt: "2027-01-01T00:00:00Z",
          adopt: true,
        }),
      );
      expect(license.id).toBe(existing.id);
      expect(bed.requests(before).filter((r) => r.method !== "GET")).toEqual([]);
      expect(
        (
          await license.up(
            await bed.process(),
            program([{ artifact: "hello-distr/backend", tags: ["1.0.0"] }], {
              expiresAt: "2027-01-01T00:00:00Z",
              adopt: true,
            }),
          )
        ).op,
      ).toBe("same");
    });
  });

  describe("delete", () => {
    it("deletes the license, and succeeds when it is already gone", async () => {
      const license = new SimulatedResource("artifactLicense");
      await license.up(p, program([{ artifact: "hello-distr/backend" }]));
      const state = license.state;
      await license.destroy(await bed.process());
      expect(await bed.portal.artifactLicenses.get(state?.id ?? "")).toBeUndefined();
      await expect(
        (await bed.process()).artifactLicense.delete(state?.id ?? "", state?.outputs),
      ).resolves.toBeUndefined();
    });
  });
});
