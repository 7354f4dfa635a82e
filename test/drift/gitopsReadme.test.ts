/**
 * The GitOps example's README shows a real drift issue and a real overview: the files the engine test of the
 * scheduled jobs writes (test/engine/driftCommand.test.ts keeps them equal to what the jobs produce). Kept in sync
 * here, like the review comment's sample.
 */
import * as fs from "node:fs";
import * as path from "node:path";

const EXAMPLE = path.join(__dirname, "..", "..", "examples", "gitops");
const README = fs.readFileSync(path.join(EXAMPLE, "README.md"), "utf8");

describe("examples/gitops/README.md: the scheduled jobs' samples", () => {
  it.each([
    ["drift-example", "drift-issue-example.md"],
    ["licenses-example", "licenses-example.md"],
  ])("shows %s exactly as %s", (marker, file) => {
    const block = new RegExp(
      `<!-- ${marker}:start -->\\n\`\`\`\`markdown\\n([\\s\\S]*?)\`\`\`\`\\n<!-- ${marker}:end -->`,
    ).exec(README);
    expect(block).not.toBeNull();
    expect(block?.[1]).toBe(fs.readFileSync(path.join(EXAMPLE, file), "utf8"));
  });

  it("the workflow's scheduled jobs run the script the engine test runs", () => {
    const workflow = fs.readFileSync(path.join(EXAMPLE, ".github", "workflows", "licenses.yml"), "utf8");
    expect(workflow).toContain("run: ./operations.sh drift");
    expect(workflow).toContain("run: ./operations.sh expiring");
    expect(workflow).toMatch(/schedule:\n\s+- cron: /);
  });
});
