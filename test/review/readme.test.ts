/** docs/review.md ("Reviewing license changes") shows a real report and every rule: kept in sync here. */
import * as fs from "node:fs";
import * as path from "node:path";
import { RULE_NAMES } from "../../review/rules";
import { golden } from "./golden";

const PAGE = fs.readFileSync(path.join(__dirname, "..", "..", "docs", "review.md"), "utf8");

/** From its heading to the next level-2 heading outside a code fence (the example report has headings of its own). */
function section(): string {
  const lines = PAGE.split("\n");
  const start = lines.findIndex((line) => line.startsWith("# Reviewing license changes"));
  expect(start).toBeGreaterThan(-1);
  let fence: string | undefined;
  let end = lines.length;
  for (let i = start + 1; i < lines.length; i += 1) {
    const line = lines[i] ?? "";
    const opening = /^(`{3,})/.exec(line)?.[1];
    if (fence === undefined && opening) fence = opening;
    else if (fence !== undefined && line.startsWith(fence)) fence = undefined;
    else if (fence === undefined && line.startsWith("## ")) {
      end = i;
      break;
    }
  }
  return lines.slice(start, end).join("\n");
}

describe("docs/review.md: Reviewing license changes", () => {
  it("shows the golden markdown report of the engine suite, unchanged", () => {
    const match = /<!-- review-example:start -->\n````markdown\n([\s\S]*?)````\n<!-- review-example:end -->/.exec(
      section(),
    );
    expect(match).not.toBeNull();
    expect(match?.[1]).toBe(golden("mixed.md"));
  });

  it("lists every rule in its rules table", () => {
    const text = section();
    const rules = text.slice(text.indexOf("### Rules"), text.indexOf("\n### ", text.indexOf("### Rules") + 1));
    const rows = rules
      .split("\n")
      .filter((line) => /^\| `[a-z-]+` \|/.test(line))
      .map((line) => /^\| `([a-z-]+)` \|/.exec(line)?.[1]);
    expect(rows).toEqual([...RULE_NAMES]);
  });
});
