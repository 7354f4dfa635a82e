/**
 * The README is the front door and docs/ holds the rest: every relative link in them (and in the examples' READMEs)
 * must reach a file of this repository, and every `#anchor` a heading of the page it names, with GitHub's heading
 * slugs. A moved section or a renamed heading fails here instead of leaving a reader at a dead link.
 */
import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.join(__dirname, "..", "..");

function markdownFiles(): string[] {
  const found = ["README.md"];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const relative = path.join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== "node_modules" && !entry.name.startsWith(".")) walk(relative);
      else if (entry.isFile() && entry.name.endsWith(".md")) found.push(relative);
    }
  };
  walk("docs");
  walk("examples");
  return found;
}

/** Markdown outside code fences and inline code, where links are links. */
function prose(markdown: string): string[] {
  const lines: string[] = [];
  let fence: string | undefined;
  for (const line of markdown.split("\n")) {
    const opening = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence === undefined && opening !== undefined) fence = opening;
    else if (fence !== undefined && line.trim().startsWith(fence)) fence = undefined;
    else if (fence === undefined) lines.push(line.replace(/`[^`]*`/g, "``"));
  }
  return lines;
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to dashes, repeats numbered. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  let fence: string | undefined;
  for (const line of markdown.split("\n")) {
    const opening = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence === undefined && opening !== undefined) {
      fence = opening;
      continue;
    }
    if (fence !== undefined) {
      if (line.trim().startsWith(fence)) fence = undefined;
      continue;
    }
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const base = heading
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .replace(/\s/g, "-");
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    result.add(count === 0 ? base : `${base}-${count}`);
  }
  return result;
}

const files = markdownFiles();

describe("links in the README, docs/ and the examples' READMEs", () => {
  it("finds the pages it checks", () => {
    expect(files).toContain("README.md");
    expect(files.some((file) => file.startsWith("docs"))).toBe(true);
  });

  it.each(files)("%s: every relative link reaches a file, every anchor a heading", (file) => {
    const text = fs.readFileSync(path.join(ROOT, file), "utf8");
    const broken: string[] = [];
    for (const line of prose(text)) {
      for (const match of line.matchAll(/\]\(([^)\s]+)\)/g)) {
        const href = match[1] ?? "";
        if (/^[a-z][a-z0-9+.-]*:/i.test(href)) continue; // https:, mailto:
        const [target = "", anchor] = href.split("#");
        const targetPath = target === "" ? path.join(ROOT, file) : path.resolve(ROOT, path.dirname(file), target);
        if (!targetPath.startsWith(ROOT) || !fs.existsSync(targetPath)) {
          broken.push(`${href}: no such file`);
          continue;
        }
        if (anchor !== undefined && anchor !== "") {
          if (!targetPath.endsWith(".md") || !anchors(fs.readFileSync(targetPath, "utf8")).has(anchor)) {
            broken.push(`${href}: no heading with anchor #${anchor}`);
          }
        }
      }
    }
    expect(broken).toEqual([]);
  });

  it("keeps the README a front door: under 250 lines, none longer than 200 characters", () => {
    const lines = fs.readFileSync(path.join(ROOT, "README.md"), "utf8").split("\n");
    expect(lines.length).toBeLessThan(250);
    expect(lines.filter((line) => line.length > 200)).toEqual([]);
  });
});
