/**
 * Fuzzed license catalog loader (catalog/load.ts): random text and hostile documents (wrong types, huge strings,
 * unicode, prototype keys, invalid ranges, timestamps with offsets and leap seconds, duplicate keys and artifacts).
 * Whatever the file holds, loading either succeeds with a catalog every license resource accepts, or throws one
 * CatalogError whose every issue names where (the path, or the line of a syntax error) and says what to write.
 */
import fc from "fast-check";
import { stringify } from "yaml";
import { CatalogError } from "../../catalog/errors";
import { expandCatalog } from "../../catalog/expand";
import { parseCatalog } from "../../catalog/load";
import { checkExpiresAt } from "../../provider/expiry";
import { fuzzParameters, hostileString, hostileValue } from "./fuzzSettings";

const key = fc.oneof(
  fc.constantFrom("pro", "starter", "acme", "hello-distr", "__proto__", "constructor"),
  hostileString,
);
const selection = fc.oneof(
  fc.constantFrom(
    "all",
    ["2.1.0"],
    { range: ">=2.0.0 <3.0.0" },
    { range: ">=3 <<2" },
    { range: "^2", includePrerelease: "yes" },
  ),
  hostileValue,
);
const expiresAt = fc.oneof(
  fc.constantFrom(
    "2027-06-30T00:00:00Z",
    "2027-06-30T00:00:00+02:00",
    "2016-12-31T23:59:60Z",
    "2027-02-29T00:00:00Z",
    "2027-04-31T00:00:00Z",
    "2027-06-30T24:00:00Z",
    "2027-06-30",
  ),
  fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
  hostileValue,
);
const plan = fc.record(
  {
    description: fc.oneof(hostileString, hostileValue),
    applications: fc.oneof(fc.dictionary(key, selection, { maxKeys: 3 }), hostileValue),
    artifacts: fc.oneof(fc.dictionary(key, selection, { maxKeys: 3 }), hostileValue),
  },
  { requiredKeys: [] },
);
const grant = fc.record(
  {
    plan: fc.oneof(fc.constantFrom("pro", "starter"), hostileValue),
    expiresAt,
    adopt: fc.oneof(fc.boolean(), hostileValue),
    registry: fc.oneof(
      fc.record({ url: hostileString, username: hostileString, passwordConfig: hostileString }),
      hostileValue,
    ),
  },
  { requiredKeys: [] },
);
const customer = fc.record(
  {
    name: fc.oneof(fc.constantFrom("ACME Corp", "ACME  Corp", "acme corp"), hostileString, hostileValue),
    key: fc.oneof(key, hostileValue),
    features: fc.oneof(fc.array(fc.constantFrom("deployment_targets", "alerts", "teleport")), hostileValue),
    grants: fc.oneof(fc.array(grant, { maxLength: 3 }), hostileValue),
  },
  { requiredKeys: [] },
);
const documentText = fc.oneof(
  fc
    .record(
      {
        plans: fc.oneof(fc.dictionary(key, plan, { maxKeys: 3 }), hostileValue),
        customers: fc.oneof(fc.array(customer, { maxLength: 3 }), hostileValue),
      },
      { requiredKeys: [] },
    )
    .map((document) => stringify(document)),
  hostileValue.map((value) => stringify(value)),
  fc.string({ maxLength: 200 }),
  // The same artifact twice in one plan: a duplicate key, which YAML itself would silently let the last one win.
  fc.constantFrom(
    'plans:\n  pro:\n    artifacts:\n      hello-distr/backend: all\n      hello-distr/backend: ["2.1.0"]\ncustomers: []\n',
    "plans: {pro: {applications: {hello-distr: all}}}\ncustomers:\n  - name: A\n    grants: [{plan: pro}, {plan: pro}]\n",
    "plans: [\n",
    "\t- x",
    "plans: *nothing\ncustomers: []\n",
  ),
);

describe("fuzzed license catalog loading", () => {
  it("returns a catalog every resource accepts, or one CatalogError whose issues say where and what to write", () => {
    fc.assert(
      fc.property(documentText, (text) => {
        let catalog: ReturnType<typeof parseCatalog>;
        try {
          catalog = parseCatalog(text, "licenses.yaml");
        } catch (error) {
          if (!(error instanceof CatalogError)) throw new Error(`not a CatalogError: ${String(error).slice(0, 500)}`);
          expect(error.issues.length).toBeGreaterThan(0);
          for (const issue of error.issues) {
            if (error.kind === "syntax") expect(issue.line).toBeGreaterThan(0);
            else if (issue.path === "") expect(issue.message).toMatch(/file|document|mapping|expected/);
            expect(issue.message.trim()).not.toBe("");
            expect(issue.fix.trim()).not.toBe("");
          }
          return;
        }
        const expanded = expandCatalog(catalog);
        for (const license of [...expanded.applicationLicenses, ...expanded.artifactLicenses]) {
          if (license.expiresAt !== undefined) expect(checkExpiresAt(license.expiresAt).failures).toEqual([]);
        }
      }),
      fuzzParameters,
    );
  });
});
