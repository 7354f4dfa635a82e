/**
 * Golden files of the review's output (test/review/golden/): the report of a real engine preview, with what differs
 * from run to run replaced by stable placeholders (ids, digests and the random stack name; "now" is injected with
 * --now). `UPDATE_GOLDEN=1` rewrites them; otherwise a difference fails the test.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export const GOLDEN_DIR = path.join(__dirname, "golden");

/** Replaces UUIDs, sha256 digests (full and shortened) and the stack name, numbering each distinct value. */
export function stableOutput(text: string, stackName: string): string {
  const numbered = (prefix: string) => {
    const seen = new Map<string, number>();
    return (value: string) => {
      if (!seen.has(value)) seen.set(value, seen.size + 1);
      return `<${prefix}-${seen.get(value)}>`;
    };
  };
  const uuid = numbered("id");
  const digest = numbered("digest");
  return text
    .split(stackName)
    .join("<stack>")
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, uuid)
    .replace(/sha256:([0-9a-f]{12})(?:[0-9a-f]{52}|…)/g, (_match, prefix: string) => digest(prefix));
}

export function golden(name: string): string {
  return fs.readFileSync(path.join(GOLDEN_DIR, name), "utf8");
}

export function expectGolden(name: string, actual: string): void {
  const file = path.join(GOLDEN_DIR, name);
  if (process.env["UPDATE_GOLDEN"] === "1" || !fs.existsSync(file)) {
    fs.mkdirSync(GOLDEN_DIR, { recursive: true });
    fs.writeFileSync(file, actual);
    if (process.env["UPDATE_GOLDEN"] !== "1") throw new Error(`${name} did not exist: written; check it and commit it`);
    return;
  }
  expect(actual).toBe(fs.readFileSync(file, "utf8"));
}

/** `expectGolden` for another suite's golden directory (same UPDATE_GOLDEN rule). */
export function expectGoldenIn(dir: string, name: string, actual: string): void {
  const file = path.join(dir, name);
  if (process.env["UPDATE_GOLDEN"] === "1" || !fs.existsSync(file)) {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(file, actual);
    if (process.env["UPDATE_GOLDEN"] !== "1") throw new Error(`${name} did not exist: written; check it and commit it`);
    return;
  }
  expect(actual).toBe(fs.readFileSync(file, "utf8"));
}
