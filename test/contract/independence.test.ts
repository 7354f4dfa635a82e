/**
 * The contract suite is the evidence that the local Distr answers like Distr; it stays independent of the code it
 * judges. Its expectations (texts, routes, limits, shapes) are written out in test/contract, never imported from
 * sdk/ (shared by the client and the local server) or local-distr/; the only way into local-distr/ is its public
 * entry point, for the server under test and its seed data. And it only writes to a real hub when asked to by
 * variables of its own, not by the provider's DISTR_HOST/DISTR_TOKEN.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { contractTargets } from "./target";

const CONTRACT_DIR = __dirname;
const REPO_ROOT = path.resolve(CONTRACT_DIR, "../..");

/** What test/contract may take from local-distr/: the server under test and its seed (fixture data, not Distr's behaviour). */
const LOCAL_DISTR_ALLOWED = new Set([
  "startLocalDistr",
  "LocalDistr",
  "LocalDistrControl",
  "SEED_APPLICATIONS",
  "SEED_ARTIFACTS",
]);

function contractFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return contractFiles(full);
    return entry.name.endsWith(".ts") ? [full] : [];
  });
}

interface ImportStatement {
  readonly file: string;
  readonly specifier: string;
  readonly names: string[];
}

function importsOf(file: string): ImportStatement[] {
  const text = fs.readFileSync(file, "utf8");
  const statements = [
    ...text.matchAll(/import\s+(?:type\s+)?(?:\{([^}]*)\}|\*\s+as\s+\w+|\w+)?\s*(?:from\s+)?["']([^"']+)["']/g),
    ...text.matchAll(/require\(\s*["']([^"']+)["']\s*\)/g),
  ];
  return statements.map((match) => {
    const isRequire = match[0].startsWith("require");
    const names = isRequire
      ? ["*"]
      : (match[1] ?? "*")
          .split(",")
          .map(
            (name) =>
              name
                .replace(/^\s*type\s+/, "")
                .split(/\s+as\s+/)[0]
                ?.trim() ?? "",
          )
          .filter((name) => name !== "");
    return { file: path.relative(REPO_ROOT, file), specifier: (isRequire ? match[1] : match[2]) ?? "", names };
  });
}

describe("contract suite independence", () => {
  const imports = contractFiles(CONTRACT_DIR).flatMap(importsOf);

  it("finds the suite's imports (the scan itself works)", () => {
    expect(imports.some((i) => i.specifier === "./target")).toBe(true);
    expect(imports.some((i) => i.specifier === "../../local-distr" && i.names.includes("startLocalDistr"))).toBe(true);
  });

  it("imports nothing from sdk/ and nothing from local-distr/ but the server and its seed", () => {
    const violations = imports.flatMap((statement) => {
      if (!statement.specifier.startsWith(".")) return []; // npm packages and node: built-ins
      const target = path.relative(
        REPO_ROOT,
        path.resolve(REPO_ROOT, path.dirname(statement.file), statement.specifier),
      );
      if (target.startsWith(`test${path.sep}contract`)) return [];
      if (target === "local-distr") {
        const extra = statement.names.filter((name) => !LOCAL_DISTR_ALLOWED.has(name));
        return extra.length === 0 ? [] : [`${statement.file}: ${extra.join(", ")} from ${statement.specifier}`];
      }
      return [`${statement.file}: ${statement.specifier}`];
    });
    expect(violations).toEqual([]);
  });

  it("ignores the provider's DISTR_HOST/DISTR_TOKEN: with only those set, it runs against local servers", () => {
    const targets = contractTargets({ DISTR_HOST: "https://app.distr.sh", DISTR_TOKEN: `distr-${"0".repeat(32)}` });
    expect(targets.map((t) => [t.kind, t.dialect])).toEqual([
      ["local", "3"],
      ["local", "2"],
    ]);
  });

  it("refuses half an opt-in, naming both variables", () => {
    expect(() => contractTargets({ DISTR_CONTRACT_HOST: "https://distr.example.com" })).toThrow(
      "Set both DISTR_CONTRACT_HOST and DISTR_CONTRACT_TOKEN to run the contract suite against a real hub (it writes there)",
    );
  });
});
